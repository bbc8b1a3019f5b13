/**
 * The part of `review` that needs LangChain: open the run store (`--state`),
 * take the thread, prepare the models, run or resume the graph with live
 * progress, print the result, and turn any failure into one line (saying how
 * to resume, when something was saved). A resumed run goes back to the target
 * it was started with; `--list` lists the store's runs.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { suggestCommand } from "../../src/cli/invocation.js";
import { colorEnabled, createStyle, type StatusLine } from "../../src/cli/terminal.js";
import { SageMakerOpenAIError } from "../../src/errors.js";
import { isPostgresUrl, withoutPassword } from "../checkpoint/postgres.js";
import { isCoderReviewerEvent } from "../coder-reviewer/events.js";
import { type CoderReviewerGraph, createCoderReviewerGraph } from "../coder-reviewer/graph.js";
import type { CoderReviewerStateType } from "../coder-reviewer/state.js";
import { describeError } from "./describe-error.js";
import { formatRuns, listedRuns } from "./list-runs.js";
import { openRunStore } from "./open-run-store.js";
import { ProgressPrinter } from "./progress.js";
import { printHeader, printResult } from "./report.js";
import { resumePoint } from "./resume-point.js";
import { EXIT, type ReviewIO } from "./run-review.js";
import type { RunOutcome, RunStore, ThreadLock } from "./run-store.js";
import { describeTarget, sameTarget } from "./run-target-store.js";
import { defaultStatePath, type ReviewSettings } from "./settings.js";
import { type PreparedTarget, prepareTarget } from "./target.js";

function exitFor(state: CoderReviewerStateType): number {
  return state.approved ? EXIT.approved : EXIT.notApproved;
}

async function flushTraces(env: NodeJS.ProcessEnv): Promise<void> {
  const tracing = [env.LANGSMITH_TRACING, env.LANGCHAIN_TRACING_V2].some((v) => v === "true");
  if (tracing) await awaitAllCallbacks();
}

/** Errors that refuse what was asked before anything ran: exit 2, like bad usage. */
const REFUSALS = new Set(["STATE_FILE_UNAVAILABLE", "STATE_DATABASE_UNAVAILABLE", "THREAD_EXISTS"]);

function exitForError(error: unknown): number {
  return error instanceof SageMakerOpenAIError && REFUSALS.has(error.code)
    ? EXIT.usage
    : EXIT.failed;
}

/** The one line for `error`, with a state URL's password (should any message repeat it) hidden. */
function errorLine(error: unknown, settings: ReviewSettings): string {
  return withoutPassword(describeError(error), settings.statePath);
}

async function hasCheckpoint(store: RunStore, threadId: string): Promise<boolean> {
  return (await store.saver.getTuple({ configurable: { thread_id: threadId } })) !== undefined;
}

/** `review --list`: the runs in the store, without creating a state file that is not there. */
async function listRuns(settings: ReviewSettings, io: ReviewIO): Promise<number> {
  const json = settings.output === "json";
  if (!isPostgresUrl(settings.statePath) && !existsSync(settings.statePath)) {
    io.stdout.write(formatRuns([], json, settings.statePath));
    return EXIT.approved;
  }
  let store: RunStore | undefined;
  try {
    store = await openRunStore(settings.statePath);
    io.stdout.write(formatRuns(await listedRuns(store), json, store.location));
    return EXIT.approved;
  } catch (error) {
    io.stderr.write(`${errorLine(error, settings)}\n`);
    return exitForError(error);
  } finally {
    await store?.close();
  }
}

/**
 * Runs (or resumes) the graph for checked `settings`; returns the exit code.
 * `status` (a terminal's stderr) says what is slow while nothing else prints.
 */
