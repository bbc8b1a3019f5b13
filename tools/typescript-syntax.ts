/**
 * TypeScript and JavaScript syntax checking with the `typescript` compiler's parser, in a
 * worker thread with a time limit.
 *
 * Why a worker: the parser is synchronous and some short inputs make it backtrack
 * exponentially (`"async (".repeat(22)`, 154 characters, takes about 40 s), so parsing
 * model text on the main thread could freeze the agent. The worker is killed when a parse
 * runs past the limit and a fresh one is started for the next check. It is kept between
 * checks because loading `typescript` takes most of a second, and it is `unref`ed so it
 * never keeps the process alive.
 *
 * Why a fixed source string: the worker must run as plain JavaScript both from `dist/` and
 * from the TypeScript sources under test, and Node 20 cannot start a worker from a `.ts`
 * file. The string is a constant of this module; the snippet only ever travels as message
 * data and is parsed, never run. `typescript` is loaded only inside the worker, only when a
 * check is first requested.
 *
 * Why `typescript` is an optional peer: it is 23 MB that only this check needs, and only for
 * TypeScript and JavaScript. When it is absent, or is a major without the classic compiler
 * API (TypeScript 7), the check answers `failed` with code `MISSING_PEER` and the install
 * command, as a result the model can read; the Python check never loads it.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  MAX_LISTED_ERRORS,
  type SyntaxCheckResult,
  type SyntaxFailureCode,
  type SyntaxIssue,
} from "./syntax-result.js";

/**
 * The `typescript` versions the check works with, as declared in the package's
 * `peerDependencies`. TypeScript 7 (the native port) has no `createSourceFile`/`createProgram`
 * API, so it is outside the range.
 */
export const TYPESCRIPT_PEER_RANGE = "^5.0.0 || ^6.0.0";

/** The majors {@link TYPESCRIPT_PEER_RANGE} allows, read from the range itself. */
const SUPPORTED_MAJORS = new Set(
  [...TYPESCRIPT_PEER_RANGE.matchAll(/\^(\d+)\./g)].map((match) => Number(match[1])),
);

/**
 * Parses each request with the public compiler API (`program.getSyntacticDiagnostics`, which
 * includes the "only in TypeScript files" errors for JavaScript) and answers with the first
 * few diagnostics. Tries each file name in turn and stops at the first that parses, so a
 * TypeScript snippet may be plain `.ts` or `.tsx`.
 */
const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const ts = require(workerData.typescriptPath);

function diagnose(fileName, code) {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false);
  const host = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
    writeFile: () => undefined,
    getDefaultLibFileName: () => "lib.d.ts",
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };
  const options = { noLib: true, noResolve: true, allowJs: true, types: [], target: ts.ScriptTarget.Latest };
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = program.getSyntacticDiagnostics(sourceFile);
  const errors = diagnostics.slice(0, workerData.maxErrors).map((diagnostic) => {
    const position = diagnostic.start === undefined ? undefined : sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    return {
      line: position === undefined ? undefined : position.line + 1,
      column: position === undefined ? undefined : position.character + 1,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    };
  });
  return { errors, total: diagnostics.length };
}

parentPort.on("message", ({ id, code, fileNames }) => {
  try {
    let first;
    for (const fileName of fileNames) {
      const found = diagnose(fileName, code);
      if (found.total === 0) return parentPort.postMessage({ id, errors: [], total: 0 });
      if (first === undefined) first = found;
    }
    parentPort.postMessage({ id, errors: first.errors, total: first.total });
  } catch (error) {
    const failure = error instanceof RangeError
      ? "the code nests too deeply for the TypeScript parser"
      : "the TypeScript parser failed: " + String(error && error.message);
    parentPort.postMessage({ id, failure });
  }
});
parentPort.postMessage({ ready: true });
`;

/** Longest wait for a new worker to load `typescript`, in milliseconds. */
const STARTUP_TIMEOUT_MS = 30_000;
/** Memory ceiling of the worker's heap; parsing 200 KiB needs a small fraction of it. */
const WORKER_HEAP_MB = 512;

/** What the worker answers. */
type WorkerReply =
  | { id: number; errors: SyntaxIssue[]; total: number }
  | { id: number; failure: string };

/** Runs parses one at a time in a reusable worker; see the module comment. */
class TypeScriptParserWorker {
  private worker: Promise<Worker> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;

  /** Parses `code` as each of `fileNames` in turn; never rejects. */
  check(code: string, fileNames: readonly string[], timeoutMs: number): Promise<SyntaxCheckResult> {
    const run = this.queue
      .then(() => this.run(code, fileNames, timeoutMs))
      .catch((error: unknown): SyntaxCheckResult => {
        this.discard();
        return { status: "failed", reason: `the TypeScript parser failed: ${String(error)}` };
      });
    this.queue = run;
    return run;
  }

  private async run(
    code: string,
    fileNames: readonly string[],
    timeoutMs: number,
  ): Promise<SyntaxCheckResult> {
    let worker: Worker;
    try {
      worker = await this.ready();
    } catch (error) {
      this.discard();
      const reason = error instanceof Error ? error.message : String(error);
      return error instanceof ParserUnavailableError && error.code !== undefined
        ? { status: "failed", reason, code: error.code }
        : { status: "failed", reason };
    }
    const id = this.nextId++;
    const reply = await waitFor<WorkerReply>(
      worker,
      (message) => isReply(message) && message.id === id,
      timeoutMs,
      () => worker.postMessage({ id, code, fileNames }),
    );
    if (reply.kind === "timeout") {
      this.discard();
      return {
        status: "failed",
        reason: `parsing took longer than ${timeoutMs} ms and was stopped; check a smaller part of the code`,
      };
    }
    if (reply.kind === "died") {
      this.discard();
      return { status: "failed", reason: `the TypeScript parser stopped: ${reply.reason}` };
    }
    const answer = reply.message;
    if ("failure" in answer) return { status: "failed", reason: answer.failure };
    return answer.total === 0
      ? { status: "ok" }
      : { status: "errors", errors: answer.errors, total: answer.total };
  }

  private ready(): Promise<Worker> {
    this.worker ??= startWorker();
    return this.worker;
  }

  private discard(): void {
    const current = this.worker;
    this.worker = undefined;
    void current?.then((worker) => worker.terminate()).catch(() => undefined);
  }
}

/** Why no parser could be started; `code` when the application can fix it. */
class ParserUnavailableError extends Error {
  constructor(
    message: string,
    readonly code?: SyntaxFailureCode,
  ) {
    super(message);
  }
}

function missingTypeScript(what: string): ParserUnavailableError {
  return new ParserUnavailableError(
    `checking TypeScript and JavaScript needs the optional peer dependency typescript ` +
      `(${TYPESCRIPT_PEER_RANGE}), and ${what}. The application's developer can install it: ` +
      `npm install "typescript@${TYPESCRIPT_PEER_RANGE}". Python code can still be checked.`,
    "MISSING_PEER",
  );
}

