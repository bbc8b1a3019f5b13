/**
 * A small pool of long-lived Python processes that each answer one request at a time, so a
 * tool does not pay a `python3` start (tens of milliseconds, and a blocked event loop while
 * Node forks) on every call.
 *
 * The protocol is ours on both ends: a worker first prints the line {@link READY_LINE} once
 * it has started; a request is a 4-byte big-endian length and that many bytes on its stdin;
 * the answer is one line of JSON (an object) on its stdout.
 * {@link pythonWorkerScript} wraps a Python `handle(data: bytes) -> dict` function in that
 * loop. The script is a fixed string passed as one argument (no shell); the process runs
 * isolated (`-I`: no user site-packages, no PYTHON* variables), without `site` (`-S`),
 * without writing bytecode (`-B`), in the temp directory, with an environment of only `PATH`.
 *
 * What the pool guarantees:
 * - one request per worker at a time, first come first served, at most `maxWorkers`
 *   workers, started only when a request needs one;
 * - the time limit runs from the moment a started worker receives the request, not while
 *   the request waits in the queue or the interpreter starts (that has its own, longer
 *   limit), so a busy process or machine slows requests down but does not time them out; a
 *   limit that fires while the answer already waits in the pipe still gets the answer;
 * - a worker that runs past the limit, prints something that is not an answer, or prints
 *   too much is killed and replaced; a worker that dies without answering gets the request
 *   once more on a new worker before the request fails;
 * - idle workers do not keep the Node process alive.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { tmpdir } from "node:os";

/** What a request to the pool resolves to: the worker's answer, or why there is none. */
export type WorkerOutcome =
  | { kind: "answer"; answer: Record<string, unknown> }
  | { kind: "failed"; reason: string };

/** How to run the pool's workers. */
export interface PythonWorkerPoolOptions {
  /** The interpreter to start; looked up on `PATH`. */
  command: string;
  /** The Python program each worker runs; build it with {@link pythonWorkerScript}. */
  script: string;
  /** Most workers alive at once. */
  maxWorkers: number;
  /** Largest request accepted, in bytes; the worker refuses larger ones too. */
  maxRequestBytes: number;
  /**
   * Milliseconds a new worker may take to start (to print {@link READY_LINE}) before it is
   * killed and the request it was given fails.
   * @default 20000
   */
  startupTimeoutMs?: number;
}

/** What a worker prints once it has started, before it reads any request. */
export const READY_LINE = '{"ready": true}';

/** Default of `startupTimeoutMs`: an interpreter on a loaded machine can take seconds. */
const DEFAULT_STARTUP_TIMEOUT_MS = 20_000;

/** Most bytes of one answer line; the answers are a few hundred. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** How much of a worker's stderr is kept to explain why it died. */
const STDERR_TAIL_CHARS = 2000;

/** How often a request is tried when its worker dies without answering. */
const MAX_ATTEMPTS = 2;

/**
 * The worker loop around a Python function `handle(data: bytes) -> dict` defined in
 * `handler`. Requests larger than `maxRequestBytes`, or a closed stdin, end the worker.
 */
export function pythonWorkerScript(handler: string, maxRequestBytes: number): string {
  return `${handler}
import json as _json, sys as _sys
def _serve():
    read = _sys.stdin.buffer.read
    out = _sys.stdout
    out.write(${JSON.stringify(READY_LINE)} + "\\n")
    out.flush()
    while True:
        header = read(4)
        if len(header) < 4:
            return
        size = int.from_bytes(header, "big")
        if size > ${maxRequestBytes}:
            return
        data = read(size)
        if len(data) < size:
            return
        try:
            answer = handle(data)
        except Exception as error:
            answer = {"failed": "the Python checker raised " + type(error).__name__}
        out.write(_json.dumps(answer) + "\\n")
        out.flush()
_serve()
`;
}

interface Job {
  payload: Buffer;
  timeoutMs: number;
  attempts: number;
  resolve: (outcome: WorkerOutcome) => void;
}

interface Worker {
  child: ChildProcessWithoutNullStreams;
  job: Job | undefined;
  /** Set once the worker printed {@link READY_LINE}; the job's time limit starts then. */
  ready: boolean;
  timer: NodeJS.Timeout | undefined;
  stdout: string;
  stderr: string;
  dead: boolean;
}

