/**
 * The local endpoint under load, on loopback. The server runs in a worker
 * thread (its own event loop, as it would in its own process), the load in the
 * main thread over keep-alive connections. Bounded loops; it stops by itself.
 *
 * - a baseline: the same client against a bare node:http server in the same
 *   worker answering a canned completion (the ceiling for this client here);
 * - verified non-streaming requests/s, one token reused (the verification
 *   cache's case) and a fresh token on every request (the article's Python
 *   pattern: full SigV4 verification each time);
 * - 1,000 concurrent streams, in rounds: streams/s and errors;
 * - the server's memory after the run.
 *
 * `npx tsx bench/run.ts local-endpoint`
 */
import { Agent, createServer, request } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { generateToken } from "../src/auth/index.js";
import { type ChatBackend, startLocalEndpoint } from "../src/local/index.js";

const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const REGION = "us-west-2";
const PATH = "/endpoints/bench/openai/v1/chat/completions";
const TRIVIAL_PATH = "/endpoints/trivial/openai/v1/chat/completions";
const ROUNDS = 5;
const PER_ROUND = 6_000;
const ROLE = "local-endpoint-bench-server";

interface ServerInfo {
  url: string;
  /** A bare node:http server in the same worker, answering a canned completion: the baseline. */
  bareUrl: string;
}
interface Memory {
  rssMb: number;
  heapUsedMb: number;
  requestsLogged: number;
}

// In the worker: run the server until told to report memory and close.
if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  const canned = JSON.stringify({
    id: "chatcmpl-bare",
    object: "chat.completion",
    created: 0,
    model: "bare",
    choices: [
      { index: 0, message: { role: "assistant", content: "Hello." }, finish_reason: "stop" },
    ],
  });
  // The endpoint's own cost without a model's: a backend that returns the canned completion.
  const trivial: ChatBackend = {
    complete: async () => ({ type: "json", status: 200, body: JSON.parse(canned) as unknown }),
  };
  const local = await startLocalEndpoint({
    region: REGION,
    credentials: [CREDENTIALS],
    endpoints: { bench: { backend: { type: "demo" } }, trivial: { backend: trivial } },
  });
  const bare = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(canned),
      });
      res.end(canned);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  parentPort?.postMessage({ url: local.url, bareUrl } satisfies ServerInfo);
  parentPort?.on("message", async (message: string) => {
    if (message !== "stop") return;
    globalThis.gc?.();
    const usage = process.memoryUsage();
    const memory: Memory = {
      rssMb: usage.rss / 2 ** 20,
      heapUsedMb: usage.heapUsed / 2 ** 20,
      requestsLogged: local.requests.length,
    };
    await local.close();
    bare.closeAllConnections();
    bare.close();
    parentPort?.postMessage(memory);
    parentPort?.close();
  });
}

function post(
  agent: Agent,
  url: URL,
  token: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: PATH,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A keep-alive connection that writes pre-serialized requests and reads
 * Content-Length answers: a wrk-style load generator, several times cheaper
 * than node:http's client, so the non-streaming figures measure the server.
 */
class RawConnection {
  private _buffer: Buffer = Buffer.alloc(0);
  private _pending:
    | { resolve: (r: { status: number; text: string }) => void; reject: (e: Error) => void }
    | undefined;

  private constructor(private readonly _socket: Socket) {
    _socket.on("data", (data: Buffer) => this._onData(data));
    const fail = () => this._pending?.reject(new Error("connection closed"));
    _socket.on("error", fail);
    _socket.on("close", fail);
  }

  static open(url: URL): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        resolve(new RawConnection(socket)),
      );
      socket.once("error", reject);
    });
  }

  send(bytes: Buffer): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      this._pending = { resolve, reject };
      this._socket.write(bytes);
    });
  }

  close(): void {
    this._socket.destroy();
  }

  private _onData(data: Buffer): void {
    this._buffer = this._buffer.length === 0 ? data : Buffer.concat([this._buffer, data]);
    const end = this._buffer.indexOf("\r\n\r\n");
    if (end === -1) return;
    const head = this._buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this._buffer.length < end + 4 + length) return;
    const text = this._buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    this._buffer = this._buffer.subarray(end + 4 + length);
    const pending = this._pending;
    this._pending = undefined;
    pending?.resolve({ status: Number(head.slice(9, 12)), text });
  }
}

function rawRequest(url: URL, token: string, body: string, path = PATH): Buffer {
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** `total` requests over `connections` raw keep-alive connections, one request in flight on each. */
async function rawLoad(
  url: URL,
  connections: number,
  total: number,
  bytes: (i: number) => Buffer,
  ok: (r: { status: number; text: string }) => boolean,
): Promise<{ perSecond: number; failures: number }> {
  const pool = await Promise.all(
    Array.from({ length: connections }, () => RawConnection.open(url)),
  );
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    pool.map(async (connection) => {
      while (next < total) {
        const i = next++;
        try {
          if (!ok(await connection.send(bytes(i)))) failures += 1;
        } catch {
          failures += 1;
          return;
        }
      }
    }),
  );
  const perSecond = total / ((performance.now() - started) / 1000);
  for (const connection of pool) connection.close();
  return { perSecond, failures };
}

