/**
 * ChatSageMakerOpenAI against the local endpoint on loopback. The endpoint runs in its own
 * Node process (`scale/endpoint.ts`, demo model, no pacing), so the CPU time measured here
 * is the client's alone; the models run in this process.
 *
 * - overhead against a plain ChatOpenAI with a static token on the same route: `invoke`
 *   latency and client CPU per call (the event loop thread's). Interleaved and repeated: `MODEL_BLOCKS` blocks (20)
 *   of `MODEL_PAIRS` pairs (100) in ABBA order, each block giving one ratio (median of its
 *   per-pair ratios, latency and CPU). The figure is the mean over
 *   blocks with its 95 % interval, so the run's own noise is printed next to it;
 * - time to first streamed token, both;
 * - 1,000 concurrent streams through one shared pool (`createSageMakerChatModels`):
 *   errors, sockets the endpoint saw vs the pool limit;
 * - client memory growth over 20,000 requests through the same pool.
 *
 * `npx tsx bench/run.ts model`
 */
import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ChatOpenAI } from "@langchain/openai";
import { generateToken } from "../src/auth/index.js";
import { ChatSageMakerOpenAI, createSageMakerChatModels } from "../src/model/index.js";
import { startEndpointProcess } from "./scale/processes.js";
import { median } from "./stats.js";

const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const REGION = "us-west-2";
const POOL_SOCKETS = 64;
const BLOCKS = Number(process.env.MODEL_BLOCKS ?? 20);
const PAIRS = Number(process.env.MODEL_PAIRS ?? 100);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Mean and the half-width of its 95 % interval (Student's t), as fractions. */
function meanInterval(values: number[]): { mean: number; halfWidth: number } {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  // t(0.975) for the usual block counts; 2.0 beyond 30 degrees of freedom.
  const t = n <= 10 ? 2.26 : n <= 20 ? 2.09 : n <= 30 ? 2.05 : 2.0;
  return { mean, halfWidth: (t * Math.sqrt(variance)) / Math.sqrt(n) };
}

const ms = (value: number): string => `${value.toFixed(3)} ms`;
const percent = (fraction: number): string =>
  `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)} %`;

function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}

type Invokable = {
  invoke(input: string): Promise<unknown>;
  stream(input: string): Promise<AsyncIterable<{ content: unknown }>>;
};

/**
 * CPU time of this thread (the event loop) where Node has it (24+): the work of a call,
 * without the GC and compiler threads' bursts that make a process-wide reading noisy.
 */
const threadCpu: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: typeof process.cpuUsage }).threadCpuUsage?.bind(process) ??
  process.cpuUsage.bind(process);

/** One call's wall time and client CPU time, in ms. */
async function measureInvoke(model: Invokable, input: string): Promise<[number, number]> {
  const cpu = threadCpu();
  const started = performance.now();
  await model.invoke(input);
  const wall = performance.now() - started;
  const used = threadCpu(cpu);
  return [wall, (used.user + used.system) / 1000];
}

async function timeFirstToken(model: Invokable, input: string): Promise<number> {
  const started = performance.now();
  let first = 0;
  for await (const chunk of await model.stream(input)) {
    if (first === 0 && typeof chunk.content === "string" && chunk.content !== "") {
      first = performance.now() - started;
    }
  }
  return first;
}

