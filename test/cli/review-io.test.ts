/**
 * `review`'s input and output as a user meets them, on the built CLI: the task
 * from stdin (`review -`) or a file (`--task-file`) within the 20,000-character
 * limit; each reviewer comment printed once; `--json` as exactly one JSON
 * document on stdout whatever else prints (a dependency writing to stdout, a
 * status line on a terminal, npm); colour and the status line following
 * FORCE_COLOR, NO_COLOR and whether stderr is a terminal; the resume command
 * an error prints, run as printed.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentsEndpointForTest } from "../agents/helpers.js";
import { binDirForTest, ROOT, runCli, runSuggestion, suggestedCommand } from "./cli-helpers.js";
import {
  cliEnv,
  finished,
  REVIEW_TASK as TASK,
  tempHomeForTest,
  threadIdIn,
} from "./review-helpers.js";

const LIMIT = 20_000;
const ESC = "\u001b[";

function env(extra: Record<string, string> = {}): Record<string, string> {
  return cliEnv(tempHomeForTest(), extra);
}

/** Parses `stdout` as exactly one JSON document (one line), failing on anything else. */
function onlyJson(stdout: string): { task: string; reviews: Array<{ comments: string[] }> } {
  const lines = stdout.trimEnd().split("\n");
  expect(lines, stdout).toHaveLength(1);
  return JSON.parse(lines[0] ?? "");
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** A multi-line task of exactly the limit's length. */
function taskAtLimit(): string {
  const head = `${TASK}.\n\nKeep it in one function;\nno classes.\n`;
  return head + "x".repeat(LIMIT - head.length);
}

describe("review's task input", { timeout: 60_000 }, () => {
  it("reads a task of exactly 20,000 characters from stdin with `review -`, and from --task-file", async () => {
    const home = tempHomeForTest();
    const task = taskAtLimit();
    expect(task).toHaveLength(LIMIT);
    const file = join(home.dir, "task.txt");
    writeFileSync(file, `${task}\n`);
    const [fromStdin, fromFile] = await Promise.all([
      runCli(["review", "-", "--json", "--max-rounds", "1"], {
        env: cliEnv(home),
        input: `${task}\n`,
      }),
      runCli(["review", "--task-file", file, "--json", "--max-rounds", "1"], { env: cliEnv(home) }),
    ]);
    for (const run of [fromStdin, fromFile]) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(3);
      expect(onlyJson(run.stdout).task).toBe(task);
    }
  });

  it("refuses 20,001 characters from every source with exit 2", async () => {
    const home = tempHomeForTest();
    const over = "x".repeat(LIMIT + 1);
    const file = join(home.dir, "long.txt");
    writeFileSync(file, over);
    const refusals = await Promise.all([
      runCli(["review", "-"], { env: cliEnv(home), input: over }),
      runCli(["review", "--task-file", file], { env: cliEnv(home) }),
      runCli(["review", over], { env: cliEnv(home) }),
      // Far over the limit: refused without reading it all.
      runCli(["review", "-"], { env: cliEnv(home), input: "y".repeat(LIMIT * 10) }),
    ]);
    const messages = refusals.map((run) => {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      const [message, pointer] = run.stderr.trimEnd().split("\n");
      expect(pointer).toBe("See: sagemaker-openai-agents review --help");
      return message;
    });
    expect(messages).toEqual([
      "The task from stdin is 20,001 characters long; the limit is 20,000.",
      `The task from --task-file ${file} is 20,001 characters long; the limit is 20,000.`,
      "The task is 20,001 characters long; the limit is 20,000.",
      "The task from stdin is longer than the limit of 20,000 characters.",
    ]);
  });

  it("refuses an empty task, a missing file and two task sources with exit 2", async () => {
    const home = tempHomeForTest();
    const cases: Array<[string[], string | undefined, RegExp]> = [
      [["review", "-"], "  \n", /^The task from stdin is empty\.$/],
      [
        ["review", "--task-file", join(home.dir, "nope.txt")],
        undefined,
        /^--task-file cannot read ".*nope\.txt" \(ENOENT\)\.$/,
      ],
      [
        ["review", TASK, "--task-file", "x.txt"],
        undefined,
        /^Give the task as an argument or with --task-file, not both\.$/,
      ],
      [["review", "--resume", "abc", "-"], "", /^--resume continues a saved run with its own task/],
      [
        ["review"],
        undefined,
        /^Say what to build: review "Write a function that \.\.\.", review - \(stdin\) or --task-file FILE\.$/,
      ],
    ];
    const runs = await Promise.all(
      cases.map(([args, input]) =>
        runCli(args, { env: cliEnv(home), ...(input === undefined ? {} : { input }) }),
      ),
    );
    runs.forEach((run, i) => {
      const [args, , message] = cases[i] ?? [[], undefined, /^$/];
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(message);
    });
  });

  it("states the limit and the task sources in --help", async () => {
    const help = await runCli(["review", "--help"], { env: env() });
    expect(help.stdout).toContain("at most 20,000 characters");
    expect(help.stdout).toContain("sagemaker-openai-agents review - [options] < task.txt");
    expect(help.stdout).toContain("--task-file FILE");
  });
});

