import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolMessage } from "@langchain/core/messages";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkSyntax,
  createSyntaxCheckTool,
  MAX_CODE_BYTES,
  syntaxCheckTool,
} from "../../tools/syntax-check.js";

const scratch = mkdtempSync(join(tmpdir(), "syntax-check-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes an executable shell script standing in for `python3`, to exercise the limits. */
function fakeInterpreter(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("syntax_check: Python", () => {
  it("accepts valid code", async () => {
    const code = 'def add(a: int, b: int) -> int:\n    """Adds."""\n    return a + b\n';
    expect(await syntaxCheckTool.invoke({ language: "python", code })).toBe("OK: no syntax errors");
  });

  it("reports the first error with line:column", async () => {
    expect(
      await syntaxCheckTool.invoke({ language: "python", code: "x = 1\ndef f(:\n  pass" }),
    ).toBe("Found 1 syntax error:\n2:7 invalid syntax");
    expect(await checkSyntax("python", "if x:\npass\n")).toEqual({
      status: "errors",
      total: 1,
      errors: [
        {
          line: 2,
          column: 1,
          message: "expected an indented block after 'if' statement on line 1",
        },
      ],
    });
  });

  it("parses but never runs the code", async () => {
    const marker = join(scratch, "python-ran");
    const code = `import os\nos.system("touch ${marker}")\nopen(${JSON.stringify(marker)}, "w").write("ran")\n`;
    // Control: the snippet really does create the file when it is run.
    spawnSync("python3", ["-c", code]);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    expect(await syntaxCheckTool.invoke({ language: "python", code })).toBe("OK: no syntax errors");
    expect(existsSync(marker)).toBe(false);
  });

  it("says so clearly when python3 is missing or is not Python", async () => {
    const missing = createSyntaxCheckTool({ pythonCommand: join(scratch, "no-such-python") });
    expect(await missing.invoke({ language: "python", code: "x = 1" })).toMatch(
      /^Error: the syntax check could not run: .*was not found; install Python 3/,
    );
    const notPython = createSyntaxCheckTool({ pythonCommand: fakeInterpreter("false", "exit 3") });
    expect(await notPython.invoke({ language: "python", code: "x = 1" })).toMatch(
      /exited with code 3 without an answer; is the command Python 3\?/,
    );
  });

  it.skipIf(process.platform === "win32")(
    "kills a checker that runs past the time limit",
    async () => {
      // Starts (says it is ready), then never answers.
      const hanging = fakeInterpreter("hang", `printf '{"ready": true}\\n'\nexec sleep 60`);
      const result = await checkSyntax("python", "x = 1", {
        pythonCommand: hanging,
        timeoutMs: 200,
      });
      expect(result).toEqual({
        status: "failed",
        reason: "parsing took longer than 200 ms and was stopped; check a smaller part of the code",
      });
    },
  );

  it.skipIf(process.platform === "win32")("caps the checker's output", async () => {
    // One endless line: never a complete answer.
    const chatty = fakeInterpreter("chatty", "exec tr '\\0' y < /dev/zero");
    expect(await checkSyntax("python", "x = 1", { pythonCommand: chatty })).toEqual({
      status: "failed",
      reason: "the Python checker printed more output than expected",
    });
  });

  it.skipIf(process.platform === "win32")("gives the checker no environment but PATH", async () => {
    process.env.SYNTAX_CHECK_TEST_SECRET = "do-not-pass-me";
    try {
      const echo = fakeInterpreter(
        "echo-env",
        `printf '{"ready": true}\\n{"ok": false, "line": 1, "column": 1, "message": "[%s|%s]"}' "$SYNTAX_CHECK_TEST_SECRET" "$#"`,
      );
      const result = await checkSyntax("python", "x = 1", { pythonCommand: echo });
      // No secret, and exactly the five fixed arguments: -I -S -B -c <script>.
      expect(result).toMatchObject({ errors: [{ message: "[|5]" }] });
    } finally {
      delete process.env.SYNTAX_CHECK_TEST_SECRET;
    }
  });
});

describe("syntax_check: TypeScript and JavaScript", () => {
  it("accepts valid TypeScript, including TSX", async () => {
    const code = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
    expect(await syntaxCheckTool.invoke({ language: "typescript", code })).toBe(
      "OK: no syntax errors",
    );
    expect(await checkSyntax("typescript", "const view = <div>{1 + 1}</div>;")).toEqual({
      status: "ok",
    });
  });

  it("lists every error with line:column", async () => {
    const code = "const x: number = ;\nfunction f(a string) {}\n";
    expect(await syntaxCheckTool.invoke({ language: "typescript", code })).toBe(
      "Found 2 syntax errors:\n1:19 Expression expected.\n2:14 ',' expected.",
    );
  });

  it("rejects TypeScript-only syntax in JavaScript and accepts JSX", async () => {
    expect(
      await syntaxCheckTool.invoke({ language: "javascript", code: "let n: number = 1;" }),
    ).toBe("Found 1 syntax error:\n1:8 Type annotations can only be used in TypeScript files.");
    expect(await checkSyntax("javascript", "const a = <b>hi</b>;")).toEqual({ status: "ok" });
  });

  it("counts errors beyond the first twenty", async () => {
    const answer = await syntaxCheckTool.invoke({ language: "javascript", code: "}".repeat(50) });
    expect(answer.split("\n")).toHaveLength(1 + 20 + 1);
    expect(answer).toMatch(/^Found 50 syntax errors:\n/);
    expect(answer).toMatch(/\n\.\.\. and 30 more$/);
  });

  it("parses but never runs the code", async () => {
    const marker = join(scratch, "node-ran");
    const code = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`;
    spawnSync(process.execPath, ["-e", code]);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    for (const language of ["javascript", "typescript"] as const) {
      expect(await syntaxCheckTool.invoke({ language, code })).toBe("OK: no syntax errors");
      expect(existsSync(marker)).toBe(false);
    }
  });

  it("stops a parse that backtracks for too long, then keeps working", async () => {
    // The TypeScript parser needs tens of seconds for this 280-character input.
    const result = await checkSyntax("typescript", "async (".repeat(40), { timeoutMs: 300 });
    expect(result).toEqual({
      status: "failed",
      reason: "parsing took longer than 300 ms and was stopped; check a smaller part of the code",
    });
    expect(await checkSyntax("typescript", "let ok = true;")).toEqual({ status: "ok" });
  });

  it("reports nesting too deep for the parser instead of crashing", async () => {
    expect(await checkSyntax("javascript", "(".repeat(50_000))).toEqual({
      status: "failed",
      reason: "the code nests too deeply for the TypeScript parser",
    });
  });
});

describe("syntax_check: limits and bad arguments", () => {
  it("refuses code over 200 KiB with a readable message", async () => {
    const code = "x = 1\n".repeat(Math.ceil((MAX_CODE_BYTES + 1) / 6));
    for (const language of ["python", "typescript"] as const) {
      expect(await syntaxCheckTool.invoke({ language, code })).toBe(
        "Error: the syntax check could not run: the code is 201 KiB; the limit is 200 KiB, so check a smaller part",
      );
    }
  });

  it("answers an unsupported language or missing code with how to call it", async () => {
    const rust = await syntaxCheckTool.invoke({ language: "rust", code: "fn main() {}" } as never);
    expect(rust).toMatch(
      /^Error: invalid arguments for syntax_check: .*expected one of "python"\|"typescript"\|"javascript".*at language/,
    );
    const reply = await syntaxCheckTool.invoke({
      type: "tool_call",
      id: "call-1",
      name: "syntax_check",
      args: { language: "python" } as never,
    });
    expect(reply).toBeInstanceOf(ToolMessage);
    expect(reply.status).toBe("error");
    expect(reply.content).toMatch(
      /expected string, received undefined → at code\. Call it like this/,
    );
  });
});

describe("syntax_check never throws out", () => {
  const anyCode = fc.oneof(
    fc.string({ unit: "binary", maxLength: 400 }),
    fc
      .array(
        fc.constantFrom(
          ..."(){}[]<>:;,.=+-*/'\"`\\\n\t #@!?$".split(""),
          "def ",
          "async ",
          "class ",
          "=>",
          "if ",
        ),
        { maxLength: 200 },
      )
      .map((parts) => parts.join("")),
  );

  it("for arbitrary TypeScript and JavaScript input", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("typescript" as const, "javascript" as const),
        anyCode,
        async (language, code) => {
          const answer = await syntaxCheckTool.invoke({ language, code });
          expect(answer).toMatch(/^(OK: no syntax errors|Found \d+ syntax errors?:\n|Error: )/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("for arbitrary Python input, always with the parser's own answer", async () => {
    // Python's parser always answers; "Error: ..." (no python3, a time-out) is a failure here.
    await fc.assert(
      fc.asyncProperty(anyCode, async (code) => {
        const answer = await syntaxCheckTool.invoke({ language: "python", code });
        expect(answer).toMatch(/^(OK: no syntax errors|Found 1 syntax error:\n(\d+:\d+ )?\S.*)$/s);
      }),
      { numRuns: 100 },
    );
  });

  it("for arbitrary arguments", async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (args) => {
        expect(typeof (await syntaxCheckTool.invoke(args as never))).toBe("string");
      }),
      { numRuns: 100 },
    );
  });
});
