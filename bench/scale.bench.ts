/**
 * Agents at scale: C concurrent coder/reviewer runs (`createCoderReviewerGraph(...).invoke`)
 * in one Node process, against the local endpoint in another process whose demo model types
 * like a real one: `SCALE_LATENCY_MS` (200) before the first chunk, then a chunk (a token)
 * every `SCALE_CHUNK_MS` (20). All models share one connection pool and one token provider.
 *
 * Per C, each in a fresh runner process after a warm-up run on an unpaced endpoint:
 * - wall time against the ideal, C=1's time (the latency-bound time of one run);
 * - event-loop delay p50/p99/max (`monitorEventLoopDelay`, past its 10 ms interval);
 * - peak RSS, and RSS per run ((peak - baseline after warm-up) / C);
 * - CPU per run of the client process (the endpoint's CPU is its own);
 * - errors: runs that rejected (by code), runs whose final state differs from the warm-up's
 *   (`WRONG_RESULT`), syntax checks that timed out or could not run.
 * Once without a checkpointer and once per checkpointer: MemorySaver, the SQLite saver, and
 * PostgreSQL when `SMOA_TEST_POSTGRES_URL` names a server (`.ci/postgres.sh start`).
 *
 * `graph.invoke` has no token reader, so its model calls do not stream (each answer comes
 * whole). `SCALE_STREAM=custom` makes each run `graph.stream(..., { streamMode: ["custom",
 * "values"] })` instead, every event read (as the CLI does), so every answer streams token by
 * token to the caller; `SCALE_STREAM=invoke,custom` measures both, one table each.
 *
 * Then CPU per streamed chunk through the whole stack (the run streamed to a custom-mode
 * reader) against a bare `ChatOpenAI` streaming the same replies (and our model alone), and
 * the CPU of one invoked run against one streamed run, interleaved in one process.
 *
 * `npx tsx bench/run.ts scale`; `SCALE_C=1,50` and `SCALE_SAVERS=none,memory` pick a subset.
 */
import { loadavg } from "node:os";
import { type EndpointProcess, runInNewProcess, startEndpointProcess } from "./scale/processes.js";
import type {
  ChunksResult,
  ChunksTask,
  RunMode,
  SaverKind,
  ScaleResult,
  ScaleTask,
} from "./scale/runner.js";

const REGION = "us-west-2";
const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

