/**
 * `sagemaker-openai-agents local` as a user runs it: a real process that prints
 * its base URLs, serves the default demo endpoints (answering the openai SDK
 * with a token minted from the same environment credentials), and exits 0 on
 * SIGTERM. Also its refusals: bad flags, no credentials, a non-loopback host.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { mintToken, TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

const BASE_ENV = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
};

function cli(args: string[], env: Record<string, string> = BASE_ENV): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "local", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Collects output until `until` matches stdout or the process exits. */
function output(
  child: ChildProcess,
  until?: RegExp,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (data: Buffer) => {
      stdout += data.toString();
      if (until?.test(stdout)) resolve({ stdout, stderr, code: null });
    });
    child.stderr?.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    child.on("exit", (code) => resolve({ stdout, stderr, code }));
  });
}

describe("sagemaker-openai-agents local", () => {
  it("serves the default endpoints until SIGTERM, then exits 0", async () => {
    const child = cli(["--port", "0"]);
    const started = await output(child, /Stop with Ctrl\+C\.\n/);
    expect(started.code).toBeNull();
    const urls = [...started.stdout.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/endpoints\/\S+)/g)].map(
      (m) => m[1] ?? "",
    );
    expect(started.stdout).toContain("(region eu-west-1)");
    expect(urls.map((url) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ""))).toEqual([
      "/endpoints/demo/openai/v1",
      "/endpoints/agents/inference-components/coder/openai/v1",
      "/endpoints/agents/inference-components/reviewer/openai/v1",
    ]);

    const token = await mintToken({ region: "eu-west-1" });
    for (const baseURL of urls) {
      const client = new OpenAI({ baseURL, apiKey: token, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: "",
        messages: [
          { role: "user", content: "Write a function that converts Celsius to Fahrenheit." },
        ],
      });
      expect(completion.object).toBe("chat.completion");
      expect(completion.choices).toHaveLength(1);
    }

    const exited = output(child);
    child.kill("SIGTERM");
    const done = await exited;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain("SIGTERM: closing the local endpoint.");
  });

  it("reads a YAML config and stops on SIGINT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-cli-"));
    const file = join(dir, "local.yaml");
    writeFileSync(file, "endpoints:\n  ep1:\n    backend: { type: demo, toolCalls: hermes }\n");
    const child = cli(["--config", file]);
    const started = await output(child, /Stop with Ctrl\+C\.\n/);
    expect(started.stdout).toMatch(/ep1 +http:\/\/127\.0\.0\.1:\d+\/endpoints\/ep1\/openai\/v1\n/);
    const exited = output(child);
    child.kill("SIGINT");
    expect((await exited).code).toBe(0);
  });

  it("refuses bad flags with exit code 2", async () => {
    const [port, bogus] = await Promise.all([
      output(cli(["--port", "http"])),
      output(cli(["--bogus"])),
    ]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port takes a whole number from 0 to 65535");
    expect(bogus.code).toBe(2);
  });

  it("fails with LOCAL_NO_CREDENTIALS when the environment has no credentials", async () => {
    const noCredentials = await output(cli([], { PATH: BASE_ENV.PATH, HOME: BASE_ENV.HOME }));
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr).toContain("error [LOCAL_NO_CREDENTIALS]");
  });

  it("refuses a non-loopback host without --allow-non-loopback, naming the flag", async () => {
    const exposed = await output(cli(["--host", "0.0.0.0"]));
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain("Add --allow-non-loopback if you mean it.");
  });
});
