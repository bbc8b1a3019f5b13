/**
 * Durable runs: a `review` process that stops half way (the reviewer's
 * inference component down after retries, or the process killed mid-request)
 * continues with `--resume <thread>` from its last finished step. The local
 * endpoint's access log proves the coder's finished step is not redone, and
 * the SQLite file is checked for credentials.
 */
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequestBody } from "../../src/local/backend.js";
import { createBackend } from "../../src/local/backends/index.js";
import type { BackendContext, ChatBackend, LocalEndpoint } from "../../src/local/index.js";
import { agentsEndpointForTest, FROM_FIRST_REVIEW } from "../agents/helpers.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import {
  cliEnv,
  finished,
  runReviewCli,
  spawnReview,
  stdoutMatching,
  REVIEW_TASK as TASK,
  tempHomeForTest,
  threadIdIn,
} from "./review-helpers.js";

/** The demo reviewer, except that its first request hangs until the client goes away. */
function hangOnce(): ChatBackend & { arrived: Promise<void> } {
  const demo = createBackend({ type: "demo", script: "reviewer" });
  let arrive: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  let calls = 0;
  return {
    arrived,
    async complete(body: ChatCompletionRequestBody, context: BackendContext) {
      calls += 1;
      if (calls > 1) return demo.complete(body, context);
      arrive();
      await new Promise<void>((resolve) =>
        context.signal.addEventListener("abort", () => resolve()),
      );
      return { type: "json", status: 503, body: { message: "gone" } };
    },
  };
}

function components(entries: LocalEndpoint["requests"]): Array<string | null> {
  return entries.map((entry) => entry.component);
}

function expectNoSecrets(bytes: string): void {
  expect(bytes).toContain("celsius_to_fahrenheit");
  expect(bytes).not.toContain("sagemaker-api-key-");
  expect(bytes).not.toContain(TEST_CREDENTIALS.secretAccessKey);
}

describe("review --resume", { timeout: 180_000 }, () => {
  it("continues after the reviewer's component failed past its retries, without redoing the coder", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const env = cliEnv(home);
    const target = ["--base-url", local.url, "--region", "us-west-2"];
    local.injectFault({ endpoint: "agents", component: "reviewer", status: 503, count: "always" });
    const failed = await runReviewCli([TASK, ...target, "--max-retries", "1"], env);
    expect(failed.code).toBe(1);
    const lines = failed.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const threadId = threadIdIn(failed.stdout);
    expect(lines[0]).toMatch(/503/);
    expect(lines[0]).toContain(
      `continue it with sagemaker-openai-agents review --resume ${threadId}`,
    );
    // Round 1's coder finished (calculator call, then code); the reviewer was refused twice.
    expect(components(local.requests)).toEqual(["coder", "coder", "reviewer", "reviewer"]);

    local.clearFaults();
    const before = local.requests.length;
    const resumed = await runReviewCli(["--resume", threadId, ...target, "--json"], env);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ threadId, approved: true, rounds: 2 });
    expect(components(local.requests.slice(before))).toEqual([...FROM_FIRST_REVIEW]);
    expectNoSecrets(home.stateBytes());
  });

  it("stops on Ctrl-C with exit 130 and says how to resume", async () => {
    const home = tempHomeForTest();
    const reviewer = hangOnce();
    const local = await agentsEndpointForTest({ reviewer });
    const target = ["--base-url", local.url, "--region", "us-west-2"];
    const child = spawnReview([TASK, ...target], cliEnv(home));
    const done = finished(child);
    const shown = await stdoutMatching(child, /Round 1 · reviewer/);
    await reviewer.arrived;
    child.kill("SIGINT");
    const stopped = await done;
    expect(stopped.code).toBe(130);
    const threadId = threadIdIn(shown);
    expect(stopped.stderr).toBe(
      `Interrupted. The run is saved: continue it with sagemaker-openai-agents review --resume ${threadId}\n`,
    );
    const resumed = await runReviewCli(["--resume", threadId, ...target, "--json"], cliEnv(home));
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ approved: true, rounds: 2 });
  });

  it("continues a process killed while the reviewer was answering", async () => {
    const home = tempHomeForTest();
    const reviewer = hangOnce();
    const local = await agentsEndpointForTest({ reviewer });
    const env = cliEnv(home);
    const target = ["--base-url", local.url, "--region", "us-west-2"];
    const child = spawnReview([TASK, ...target], env);
    const done = finished(child);
    const shown = await stdoutMatching(child, /Round 1 · reviewer/);
    await reviewer.arrived;
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    const threadId = threadIdIn(shown);
    const coderCalls = components(local.requests).filter((c) => c === "coder").length;
    expect(coderCalls).toBe(2);

    const before = local.requests.length;
    const resumed = await runReviewCli(["--resume", threadId, ...target], env);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Thread ${threadId} (resumed from its last finished step)`);
    // The resumed run starts with round 1's review: the coder's finished step is not redone.
    expect(resumed.stdout.indexOf("Round 1 · reviewer")).toBeGreaterThan(-1);
    expect(resumed.stdout).not.toContain("Round 1 · coder");
    const after = components(local.requests.slice(before));
    expect(after[0]).toBe("reviewer");
    expect(after.filter((c) => c === "coder")).toHaveLength(1);
    expect(resumed.stdout).toContain("Result: Approved in round 2.");
    expectNoSecrets(home.stateBytes());
  });
});
