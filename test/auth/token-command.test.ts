/**
 * The `token` subcommand, run as a user runs it: a child process through the
 * CLI dispatcher, with credentials in the environment.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decodeToken } from "../../src/auth/index.js";

const env = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  AWS_ACCESS_KEY_ID: "ASIACLIEXAMPLE000001",
  AWS_SECRET_ACCESS_KEY: "cli-secret-key-example",
  AWS_SESSION_TOKEN: "cli-session-token-example",
  AWS_CONFIG_FILE: "/nonexistent/aws/config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};

function cli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "token", ...args], {
    encoding: "utf8",
    env,
  });
}

describe("sagemaker-openai-agents token", () => {
  it("prints the decoded summary and never the token by default", () => {
    const run = cli("--region", "ap-southeast-7", "--expires-in", "600");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("region          ap-southeast-7");
    expect(run.stdout).toContain("access key id   ASIACLIEXAMPLE000001");
    expect(run.stdout).toContain("session token   yes");
    expect(run.stdout).toContain("in 10 min");
    expect(run.stdout + run.stderr).not.toContain("sagemaker-api-key-");
    expect(run.stdout + run.stderr).not.toContain("cli-secret-key-example");
  });

  it("prints only the token on stdout with --show-token", () => {
    const run = cli("--region", "us-west-2", "--show-token");
    expect(run.status).toBe(0);
    const decoded = decodeToken(run.stdout.trim());
    expect(decoded.region).toBe("us-west-2");
    expect(decoded.expiresAt.getTime() - decoded.signedAt.getTime()).toBe(900_000);
    expect(run.stderr).toContain("access key id   ASIACLIEXAMPLE000001");
  });

  it("answers a bad flag with exit 2 naming it, and a missing region with REGION_UNRESOLVED", () => {
    const badRegion = cli("--region", "us-west-2.evil.com");
    expect(badRegion.status).toBe(2);
    expect(badRegion.stderr).toContain(
      'Invalid AWS region "us-west-2.evil.com" from the --region option',
    );
    const badLifetime = cli("--region", "us-west-2", "--expires-in", "43201");
    expect(badLifetime.status).toBe(2);
    expect(badLifetime.stderr).toContain("--expires-in takes a whole number from 1 to 43200");
    const unknown = cli("--bogus");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("See: sagemaker-openai-agents token --help");
    const noRegion = cli();
    expect(noRegion.status).toBe(1);
    expect(noRegion.stderr).toContain(
      "error [REGION_UNRESOLVED]: No AWS region configured: pass --region",
    );
  });
});