/** Counters for tests and benchmarks. */
export interface PythonWorkerPoolStats {
  /** Workers alive now. */
  workers: number;
  /** Workers started since the pool was created. */
  started: number;
  /** Requests waiting for a worker. */
  queued: number;
  /** Process ids of the workers alive now. */
  pids: number[];
  /** Requests that ended without an answer, time-outs included. */
  failed: number;
  /** Requests stopped at their time limit. */
  timedOut: number;
}

/** A pool of Python worker processes; see the module comment for its guarantees. */
export class PythonWorkerPool {
  readonly #options: PythonWorkerPoolOptions;
  readonly #workers: Worker[] = [];
  #queue: Job[] = [];
  #started = 0;
  #failed = 0;
  #timedOut = 0;

  constructor(options: PythonWorkerPoolOptions) {
    this.#options = options;
  }

  /** How many workers run, were started, and requests wait. */
  stats(): PythonWorkerPoolStats {
    return {
      workers: this.#workers.length,
      started: this.#started,
      queued: this.#queue.length,
      pids: this.#workers.flatMap((worker) =>
        worker.child.pid === undefined ? [] : [worker.child.pid],
      ),
      failed: this.#failed,
      timedOut: this.#timedOut,
    };
  }

  /**
   * Sends `payload` to a worker and resolves to its answer. Never rejects. The time limit
   * `timeoutMs` counts from the moment a worker receives the request.
   */
  run(payload: Buffer, timeoutMs: number): Promise<WorkerOutcome> {
    if (payload.length > this.#options.maxRequestBytes) {
      return Promise.resolve({
        kind: "failed",
        reason: `the request is larger than ${this.#options.maxRequestBytes} bytes`,
      });
    }
    return new Promise((resolve) => {
      const settle = (outcome: WorkerOutcome): void => {
        if (outcome.kind === "failed") this.#failed += 1;
        resolve(outcome);
      };
      this.#queue.push({ payload, timeoutMs, attempts: 0, resolve: settle });
      this.#pump();
    });
  }

  /** Stops every worker; queued requests fail. The pool starts new workers on the next request. */
  close(): void {
    const queued = this.#queue;
    this.#queue = [];
    for (const job of queued) job.resolve({ kind: "failed", reason: "the checker was closed" });
    for (const worker of [...this.#workers]) {
      this.#fail(worker, "the checker was closed");
    }
  }

  /** Hands queued requests to idle workers, starting workers up to the limit. */
  #pump(): void {
    while (this.#queue.length > 0) {
      let worker = this.#workers.find((candidate) => candidate.job === undefined);
      if (worker === undefined) {
        if (this.#workers.length >= this.#options.maxWorkers) return;
        worker = this.#start();
      }
      const job = this.#queue.shift() as Job;
      this.#dispatch(worker, job);
    }
  }

  #dispatch(worker: Worker, job: Job): void {
    job.attempts += 1;
    worker.job = job;
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32BE(job.payload.length, 0);
    // A starting worker reads it once it runs; its time limit starts when it says it is ready.
    worker.child.stdin.write(Buffer.concat([header, job.payload]));
    if (worker.ready) this.#startTimer(worker, job);
  }

  /** Arms the time limit of `job` on `worker`. */
  #startTimer(worker: Worker, job: Job): void {
    this.#armTimer(worker, job.timeoutMs, () => {
      if (worker.job !== job) return;
      this.#timedOut += 1;
      this.#fail(
        worker,
        `parsing took longer than ${job.timeoutMs} ms and was stopped; check a smaller part of the code`,
      );
    });
  }

  /**
   * Replaces `worker`'s one timer with one that calls `expire` after `ms`;
   * `expire` checks whether its limit still applies.
   */
  #armTimer(worker: Worker, ms: number, expire: () => void): void {
    clearTimeout(worker.timer);
    worker.timer = setTimeout(() => {
      // A loop that was blocked runs due timers before it reads the pipes: let it read
      // first, so an answer that arrived in time is not thrown away as a time-out.
      setImmediate(expire);
    }, ms);
  }

  #start(): Worker {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
    // Windows cannot start Python without it; it carries no user data.
    if (process.env.SYSTEMROOT !== undefined) env.SYSTEMROOT = process.env.SYSTEMROOT;
    const child = spawn(this.#options.command, ["-I", "-S", "-B", "-c", this.#options.script], {
      cwd: tmpdir(),
      env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const worker: Worker = {
      child,
      job: undefined,
      ready: false,
      timer: undefined,
      stdout: "",
      stderr: "",
      dead: false,
    };
    this.#workers.push(worker);
    this.#started += 1;
    const startupLimit = this.#options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    this.#armTimer(worker, startupLimit, () => {
      if (worker.ready) return;
      this.#fail(
        worker,
        `the Python checker did not start within ${startupLimit} ms; is the machine overloaded, or the command not Python 3?`,
      );
    });
    // An idle worker must not keep the process alive; a request in flight has its timer.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void }).unref?.();
    }
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (text: string) => this.#onStdout(worker, text));
    child.stderr.on("data", (text: string) => {
      worker.stderr = (worker.stderr + text).slice(-STDERR_TAIL_CHARS);
    });
    // Writing to a worker that already exited fails with EPIPE; "close" reports the exit.
    child.stdin.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => {
      this.#fail(
        worker,
        error.code === "ENOENT"
          ? `${JSON.stringify(this.#options.command)} was not found; install Python 3 and put python3 on PATH to check Python code`
          : `could not start ${JSON.stringify(this.#options.command)}: ${error.message}`,
      );
    });
    child.on("close", (code, signal) => this.#onClose(worker, code, signal));
    return worker;
  }

  #onStdout(worker: Worker, text: string): void {
    if (worker.dead) return;
    worker.stdout += text;
    let newline = worker.stdout.indexOf("\n");
    while (newline !== -1) {
      const line = worker.stdout.slice(0, newline);
      worker.stdout = worker.stdout.slice(newline + 1);
      if (!this.#answer(worker, line)) return;
      newline = worker.stdout.indexOf("\n");
    }
    if (worker.stdout.length > MAX_ANSWER_BYTES) {
      this.#fail(worker, "the Python checker printed more output than expected");
      return;
    }
    this.#pump();
  }

  /** Delivers one answer line; false when the worker broke the protocol and was stopped. */
  #answer(worker: Worker, line: string): boolean {
    if (!worker.ready && line.trim() === READY_LINE) {
      worker.ready = true;
      // The start-up limit ends; a job written while starting gets its own limit now.
      if (worker.job === undefined) clearTimeout(worker.timer);
      else this.#startTimer(worker, worker.job);
      return true;
    }
    const job = worker.job;
    const answer = worker.ready ? parseAnswer(line) : undefined;
    if (job === undefined || answer === undefined) {
      this.#fail(
        worker,
        "the Python checker printed something other than its answer; is the command Python 3?",
      );
      return false;
    }
    clearTimeout(worker.timer);
    worker.job = undefined;
    job.resolve({ kind: "answer", answer });
    return true;
  }

  #onClose(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (worker.dead) return;
    // A worker may print its last answer without a newline and exit.
    if (worker.job !== undefined && worker.stdout.trim() !== "") {
      this.#answer(worker, worker.stdout);
    }
    this.#remove(worker);
    const job = worker.job;
    worker.job = undefined;
    if (job !== undefined) {
      if (job.attempts < MAX_ATTEMPTS) {
        this.#queue.unshift(job);
      } else {
        const how = signal === null ? `with code ${code}` : `on signal ${signal}`;
        const detail = worker.stderr.trim().split("\n").at(-1) ?? "";
        job.resolve({
          kind: "failed",
          reason: `the Python checker exited ${how} without an answer${detail ? `: ${detail.slice(0, 300)}` : ""}; is the command Python 3?`,
        });
      }
    }
    this.#pump();
  }

  /** Stops `worker` for good; its request, if any, fails with `reason`. */
  #fail(worker: Worker, reason: string): void {
    if (worker.dead) return;
    this.#remove(worker);
    const job = worker.job;
    worker.job = undefined;
    worker.child.kill("SIGKILL");
    job?.resolve({ kind: "failed", reason });
    this.#pump();
  }

  #remove(worker: Worker): void {
    worker.dead = true;
    clearTimeout(worker.timer);
    const index = this.#workers.indexOf(worker);
    if (index !== -1) this.#workers.splice(index, 1);
  }
}

function parseAnswer(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
