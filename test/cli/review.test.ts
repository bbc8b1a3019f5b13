/**
 * `sagemaker-openai-agents review` with no endpoint configured: a real process
 * that starts the local endpoint in-process and runs the coder/reviewer graph
 * offline against the demo model, in each output mode.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cliEnv, runReviewCli, type TempHome, tempHome, threadIdIn } from "./review-helpers.js";

const TASK = "Write a function that converts Celsius to Fahrenheit";

let home: TempHome | undefined;
afterEach(() => {
  home?.remove();
  home = undefined;
});

describe("review, offline demo", { timeout: 120_000 }, () => {
  it("shows each round's agent, tool calls with arguments and results, tokens, verdicts and the result", async () => {
    home = tempHome();
    const run = await runReviewCli([TASK], cliEnv(home, {}, { credentials: false }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(
      /^Offline demo: the local SageMaker OpenAI endpoint at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(out).toContain("signed with credentials generated for this run");
    expect(out).toContain("set AWS_REGION and SAGEMAKER_ENDPOINT_NAME");
    const threadId = threadIdIn(out);
    expect(out).toContain(`saved in ${home.statePath}`);
    const order = [
      "Round 1 · coder (agents / coder)",
      '→ calculator(expression="9 / 5")',
      "← 1.8",
      "def celsius_to_fahrenheit",
      "Round 1 · reviewer (agents / reviewer)",
      '→ syntax_check(language="python", code=<14 lines',
      "← OK: no syntax errors",
      "CHANGES REQUESTED: Validate the input",
      "Verdict: CHANGES REQUESTED",
      "Round 2 · coder (agents / coder)",
      "raise ValueError",
      "Round 2 · reviewer (agents / reviewer)",
      "Verdict: APPROVED",
      "Result: Approved in round 2.",
      "Final code:",
      `Thread ${threadId}`,
    ];
    let at = 0;
    for (const piece of order) {
      const found = out.indexOf(piece, at);
      expect(found, `"${piece}" after position ${at}`).toBeGreaterThanOrEqual(at);
      at = found + piece.length;
    }
    // Not a terminal: no colour codes.
    expect(out).not.toContain("\u001b[");
  });

  it("--json prints one machine-readable result and nothing else", async () => {
    home = tempHome();
    const run = await runReviewCli([TASK, "--json"], cliEnv(home));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? "");
    expect(Object.keys(result).sort()).toEqual(
      [
        "approved",
        "code",
        "language",
        "reviews",
        "rounds",
        "stopReason",
        "task",
        "threadId",
      ].sort(),
    );
    expect(result).toMatchObject({
      task: TASK,
      approved: true,
      rounds: 2,
      stopReason: "approved",
      language: "python",
    });
    expect(result.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.code).toContain("raise ValueError");
    expect(result.reviews).toEqual([
      {
        round: 1,
        approved: false,
        comments: [expect.stringMatching(/^Validate the input/)],
        source: "structured",
      },
      { round: 2, approved: true, comments: [expect.any(String)], source: "structured" },
    ]);
  });

  it("--quiet prints only the final code", async () => {
    home = tempHome();
    const run = await runReviewCli([TASK, "--quiet"], cliEnv(home));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^ABSOLUTE_ZERO_CELSIUS: float = -273\.15\n/);
    expect(run.stdout).toContain("raise ValueError");
    expect(run.stdout).not.toMatch(/Round|Thread|```|Offline/);
  });

  it("stops at --max-rounds without approval, exits 3, and --resume of the finished thread reprints it", async () => {
    home = tempHome();
    const env = cliEnv(home);
    const run = await runReviewCli([TASK, "--max-rounds", "1", "--json"], env);
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ approved: false, rounds: 1, stopReason: "max_rounds" });
    expect(result.reviews).toHaveLength(1);
    const again = await runReviewCli(["--resume", result.threadId, "--json"], env);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toEqual(result);
  });

  it("refuses bad usage with one line and exit 2", async () => {
    home = tempHome();
    const env = cliEnv(home);
    const cases = [
      [],
      [TASK, "--json", "--quiet"],
      [TASK, "--max-rounds", "0"],
      [TASK, "--bogus"],
      ["--resume", "abc", TASK],
      [TASK, "--coder-component", "coder"],
    ];
    for (const args of cases) {
      const run = await runReviewCli(args, env);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines, run.stderr).toHaveLength(2);
      expect(lines[1]).toBe("See: sagemaker-openai-agents review --help");
    }
    const help = await runReviewCli(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: sagemaker-openai-agents review");
  });

  it("says so when asked to resume a thread it does not have", async () => {
    home = tempHome();
    const run = await runReviewCli(["--resume", "no-such-thread"], cliEnv(home));
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^error \[UNKNOWN_THREAD\]: no saved run with thread id no-such-thread in /,
      ),
    ]);
  });
});
