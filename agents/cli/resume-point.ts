/**
 * Where `review --resume` picks a run up. A run is finished only when its
 * state says why it stopped (`stopReason`), never because LangGraph has no
 * next step scheduled: a checkpoint saved without LangGraph's "sync"
 * durability (an older version, other code on the same store) can hold a
 * half-done run with nothing scheduled. Such a run is continued with the step
 * the graph's edges give for its state.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { CoderReviewerGraph } from "../coder-reviewer/graph.js";
import type { CoderReviewerStateType } from "../coder-reviewer/state.js";

/** What resuming a thread means. */
export type ResumePoint =
  /** Finished: print its result. */
  | { kind: "finished"; state: CoderReviewerStateType }
  /** Continue from the last finished step (`stream(null)`). */
  | { kind: "continue" }
  /** Registered but killed before its first checkpoint: start it with its task. */
  | { kind: "start"; task: string }
  /** Nothing saved under this thread id. */
  | { kind: "unknown" };

/**
 * Reads the saved state of `config`'s thread and says how to resume it;
 * `registeredTask` is the task the run registry holds for it, if any.
 */
export async function resumePoint(
  graph: CoderReviewerGraph,
  config: RunnableConfig,
  registeredTask: string | undefined,
): Promise<ResumePoint> {
  const saved = await graph.getState(config);
  const values = saved.values as Partial<CoderReviewerStateType>;
  if (values.task === undefined) {
    return registeredTask === undefined
      ? { kind: "unknown" }
      : { kind: "start", task: registeredTask };
  }
  if (values.stopReason !== null && values.stopReason !== undefined) {
    return { kind: "finished", state: values as CoderReviewerStateType };
  }
  if (saved.next.length === 0) {
    // Nothing scheduled, yet not finished: record the step the edges lead to from here (the
    // reviewer when the latest code is unreviewed, else the coder) as if the one before had just ended.
    const reviewed = (values.reviews?.length ?? 0) >= (values.round ?? 0);
    await graph.updateState(config, {}, reviewed ? "reviewer" : "coder");
  }
  return { kind: "continue" };
}
