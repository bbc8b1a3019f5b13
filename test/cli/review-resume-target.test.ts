/**
 * `review --resume` goes back to where the run was started: with no endpoint
 * settings it resumes against the saved base URL (not the offline demo), a
 * different target is refused, and the saved target holds names only.
 */
import { describe, expect, it } from "vitest";
import { agentsEndpointForTest, FROM_FIRST_REVIEW } from "../agents/helpers.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import {
  cliEnv,
  runReviewCli,
  REVIEW_TASK as TASK,
  type TempHome,
  tempHomeForTest,
  threadIdIn,
} from "./review-helpers.js";

/** Starts a run against `url` that stops after round 1's coder (the reviewer refuses); returns its thread. */
async function stoppedRun(
  home: TempHome,
  local: Awaited<ReturnType<typeof agentsEndpointForTest>>,
): Promise<string> {
  local.injectFault({ endpoint: "agents", component: "reviewer", status: 503, count: "always" });
  const failed = await runReviewCli(
    [TASK, "--base-url", local.url, "--region", "us-west-2", "--max-retries", "0"],
    cliEnv(home),
  );
  expect(failed.code).toBe(1);
  local.clearFaults();
  return threadIdIn(failed.stdout);
}

describe("review --resume keeps the run's target", { timeout: 180_000 }, () => {
  it("resumes against the saved base URL when no target is given, and saves no secret", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const threadId = await stoppedRun(home, local);
    const before = local.requests.length;
    const resumed = await runReviewCli(["--resume", threadId, "--json"], cliEnv(home));
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ threadId, approved: true, rounds: 2 });
    // The whole rest of the run reached the saved endpoint (the demo would leave its log untouched).
    expect(local.requests.slice(before).map((entry) => entry.component)).toEqual([
      ...FROM_FIRST_REVIEW,
    ]);
    const bytes = home.stateBytes();
    expect(bytes).toContain(local.url);
    expect(bytes).not.toContain("sagemaker-api-key-");
    expect(bytes).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });

  it("refuses a different target with one line and exit 2, sending it nothing", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const other = await agentsEndpointForTest();
    const threadId = await stoppedRun(home, local);
    const before = local.requests.length;
    for (const args of [
      ["--base-url", other.url, "--region", "us-west-2"],
      ["--base-url", local.url, "--region", "eu-west-1"],
      ["--base-url", local.url, "--endpoint", "agents", "--region", "us-west-2"],
    ]) {
      const refused = await runReviewCli(["--resume", threadId, ...args], cliEnv(home));
      expect(refused.code).toBe(2);
      const lines = refused.stderr.trimEnd().split("\n");
      expect(lines, refused.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^error \\[TARGET_MISMATCH\\]: run ${threadId} was started against .*${local.url}`,
        ),
      );
      expect(refused.stdout).toBe("");
    }
    expect(other.requests).toHaveLength(0);
    expect(local.requests.length).toBe(before);
  });
});
