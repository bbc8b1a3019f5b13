/**
 * The `deploy` and `cleanup` subcommands, run as a user runs them: a child
 * process through the CLI dispatcher, against moto (via the SDK's standard
 * AWS_ENDPOINT_URL_SAGEMAKER variable) where AWS is involved.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  DescribeEndpointCommand,
  DescribeModelCommand,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeploymentStep, planDeployment } from "../../src/deploy/index.js";
import { binDirForTest, runSuggestion, suggestedCommand } from "../cli/cli-helpers.js";
import {
  sagemakerResourceExists as exists,
  type MotoSageMaker,
  TEST_ROLE_ARN as ROLE,
  startMotoSageMaker,
} from "../helpers/deploy.js";
import { MOTO_CREDENTIALS, type Moto } from "../helpers/moto.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/cli/main.ts");
let aws: MotoSageMaker;
let moto: Moto;
let client: SageMakerClient;
let dir: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment every run gets: moto's credentials and endpoint, a home of its own. */
function cliEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    NODE_NO_WARNINGS: "1",
    AWS_REGION: "us-west-2",
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SAGEMAKER: moto.endpoint,
  };
}

async function cli(...args: string[]): Promise<Outcome> {
  const env = cliEnv();
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [MAIN, ...args], { cwd: dir, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  aws = await startMotoSageMaker("deploy-cli-");
  ({ moto, client, dir } = aws);
});

afterAll(() => aws?.close());

// Each run starts a Node process with tsx (about 2 s on the shared 2-core machine).
describe("sagemaker-openai-agents deploy", { timeout: 120_000 }, () => {
  it("--dry-run --json prints the same steps the library plans, and the record", async () => {
    const out = await cli(
      "deploy",
      ...[
        "--role-arn",
        ROLE,
        "--components",
        "coder,reviewer=Qwen/Qwen3-1.7B",
        "--instance-count",
        "2",
      ],
      ...[
        "--env",
        "SM_VLLM_MAX_NUM_SEQS=8",
        "--unset-env",
        "SAGEMAKER_ENABLE_LOAD_AWARE",
        "--suffix",
        "7",
      ],
      ...["--dry-run", "--json"],
    );
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as { steps: DeploymentStep[]; warnings: string[] };
    const expected = planDeployment({
      region: "us-west-2",
      roleArn: ROLE,
      instanceCount: 2,
      suffix: "7",
      model: { environment: { SM_VLLM_MAX_NUM_SEQS: "8", SAGEMAKER_ENABLE_LOAD_AWARE: null } },
      components: [
        { name: "coder" },
        { name: "reviewer", model: { hfModelId: "Qwen/Qwen3-1.7B" } },
      ],
    });
    expect(printed.steps).toEqual(expected.steps);
    expect(printed.warnings).toEqual(expected.warnings);
  });

  it("--dry-run prints the numbered calls and the cost warning", async () => {
    const out = await cli("deploy", "--role-arn", ROLE, "--suffix", "8", "--dry-run");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^1\. CreateModel$/m);
    expect(out.stdout).toMatch(/^3\. CreateEndpoint$/m);
    expect(out.stdout).toContain('"InstanceType": "ml.g6.2xlarge"');
    expect(out.stderr).toContain(
      "warning: This creates SageMaker endpoint openai-compat-sme-ep-8 on 1 x ml.g6.2xlarge",
    );
  });

  it("creates nothing without --yes, after printing the cost warning", async () => {
    const out = await cli(
      "deploy",
      "--role-arn",
      ROLE,
      "--instance-type",
      "ml.g4dn.xlarge",
      "--suffix",
      "9",
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("1 x ml.g4dn.xlarge");
    expect(out.stderr).toContain("Nothing was created.");
    const create = suggestedCommand(out.stderr, /To create the resources/);
    expect(create).toBe(
      `sagemaker-openai-agents deploy --role-arn ${ROLE} --instance-type ml.g4dn.xlarge --suffix 9 --yes`,
    );
    // The dry run it suggests runs as printed (the --yes one would create the endpoint).
    const dryRun = await runSuggestion(
      suggestedCommand(out.stderr, /To see every API call/),
      cliEnv(),
      binDirForTest(),
      dir,
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/^1\. CreateModel$/m);
    expect(
      await exists(() =>
        client.send(new DescribeModelCommand({ ModelName: "openai-compat-sme-model-9" })),
      ),
    ).toBe(false);
  });

  it("with --yes deploys to InService, and cleanup --record removes it all and the record", async () => {
    const suffix = `${process.pid}${Date.now() % 100_000}`;
    const endpoint = `openai-compat-sme-ep-${suffix}`;
    const deploy = await cli(
      "deploy",
      ...["--role-arn", ROLE, "--instance-type", "ml.g4dn.xlarge", "--suffix", suffix, "--yes"],
    );
    expect(deploy.code).toBe(0);
    expect(deploy.stderr).toContain(`${endpoint} is InService`);
    expect(deploy.stdout).toContain(
      `OpenAI base URL: https://runtime.sagemaker.us-west-2.amazonaws.com/endpoints/${endpoint}/openai/v1`,
    );
    const recordPath = join(dir, `${endpoint}.json`);
    expect(JSON.parse(await readFile(recordPath, "utf8"))).toMatchObject({
      endpointName: endpoint,
    });
    const status = await client.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
    expect(status.EndpointStatus).toBe("InService");

    // The clean-up command the deploy printed, run as printed.
    const printed = suggestedCommand(deploy.stdout, /Clean up/);
    expect(printed).toBe(`sagemaker-openai-agents cleanup --record ${endpoint}.json`);
    const bin = binDirForTest();
    const dry = await runSuggestion(`${printed} --dry-run`, cliEnv(), bin, dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split("\n").filter((l) => /^\d+\. /.test(l))).toEqual([
      "1. DeleteEndpoint",
      "2. DeleteEndpointConfig",
      "3. DeleteModel",
    ]);
    expect(existsSync(recordPath)).toBe(true);

    const cleanup = await runSuggestion(printed, cliEnv(), bin, dir);
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toContain("3 deleted, 0 already gone");
    expect(existsSync(recordPath)).toBe(false);
    expect(
      await exists(() => client.send(new DescribeEndpointCommand({ EndpointName: endpoint }))),
    ).toBe(false);

    const again = await cli(
      "cleanup",
      "--endpoint",
      endpoint,
      "--model",
      `openai-compat-sme-model-${suffix}`,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 deleted, 2 already gone");
  });

  it("answers bad arguments with exit code 2 or a coded error, never a stack trace", async () => {
    const unknown = await cli("deploy", "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("deploy --help");
    const noRole = await cli("deploy", "--dry-run");
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain("--role-arn is required");
    expect(noRole.stderr).toContain("--role-arn arn:aws:iam::123456789012:role/");
    const badRegion = await cli("deploy", "--role-arn", ROLE, "--region", "evil.com/", "--dry-run");
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toMatch(/^Invalid AWS region "evil\.com\/" from the --region option/);
    const badRole = await cli("deploy", "--role-arn", "not-an-arn", "--dry-run");
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/^Execution role "not-an-arn" is not an IAM role ARN/);
    expect(badRole.stderr).toContain("--role-arn");
    const badName = await cli("cleanup", "--endpoint", "a/b");
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^--endpoint "a\/b" is not a SageMaker endpoint name/);
    const badRecord = await cli("cleanup", "--record", join(dir, "missing.json"));
    expect(badRecord.code).toBe(1);
    expect(badRecord.stderr).toMatch(/^error \[INVALID_RECORD\]/);
  });
});
