/**
 * The `token` subcommand when credentials never come: a real child process
 * whose AWS config names a `credential_process` that sleeps. The command must
 * end with CREDENTIALS_UNAVAILABLE once the credentials time limit passes,
 * although the sleeping process it started is still running.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

let dir: string | undefined;

afterEach(() => {
  if (dir === undefined) return;
  // The sleeping credential_process outlives the command; end it here.
  const pidFile = join(dir, "pid");
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs the CLI to its end; a hung CLI is killed after 25 s, which fails the test. */
function runCli(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "token", ...args],
        { env, timeout: 25_000, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr += text;
      });
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stderr }));
    },
  );
}

describe("sagemaker-openai-agents token with a credential_process that sleeps", () => {
  it("ends with CREDENTIALS_UNAVAILABLE after --credentials-timeout-ms", async () => {
    dir = mkdtempSync(join(tmpdir(), "token-timeout-"));
    const config = join(dir, "config");
    writeFileSync(
      config,
      "[default]\nregion = us-west-2\n" +
        `credential_process = sh -c 'echo $$ > ${join(dir, "pid")}; exec sleep 120'\n`,
    );
    const run = await runCli(["--credentials-timeout-ms", "2000"], {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error [CREDENTIALS_UNAVAILABLE]");
    expect(run.stderr).toContain("did not answer within 2000 ms");
    expect(run.stderr).toContain("--credentials-timeout-ms");
    // The credential_process did start, and was still asleep when the command ended.
    const pid = Number(readFileSync(join(dir, "pid"), "utf8").trim());
    expect(() => process.kill(pid, 0)).not.toThrow();
  });

  it("refuses a --credentials-timeout-ms out of range as bad usage", async () => {
    const run = await runCli(["--credentials-timeout-ms", "0"], {
      PATH: process.env.PATH ?? "",
      HOME: tmpdir(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--credentials-timeout-ms takes a whole number from 1 to 3600000");
  });
});
