/**
 * Running `sagemaker-openai-agents review` as a user does: a child process
 * (through tsx, from the source tree) with a clean environment whose data
 * directory is a fresh temporary folder.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

/** The outcome of a finished CLI run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temporary home for one test: HOME and XDG_DATA_HOME point into it. */
export interface TempHome {
  dir: string;
  /** The default state file under it. */
  statePath: string;
  /** Every byte of the state database and its write-ahead log, as latin1 text. */
  stateBytes(): string;
  remove(): void;
}

/** Makes a temporary home directory. */
export function tempHome(): TempHome {
  const dir = mkdtempSync(join(tmpdir(), "review-cli-"));
  const stateDir = join(dir, "data", "sagemaker-openai-agents");
  return {
    dir,
    statePath: join(stateDir, "state.sqlite"),
    stateBytes: () =>
      readdirSync(stateDir)
        .map((name) => readFileSync(join(stateDir, name)).toString("latin1"))
        .join("\n"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** {@link tempHome}, removed when the current test finishes (call it inside a test). */
export function tempHomeForTest(): TempHome {
  const home = tempHome();
  onTestFinished(() => home.remove());
  return home;
}

/** The task the review CLI tests give. */
export const REVIEW_TASK = "Write a function that converts Celsius to Fahrenheit";

/** A minimal environment: PATH, the temporary home, and (unless `credentials: false`) test credentials. */
export function cliEnv(
  home: TempHome,
  extra: Record<string, string> = {},
  options: { credentials?: boolean } = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home.dir,
    XDG_DATA_HOME: join(home.dir, "data"),
    // Never ask an instance metadata service for credentials from a test.
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: join(home.dir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home.dir, "no-aws-credentials"),
    ...(options.credentials === false
      ? {}
      : {
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        }),
    ...extra,
  };
}

/** Starts `review` with `args`. */
export function spawnReview(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "review", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr?.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `review` to the end. */
export function runReviewCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return finished(spawnReview(args, env));
}

/** Resolves with stdout so far once it matches `pattern`. */
export function stdoutMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout?.on("data", (data: Buffer) => {
      stdout += data.toString();
      if (pattern.test(stdout)) resolve(stdout);
    });
    child.on("close", () => reject(new Error(`exited before printing ${pattern}:\n${stdout}`)));
  });
}

/** The thread id a human-mode run printed. */
export function threadIdIn(stdout: string): string {
  const match = /Thread ([0-9a-f-]{36})/.exec(stdout);
  if (match?.[1] === undefined) throw new Error(`no thread id in:\n${stdout}`);
  return match[1];
}
