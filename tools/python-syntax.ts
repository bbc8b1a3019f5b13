/**
 * Python syntax checking by Python's own parser, in long-lived `python3` worker processes
 * shared by every check in this process (see `python-worker-pool.ts`), never running the code.
 *
 * The snippet reaches Python only as bytes on a worker's stdin. The worker only calls
 * `compile(..., flags=ast.PyCF_ONLY_AST)`, which builds a syntax tree and stops: no
 * bytecode, no imports of the snippet's modules, no execution, and nothing that one
 * snippet could leave behind for the next. Each check is time-limited; a worker that runs
 * past the limit is killed and replaced.
 */

import { availableParallelism } from "node:os";
import { PythonWorkerPool, pythonWorkerScript } from "./python-worker-pool.js";
import { MAX_CODE_BYTES, type SyntaxCheckResult } from "./syntax-result.js";

/**
 * Parses one snippet and reports the first syntax error. Python's parser stops at the
 * first error, so there is at most one.
 */
const PARSE_HANDLER = `
import ast
def handle(data):
    source = data.decode("utf-8", "replace")
    try:
        compile(source, "<snippet>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        return {"ok": True}
    except SyntaxError as error:
        return {"ok": False, "line": error.lineno, "column": error.offset, "message": error.msg}
    except ValueError as error:
        return {"ok": False, "line": None, "column": None, "message": str(error)}
    except (RecursionError, MemoryError):
        return {"ok": False, "line": None, "column": None, "message": "the code nests too deeply for Python's parser"}
`;

const PARSE_SCRIPT = pythonWorkerScript(PARSE_HANDLER, MAX_CODE_BYTES);

/** Workers per interpreter: parses take well under a millisecond, so two keep up with a busy process. */
const MAX_WORKERS = Math.max(1, Math.min(2, availableParallelism()));

/** One pool per interpreter command, shared by every tool and check in this process. */
const pools = new Map<string, PythonWorkerPool>();

/**
 * The pool that checks Python code with `command`, created on first use. Its workers
 * start when a check needs one.
 */
export function pythonSyntaxPool(command: string): PythonWorkerPool {
  let pool = pools.get(command);
  if (pool === undefined) {
    pool = new PythonWorkerPool({
      command,
      script: PARSE_SCRIPT,
      maxWorkers: MAX_WORKERS,
      maxRequestBytes: MAX_CODE_BYTES,
    });
    pools.set(command, pool);
  }
  return pool;
}

/** How to run the Python checker. */
export interface PythonSyntaxOptions {
  /** The interpreter to start; looked up on `PATH`. */
  pythonCommand: string;
  /** Milliseconds one parse may take, counted from when a worker receives the code. */
  timeoutMs: number;
}

/**
 * Parses `code` as Python 3 and reports the first syntax error. Never rejects: a missing
 * interpreter, a timeout or unexpected output become `{ status: "failed" }`.
 */
export async function checkPythonSyntax(
  code: string,
  options: PythonSyntaxOptions,
): Promise<SyntaxCheckResult> {
  const outcome = await pythonSyntaxPool(options.pythonCommand).run(
    Buffer.from(code, "utf8"),
    options.timeoutMs,
  );
  if (outcome.kind === "failed") return { status: "failed", reason: outcome.reason };
  return readAnswer(outcome.answer);
}

/** Turns the worker's JSON answer into a result. */
function readAnswer(answer: Record<string, unknown>): SyntaxCheckResult {
  if (typeof answer.failed === "string") return { status: "failed", reason: answer.failed };
  if (answer.ok === true) return { status: "ok" };
  if (answer.ok !== false) {
    return { status: "failed", reason: "the Python checker gave an answer in an unexpected shape" };
  }
  const { line, column, message } = answer;
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