function list(value: string | undefined, fallback: string): string[] {
  return (value ?? fallback)
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const load = () => (loadavg()[0] ?? 0).toFixed(1);

function errorsText(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  return entries.length === 0 ? "0" : entries.map(([kind, n]) => `${n} ${kind}`).join(", ");
}

const MODE_TITLES: Record<RunMode, string> = {
  invoke: "graph.invoke (no token reader: plain model calls)",
  custom: 'graph.stream, streamMode ["custom", "values"], every event read (tokens streamed)',
};

async function scaleTable(
  endpoint: EndpointProcess,
  saver: SaverKind,
  mode: RunMode,
  concurrencies: number[],
): Promise<void> {
  process.stdout.write(
    `\n${saver === "none" ? "no checkpointer" : `checkpointer: ${saver}`}; ${MODE_TITLES[mode]}\n` +
      "      C |   wall s |  x ideal | loop p50/p99/max ms |  peak RSS MB | RSS/run MB | CPU/run ms (GC) | endpoint CPU/run ms | errors | load\n",
  );
  let ideal: number | undefined;
  for (const concurrency of concurrencies) {
    let endpointBefore = 0;
    let endpointCpu = 0;
    const task: ScaleTask = {
      kind: "scale",
      url: endpoint.url,
      region: REGION,
      credentials: CREDENTIALS,
      concurrency,
      saver,
      mode,
      ...(process.env.SMOA_TEST_POSTGRES_URL === undefined
        ? {}
        : { postgresUrl: process.env.SMOA_TEST_POSTGRES_URL }),
    };
    // The endpoint's CPU over the measured runs only, not the runner's warm-up.
    const result = await runInNewProcess<ScaleTask, ScaleResult>(task, async (mark) => {
      if (mark === "start") endpointBefore = await endpoint.cpuMs();
      if (mark === "end") endpointCpu = (await endpoint.cpuMs()) - endpointBefore;
    });
    if (concurrency === 1) ideal = result.wallMs;
    const ratio = ideal === undefined ? "-" : fixed(result.wallMs / ideal, 2);
    process.stdout.write(
      `${String(concurrency).padStart(7)} | ${fixed(result.wallMs / 1000).padStart(8)} | ${ratio.padStart(8)} | ` +
        `${`${fixed(result.loopP50Ms)}/${fixed(result.loopP99Ms)}/${fixed(result.loopMaxMs)}`.padStart(19)} | ` +
        `${fixed(result.peakRssMb, 0).padStart(12)} | ` +
        `${fixed((result.peakRssMb - result.baselineRssMb) / concurrency, 2).padStart(10)} | ` +
        `${`${fixed(result.cpuPerRunMs)} (${fixed(result.gcPerRunMs)})`.padStart(15)} | ${fixed(endpointCpu / concurrency).padStart(19)} | ` +
        `${errorsText(result.errors)} | ${load()}\n`,
    );
  }
}

/** Prints the figures; asserts nothing. */
export async function run(): Promise<void> {
  const latencyMs = Number(process.env.SCALE_LATENCY_MS ?? 200);
  const chunkDelayMs = Number(process.env.SCALE_CHUNK_MS ?? 20);
  const concurrencies = list(process.env.SCALE_C, "1,50,200,1000").map(Number);
  if (!concurrencies.includes(1)) concurrencies.unshift(1);
  const postgres = process.env.SMOA_TEST_POSTGRES_URL !== undefined;
  const savers = list(
    process.env.SCALE_SAVERS,
    postgres ? "none,memory,sqlite,postgres" : "none,memory,sqlite",
  ) as SaverKind[];
  const modes = list(process.env.SCALE_STREAM, "invoke") as RunMode[];
  for (const mode of modes) {
    if (!(mode in MODE_TITLES)) throw new Error(`SCALE_STREAM: "${mode}" is not invoke or custom`);
  }
  process.stdout.write(
    `load average at start: ${load()}; Node ${process.version}; endpoint in its own process, ` +
      `${latencyMs} ms to the first chunk, a chunk every ${chunkDelayMs} ms` +
      (postgres ? "" : "; PostgreSQL skipped (set SMOA_TEST_POSTGRES_URL)") +
      "\n",
  );
  const endpoint = await startEndpointProcess({
    region: REGION,
    credentials: CREDENTIALS,
    latencyMs,
    chunkDelayMs,
  });
  try {
    for (const saver of savers) {
      for (const mode of modes) await scaleTable(endpoint, saver, mode, concurrencies);
    }

    const chunks = await runInNewProcess<ChunksTask, ChunksResult>({
      kind: "chunks",
      url: endpoint.url,
      region: REGION,
      credentials: CREDENTIALS,
      repetitions: Number(process.env.SCALE_CHUNK_REPETITIONS ?? 60),
    });
    process.stdout.write(
      `\nCPU per streamed chunk, one coder/reviewer run streamed to a custom-mode reader (${chunks.modelCalls} model calls, ` +
        `${chunks.chunksPerRun} streamed chunks), unpaced endpoint, medians of interleaved runs (load ${load()}):\n` +
        `  whole stack (graph, agents, tools, model) ${fixed(chunks.stackUs)} µs = ${fixed(chunks.stackRatio, 2)}x bare ChatOpenAI\n` +
        `  ChatSageMakerOpenAI alone, same calls     ${fixed(chunks.oursModelUs)} µs = ${fixed(chunks.modelRatio, 2)}x\n` +
        `  bare ChatOpenAI, same calls               ${fixed(chunks.bareUs)} µs\n` +
        `CPU per run, same runs: graph.invoke ${fixed(chunks.invokeRunMs)} ms, streamed to a custom-mode reader ` +
        `${fixed(chunks.streamedRunMs)} ms\n`,
    );
  } finally {
    await endpoint.stop();
  }
}
