/**
 * The Python half of `syntax_check`: long-lived `python3` workers shared by every check in
 * the process. Real interpreters throughout; shell scripts stand in for `python3` only to
 * make a worker hang, crash or misbehave on purpose.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { pythonSyntaxPool } from "../../tools/python-syntax.js";
import {
  PythonWorkerPool,
  pythonWorkerScript,
  READY_LINE,
} from "../../tools/python-worker-pool.js";
import { checkSyntax, createSyntaxCheckTool } from "../../tools/syntax-check.js";

const scratch = mkdtempSync(join(tmpdir(), "python-syntax-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const unix = process.platform !== "win32";

/** Writes an executable shell script standing in for `python3`. */
function fakeInterpreter(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * What a fresh `python3` says about each snippet, with `ast.parse` and none of our code:
 * the reference the workers must match exactly. One process for the whole list.
 */
function referenceResults(codes: string[]): unknown[] {
  const script = [
    "import ast, base64, json, sys",
    "out = []",
    "for item in json.load(sys.stdin):",
    '    source = base64.b64decode(item).decode("utf-8", "replace")',
    "    try:",
    "        ast.parse(source)",
    '        out.append({"status": "ok"})',
    "    except SyntaxError as e:",
    '        out.append({"status": "errors", "total": 1, "errors": [{"line": e.lineno, "column": e.offset, "message": e.msg}]})',
    "    except ValueError as e:",
    '        out.append({"status": "errors", "total": 1, "errors": [{"message": str(e)}]})',
    "    except (RecursionError, MemoryError):",
    '        out.append({"status": "errors", "total": 1, "errors": [{"message": "the code nests too deeply for Python\'s parser"}]})',
    "print(json.dumps(out))",
  ].join("\n");
  const input = JSON.stringify(codes.map((code) => Buffer.from(code, "utf8").toString("base64")));
  const result = spawnSync("python3", ["-I", "-S", "-c", script], { input, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`reference python3 failed: ${result.stderr}`);
  // Python's None becomes a missing line/column in our results.
  return (JSON.parse(result.stdout) as Array<Record<string, unknown>>).map((entry) =>
    JSON.parse(JSON.stringify(entry, (_key, value) => (value === null ? undefined : value))),
  );
}

const pythonish = fc
  .array(
    fc.constantFrom(
      ..."(){}[]:;,.=+-*/'\"\\\n\t #@!?".split(""),
      "def ",
      "f",
      "x",
      "1",
      "return ",
      "lambda ",
      "if ",
      "else",
      "async ",
      "await ",
      "    ",
      "\u00e9",
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));
const anyCode = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), pythonish);

describe("Python syntax check: exact results from shared workers", () => {
  it("matches a fresh python3's own parse, snippet for snippet, with many checks at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyCode, { minLength: 1, maxLength: 40 }), async (codes) => {
        const answers = await Promise.all(codes.map((code) => checkSyntax("python", code)));
        const expected = referenceResults(codes).map((entry) =>
          (entry as { status: string }).status === "errors"
            ? {
                ...(entry as object),
                errors: (entry as { errors: Array<Record<string, unknown>> }).errors.map(
                  (issue) => ({ line: undefined, column: undefined, ...issue }),
                ),
              }
            : entry,
        );
        expect(answers).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });

  it("reports line and column of the first error, and nesting Python refuses", async () => {
    expect(await checkSyntax("python", "x = 1\ndef f(:\n  pass")).toEqual({
      status: "errors",
      total: 1,
      errors: [{ line: 2, column: 7, message: "invalid syntax" }],
    });
    expect(await checkSyntax("python", "def f():\n    return 1\n")).toEqual({ status: "ok" });
    // Deep enough that the parser gives up; the worker answers and keeps serving.
    const deep = await checkSyntax("python", `x = ${"-".repeat(100_000)}1`);
    expect(deep).toEqual({
      status: "errors",
      total: 1,
      errors: [
        {
          line: undefined,
          column: undefined,
          message: "the code nests too deeply for Python's parser",
        },
      ],
    });
    expect(await checkSyntax("python", "y = 2")).toEqual({ status: "ok" });
  });

  it.skipIf(!unix)("shares a few workers between every tool and check in the process", async () => {
    const python = fakeInterpreter("python-shared", 'exec python3 "$@"');
    const one = createSyntaxCheckTool({ pythonCommand: python });
    const two = createSyntaxCheckTool({ pythonCommand: python });
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 === 0 ? one : two).invoke({ language: "python", code: `x = ${i}` }),
      ),
    );
    expect(new Set(answers)).toEqual(new Set(["OK: no syntax errors"]));
    const stats = pythonSyntaxPool(python).stats();
    expect(stats.started).toBeGreaterThanOrEqual(1);
    expect(stats.started).toBeLessThanOrEqual(2);
    expect(stats.queued).toBe(0);
  });
});

