/**
 * One measurement of the scale benchmark, in a fresh process (see `processes.ts`):
 *
 * - `scale`: C concurrent coder/reviewer runs against the paced endpoint, every model on one
 *   connection pool and one token provider: `graph.invoke` (no one reads tokens, so the model
 *   calls do not stream), or with `stream: "custom"` each run streamed to a reader of every
 *   event (`streamMode: ["custom", "values"]`, as the CLI reads it); reports wall time,
 *   event-loop delay, peak RSS, CPU and errors (rejected runs, runs whose final state differs
 *   from the warm-up's, syntax checks that could not run);
 * - `chunks`: CPU per streamed chunk through the whole stack (graph, agents, model, the run
 *   streamed to a custom-mode reader) against a bare `ChatOpenAI` stream of the same replies,
 *   and our model alone, interleaved; and the CPU of one run invoked against one streamed.
 *
 * Each run is warmed up first on the unpaced endpoint, so module loading and the first
 * compilation are not counted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { BaseMessage } from "@langchain/core/messages";
import { type BaseCheckpointSaver, MemorySaver } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { openCheckpointSaver } from "../../agents/checkpoint/open-saver.js";
import { createCoderReviewerGraph } from "../../agents/coder-reviewer/graph.js";
import { generateToken } from "../../src/auth/index.js";
import { createSageMakerChatModels } from "../../src/model/index.js";
import { pythonSyntaxPool } from "../../tools/python-syntax.js";
import { median } from "../stats.js";

/** The task every run gets. */
export const TASK = "Write a function that converts Celsius to Fahrenheit.";

/** Which checkpointer a scale measurement uses. */
export type SaverKind = "none" | "memory" | "sqlite" | "postgres";

/** How each run is made: `graph.invoke`, or streamed to a reader of every custom event. */
export type RunMode = "invoke" | "custom";