export async function runGraph(
  settings: ReviewSettings,
  io: ReviewIO,
  status?: StatusLine,
): Promise<number> {
  status?.hide();
  if (settings.list) return listRuns(settings, io);
  let target: PreparedTarget | undefined;
  let store: RunStore | undefined;
  let lock: ThreadLock | undefined;
  const threadId = settings.resume ?? settings.thread ?? randomUUID();
  /** Set once this process drives the run: how it left it, recorded at the end. */
  let outcome: RunOutcome | undefined;
  let registered = false;
  /**
   * Ctrl-C: say how to resume at once, from the signal handler, once the run has a checkpoint.
   * Under `npm start` the process may be killed soon after (tsx kills a child slow to answer its
   * signal relay), and the shell prompt is back before a hint printed after the unwinding.
   */
  const hint = { saved: false, printed: false };
  const resumeHint = (): string =>
    ` The run is saved: continue it with ${suggestCommand(["review", "--resume", threadId, ...stateFlags(settings, store as RunStore, io.env)], io.env)}`;
  const hintNow = (): void => {
    if (!hint.saved || hint.printed || store === undefined) return;
    hint.printed = true;
    status?.hide();
    io.stderr.write(`Interrupted.${resumeHint()}\n`);
  };
  io.signal?.addEventListener("abort", hintNow, { once: true });
  try {
    store = await openRunStore(settings.statePath);
    lock = await store.lock(threadId);
    const record = await store.findRun(threadId);
    let where = settings.target;
    if (settings.resume !== undefined) {
      const saved = record?.target;
      // No endpoint flags or SAGEMAKER_ENDPOINT_NAME reads as the demo: then the run's own target.
      if (saved !== undefined && where.kind === "demo") where = saved;
      else if (saved !== undefined && !sameTarget(saved, where)) {
        io.stderr.write(
          `error [TARGET_MISMATCH]: run ${settings.resume} was started against ${describeTarget(saved)}, ` +
            `not ${describeTarget(where)}; resume it without endpoint flags or SAGEMAKER_ENDPOINT_NAME to use its own.\n`,
        );
        return EXIT.usage;
      }
    } else if (record !== undefined || (await hasCheckpoint(store, threadId))) {
      io.stderr.write(
        `error [THREAD_EXISTS]: ${store.location} already holds a run with thread id ${threadId}; ` +
          `choose another id, or continue that run with ${suggestCommand(["review", "--resume", threadId, ...stateFlags(settings, store, io.env)], io.env)}\n`,
      );
      return EXIT.usage;
    }
    status?.show(
      where.kind === "demo"
        ? "Starting the local demo endpoint…"
        : "Checking the AWS credentials (minting a token)…",
    );
    target = await prepareTarget(where, io.env, settings.maxRetries, settings.allowInsecureHttp);
    const graph = createCoderReviewerGraph({
      coder: target.models.coder,
      reviewer: target.models.reviewer,
      maxRounds: settings.maxRounds,
      checkpointer: store.saver,
    });
    if (settings.resume === undefined) {
      // Recorded before the first step, so a run killed before it printed anything can be resumed.
      registered = await store.addRun({
        threadId,
        startedAt: new Date().toISOString(),
        task: settings.task,
        target: where,
      });
    } else if (record !== undefined) {
      await store.setOutcome(threadId, "running");
    }
    outcome = "running";
    hint.saved = settings.resume !== undefined && (await hasCheckpoint(store, threadId));
    const shown = { ...settings, statePath: store.location };
    const onSaved = (): void => {
      hint.saved = true;
    };
    const code = await execute(graph, shown, target, threadId, io, status, record?.task, onSaved);
    outcome = code === EXIT.approved || code === EXIT.notApproved ? "finished" : "failed";
    return code;
  } catch (error) {
    status?.hide();
    const interrupted = io.signal?.aborted === true;
    if (outcome !== undefined) outcome = interrupted ? "interrupted" : "failed";
    if (interrupted && hint.printed) return EXIT.interrupted;
    const line = interrupted ? "Interrupted." : errorLine(error, settings);
    const saved =
      store !== undefined &&
      outcome !== undefined &&
      (await hasCheckpoint(store, threadId).catch(() => false));
    if (!saved && registered && store !== undefined) {
      // Nothing was saved: free the id again rather than keep a run that cannot continue.
      await store.removeRun(threadId).catch(() => {});
      registered = false;
    }
    const resume = saved ? resumeHint() : "";
    io.stderr.write(`${line}${resume}\n`);
    return interrupted ? EXIT.interrupted : exitForError(error);
  } finally {
    io.signal?.removeEventListener("abort", hintNow);
    status?.hide();
    if (outcome !== undefined) await store?.setOutcome(threadId, outcome).catch(() => {});
    await lock?.release().catch(() => {});
    await flushTraces(io.env);
    await target?.close();
    await store?.close();
  }
}

/** The flags a resume command needs again: where the state is, and a plain-http base URL's opt-in. */
function stateFlags(settings: ReviewSettings, store: RunStore, env: NodeJS.ProcessEnv): string[] {
  const flags = settings.statePath === defaultStatePath(env) ? [] : ["--state", store.location];
  if (settings.allowInsecureHttp) flags.push("--allow-insecure-http");
  return flags;
}

async function execute(
  graph: CoderReviewerGraph,
  settings: ReviewSettings,
  target: PreparedTarget,
  threadId: string,
  io: ReviewIO,
  status: StatusLine | undefined,
  registeredTask: string | undefined,
  /** Called once the run has a checkpoint: when a step runs, the one before it was saved. */
  onSaved: () => void,
): Promise<number> {
  const config = { configurable: { thread_id: threadId }, signal: io.signal };
  const human = settings.output === "human";
  const style = createStyle(colorEnabled(io.stdout, io.env));
  let input: { task: string } | null = { task: settings.task ?? "" };
  if (settings.resume !== undefined) {
    const point = await resumePoint(graph, config, registeredTask);
    if (point.kind === "unknown") {
      io.stderr.write(
        `error [UNKNOWN_THREAD]: no saved run with thread id ${threadId} in ${settings.statePath}. ` +
          "Pass the id an earlier run printed, and --state if it used another file or database.\n",
      );
      return EXIT.failed;
    }
    if (point.kind === "finished") {
      status?.hide();
      printResult(io.stdout, settings, threadId, point.state, style);
      return exitFor(point.state);
    }
    input = point.kind === "start" ? { task: point.task } : null;
  }
  status?.hide();
  if (human) printHeader(io.stdout, style, settings, target, threadId);
  // --json and --quiet print nothing while the run goes: only the status line follows it.
  const printer = new ProgressPrinter(human ? io.stdout : undefined, style, target.labels, status);
  let state: CoderReviewerStateType | undefined;
  try {
    const stream = await graph.stream(input, { ...config, streamMode: ["custom", "values"] });
    for await (const [mode, chunk] of stream) {
      if (mode === "values") {
        state = chunk as CoderReviewerStateType;
        continue;
      }
      // A node is running, so (with "sync" durability) the checkpoint before it is on disk.
      onSaved();
      if (isCoderReviewerEvent(chunk)) printer.handle(chunk);
    }
  } finally {
    printer.finish();
  }
  if (state === undefined) throw new Error("The graph produced no state.");
  printResult(io.stdout, settings, threadId, state, style, printer.printedVerdict);
  return exitFor(state);
}
