/**
 * `review --base-url` against a local endpoint the test starts (as it would go
 * through a proxy or a VPC endpoint): the two agents on their own inference
 * component routes, and the bad configurations a user hits, each ending with
 * one line and a non-zero exit.
 */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { agentsEndpointForTest } from "../agents/helpers.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import { cliEnv, runReviewCli, REVIEW_TASK as TASK, tempHomeForTest } from "./review-helpers.js";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 1;
}

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("review against an endpoint", { timeout: 120_000 }, () => {
  it("sends the coder and the reviewer to their own inference components", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const run = await runReviewCli(
      [TASK, "--base-url", local.url, "--region", "us-west-2", "--json"],
      cliEnv(home),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ approved: true, rounds: 2 });
    const byComponent = new Map<string | null, Set<string>>();
    for (const entry of local.requests) {
      const paths = byComponent.get(entry.component) ?? new Set<string>();
      paths.add(entry.path);
      byComponent.set(entry.component, paths);
    }
    expect(byComponent).toEqual(
      new Map([
        [
          "coder",
          new Set(["/endpoints/agents/inference-components/coder/openai/v1/chat/completions"]),
        ],
        [
          "reviewer",
          new Set(["/endpoints/agents/inference-components/reviewer/openai/v1/chat/completions"]),
        ],
      ]),
    );
    // Every request carried a token the endpoint verified against the test's key.
    expect(local.requests.every((entry) => entry.status === 200)).toBe(true);
    expect(new Set(local.requests.map((entry) => entry.accessKeyId))).toEqual(
      new Set([TEST_CREDENTIALS.accessKeyId]),
    );
  });

  it("takes the endpoint and components from the environment", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const env = cliEnv(home, {
      AWS_REGION: "us-west-2",
      SAGEMAKER_ENDPOINT_NAME: "agents",
      SAGEMAKER_CODER_COMPONENT: "coder",
      SAGEMAKER_REVIEWER_COMPONENT: "reviewer",
    });
    const run = await runReviewCli([TASK, "--base-url", local.url, "--max-rounds", "1"], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      "Coder: agents / coder · Reviewer: agents / reviewer (us-west-2 via",
    );
    expect(run.stdout).not.toContain("Offline demo");
    expect(new Set(local.requests.map((entry) => entry.component))).toEqual(
      new Set(["coder", "reviewer"]),
    );
  });

  it("an unknown inference component: one line naming it, exit 1", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const run = await runReviewCli(
      [TASK, "--base-url", local.url, "--endpoint", "agents", "--coder-component", "nope"],
      cliEnv(home, { AWS_REGION: "us-west-2" }),
    );
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, /nope.*Check the endpoint and inference component names/);
  });

  it("an invalid region: from --region bad usage (exit 2), from AWS_REGION exit 1, before any request", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const env = cliEnv(home, { AWS_REGION: "not a region" });
    const flag = await runReviewCli(
      [TASK, "--base-url", local.url, "--region", "us-west-2.evil.com"],
      env,
    );
    expect(flag.code).toBe(2);
    expect(flag.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^Invalid AWS region "us-west-2\.evil\.com" from the --region option: /,
      ),
      "See: sagemaker-openai-agents review --help",
    ]);
    const fromEnv = await runReviewCli(
      [TASK, "--base-url", local.url, "--endpoint", "agents"],
      env,
    );
    expect(fromEnv.code).toBe(1);
    expectOneLine(
      fromEnv.stderr,
      /^error \[INVALID_REGION\]: Invalid AWS region "not a region" from the AWS_REGION environment variable/,
    );
    expect(local.requests).toHaveLength(0);
  });

  it("no credentials: one line saying how to configure them, exit 1", async () => {
    const home = tempHomeForTest();
    const run = await runReviewCli(
      [TASK],
      cliEnv(
        home,
        { AWS_REGION: "us-west-2", SAGEMAKER_ENDPOINT_NAME: "my-endpoint" },
        { credentials: false },
      ),
    );
    expect(run.code).toBe(1);
    expectOneLine(
      run.stderr,
      /^error \[CREDENTIALS_UNAVAILABLE\]: .*offline against the local demo model/,
    );
  });

  it("an unreachable endpoint: one line, exit 1", async () => {
    const home = tempHomeForTest();
    const port = await closedPort();
    const run = await runReviewCli(
      [TASK, "--base-url", `http://127.0.0.1:${port}`, "--max-retries", "0"],
      cliEnv(home),
    );
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, /^error \[CONNECTION_FAILED\]: .*reachable.*--resume [0-9a-f-]{36}$/);
  });

  it("refuses plain http to a host that is not loopback unless --allow-insecure-http, the flag it names", async () => {
    const home = tempHomeForTest();
    const run = await runReviewCli([TASK, "--base-url", "http://example.com"], cliEnv(home));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("or pass --allow-insecure-http.");
    expect(run.stderr).not.toContain("allowInsecureHttp");
    // An endpoint on 0.0.0.0 (all interfaces): not a loopback name, and reachable by it here.
    const local = await agentsEndpointForTest({}, { host: "0.0.0.0", allowNonLoopback: true });
    const url = local.url.replace("127.0.0.1", "0.0.0.0");
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const refused = await runReviewCli([TASK, "--base-url", url, "--json"], cliEnv(home));
    expect(refused.code).toBe(2);
    const allowed = await runReviewCli(
      [TASK, "--base-url", url, "--allow-insecure-http", "--json"],
      cliEnv(home),
    );
    expect(allowed.stderr).toBe("");
    expect(allowed.code).toBe(0);
    expect(local.requests.length).toBeGreaterThan(0);
  });
});