interface Target {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A scale measurement. */
export interface ScaleTask extends Target {
  kind: "scale";
  concurrency: number;
  saver: SaverKind;
  mode: RunMode;
  postgresUrl?: string;
}

/** What a scale measurement reports. */
export interface ScaleResult {
  concurrency: number;
  saver: SaverKind;
  wallMs: number;
  /** Event-loop delay past the 10 ms sampling interval, in ms. */
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  baselineRssMb: number;
  peakRssMb: number;
  cpuPerRunMs: number;
  /** Garbage-collection pauses of the event loop thread, per run. */
  gcPerRunMs: number;
  errors: Record<string, number>;
}

/** The per-chunk measurement. */
export interface ChunksTask extends Target {
  kind: "chunks";
  repetitions: number;
}

/** What the per-chunk measurement reports (CPU in µs per streamed chunk, medians). */
export interface ChunksResult {
  chunksPerRun: number;
  modelCalls: number;
  stackUs: number;
  oursModelUs: number;
  bareUs: number;
  /** Median over the repetitions of stack CPU / bare CPU, measured back to back. */
  stackRatio: number;
  modelRatio: number;
  /** CPU of one whole run, in ms (medians): `invoke`, and streamed to a custom-mode reader. */
  invokeRunMs: number;
  streamedRunMs: number;
}

const MB = 2 ** 20;
const LOOP_RESOLUTION_MS = 10;

function chatModels(target: Target, endpointName: string, maxSockets: number) {
  return createSageMakerChatModels({
    region: target.region,
    endpointName,
    baseURL: target.url,
    credentials: target.credentials,
    maxSockets,
    components: { coder: {}, reviewer: {} },
  });
}

async function openSaver(
  task: ScaleTask,
): Promise<{ saver: BaseCheckpointSaver | undefined; close(): Promise<void> }> {
  switch (task.saver) {
    case "none":
      return { saver: undefined, close: async () => {} };
    case "memory":
      return { saver: new MemorySaver(), close: async () => {} };
    case "sqlite":
    case "postgres": {
      // The package's own opener, as `review --state` uses it: a file path or a PostgreSQL URL.
      const dir = mkdtempSync(join(tmpdir(), "scale-bench-"));
      const location =
        task.saver === "sqlite" ? join(dir, "state.sqlite") : (task.postgresUrl ?? "");
      const opened = await openCheckpointSaver(location);
      return {
        saver: opened.saver,
        close: async () => {
          await opened.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  }
}

/** What a run produced, without what differs between runs of the same task. */
function outcome(state: Record<string, unknown>): string {
  const { task, code, approved, reviews, round, stopReason } = state;
  return JSON.stringify({ task, code, approved, reviews, round, stopReason });
}

/** The graph a runner measures. */
type Graph = ReturnType<typeof createCoderReviewerGraph>;

/**
 * One run of the task in `mode`; resolves to its final state. Streamed, every event is read
 * (a token count stands in for a screen), as the CLI reads them.
 */
async function runOnce(
  graph: Graph,
  mode: RunMode,
  config?: { configurable: { thread_id: string } },
): Promise<Record<string, unknown>> {
  if (mode === "invoke") return graph.invoke({ task: TASK }, config);
  let final: Record<string, unknown> = {};
  let tokens = 0;
  const stream = await graph.stream(
    { task: TASK },
    { ...config, streamMode: ["custom", "values"] },
  );
  for await (const [kind, chunk] of stream) {
    if (kind === "values") final = chunk;
    else if ((chunk as { type?: unknown }).type === "token") tokens += 1;
  }
  if (tokens === 0) throw new Error("a streamed run delivered no token events");
  return final;
}

/** Tells the parent process where the measured part starts or ends, and waits for it. */
function mark(name: string): Promise<void> {
  return new Promise((resolve) => {
    process.once("message", () => resolve());
    process.send?.({ mark: name });
  });
}

function errorKind(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (typeof name === "string") return name;
  }
  return "unknown";
}

async function scale(task: ScaleTask): Promise<ScaleResult> {
  const { saver, close } = await openSaver(task);
  const warm = chatModels(task, "fast", 8);
  const paced = chatModels(task, "agents", Math.max(64, task.concurrency));
  // Thread ids unique to this process: a database may hold threads of earlier runners.
  const config = (thread: string) => ({ configurable: { thread_id: `${process.pid}-${thread}` } });
  // Warm up (module loading, compilation) on the unpaced endpoint; the first run's result is
  // what every measured run must produce.
  const warmGraph = createCoderReviewerGraph({ ...warm.models, checkpointer: saver });
  const reference = outcome(await runOnce(warmGraph, task.mode, config("warm-up")));
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      Array.from({ length: Math.min(task.concurrency, 20) }, (_, i) =>
        runOnce(warmGraph, task.mode, config(`warm-up-${round}-${i}`)),
      ),
    );
  }
  const graph = createCoderReviewerGraph({ ...paced.models, checkpointer: saver });

  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const syntaxBefore = pythonSyntaxPool("python3").stats();
  await mark("start");
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ["gc"] });
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: task.concurrency }, (_, i) =>
      runOnce(graph, task.mode, config(`run-${i}`)),
    ),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  gc.disconnect();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  await mark("end");

  const errors: Record<string, number> = {};
  const count = (kind: string, n = 1) => {
    if (n > 0) errors[kind] = (errors[kind] ?? 0) + n;
  };
  for (const result of settled) {
    if (result.status === "rejected") count(errorKind(result.reason));
    else if (outcome(result.value) !== reference) count("WRONG_RESULT");
  }
  const syntaxAfter = pythonSyntaxPool("python3").stats();
  count("SYNTAX_CHECK_TIMED_OUT", syntaxAfter.timedOut - syntaxBefore.timedOut);
  count(
    "SYNTAX_CHECK_FAILED",
    syntaxAfter.failed - syntaxBefore.failed - (syntaxAfter.timedOut - syntaxBefore.timedOut),
  );

  const delay = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  await Promise.all([warm.close(), paced.close(), close()]);
  return {
    concurrency: task.concurrency,
    saver: task.saver,
    wallMs,
    loopP50Ms: delay(loop.percentile(50)),
    loopP99Ms: delay(loop.percentile(99)),
    loopMaxMs: delay(loop.max),
    baselineRssMb: baselineRss / MB,
    peakRssMb: peakRss / MB,
    cpuPerRunMs: (cpu.user + cpu.system) / 1000 / task.concurrency,
    gcPerRunMs: gcMs / task.concurrency,
    errors,
  };
}

/** One model call of a run, as the callbacks saw it, to replay on another model. */
interface RecordedCall {
  messages: BaseMessage[];
  options: Record<string, unknown>;
  streamed: boolean;
  text: string;
}

/** Records each model call's messages and request options, and whether it streamed. */
class CallRecorder extends BaseCallbackHandler {
  name = "scale-bench-recorder";
  readonly calls: RecordedCall[] = [];
  readonly #byRun = new Map<string, RecordedCall>();

  override handleChatModelStart(
    _llm: unknown,
    messages: BaseMessage[][],
    runId: string,
    _parent?: string,
    extra?: Record<string, unknown>,
  ): void {
    const params = (extra?.invocation_params ?? {}) as Record<string, unknown>;
    const options: Record<string, unknown> = {};
    for (const key of ["tools", "tool_choice", "response_format", "parallel_tool_calls"]) {
      if (params[key] !== undefined) options[key] = params[key];
    }
    const call = { messages: messages[0] ?? [], options, streamed: false, text: "" };
    this.#byRun.set(runId, call);
    this.calls.push(call);
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    const call = this.#byRun.get(runId);
    if (call !== undefined) call.streamed = true;
  }