/** Runs `total` requests with `concurrency` in flight; returns requests/s and failures. */
async function load(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<{ status: number; text: string }>,
  ok: (r: { status: number; text: string }) => boolean,
): Promise<{ perSecond: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      const i = next++;
      try {
        if (!ok(await send(i))) failures += 1;
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { perSecond: total / ((performance.now() - started) / 1000), failures };
}

interface Summary {
  median: number;
  min: number;
  max: number;
  failures: number;
}

function summarize(runs: Array<{ perSecond: number; failures: number }>): Summary {
  const rates = runs.map((r) => r.perSecond).sort((a, b) => a - b);
  return {
    median: rates[Math.floor(rates.length / 2)] ?? 0,
    min: rates[0] ?? 0,
    max: rates.at(-1) ?? 0,
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

const fmt = (s: Summary): string =>
  `${s.median.toFixed(0)} req/s  (median of ${ROUNDS} rounds of ${PER_ROUND}; ${s.min.toFixed(0)}-${s.max.toFixed(0)}; ${s.failures} failed)`;

/** Prints the figures; asserts nothing. */
export async function run(): Promise<void> {
  // Workers do not inherit the TypeScript loader tsx installed here: register it there first.
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { role: ROLE } });
  const info = await new Promise<ServerInfo>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const url = new URL(info.url);
  const mint = (expiresIn: number) =>
    generateToken({ region: REGION, credentials: CREDENTIALS, expiresIn });

  const chat = JSON.stringify({ model: "", messages: [{ role: "user", content: "Say hello." }] });
  const isCompletion = (r: { status: number; text: string }) =>
    r.status === 200 && r.text.includes('"chat.completion"');

  const loadBefore = loadavg()[0] ?? 0;
  const token = await mint(3600);
  const bareUrl = new URL(info.bareUrl);
  const bareRequest = rawRequest(bareUrl, token, chat);
  const trivialRequest = rawRequest(url, token, chat, TRIVIAL_PATH);
  const cachedRequest = rawRequest(url, token, chat);
  // A different token for every request (distinct lifetimes make distinct tokens).
  const fresh = await Promise.all(
    Array.from({ length: (ROUNDS + 1) * PER_ROUND }, (_, i) => mint(3600 + i)),
  );
  const freshRequests = fresh.map((t) => rawRequest(url, t, chat));

  // The other jobs on this machine come and go, so the scenarios alternate in short rounds
  // and each reports its median round: comparisons between lines then mean something.
  const scenarios = {
    // The same client against a bare node:http server: no auth, no routing, no model.
    bare: () => rawLoad(bareUrl, 32, PER_ROUND, () => bareRequest, isCompletion),
    // The endpoint with a trivial backend: verification (cached), routing, body checks, log.
    trivial: () => rawLoad(url, 32, PER_ROUND, () => trivialRequest, isCompletion),
    cached: () => rawLoad(url, 32, PER_ROUND, () => cachedRequest, isCompletion),
    uncached: (round: number) =>
      rawLoad(
        url,
        32,
        PER_ROUND,
        (i) => freshRequests[round * PER_ROUND + i] as Buffer,
        isCompletion,
      ),
  };
  for (const scenario of Object.values(scenarios)) await scenario(ROUNDS); // warm-up (its own tokens)
  const results = { bare: [], trivial: [], cached: [], uncached: [] } as Record<
    keyof typeof scenarios,
    Array<{ perSecond: number; failures: number }>
  >;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of Object.keys(scenarios) as Array<keyof typeof scenarios>) {
      results[name].push(await scenarios[name](round));
    }
  }
  const [bare, trivialRun, cached, uncached] = (
    ["bare", "trivial", "cached", "uncached"] as const
  ).map((name) => summarize(results[name])) as [Summary, Summary, Summary, Summary];

  // Streams: rounds of 1,000 at once, each read to [DONE].
  const streamBody = JSON.stringify({
    model: "",
    stream: true,
    messages: [
      { role: "user", content: "Explain SageMaker inference components in a few sentences." },
    ],
  });
  const streamAgent = new Agent({ keepAlive: true, maxSockets: 1000 });
  const isStream = (r: { status: number; text: string }) =>
    r.status === 200 && r.text.endsWith("data: [DONE]\n\n");
  await load(1_000, 1_000, () => post(streamAgent, url, token, streamBody), isStream);
  const streams = await load(
    5_000,
    1_000,
    () => post(streamAgent, url, token, streamBody),
    isStream,
  );
  streamAgent.destroy();

  worker.postMessage("stop");
  const memory = await new Promise<Memory>((resolve) => worker.once("message", resolve));
  await worker.terminate();

  const lines = [
    `baseline: bare node:http, canned JSON, no auth   ${fmt(bare)}`,
    `verified, trivial backend (the endpoint alone)   ${fmt(trivialRun)}`,
    `verified, demo model, token reused (cache hit)   ${fmt(cached)}`,
    `verified, demo model, fresh token every request  ${fmt(uncached)}`,
    `streams, demo model, 1000 concurrent             ${streams.perSecond.toFixed(0)} streams/s  (5000 streams read to [DONE], ${streams.failures} failed)`,
    `load average (1 min) before / after              ${loadBefore.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)} on ${availableParallelism()} cores`,
    `server memory after the run                      rss ${memory.rssMb.toFixed(0)} MB (whole process), heap ${memory.heapUsedMb.toFixed(1)} MB (server thread), ${memory.requestsLogged} log entries kept`,
    "(non-streaming: 32 keep-alive connections, one request in flight on each, raw HTTP client)",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
