/**
 * Agents on LangGraph: a Strands-style `Agent` with a bounded tool loop, and
 * the article's coder/reviewer workflow.
 *
 * @packageDocumentation
 */
export {
  Agent,
  type AgentOptions,
  type AgentResult,
  type AgentRunOptions,
  DEFAULT_MAX_STEPS,
} from "./agent.js";
export { type OpenedCheckpointSaver, openCheckpointSaver } from "./checkpoint/open-saver.js";
export type { PostgresCheckpointOptions } from "./checkpoint/postgres-options.js";
export { SqliteCheckpointSaver, type SqliteDatabase } from "./checkpoint/sqlite-saver.js";
export {
  type AgentStartEvent,
  type CheckpointDurability,
  type CodeEvent,
  type CoderReviewerEvent,
  type CoderReviewerGraph,
  type CoderReviewerGraphOptions,
  type CoderReviewerInput,
  CoderReviewerState,
  type CoderReviewerStateType,
  type CoderReviewerStopReason,
  coderSystemPrompt,
  createCoderReviewerGraph,
  DEFAULT_MAX_ROUNDS,
  type DecidedVerdict,
  decideVerdict,
  type ExtractedCode,
  extractCode,
  fenceCode,
  type GraphAgent,
  isCoderReviewerEvent,
  MAX_TASK_CHARS,
  type PromptLanguage,
  PYTHON,
  parseVerdictText,
  type Review,
  type RoundAgentEvent,
  reviewerSystemPrompt,
  reviewMessage,
  revisionMessage,
  type TextVerdict,
  VERDICT_FUNCTION_NAME,
  type Verdict,
  type VerdictEvent,
  verdictSchema,
} from "./coder-reviewer/index.js";
export { ReviewSchema } from "./coder-reviewer/state.js";
export {
  type AgentEvent,
  type AgentStopReason,
  type FinalEvent,
  isAgentEvent,
  type ModelStartEvent,
  type ReasoningEvent,
  type TokenEvent,
  type ToolCallEvent,
  type ToolResultEvent,
} from "./events.js";
export { type ModelTarget, modelTarget } from "./model-target.js";
