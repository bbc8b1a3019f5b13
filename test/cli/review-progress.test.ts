/**
 * The `review` command's progress lines, written to a buffer: colour only when
 * asked for, terminal control sequences from model or tool text removed, long
 * tool arguments summarised.
 */
import { describe, expect, it } from "vitest";
import { formatArgs, ProgressPrinter, printable } from "../../agents/cli/progress.js";
import { colorEnabled, createStyle } from "../../src/cli/terminal.js";

function printer(color: boolean) {
  let text = "";
  const sink = { write: (chunk: string) => (text += chunk) };
  const progress = new ProgressPrinter(sink, createStyle(color), {
    coder: "agents / coder",
    reviewer: "agents / reviewer",
  });
  return { progress, output: () => text };
}

describe("review progress", () => {
  it("colours only a terminal without NO_COLOR or TERM=dumb", () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  it("prints rounds, tokens, tool calls and verdicts, breaking lines where needed", () => {
    const { progress, output } = printer(false);
    progress.handle({ type: "agent_start", agent: "coder", round: 1 });
    progress.handle({ type: "token", agent: "coder", step: 1, round: 1, text: "def f():" });
    progress.handle({
      type: "tool_call",
      agent: "coder",
      step: 1,
      round: 1,
      id: "c1",
      name: "syntax_check",
      args: { language: "python", code: "a\nb\nc" },
    });
    progress.handle({
      type: "tool_result",
      agent: "coder",
      step: 1,
      round: 1,
      id: "c1",
      name: "syntax_check",
      content: "OK: no syntax errors",
      isError: false,
    });
    progress.handle({
      type: "verdict",
      agent: "reviewer",
      round: 1,
      approved: false,
      comments: ["Validate the input."],
      source: "text",
    });
    progress.finish();
    expect(output()).toBe(
      [
        "",
        "Round 1 · coder (agents / coder)",
        "def f():",
        '  → syntax_check(language="python", code=<3 lines, 5 chars>)',
        "  ← OK: no syntax errors",
        "  Verdict: CHANGES REQUESTED (read from the text review)",
        "    - Validate the input.",
        "",
      ].join("\n"),
    );
  });

  it("uses ANSI colour when enabled", () => {
    const { progress, output } = printer(true);
    progress.handle({ type: "agent_start", agent: "reviewer", round: 2 });
    expect(output()).toContain("\u001b[36m");
  });

  it("removes control sequences a model could print, keeping newlines and tabs", () => {
    const { progress, output } = printer(false);
    progress.handle({
      type: "token",
      agent: "coder",
      step: 1,
      round: 1,
      text: "ok\u001b]0;owned\u0007\u001b[2J\tx\n",
    });
    expect(output()).toBe("ok]0;owned[2J\tx\n");
    expect(printable("a\u0000b\u009bc\r\n")).toBe("abc\n");
  });

  it("summarises long or multi-line arguments and keeps short ones as JSON", () => {
    expect(formatArgs({ expression: "9 / 5", n: 3 })).toBe('expression="9 / 5", n=3');
    expect(formatArgs({ code: "x".repeat(61) })).toBe("code=<1 line, 61 chars>");
  });
});