describe("review's output", { timeout: 60_000 }, () => {
  it("--json is one JSON document even when a dependency prints to stdout mid-run; the terminal output prints each reviewer comment once", async () => {
    const home = tempHomeForTest();
    // Prints to stdout whenever the in-process demo endpoint takes a request, as a chatty library would.
    const noisy = `data:text/javascript,${encodeURIComponent(
      'import dc from "node:diagnostics_channel"; dc.subscribe("http.server.request.start", () => console.log("noise from a dependency"));',
    )}`;
    const [json, human] = await Promise.all([
      runCli(["review", TASK, "--json"], { env: cliEnv(home), nodeArgs: ["--import", noisy] }),
      runCli(["review", TASK], { env: cliEnv(home) }),
    ]);
    expect(json.code).toBe(0);
    const result = onlyJson(json.stdout);
    expect(result.task).toBe(TASK);
    expect(json.stderr).toContain("noise from a dependency");

    const comments = result.reviews.flatMap((review) => review.comments);
    expect(comments.length).toBeGreaterThanOrEqual(2);
    expect(human.code).toBe(0);
    for (const comment of comments) expect(occurrences(human.stdout, comment), comment).toBe(1);
    expect(human.stdout).toContain("Verdict: CHANGES REQUESTED");
    expect(human.stdout).toContain("Result: Approved in round 2.");
    // Not a terminal, no FORCE_COLOR: no colour, and nothing on stderr (no status line).
    expect(human.stdout).not.toContain(ESC);
    expect(human.stderr).toBe("");
  });

  it("gives pure JSON through `npm start --silent -- … --json`", async () => {
    const run = await finished(
      spawn("npm", ["start", "--silent", "--", TASK, "--json", "--max-rounds", "1"], {
        cwd: ROOT,
        env: env({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` }),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(onlyJson(run.stdout).task).toBe(TASK);
  });

  it("shows a coloured status line on a terminal's stderr while --json's stdout stays pure; none for TERM=dumb", async () => {
    const [tty, dumb] = await Promise.all([
      runCli(["review", TASK, "--json"], { env: env(), stderrTty: true }),
      runCli(["review", TASK, "--json", "--max-rounds", "1"], {
        env: env({ TERM: "dumb" }),
        stderrTty: true,
      }),
    ]);
    expect(tty.code).toBe(0);
    expect(onlyJson(tty.stdout).task).toBe(TASK);
    expect(tty.stderr).toContain("Round 1 · reviewer (agents / reviewer): running syntax_check…");
    expect(tty.stderr).toContain("Round 2 · coder (agents / coder)");
    expect(tty.stderr).toContain(`${ESC}2m`);
    // Drawn in place and erased at the end: the last thing on the terminal is an erased line.
    expect(tty.stderr.endsWith(`\r${ESC}2K`)).toBe(true);
    expect(onlyJson(dumb.stdout).task).toBe(TASK);
    expect(dumb.stderr).toBe("");
  });

  it("colours stdout with FORCE_COLOR off a terminal, and the status line not at all with NO_COLOR", async () => {
    const [forced, noColor] = await Promise.all([
      runCli(["review", TASK, "--max-rounds", "1"], { env: env({ FORCE_COLOR: "1" }) }),
      runCli(["review", TASK, "--json", "--max-rounds", "1"], {
        env: env({ NO_COLOR: "1" }),
        stderrTty: true,
      }),
    ]);
    expect(forced.stdout).toContain(`${ESC}36m`);
    // The status line follows the terminal, not FORCE_COLOR.
    expect(forced.stderr).toBe("");
    expect(noColor.stderr).toContain("Round 1 · coder");
    expect(noColor.stderr).not.toContain(`${ESC}2m`);
  });
});

describe("review's printed commands", { timeout: 60_000 }, () => {
  it("the resume command a failed run prints works as printed, with a --state path that needs quoting", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const state = join(home.dir, "my runs", "it's here.sqlite");
    mkdirSync(dirname(state), { recursive: true });
    const environment = cliEnv(home);
    local.injectFault({ endpoint: "agents", component: "reviewer", status: 503, count: "always" });
    const failed = await runCli(
      ["review", TASK, "--base-url", local.url, "--state", state, "--max-retries", "0"],
      { env: environment },
    );
    expect(failed.code).toBe(1);
    const threadId = threadIdIn(failed.stdout);
    const command = suggestedCommand(failed.stderr, /continue it with/);
    expect(command).toBe(
      `sagemaker-openai-agents review --resume ${threadId} --state '${dirname(state)}/it'\\''s here.sqlite'`,
    );
    local.clearFaults();
    const resumed = await runSuggestion(command, environment, binDirForTest());
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("Result: Approved in round 2.");
  });
});
