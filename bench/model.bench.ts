/**
 * ChatSageMakerOpenAI against the local endpoint, on loopback. The endpoint
 * runs in a worker thread (its own event loop, as in its own process); the
 * models run in the main thread.
 *
 * - median `invoke` latency: ChatSageMakerOpenAI (cached token provider,
 *   retry loop, output transform) vs a plain ChatOpenAI with a static token on
 *   the same route, interleaved so drift hits both alike;
 * - time to first streamed token, both;
 * - 1,000 concurrent streams through one shared pool (`createSageMakerChatModels`):
 *   errors, sockets the endpoint saw vs the pool limit;
 * - client memory growth over 20,000 requests through the same pool.
 *
 * `npx tsx bench/run.ts model`
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { ChatOpenAI } from "@langchain/openai";
import { generateToken } from "../src/auth/index.js";
import { startLocalEndpoint } from "../src/local/index.js";
import { ChatSageMakerOpenAI, createSageMakerChatModels } from "../src/model/index.js";

const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const REGION = "us-west-2";
const ROLE = "model-bench-server";
const POOL_SOCKETS = 64;

interface Stats {
  opened: number;
  open: number;
  requests: number;
}

// In the worker: serve until told to stop; answer stats requests.
if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  const local = await startLocalEndpoint({
    region: REGION,
    credentials: [CREDENTIALS],
    maxLoggedRequests: 100,
    endpoints: {
      bench: {
        inferenceComponents: { a: { backend: { type: "demo" } }, b: { backend: { type: "demo" } } },
      },
    },
  });
  parentPort?.postMessage({ url: local.url });
  parentPort?.on("message", async (message: string) => {
    if (message === "stats") {
      const { opened, open } = local.connections;
      parentPort?.postMessage({ opened, open, requests: 0 } satisfies Stats);
    } else if (message === "stop") {
      await local.close();
      parentPort?.close();
    }
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0
    ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
    : (sorted[mid] ?? 0);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const ms = (value: number): string => `${value.toFixed(3)} ms`;

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

async function timeInvoke(model: Invokable, input: string): Promise<number> {
  const started = performance.now();
  await model.invoke(input);
  return performance.now() - started;
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

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  // Workers do not inherit the TypeScript loader tsx installed here: register it there first.
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { role: ROLE } });
  const { url } = await new Promise<{ url: string }>((resolve) => worker.once("message", resolve));
  const stats = (): Promise<Stats> =>
    new Promise((resolve) => {
      worker.once("message", resolve);
      worker.postMessage("stats");
    });
  try {
    const sagemaker = new ChatSageMakerOpenAI({
      region: REGION,
      endpointName: "bench",
      inferenceComponentName: "a",
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
      configuration: { baseURL: `${url}/endpoints/bench/inference-components/a/openai/v1` },
    });
    const input = "Benchmark question";
    const rounds = 1500;
    for (let i = 0; i < 100; i++) {
      await timeInvoke(sagemaker, input);
      await timeInvoke(plain, input);
    }
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Pairs, alternating which goes first so neither always sees a warmer socket;
      // the median of per-pair ratios resists load from other processes better than
      // a ratio of medians.
      const [a, b] =
        i % 2 === 0
          ? [await timeInvoke(sagemaker, input), await timeInvoke(plain, input)]
          : [await timeInvoke(plain, input), await timeInvoke(sagemaker, input)].reverse();
      ours.push(a as number);
      theirs.push(b as number);
      ratios.push((a as number) / (b as number));
    }
    const diff = (median(ours) / median(theirs) - 1) * 100;
    const pairDiff = (median(ratios) - 1) * 100;
    const signed = (value: number): string => `${value >= 0 ? "+" : ""}${value.toFixed(1)} %`;
    console.log(`invoke latency, ${rounds} interleaved pairs (median / p90):`);
    console.log(`  ChatSageMakerOpenAI        ${ms(median(ours))} / ${ms(percentile(ours, 90))}`);
    console.log(
      `  ChatOpenAI, static token   ${ms(median(theirs))} / ${ms(percentile(theirs, 90))}`,
    );
    console.log(
      `  difference                 ${signed(diff)} of medians, ${signed(pairDiff)} median per pair (target <= 2 %)`,
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

    const before = await stats();
    const { models, close } = createSageMakerChatModels({
      region: REGION,
      endpointName: "bench",
      baseURL: url,
      credentials: CREDENTIALS,
      maxSockets: POOL_SOCKETS,
      components: { a: {}, b: {} },
    });
    const pair = [models.a, models.b];
    const streams = await load(1000, 1000, async (i) => {
      let chunks = 0;
      for await (const _ of await (pair[i % 2] as ChatSageMakerOpenAI).stream(`stream ${i}`))
        chunks += 1;
      if (chunks < 10) throw new Error(`only ${chunks} chunks`);
    });
    const afterStreams = await stats();
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
    const afterRequests = await stats();
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
    worker.postMessage("stop");
    await new Promise((resolve) => worker.once("exit", resolve));
  }
}

if (isMainThread && process.argv[1]?.endsWith("model.bench.ts")) await run();
