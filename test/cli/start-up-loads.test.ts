/**
 * The CLI loads only what a command needs: `--help`, `--version`, `token` and
 * `review`'s argument checks never load LangChain, LangGraph, LangSmith, the
 * OpenAI SDK or zod (they are most of a `review`'s start-up). Checked by
 * recording every module the built CLI's process loads (an `--import` hook
 * over `module.registerHooks`), with `review` itself as the control that does
 * load them. What it costs in time is measured in bench/cli-start.bench.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-helpers.js";
import { cliEnv, tempHomeForTest } from "./review-helpers.js";

const HOOK = join(import.meta.dirname, "record-loads.mjs");
const HEAVY = [
  "/node_modules/@langchain/",
  "/node_modules/langsmith/",
  "/node_modules/openai/",
  "/node_modules/zod/",
];

/** Runs the built CLI with `args` and returns the exit code and the URLs of every module it loaded. */
async function loadsOf(args: string[]): Promise<{ code: number | null; urls: string[] }> {
  const home = tempHomeForTest();
  const file = join(home.dir, "loaded.txt");
  const env = cliEnv(home, { RECORD_LOADS_FILE: file });
  const run = await runCli(args, { env, nodeArgs: ["--import", HOOK] });
  return { code: run.code, urls: readFileSync(file, "utf8").split("\n") };
}

function heavy(urls: string[]): string[] {
  return urls.filter((url) => HEAVY.some((part) => url.includes(part)));
}

describe("what the CLI loads", { timeout: 60_000 }, () => {
  it("--help, --version and help for each command load no LangChain, OpenAI SDK or zod", async () => {
    for (const args of [
      ["--help"],
      ["--version"],
      [],
      ["review", "--help"],
      ["token", "--help"],
      ["local", "--help"],
    ]) {
      const { urls } = await loadsOf(args);
      expect(urls.some((url) => url.endsWith("/src/cli/main.js"))).toBe(true);
      expect(heavy(urls), args.join(" ")).toEqual([]);
    }
    // The top-level help and version load no AWS SDK either.
    for (const args of [["--help"], ["--version"]]) {
      const { urls } = await loadsOf(args);
      expect(
        urls.filter((url) => url.includes("/node_modules/")),
        args.join(" "),
      ).toEqual([]);
    }
  });

  it("token mints with the AWS credential chain alone", async () => {
    const { code, urls } = await loadsOf(["token", "--region", "us-west-2"]);
    expect(code).toBe(0);
    expect(heavy(urls)).toEqual([]);
    expect(
      urls.some((url) => url.includes("/node_modules/@aws-sdk/credential-provider-node/")),
    ).toBe(true);
  });

  it("review refuses bad arguments before loading LangChain, and loads it to run", async () => {
    const refused = await loadsOf(["review", "--max-rounds", "0", "Write a function"]);
    expect(refused.code).toBe(2);
    expect(heavy(refused.urls)).toEqual([]);
    // The control: a run (here one that stops at once, on a thread it does not have) loads them.
    const ran = await loadsOf(["review", "--resume", "no-such-thread"]);
    expect(ran.code).toBe(1);
    for (const part of HEAVY.slice(0, 3)) {
      expect(
        ran.urls.some((url) => url.includes(part)),
        part,
      ).toBe(true);
    }
  });
});
