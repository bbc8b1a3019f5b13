/**
 * Secret-looking container environment values (`--env HF_TOKEN=hf_…`) never
 * appear in what deploy prints: the dry run as text and as JSON, the command
 * lines it suggests, and a SageMaker error that quotes what was sent. The
 * values themselves still go to SageMaker unchanged.
 */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeploymentError,
  type DeploymentStep,
  deployEndpoint,
  isSecretName,
  MASKED_VALUE,
  maskEnvArguments,
  planDeployment,
} from "../../src/deploy/index.js";
import { type CaptureServer, startCaptureServer } from "../helpers/capture-server.js";
import { TEST_ROLE_ARN as ROLE } from "../helpers/deploy.js";
import { rejectionOf } from "../helpers/error-code.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/cli/main.ts");

const SECRETS = {
  HF_TOKEN: "hf_Sup3rS3cretGatedModelToken",
  my_api_key: "sk-live-0123456789abcdef",
  DB_Password: "correct horse battery staple",
  CLIENT_SECRET_VALUE: "client-secret-xyz-987",
};
const PLAIN = { SM_VLLM_MAX_NUM_SEQS: "8", HF_HUB_OFFLINE: "tokens-are-not-secret-here" };
const ENV_FLAGS = Object.entries({ ...SECRETS, ...PLAIN }).flatMap(([name, value]) => [
  "--env",
  `${name}=${value}`,
]);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: ROOT,
    NODE_NO_WARNINGS: "1",
    AWS_REGION: "us-west-2",
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [MAIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

function expectNoSecret(text: string): void {
  for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
  // Not even a recognisable piece of one.
  expect(text).not.toContain("Sup3rS3cret");
  expect(text).not.toContain("battery");
}

describe("which names count as secret", () => {
  it("TOKEN, SECRET, KEY or PASSWORD anywhere in the name, in any case", () => {
    for (const name of ["HF_TOKEN", "hf_token", "AWS_SECRET_ACCESS_KEY", "ApiKey", "DB_PASSWORD"]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ["SM_VLLM_MAX_NUM_SEQS", "HF_MODEL_ID", "SAGEMAKER_ENABLE_LOAD_AWARE"]) {
      expect(isSecretName(name), name).toBe(false);
    }
  });

  it("masks --env values on command lines, both spellings, and an --env without a name whole", () => {
    expect(
      maskEnvArguments([
        "deploy",
        "--env",
        "HF_TOKEN=hf_x",
        "--env=API_KEY=k=v",
        "--env",
        "SM_VLLM_MAX_NUM_SEQS=8",
        "--env",
        "hf_only_a_value",
        "--suffix",
        "HF_TOKEN=not-an-env-flag",
      ]),
    ).toEqual([
      "deploy",
      "--env",
      `HF_TOKEN=${MASKED_VALUE}`,
      `--env=API_KEY=${MASKED_VALUE}`,
      "--env",
      "SM_VLLM_MAX_NUM_SEQS=8",
      "--env",
      MASKED_VALUE,
      "--suffix",
      "HF_TOKEN=not-an-env-flag",
    ]);
  });
});

// Each run starts a Node process with tsx (about 2 s on the shared 2-core machine).
describe("deploy output", { timeout: 60_000 }, () => {
  it("--dry-run prints secret values masked and other values as they are", async () => {
    const out = await cli("deploy", "--role-arn", ROLE, "--suffix", "5", ...ENV_FLAGS, "--dry-run");
    expect(out.code).toBe(0);
    expectNoSecret(out.stdout + out.stderr);
    expect(out.stdout).toContain(`"HF_TOKEN": "${MASKED_VALUE}"`);
    expect(out.stdout).toContain(`"DB_Password": "${MASKED_VALUE}"`);
    expect(out.stdout).toContain('"SM_VLLM_MAX_NUM_SEQS": "8"');
    expect(out.stdout).toContain('"HF_HUB_OFFLINE": "tokens-are-not-secret-here"');
  });

  it("--dry-run --json prints the planned steps with only the secret values masked", async () => {
    const out = await cli(
      "deploy",
      ...["--role-arn", ROLE, "--suffix", "6", ...ENV_FLAGS, "--dry-run", "--json"],
    );
    expect(out.code).toBe(0);
    expectNoSecret(out.stdout + out.stderr);
    const printed = JSON.parse(out.stdout) as { steps: DeploymentStep[] };
    const planned = planDeployment({
      region: "us-west-2",
      roleArn: ROLE,
      suffix: "6",
      model: { environment: { ...SECRETS, ...PLAIN } },
    });
    const sent = planned.steps[0];
    const shown = printed.steps[0];
    if (sent?.operation !== "CreateModel" || shown?.operation !== "CreateModel") {
      throw new Error("expected CreateModel first");
    }
    // What SageMaker would get keeps the values; what is printed masks exactly the secret ones.
    const sentEnv = sent.input.PrimaryContainer?.Environment ?? {};
    expect(sentEnv.HF_TOKEN).toBe(SECRETS.HF_TOKEN);
    expect(shown.input.PrimaryContainer?.Environment).toEqual({
      ...sentEnv,
      ...Object.fromEntries(Object.keys(SECRETS).map((name) => [name, MASKED_VALUE])),
    });
    expect(printed.steps.slice(1)).toEqual(planned.steps.slice(1));
  });

  it("without --yes, the suggested command lines mask the secret values", async () => {
    const out = await cli("deploy", "--role-arn", ROLE, "--suffix", "7", ...ENV_FLAGS);
    expect(out.code).toBe(2);
    expectNoSecret(out.stdout + out.stderr);
    expect(out.stderr).toContain(`HF_TOKEN=${MASKED_VALUE}`);
    expect(out.stderr).toContain("SM_VLLM_MAX_NUM_SEQS=8");
    expect(out.stderr).toContain(`shown as ${MASKED_VALUE}: put yours back`);
  });

  it("a malformed --env is not echoed", async () => {
    const out = await cli("deploy", "--role-arn", ROLE, "--env", SECRETS.HF_TOKEN, "--dry-run");
    expect(out.code).toBe(2);
    expectNoSecret(out.stdout + out.stderr);
    expect(out.stderr).toContain("--env");
  });
});

describe("a SageMaker error that quotes the environment", () => {
  let server: CaptureServer;
  beforeAll(async () => {
    // Answers every call as SageMaker answers a validation failure, quoting what it was sent.
    server = await startCaptureServer((request) => {
      const environment = (
        JSON.parse(request.body) as { PrimaryContainer?: { Environment?: object } }
      ).PrimaryContainer?.Environment;
      return {
        status: 400,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-errortype": "ValidationException",
        },
        body: {
          __type: "ValidationException",
          message: `Value '${JSON.stringify(environment)}' at 'primaryContainer.environment' failed to satisfy constraint`,
        },
      };
    });
  });
  afterAll(() => server.close());

  it("is reported with the secret values masked and without the raw error as cause", async () => {
    const client = new SageMakerClient({
      region: "us-west-2",
      endpoint: server.url,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
    const failure = await rejectionOf(
      deployEndpoint(
        { region: "us-west-2", roleArn: ROLE, suffix: "8", model: { environment: SECRETS } },
        { client },
      ),
      DeploymentError,
    );
    client.destroy();
    expect(failure.code).toBe("SAGEMAKER_CALL_FAILED");
    expect(failure.operation).toBe("CreateModel");
    expect(failure.message).toContain("ValidationException");
    expect(failure.message).toContain(MASKED_VALUE);
    expectNoSecret(failure.message);
    expect(failure.cause).toBeUndefined();
    // SageMaker itself was sent the real values.
    expect(server.requests[0]?.body).toContain(SECRETS.HF_TOKEN);
  });
});