describe("Python syntax check: time limits", () => {
  it.skipIf(!unix)("stops a worker that runs past the limit and replaces it", async () => {
    // The first worker hangs; every later one is the real python3.
    const marker = join(scratch, "hung-once");
    const python = fakeInterpreter(
      "python-hangs-once",
      `if [ -e "${marker}" ]; then exec python3 "$@"; fi\ntouch "${marker}"\nprintf '{"ready": true}\\n'\nexec sleep 60`,
    );
    expect(await checkSyntax("python", "x = 1", { pythonCommand: python, timeoutMs: 300 })).toEqual(
      {
        status: "failed",
        reason: "parsing took longer than 300 ms and was stopped; check a smaller part of the code",
      },
    );
    expect(await checkSyntax("python", "x = (", { pythonCommand: python })).toMatchObject({
      status: "errors",
      errors: [{ line: 1, column: 5 }],
    });
    expect(pythonSyntaxPool(python).stats()).toMatchObject({ started: 2, timedOut: 1, failed: 1 });
  });

  it.skipIf(!unix)("does not count the interpreter's start against the parse", async () => {
    // An interpreter that takes a second to start (a loaded machine), then the real python3.
    const python = fakeInterpreter("python-slow-start", 'sleep 1\nexec python3 "$@"');
    expect(await checkSyntax("python", "x = 1", { pythonCommand: python, timeoutMs: 200 })).toEqual(
      { status: "ok" },
    );
  });

  it.skipIf(!unix)("stops a worker that never starts, after the startup limit", async () => {
    const pool = new PythonWorkerPool({
      command: fakeInterpreter("python-never-starts", "exec sleep 60"),
      script: pythonWorkerScript("def handle(data):\n    return {}", 1024),
      maxWorkers: 1,
      maxRequestBytes: 1024,
      startupTimeoutMs: 300,
    });
    try {
      expect(await pool.run(Buffer.from("x"), 10_000)).toEqual({
        kind: "failed",
        reason:
          "the Python checker did not start within 300 ms; is the machine overloaded, or the command not Python 3?",
      });
      expect(pool.stats().workers).toBe(0);
    } finally {
      pool.close();
    }
  });

  it("counts the parse, not the wait in the queue", async () => {
    // One worker that takes about 0.1 s per request: the 30th request waits about 3 s,
    // ten times its limit, and must still get its answer.
    const pool = new PythonWorkerPool({
      command: "python3",
      script: pythonWorkerScript(
        'import time\ndef handle(data):\n    time.sleep(0.1)\n    return {"n": len(data)}',
        1024,
      ),
      maxWorkers: 1,
      maxRequestBytes: 1024,
    });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => pool.run(Buffer.alloc(i), 300)),
      );
      expect(outcomes).toEqual(
        Array.from({ length: 30 }, (_, i) => ({ kind: "answer", answer: { n: i } })),
      );
      expect(pool.stats().started).toBe(1);
    } finally {
      pool.close();
    }
  });

  it("keeps an answer that arrived in time while the event loop was blocked", async () => {
    // The worker flushes its answer, then creates a file: once the file exists the answer
    // waits in the pipe. The test then blocks the loop past the limit, so the timer and the
    // answer are due together; the answer must win.
    const flag = join(scratch, "answered");
    const script = [
      "import sys",
      `sys.stdout.write(${JSON.stringify(`${READY_LINE}\n`)})`,
      "sys.stdout.flush()",
      "read = sys.stdin.buffer.read",
      "while True:",
      "    header = read(4)",
      "    if len(header) < 4: break",
      '    read(int.from_bytes(header, "big"))',
      "    sys.stdout.write('{\"ok\": true}\\n')",
      "    sys.stdout.flush()",
      `    open(${JSON.stringify(flag)}, "w").close()`,
    ].join("\n");
    const pool = new PythonWorkerPool({
      command: "python3",
      script,
      maxWorkers: 1,
      maxRequestBytes: 1024,
    });
    try {
      // A started worker first, so the limit below is armed as the request is sent.
      expect(await pool.run(Buffer.from("warm"), 10_000)).toEqual({
        kind: "answer",
        answer: { ok: true },
      });
      // The worker creates the flag just after its answer, which may reach us first.
      while (!existsSync(flag)) {
        // Busy on purpose: a few microseconds at most.
      }
      rmSync(flag);
      const pending = pool.run(Buffer.from("x"), 200);
      while (!existsSync(flag)) {
        // Busy on purpose: the loop stays blocked until the worker has answered.
      }
      const until = Date.now() + 400;
      while (Date.now() < until) {
        // Past the limit, still blocked.
      }
      expect(await pending).toEqual({ kind: "answer", answer: { ok: true } });
    } finally {
      pool.close();
    }
  });
});

