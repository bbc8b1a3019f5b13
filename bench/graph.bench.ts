/**
 * The coder/reviewer graph's own cost, against the local endpoint's demo
 * models (zero added latency, so what remains is ours):
 *
 * - per round, the wall time split into model calls (HTTP round trip, token
 *   check, demo model, parsing), tool calls (calculator, syntax_check, which
 *   starts python3), and the rest: the graph's own overhead (LangGraph
 *   supersteps, the agents' loops and events, prompts, code extraction,
 *   verdicts, checkpoint writes), with no checkpointer, MemorySaver and SqliteCheckpointSaver;
 * - the wall time of a full offline demo: in-process (start the demo endpoint,
 *   run, close), and the CLI as a user runs it (`review "..." --quiet`, a new
 *   Node process each time, tsx transpiling the sources).
 *
 * `npx tsx bench/run.ts graph`
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseCheckpointSaver, MemorySaver } from "@langchain/langgraph";
import { openSqliteDatabase } from "../agents/checkpoint/sqlite-driver.js";
import { SqliteCheckpointSaver } from "../agents/checkpoint/sqlite-saver.js";
import { prepareTarget } from "../agents/cli/target.js";
import { createCoderReviewerGraph } from "../agents/coder-reviewer/graph.js";

const TASK = "Write a function that converts Celsius to Fahrenheit.";
const WARMUP = 3;
const RUNS = 20;
const CLI_RUNS = 3;

/** Sums the time spent inside model calls and tool calls, by run id. */
class Stopwatch extends BaseCallbackHandler {
  name = "bench-stopwatch";
  modelMs = 0;
  toolMs = 0;
  modelCalls = 0;
  private readonly _started = new Map<string, number>();

  private _start(runId: string): void {
    this._started.set(runId, performance.now());
  }

  private _stop(runId: string): number {
    const start = this._started.get(runId);
    this._started.delete(runId);
    return start === undefined ? 0 : performance.now() - start;
  }

  override handleChatModelStart(_l: unknown, _m: unknown, runId: string): void {
    this._start(runId);
  }
  override handleLLMEnd(_o: unknown, runId: string): void {
    this.modelMs += this._stop(runId);
    this.modelCalls += 1;
  }
  override handleToolStart(_t: unknown, _i: string, runId: string): void {
    this._start(runId);
  }
  override handleToolEnd(_o: unknown, runId: string): void {
    this.toolMs += this._stop(runId);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** The coder and reviewer models on a demo endpoint started here; `close()` stops both. */
/** The coder and reviewer on the local demo endpoint, exactly as `review` prepares them offline. */
async function startDemoModels(): Promise<{
  coder: BaseChatModel;
  reviewer: BaseChatModel;
  close(): Promise<void>;
}> {
  const prepared = await prepareTarget({ kind: "demo" }, process.env);
  return { ...prepared.models, close: () => prepared.close() };
}

async function measureRounds(
  label: string,
  checkpointer: () => BaseCheckpointSaver | undefined,
): Promise<void> {
  const models = await startDemoModels();
  const saver = checkpointer();
  const graph = createCoderReviewerGraph({
    coder: models.coder,
    reviewer: models.reviewer,
    ...(saver === undefined ? {} : { checkpointer: saver }),
  });
  const rows: Array<{ wall: number; model: number; tool: number; rest: number; calls: number }> =
    [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const watch = new Stopwatch();
    const start = performance.now();
    const state = await graph.invoke(
      { task: TASK },
      { callbacks: [watch], configurable: { thread_id: `bench-${i}` } },
    );
    const wall = performance.now() - start;
    if (i < WARMUP) continue;
    const rounds = state.round;
    rows.push({
      wall: wall / rounds,
      model: watch.modelMs / rounds,
      tool: watch.toolMs / rounds,
      rest: (wall - watch.modelMs - watch.toolMs) / rounds,
      calls: watch.modelCalls / rounds,
    });
  }
  await models.close();
  const pick = (key: keyof (typeof rows)[number]) => median(rows.map((row) => row[key]));
  process.stdout.write(
    `  ${label.padEnd(14)} per round (median of ${RUNS}): wall ${ms(pick("wall"))} = ` +
      `model calls ${ms(pick("model"))} (${pick("calls").toFixed(1)} calls) + tools ${ms(pick("tool"))} + ` +
      `graph overhead ${ms(pick("rest"))}\n`,
  );
}

async function inProcessDemo(): Promise<number> {
  const start = performance.now();
  const models = await startDemoModels();
  await createCoderReviewerGraph({ coder: models.coder, reviewer: models.reviewer }).invoke({
    task: TASK,
  });
  await models.close();
  return performance.now() - start;
}

function cliDemo(home: string): number {
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "review", TASK, "--quiet"],
    {
      env: { PATH: process.env.PATH ?? "", HOME: home, XDG_DATA_HOME: join(home, "data") },
      encoding: "utf8",
    },
  );
  const wall = performance.now() - start;
  if (result.status !== 0) throw new Error(`review exited ${result.status}: ${result.stderr}`);
  return wall;
}

/** Prints the figures. */
export async function run(): Promise<void> {
  const [load] = loadavg();
  process.stdout.write(`load average at start: ${(load ?? 0).toFixed(2)}\n`);
  process.stdout.write("Graph overhead, coder/reviewer on the demo models (2 rounds per run):\n");
  await measureRounds("no checkpoint", () => undefined);
  await measureRounds("MemorySaver", () => new MemorySaver());
  const dir = mkdtempSync(join(tmpdir(), "graph-bench-"));
  try {
    let sqlite: SqliteCheckpointSaver | undefined;
    await measureRounds("SqliteCheckpointSaver", () => {
      sqlite = new SqliteCheckpointSaver(openSqliteDatabase(join(dir, "state.sqlite")));
      return sqlite;
    });
    sqlite?.close();

    process.stdout.write("Full offline demo run (endpoint start, 2 rounds, close):\n");
    const inProcess: number[] = [];
    for (let i = 0; i < 5; i++) inProcess.push(await inProcessDemo());
    process.stdout.write(`  in-process     median of 5: ${ms(median(inProcess))}\n`);
    const cli: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) cli.push(cliDemo(dir));
    process.stdout.write(
      `  CLI process    median of ${CLI_RUNS}: ${ms(median(cli))} (review "..." --quiet, new Node process with tsx)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
