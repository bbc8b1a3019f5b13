/**
 * `local` and `token` find the region the same way (flag, AWS_REGION,
 * AWS_DEFAULT_REGION, the profile's region; `local` alone falls back to
 * us-west-2), and the token command the `local` banner prints, run exactly as
 * printed, gives a token that endpoint accepts. Built CLI, real processes.
 */
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { describe, expect, it, onTestFinished } from "vitest";
import { decodeToken } from "../../src/auth/index.js";
import { binDirForTest, runCli, runSuggestion, spawnCli, suggestedCommand } from "./cli-helpers.js";
import { cliEnv, stdoutMatching, tempHomeForTest } from "./review-helpers.js";

/** Starts `local` and resolves with its banner once it says how to stop it. */
async function startLocal(
  env: Record<string, string>,
): Promise<{ banner: string; child: ChildProcess }> {
  const child = spawnCli(["local", "--port", "0"], { env });
  onTestFinished(() => {
    child.kill("SIGTERM");
  });
  const banner = await stdoutMatching(child, /Stop with Ctrl\+C\.\n/);
  return { banner, child };
}

function regionIn(banner: string): string {
  const match = /\(region ([a-z0-9-]+)\)/.exec(banner);
  if (match?.[1] === undefined) throw new Error(`no region in:\n${banner}`);
  return match[1];
}

/** Calls the banner's `demo` endpoint with `token`; resolves with the completion's object type. */
async function callDemo(banner: string, token: string): Promise<string> {
  const baseURL = /(http:\/\/127\.0\.0\.1:\d+\/endpoints\/demo\/openai\/v1)/.exec(banner)?.[1];
  const client = new OpenAI({ baseURL, apiKey: token, maxRetries: 0 });
  const completion = await client.chat.completions.create({
    model: "",
    messages: [{ role: "user", content: "Say hello." }],
  });
  return completion.object;
}

describe("local and token agree on the region", { timeout: 60_000 }, () => {
  it("with no region configured: local says us-west-2 and its printed token command works as printed", async () => {
    const env = cliEnv(tempHomeForTest());
    const { banner } = await startLocal(env);
    expect(regionIn(banner)).toBe("us-west-2");
    const command = suggestedCommand(banner);
    expect(command).toBe("sagemaker-openai-agents token --region us-west-2 --show-token");
    const minted = await runSuggestion(command, env, binDirForTest());
    expect(minted.code, minted.stderr).toBe(0);
    const token = minted.stdout.trim();
    expect(decodeToken(token).region).toBe("us-west-2");
    expect(await callDemo(banner, token)).toBe("chat.completion");
  });

  it("with the region only in the AWS profile: both use it", async () => {
    const home = tempHomeForTest();
    const env = cliEnv(home);
    writeFileSync(
      env.AWS_CONFIG_FILE ?? join(home.dir, "config"),
      "[default]\nregion = eu-central-1\n",
    );
    const { banner } = await startLocal(env);
    expect(regionIn(banner)).toBe("eu-central-1");
    expect(suggestedCommand(banner)).toBe(
      "sagemaker-openai-agents token --region eu-central-1 --show-token",
    );
    // And `token` with no flag at all finds the same region.
    const minted = await runCli(["token", "--show-token"], { env });
    expect(minted.code, minted.stderr).toBe(0);
    expect(decodeToken(minted.stdout.trim()).region).toBe("eu-central-1");
    expect(await callDemo(banner, minted.stdout.trim())).toBe("chat.completion");
  });

  it("AWS_REGION wins over the profile for both, and --region over AWS_REGION", async () => {
    const home = tempHomeForTest();
    const env: Record<string, string> = { ...cliEnv(home), AWS_REGION: "ap-south-1" };
    writeFileSync(env.AWS_CONFIG_FILE ?? "", "[default]\nregion = eu-central-1\n");
    const [{ banner }, minted] = await Promise.all([
      startLocal(env),
      runCli(["token", "--show-token"], { env }),
    ]);
    expect(regionIn(banner)).toBe("ap-south-1");
    expect(decodeToken(minted.stdout.trim()).region).toBe("ap-south-1");
    const flagged = spawnCli(["local", "--port", "0", "--region", "sa-east-1"], { env });
    onTestFinished(() => {
      flagged.kill("SIGTERM");
    });
    expect(regionIn(await stdoutMatching(flagged, /Stop with Ctrl\+C\.\n/))).toBe("sa-east-1");
  });
});
