/**
 * The coder/reviewer workflow: the graph, its state and events, and the pieces
 * it is made of (prompts, code extraction, verdict reading).
 *
 * @packageDocumentation
 */
export { type DecidedVerdict, decideVerdict, VERDICT_FUNCTION_NAME } from "./decide-verdict.js";
export {
  type AgentStartEvent,
  type CodeEvent,
  type CoderReviewerEvent,
  type GraphAgent,
  isCoderReviewerEvent,
  type RoundAgentEvent,
  type VerdictEvent,
} from "./events.js";
export { type ExtractedCode, extractCode, fenceCode } from "./extract-code.js";
export {
  type CheckpointDurability,
  type CoderReviewerGraph,
  type CoderReviewerGraphOptions,
  createCoderReviewerGraph,
  DEFAULT_MAX_ROUNDS,
  MAX_TASK_CHARS,
} from "./graph.js";
export {
  coderSystemPrompt,
  type PromptLanguage,
  PYTHON,
  reviewerSystemPrompt,
  reviewMessage,
  revisionMessage,
} from "./prompts.js";
export {
  type CoderReviewerInput,
  CoderReviewerState,
  type CoderReviewerStateType,
  type CoderReviewerStopReason,
  type Review,
} from "./state.js";
export { parseVerdictText, type TextVerdict, type Verdict, verdictSchema } from "./verdict.js";
