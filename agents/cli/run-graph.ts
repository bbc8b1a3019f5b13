/**
 * The part of `review` that needs LangChain: prepare the models, open the
 * checkpoint store, run or resume the graph with live progress, print the
 * result, and turn any failure into one line (saying how to resume). A resumed
 * run goes back to the target it was started with (`run-target-store.ts`).
 */
import { randomUUID } from "node:crypto";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import type { SqliteCheckpointSaver } from "../checkpoint/sqlite-saver.js";
import { isCoderReviewerEvent } from "../coder-reviewer/events.js";
import { type CoderReviewerGraph, createCoderReviewerGraph } from "../coder-reviewer/graph.js";
import type { CoderReviewerStateType } from "../coder-reviewer/state.js";
import { describeError } from "./describe-error.js";
import { colorEnabled, createStyle, ProgressPrinter } from "./progress.js";
import { printHeader, printResult } from "./report.js";
import { EXIT, type ReviewIO } from "./run-review.js";
import { describeTarget, loadRunTarget, sameTarget, saveRunTarget } from "./run-target-store.js";
import { defaultStatePath, type ReviewSettings } from "./settings.js";
import { openStateStore } from "./state-store.js";
import { type PreparedTarget, prepareTarget } from "./target.js";

function exitFor(state: CoderReviewerStateType): number {
  return state.approved ? EXIT.approved : EXIT.notApproved;
}

async function flushTraces(env: NodeJS.ProcessEnv): Promise<void> {
  const tracing = [env.LANGSMITH_TRACING, env.LANGCHAIN_TRACING_V2].some((v) => v === "true");
  if (tracing) await awaitAllCallbacks();
}

/** Runs (or resumes) the graph for checked `settings`; returns the exit code. */
export async function runGraph(settings: ReviewSettings, io: ReviewIO): Promise<number> {
  let target: PreparedTarget | undefined;
  let store: SqliteCheckpointSaver | undefined;
  let threadId: string | undefined;
  try {
    let where = settings.target;
    if (settings.resume !== undefined) {
      store = openStateStore(settings.statePath);
      const saved = loadRunTarget(store, settings.resume);
      // No endpoint flags or SAGEMAKER_ENDPOINT_NAME reads as the demo: then the run's own target.
      if (saved !== undefined && where.kind === "demo") where = saved;
      else if (saved !== undefined && !sameTarget(saved, where)) {
        io.stderr.write(
          `error [TARGET_MISMATCH]: run ${settings.resume} was started against ${describeTarget(saved)}, ` +
            `not ${describeTarget(where)}; resume it without endpoint flags or SAGEMAKER_ENDPOINT_NAME to use its own.\n`,
        );
        return EXIT.usage;
      }
    }
    target = await prepareTarget(where, io.env, settings.maxRetries);
    store ??= openStateStore(settings.statePath);
    const graph = createCoderReviewerGraph({
      coder: target.models.coder,
      reviewer: target.models.reviewer,
      maxRounds: settings.maxRounds,
      checkpointer: store,
    });
    threadId = settings.resume ?? randomUUID();
    if (settings.resume === undefined) saveRunTarget(store, threadId, where);
    return await execute(graph, settings, target, threadId, io);
  } catch (error) {
    const interrupted = io.signal?.aborted === true;
    const line = interrupted ? "Interrupted." : describeError(error);
    const state =
      settings.statePath === defaultStatePath(io.env) ? "" : ` --state ${settings.statePath}`;
    const resume =
      threadId === undefined || store === undefined
        ? ""
        : ` The run is saved: continue it with sagemaker-openai-agents review --resume ${threadId}${state}`;
    io.stderr.write(`${line}${resume}\n`);
    return interrupted ? EXIT.interrupted : EXIT.failed;
  } finally {
    await flushTraces(io.env);
    await target?.close();
    store?.close();
  }
}

async function execute(
  graph: CoderReviewerGraph,
  settings: ReviewSettings,
  target: PreparedTarget,
  threadId: string,
  io: ReviewIO,
): Promise<number> {
  const config = { configurable: { thread_id: threadId }, signal: io.signal };
  const human = settings.output === "human";
  let input: { task: string } | null = { task: settings.task ?? "" };
  if (settings.resume !== undefined) {
    const saved = await graph.getState(config);
    const values = saved.values as Partial<CoderReviewerStateType>;
    if (values.task === undefined) {
      io.stderr.write(
        `error [UNKNOWN_THREAD]: no saved run with thread id ${threadId} in ${settings.statePath}. ` +
          "Pass the id an earlier run printed, and --state if it used another file.\n",
      );
      return EXIT.failed;
    }
    if (saved.next.length === 0) {
      printResult(
        io.stdout,
        settings,
        threadId,
        values as CoderReviewerStateType,
        createStyle(false),
      );
      return exitFor(values as CoderReviewerStateType);
    }
    input = null;
  }
  const style = createStyle(colorEnabled(io.stdout, io.env));
  if (human) printHeader(io.stdout, style, settings, target, threadId);
  const printer = new ProgressPrinter(io.stdout, style, target.labels);
  let state: CoderReviewerStateType | undefined;
  try {
    const stream = await graph.stream(input, { ...config, streamMode: ["custom", "values"] });
    for await (const [mode, chunk] of stream) {
      if (mode === "values") state = chunk as CoderReviewerStateType;
      else if (human && isCoderReviewerEvent(chunk)) printer.handle(chunk);
    }
  } finally {
    if (human) printer.finish();
  }
  if (state === undefined) throw new Error("The graph produced no state.");
  printResult(io.stdout, settings, threadId, state, style);
  return exitFor(state);
}
