/**
 * The coder/reviewer graph's state. It is what gets checkpointed, so it holds
 * only the work (task, code, reviews, verdict, round): no model, client,
 * token or credential ever enters it.
 */
import { Annotation } from "@langchain/langgraph";

/** One review: the verdict of one round. */
export interface Review {
  /** The round whose code was reviewed (1-based). */
  round: number;
  approved: boolean;
  comments: string[];
  /**
   * How the verdict was obtained: `structured` (the model's structured output),
   * `text` (read from the reviewer's prose because structured output failed or
   * was unusable), or `undecided` (no verdict could be read; counted as changes requested).
   */
  source: "structured" | "text" | "undecided";
}

/** Why the run stopped. */
export type CoderReviewerStopReason = "approved" | "max_rounds";

function replace<T>(_old: T, next: T): T {
  return next;
}

/** The state channels of the coder/reviewer graph. */
export const CoderReviewerState = Annotation.Root({
  /** What to build (the user's request). */
  task: Annotation<string>(),
  /** The latest code the coder wrote ("" before the first round). */
  code: Annotation<string>({ reducer: replace, default: () => "" }),
  /** The fence tag of the latest code, when the coder gave one. */
  language: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The coder's current round: 1 after the first draft. */
  round: Annotation<number>({ reducer: replace, default: () => 0 }),
  /** Whether the reviewer approved the latest code. */
  approved: Annotation<boolean>({ reducer: replace, default: () => false }),
  /** Every review so far, oldest first. */
  reviews: Annotation<Review[]>({
    reducer: (old, next) => [...old, ...next],
    default: () => [],
  }),
  /** Set when the run ends: `approved`, or `max_rounds` without approval. */
  stopReason: Annotation<CoderReviewerStopReason | null>({ reducer: replace, default: () => null }),
});

/** The graph's full state. */
export type CoderReviewerStateType = typeof CoderReviewerState.State;

/** The graph's input: at least the task. */
export type CoderReviewerInput = typeof CoderReviewerState.Update & { task: string };
