/**
 * What the coder/reviewer graph writes to LangGraph's `custom` stream: the
 * agents' own events tagged with the round, plus the code of each round and
 * each verdict. `graph.stream(input, { streamMode: ["custom", "values"] })`
 * delivers them; `isCoderReviewerEvent` picks them out.
 */
import type { AgentEvent, FinalEvent } from "../events.js";
import type { Review } from "./state.js";

/** Which agent of the graph an event is about. */
export type GraphAgent = "coder" | "reviewer";

/** An agent starts its turn of a round. */
export interface AgentStartEvent {
  type: "agent_start";
  agent: GraphAgent;
  round: number;
}

/** The code the coder produced in a round (extracted from its answer). */
export interface CodeEvent {
  type: "code";
  agent: "coder";
  round: number;
  code: string;
  /** The fence tag, when the coder gave one. */
  language: string | null;
}

/** The reviewer's verdict on a round's code. */
export interface VerdictEvent extends Review {
  type: "verdict";
  agent: "reviewer";
}

/** An agent's event (token, tool call, ...) during a round. */
export type RoundAgentEvent = Exclude<AgentEvent, FinalEvent> & { round: number };

/** Everything the graph writes to the `custom` stream. */
export type CoderReviewerEvent = AgentStartEvent | CodeEvent | VerdictEvent | RoundAgentEvent;

const TYPES: ReadonlySet<string> = new Set([
  "agent_start",
  "code",
  "verdict",
  "model_start",
  "token",
  "reasoning",
  "tool_call",
  "tool_result",
]);

/** True for the events the coder/reviewer graph emits. */
export function isCoderReviewerEvent(value: unknown): value is CoderReviewerEvent {
  if (typeof value !== "object" || value === null) return false;
  const { type, agent, round } = value as Record<string, unknown>;
  return (
    typeof type === "string" &&
    TYPES.has(type) &&
    typeof agent === "string" &&
    typeof round === "number"
  );
}
