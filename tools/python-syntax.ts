/**
 * Python syntax checking by parsing in a separate `python3` process, never running the code.
 *
 * The snippet reaches Python only as bytes on stdin. The script Python runs is the fixed
 * constant below, passed as one element of an argument array (no shell), and it only calls
 * `compile(..., flags=ast.PyCF_ONLY_AST)`, which builds a syntax tree and stops: no
 * bytecode, no imports of the snippet's modules, no execution. The process runs isolated
 * (`-I`: no user site-packages, no PYTHON* variables), without `site` (`-S`), with an
 * environment of only `PATH`, is killed after a time limit, and its output is capped.
 */

import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import type { SyntaxCheckResult } from "./syntax-result.js";

/** Most bytes read from the checker's stdout or stderr; its answer is a few hundred. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * Reads the snippet from stdin and reports the first syntax error as JSON. Python's parser
 * stops at the first error, so there is at most one.
 */
const PARSE_SCRIPT = `
import ast, json, sys
source = sys.stdin.buffer.read().decode("utf-8", "replace")
try:
    compile(source, "<snippet>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    result = {"ok": True}
except SyntaxError as error:
    result = {"ok": False, "line": error.lineno, "column": error.offset, "message": error.msg}
except ValueError as error:
    result = {"ok": False, "line": None, "column": None, "message": str(error)}
except (RecursionError, MemoryError):
    result = {"ok": False, "line": None, "column": None, "message": "the code nests too deeply for Python's parser"}
sys.stdout.write(json.dumps(result))
`;

/** How to run the Python checker. */
export interface PythonSyntaxOptions {
  /** The interpreter to start; looked up on `PATH`. */
  pythonCommand: string;
  /** Milliseconds before the process is killed. */
  timeoutMs: number;
}

/**
 * Parses `code` as Python 3 and reports the first syntax error. Never rejects: a missing
 * interpreter, a timeout or unexpected output become `{ status: "failed" }`.
 */
export function checkPythonSyntax(
  code: string,
  options: PythonSyntaxOptions,
): Promise<SyntaxCheckResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SyntaxCheckResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve(result);
    };

    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
    // Windows cannot start Python without it; it carries no user data.
    if (process.env.SYSTEMROOT !== undefined) env.SYSTEMROOT = process.env.SYSTEMROOT;
    const child = spawn(options.pythonCommand, ["-I", "-S", "-B", "-c", PARSE_SCRIPT], {
      cwd: tmpdir(),
      env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      finish({
        status: "failed",
        reason: `parsing took longer than ${options.timeoutMs} ms and was stopped; check a smaller part of the code`,
      });
    }, options.timeoutMs);

    const stdout = collect(child.stdout, () =>
      finish({ status: "failed", reason: "the Python checker printed more output than expected" }),
    );
    const stderr = collect(child.stderr, () => undefined);

    child.on("error", (error: NodeJS.ErrnoException) => {
      finish({
        status: "failed",
        reason:
          error.code === "ENOENT"
            ? `${JSON.stringify(options.pythonCommand)} was not found; install Python 3 and put python3 on PATH to check Python code`
            : `could not start ${JSON.stringify(options.pythonCommand)}: ${error.message}`,
      });
    });
    child.on("close", (exitCode) => {
      finish(readAnswer(stdout.text(), stderr.text(), exitCode));
    });
    // The child may exit before reading everything (e.g. it is not Python at all).
    child.stdin.on("error", () => undefined);
    child.stdin.end(code, "utf8");
  });
}

/** Turns the checker's JSON answer into a result, or explains why there is none. */
function readAnswer(stdout: string, stderr: string, exitCode: number | null): SyntaxCheckResult {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    const detail = stderr.trim().split("\n").at(-1) ?? "";
    return {
      status: "failed",
      reason: `the Python checker exited with code ${exitCode} without an answer${detail ? `: ${detail.slice(0, 300)}` : ""}; is the command Python 3?`,
    };
  }
  if (typeof answer !== "object" || answer === null || !("ok" in answer)) {
    return { status: "failed", reason: "the Python checker gave an answer in an unexpected shape" };
  }
  if (answer.ok === true) return { status: "ok" };
  // A plain object parsed from our own script's JSON, so reading its fields is safe.
  const { line, column, message } = answer as Record<string, unknown>;
  return {
    status: "errors",
    total: 1,
    errors: [
      {
        line: typeof line === "number" ? line : undefined,
        column: typeof column === "number" ? column : undefined,
        message: typeof message === "string" ? message : "invalid syntax",
      },
    ],
  };
}

/** Buffers a stream up to {@link MAX_OUTPUT_BYTES}, calling `onOverflow` past that. */
function collect(stream: NodeJS.ReadableStream, onOverflow: () => void): { text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_OUTPUT_BYTES) {
      onOverflow();
      return;
    }
    chunks.push(chunk);
  });
  return { text: () => Buffer.concat(chunks).toString("utf8") };
}