describe("Python syntax check: broken workers", () => {
  it.skipIf(!unix)("replaces a worker that was killed between checks", async () => {
    const python = fakeInterpreter("python-killed", 'exec python3 "$@"');
    expect(await checkSyntax("python", "a = 1", { pythonCommand: python })).toEqual({
      status: "ok",
    });
    const pool = pythonSyntaxPool(python);
    const [pid] = pool.stats().pids;
    expect(pid).toBeTypeOf("number");
    process.kill(pid as number, "SIGKILL");
    expect(await checkSyntax("python", "b = (", { pythonCommand: python })).toMatchObject({
      status: "errors",
    });
    expect(pool.stats().pids).not.toContain(pid);
  });

  it.skipIf(!unix)("sends the check to a new worker when its worker dies mid-request", async () => {
    // The first worker reads the request and dies; the second is the real python3.
    const marker = join(scratch, "crashed-once");
    const python = fakeInterpreter(
      "python-crashes-once",
      `if [ -e "${marker}" ]; then exec python3 "$@"; fi\ntouch "${marker}"\nhead -c 4 >/dev/null\nkill -9 $$`,
    );
    expect(await checkSyntax("python", "def f(:", { pythonCommand: python })).toMatchObject({
      status: "errors",
      errors: [{ line: 1, column: 7 }],
    });
    expect(pythonSyntaxPool(python).stats().started).toBe(2);
  });

  it.skipIf(!unix)(
    "fails the check when the worker dies on it twice, then still serves",
    async () => {
      const python = fakeInterpreter("python-always-crashes", "head -c 4 >/dev/null\nkill -9 $$");
      expect(await checkSyntax("python", "x = 1", { pythonCommand: python })).toEqual({
        status: "failed",
        reason:
          "the Python checker exited on signal SIGKILL without an answer; is the command Python 3?",
      });
      expect(pythonSyntaxPool(python).stats()).toMatchObject({ started: 2, workers: 0 });
    },
  );

  it.skipIf(!unix)("stops a worker that prints something other than an answer", async () => {
    const python = fakeInterpreter("python-yes", "exec yes");
    expect(await checkSyntax("python", "x = 1", { pythonCommand: python })).toEqual({
      status: "failed",
      reason:
        "the Python checker printed something other than its answer; is the command Python 3?",
    });
    expect(pythonSyntaxPool(python).stats().workers).toBe(0);
  });

  it.skipIf(!unix)("does not keep the Node process alive once idle", () => {
    // A new process runs one check and returns from its script: it must exit by itself.
    const program = `const { checkSyntax } = await import(${JSON.stringify(new URL("../../tools/syntax-check.ts", import.meta.url).href)});
const result = await checkSyntax("python", "x = 1");
process.stdout.write(JSON.stringify(result));`;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", program],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('{"status":"ok"}');
  });
});