  override handleLLMEnd(output: { generations: Array<Array<{ text?: string }>> }, runId: string) {
    const call = this.#byRun.get(runId);
    if (call !== undefined) call.text = output.generations[0]?.[0]?.text ?? "";
  }
}

type Replayable = {
  stream(input: BaseMessage[], options?: Record<string, unknown>): Promise<AsyncIterable<unknown>>;
  invoke(input: BaseMessage[], options?: Record<string, unknown>): Promise<{ text: string }>;
};

/** Which agent's component answered a call: the coder's system prompt names a developer. */
function componentOf(call: RecordedCall): "coder" | "reviewer" {
  const system = call.messages[0];
  return system?.type === "system" && /developer/i.test(system.text) ? "coder" : "reviewer";
}

/**
 * Makes every recorded call again, each on `models[its component]`; returns how many chunks
 * streamed and the answers.
 */
async function replay(
  models: Record<"coder" | "reviewer", Replayable>,
  calls: RecordedCall[],
): Promise<{ chunks: number; texts: string[] }> {
  let chunks = 0;
  const texts: string[] = [];
  for (const call of calls) {
    const model = models[componentOf(call)];
    if (!call.streamed) {
      texts.push((await model.invoke(call.messages, call.options)).text);
      continue;
    }
    let text = "";
    for await (const chunk of await model.stream(call.messages, call.options)) {
      chunks += 1;
      text += (chunk as { text: string }).text;
    }
    texts.push(text);
  }
  return { chunks, texts };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function chunks(task: ChunksTask): Promise<ChunksResult> {
  const ours = chatModels(task, "fast", 8);
  const graph = createCoderReviewerGraph(ours.models);
  const recorder = new CallRecorder();
  await runOnce(graph, "custom");
  await runOnce(graph, "invoke");
  // The calls of a streamed run: the agents' calls stream (the verdicts do not).
  for await (const _ of await graph.stream(
    { task: TASK },
    { streamMode: "custom", callbacks: [recorder] },
  )) {
    // Every event is read.
  }
  const calls = recorder.calls;

  const token = await generateToken({
    region: task.region,
    credentials: task.credentials,
    expiresIn: 3600,
  });
  const bareModel = (component: string) =>
    new ChatOpenAI({
      model: "",
      apiKey: token,
      configuration: {
        baseURL: `${task.url}/endpoints/fast/inference-components/${component}/openai/v1`,
      },
    });
  const bareRoute = {
    coder: bareModel("coder"),
    reviewer: bareModel("reviewer"),
  } as unknown as Record<"coder" | "reviewer", Replayable>;
  const oursRoute = ours.models as unknown as Record<"coder" | "reviewer", Replayable>;

  // The replays must get the replies the graph got, or the comparison means nothing.
  const check = await replay(bareRoute, calls);
  const expected = calls.map((call) => call.text);
  if (JSON.stringify(check.texts) !== JSON.stringify(expected)) {
    throw new Error(
      `the bare replay got other replies than the graph: ${JSON.stringify(check.texts).slice(0, 300)}`,
    );
  }
  await replay(oursRoute, calls);

  const stack: number[] = [];
  const invoked: number[] = [];
  const model: number[] = [];
  const plain: number[] = [];
  const stackRatios: number[] = [];
  const modelRatios: number[] = [];
  for (let i = 0; i < task.repetitions; i++) {
    // Alternate the order so neither side always runs on a warmer cache.
    const order =
      i % 2 === 0 ? ["stack", "invoke", "model", "bare"] : ["bare", "model", "invoke", "stack"];
    const cpu: Record<string, number> = {};
    for (const what of order) {
      const since = process.cpuUsage();
      if (what === "stack") await runOnce(graph, "custom");
      else if (what === "invoke") await runOnce(graph, "invoke");
      else await replay(what === "model" ? oursRoute : bareRoute, calls);
      cpu[what] = cpuMs(since);
    }
    stack.push(cpu.stack as number);
    invoked.push(cpu.invoke as number);
    model.push(cpu.model as number);
    plain.push(cpu.bare as number);
    stackRatios.push((cpu.stack as number) / (cpu.bare as number));
    modelRatios.push((cpu.model as number) / (cpu.bare as number));
  }
  await ours.close();
  const perChunk = (ms: number) => (ms * 1000) / check.chunks;
  return {
    chunksPerRun: check.chunks,
    modelCalls: calls.length,
    stackUs: perChunk(median(stack)),
    oursModelUs: perChunk(median(model)),
    bareUs: perChunk(median(plain)),
    stackRatio: median(stackRatios),
    modelRatio: median(modelRatios),
    invokeRunMs: median(invoked),
    streamedRunMs: median(stack),
  };
}

process.once("message", async (task: ScaleTask | ChunksTask) => {
  // Further messages are acknowledgements of marks, read by `mark`.
  const result = task.kind === "scale" ? await scale(task) : await chunks(task);
  process.send?.(result, () => process.exit(0));
});