/** Runs `task(i)` for i < total with at most `concurrency` in flight; counts failures. */
async function load(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<{ failures: number; seconds: number; firstError?: unknown }> {
  let next = 0;
  let failures = 0;
  let firstError: unknown;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        try {
          await task(i);
        } catch (error) {
          failures += 1;
          firstError ??= error;
        }
      }
    }),
  );
  return {
    failures,
    seconds: (performance.now() - started) / 1000,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/**
 * Blocks of interleaved pairs; per block, the median of the per-pair latency ratios and of the
 * per-pair CPU ratios (medians shrug off a pair that met a GC pause). Pairs alternate which call goes first (ABBA), so neither always meets a warmer
 * socket or cache.
 */
async function overhead(ours: Invokable, theirs: Invokable, input: string) {
  const wallOurs: number[] = [];
  const wallTheirs: number[] = [];
  const wallRatios: number[] = [];
  const cpuRatios: number[] = [];
  const cpuOurs: number[] = [];
  const cpuTheirs: number[] = [];
  for (let block = 0; block < BLOCKS; block++) {
    const pairRatios: number[] = [];
    const pairCpuRatios: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const oursFirst = (block * PAIRS + i) % 4 === 0 || (block * PAIRS + i) % 4 === 3;
      let a: [number, number];
      let b: [number, number];
      if (oursFirst) {
        a = await measureInvoke(ours, input);
        b = await measureInvoke(theirs, input);
      } else {
        b = await measureInvoke(theirs, input);
        a = await measureInvoke(ours, input);
      }
      wallOurs.push(a[0]);
      wallTheirs.push(b[0]);
      cpuOurs.push(a[1]);
      cpuTheirs.push(b[1]);
      pairRatios.push(a[0] / b[0]);
      pairCpuRatios.push(a[1] / b[1]);
    }
    wallRatios.push(median(pairRatios) - 1);
    cpuRatios.push(median(pairCpuRatios) - 1);
  }
  return { wallOurs, wallTheirs, cpuOurs, cpuTheirs, wallRatios, cpuRatios };
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  console.log(`load average at start: ${(loadavg()[0] ?? 0).toFixed(1)}`);
  const endpoint = await startEndpointProcess({
    region: REGION,
    credentials: CREDENTIALS,
    latencyMs: 0,
    chunkDelayMs: 0,
  });
  const { url } = endpoint;
  try {
    const sagemaker = new ChatSageMakerOpenAI({
      region: REGION,
      endpointName: "fast",
      inferenceComponentName: "coder",
      baseURL: url,
      credentials: CREDENTIALS,
    });
    const token = await generateToken({
      region: REGION,
      credentials: CREDENTIALS,
      expiresIn: 3600,
    });
    const plain = new ChatOpenAI({
      model: "",
      apiKey: token,
      configuration: { baseURL: `${url}/endpoints/fast/inference-components/coder/openai/v1` },
    });
    const input = "Benchmark question";
    for (let i = 0; i < 200; i++) {
      await measureInvoke(sagemaker, input);
      await measureInvoke(plain, input);
    }
    const result = await overhead(sagemaker, plain, input);
    const wall = meanInterval(result.wallRatios);
    const cpu = meanInterval(result.cpuRatios);
    console.log(
      `overhead against ChatOpenAI, ${BLOCKS} blocks of ${PAIRS} interleaved pairs of invoke ` +
        `(load ${(loadavg()[0] ?? 0).toFixed(1)}):`,
    );
    console.log(
      `  latency median / p90   ChatSageMakerOpenAI ${ms(median(result.wallOurs))} / ${ms(percentile(result.wallOurs, 90))}, ` +
        `ChatOpenAI ${ms(median(result.wallTheirs))} / ${ms(percentile(result.wallTheirs, 90))}`,
    );
    console.log(
      `  client CPU per call    ChatSageMakerOpenAI ${ms(median(result.cpuOurs))}, ChatOpenAI ${ms(median(result.cpuTheirs))}`,
    );
    console.log(
      `  latency difference     ${percent(wall.mean)} (95 % interval ±${(wall.halfWidth * 100).toFixed(1)} %; blocks ${percent(Math.min(...result.wallRatios))} to ${percent(Math.max(...result.wallRatios))}) (target <= 2 %)`,
    );
    console.log(
      `  CPU difference         ${percent(cpu.mean)} (95 % interval ±${(cpu.halfWidth * 100).toFixed(1)} %; blocks ${percent(Math.min(...result.cpuRatios))} to ${percent(Math.max(...result.cpuRatios))})`,
    );

    const ttftOurs: number[] = [];
    const ttftTheirs: number[] = [];
    for (let i = 0; i < 200; i++) {
      ttftOurs.push(await timeFirstToken(sagemaker, input));
      ttftTheirs.push(await timeFirstToken(plain, input));
    }
    console.log("time to first streamed token, 200 each (median / p90):");
    console.log(
      `  ChatSageMakerOpenAI        ${ms(median(ttftOurs))} / ${ms(percentile(ttftOurs, 90))}`,
    );
    console.log(
      `  ChatOpenAI, static token   ${ms(median(ttftTheirs))} / ${ms(percentile(ttftTheirs, 90))}`,
    );

    const before = await endpoint.stats();
    const { models, close } = createSageMakerChatModels({
      region: REGION,
      endpointName: "fast",
      baseURL: url,
      credentials: CREDENTIALS,
      maxSockets: POOL_SOCKETS,
      components: { coder: {}, reviewer: {} },
    });
    const pair = [models.coder, models.reviewer];
    const streams = await load(1000, 1000, async (i) => {
      let chunks = 0;
      for await (const _ of await (pair[i % 2] as ChatSageMakerOpenAI).stream(`stream ${i}`))
        chunks += 1;
      if (chunks < 10) throw new Error(`only ${chunks} chunks`);
    });
    const afterStreams = await endpoint.stats();
    console.log(
      `1,000 concurrent streams over one pool (2 ICs, maxSockets ${POOL_SOCKETS}): ` +
        `${streams.failures} errors, ${(1000 / streams.seconds).toFixed(0)} streams/s, ` +
        `${afterStreams.opened - before.opened} sockets opened, ${afterStreams.open} open`,
    );
    if (streams.firstError !== undefined)
      console.log(`  first error: ${String(streams.firstError)}`);

    collectGarbage();
    const memoryBefore = process.memoryUsage();
    const total = 20_000;
    const requests = await load(total, 64, (i) =>
      (pair[i % 2] as ChatSageMakerOpenAI).invoke(`request ${i}`),
    );
    collectGarbage();
    const memoryAfter = process.memoryUsage();
    const afterRequests = await endpoint.stats();
    const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    console.log(
      `20,000 requests through the same pool (64 in flight): ${requests.failures} errors, ` +
        `${(total / requests.seconds).toFixed(0)} req/s, sockets opened in all ` +
        `${afterRequests.opened - before.opened}`,
    );
    console.log(
      `  client memory after GC: heap ${mb(memoryBefore.heapUsed)} -> ${mb(memoryAfter.heapUsed)} ` +
        `(${mb(memoryAfter.heapUsed - memoryBefore.heapUsed)}), ` +
        `rss ${mb(memoryBefore.rss)} -> ${mb(memoryAfter.rss)}`,
    );
    await close();
  } finally {
    await endpoint.stop();
  }
}