/**
 * Finds the `typescript` this module would load, as Node resolves it from here (so from the
 * application's `node_modules`), and checks that its major is in {@link TYPESCRIPT_PEER_RANGE}.
 *
 * @returns the path to `require` in the worker
 * @throws ParserUnavailableError `MISSING_PEER` when it is absent or of another major
 */
function locateTypeScript(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    // Every supported major lets `package.json` be resolved (5 and 6 have no `exports`).
    manifest = require.resolve("typescript/package.json");
  } catch {
    throw missingTypeScript("it is not installed");
  }
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  const major = typeof version === "string" ? Number(version.split(".")[0]) : Number.NaN;
  if (!SUPPORTED_MAJORS.has(major)) {
    throw missingTypeScript(
      `the installed typescript is version ${String(version)}, which has no compiler API this check can use`,
    );
  }
  return require.resolve("typescript");
}

async function startWorker(): Promise<Worker> {
  const typescriptPath = locateTypeScript();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { typescriptPath, maxErrors: MAX_LISTED_ERRORS },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  worker.unref();
  // A worker "error" with no listener would crash this process; requests listen for their own.
  worker.on("error", () => undefined);
  const started = await waitFor(worker, isReady, STARTUP_TIMEOUT_MS, () => undefined);
  if (started.kind !== "message") {
    void worker.terminate();
    throw new Error(
      started.kind === "timeout"
        ? "loading the TypeScript parser took too long"
        : `the TypeScript parser could not start: ${started.reason}`,
    );
  }
  return worker;
}

type Waited<T> =
  | { kind: "message"; message: T }
  | { kind: "timeout" }
  | { kind: "died"; reason: string };

/**
 * Resolves with the first message matching `accept`, or with why none came: the time ran
 * out, or the worker failed (uncaught error, out of memory) or exited.
 */
function waitFor<T>(
  worker: Worker,
  accept: (message: unknown) => boolean,
  timeoutMs: number,
  send: () => void,
): Promise<Waited<T>> {
  return new Promise((resolve) => {
    const settle = (outcome: Waited<T>): void => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      resolve(outcome);
    };
    const onMessage = (message: unknown): void => {
      if (accept(message)) settle({ kind: "message", message: message as T });
    };
    const onError = (error: Error): void => settle({ kind: "died", reason: error.message });
    const onExit = (code: number): void => settle({ kind: "died", reason: `exit code ${code}` });
    const timer = setTimeout(() => settle({ kind: "timeout" }), timeoutMs);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    send();
  });
}

function isReady(message: unknown): boolean {
  return typeof message === "object" && message !== null && "ready" in message;
}

function isReply(message: unknown): message is WorkerReply {
  return typeof message === "object" && message !== null && "id" in message;
}

const parser = new TypeScriptParserWorker();

/**
 * Parses `code` as TypeScript (accepting `.ts` or `.tsx` syntax) or JavaScript (including
 * JSX) and lists the syntax errors. Type errors are not reported: nothing is type-checked,
 * imported or run. Never rejects.
 */
export function checkTypeScriptSyntax(
  code: string,
  language: "typescript" | "javascript",
  timeoutMs: number,
): Promise<SyntaxCheckResult> {
  const fileNames = language === "typescript" ? ["snippet.ts", "snippet.tsx"] : ["snippet.js"];
  return parser.check(code, fileNames, timeoutMs);
}
