/**
 * What an {@link Agent} run reports while it works: one event per model token,
 * tool call and tool result, and a final answer. Events are plain objects so a
 * CLI can print them, a server can send them as JSON, and a graph can forward them.
 */
import type { BaseMessage } from "@langchain/core/messages";

/** Why an agent run ended. */
export type AgentStopReason =
  /** The model answered without asking for a tool. */
  | "final"
  /**
   * The step budget ran out: the last allowed model call was made without tools,
   * so the run still ends with an answer, but the model could not use tools for it.
   */
  | "max_steps";

/** A model call starts (`step` counts model calls from 1). */
export interface ModelStartEvent {
  type: "model_start";
  agent: string;
  step: number;
  /** False when the call is made without tools (no tools, or the last step of the budget). */
  toolsOffered: boolean;
}

/** A piece of the model's answer text, as it streams in. */
export interface TokenEvent {
  type: "token";
  agent: string;
  step: number;
  text: string;
}

/** A piece of the model's reasoning (a Qwen3 think block the server split out), as it streams in. */
export interface ReasoningEvent {
  type: "reasoning";
  agent: string;
  step: number;
  text: string;
}

/** The model asked for a tool; emitted once its arguments are complete. */
export interface ToolCallEvent {
  type: "tool_call";
  agent: string;
  step: number;
  /** The tool call id that links the call to its result. */
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** A tool answered (or failed; then `isError` is true and `content` says why). */
export interface ToolResultEvent {
  type: "tool_result";
  agent: string;
  step: number;
  id: string;
  name: string;
  content: string;
  isError: boolean;
}

/** The run is over. */
export interface FinalEvent {
  type: "final";
  agent: string;
  /** The text of the last model message. */
  text: string;
  /** The conversation without the system prompt: the input, then every model and tool message. */
  messages: BaseMessage[];
  /** How many model calls the run made. */
  steps: number;
  stopReason: AgentStopReason;
}

/** Everything `Agent.stream` yields, in the order it happens. */
export type AgentEvent =
  | ModelStartEvent
  | TokenEvent
  | ReasoningEvent
  | ToolCallEvent
  | ToolResultEvent
  | FinalEvent;

const AGENT_EVENT_TYPES: ReadonlySet<string> = new Set([
  "model_start",
  "token",
  "reasoning",
  "tool_call",
  "tool_result",
  "final",
]);

/** True for the events an agent emits (used to pick them out of a mixed custom stream). */
export function isAgentEvent(value: unknown): value is AgentEvent {
  if (typeof value !== "object" || value === null) return false;
  const { type, agent } = value as { type?: unknown; agent?: unknown };
  return typeof type === "string" && AGENT_EVENT_TYPES.has(type) && typeof agent === "string";
}
