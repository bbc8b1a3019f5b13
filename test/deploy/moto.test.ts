/**
 * Single-model deploy and clean-up against moto: real SDK requests over HTTP
 * to an emulated SageMaker API. moto's instance-type list predates ml.g6, so
 * these tests deploy on ml.g4dn.xlarge (and use that gap to test a rejected call).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CleanupEvent,
  cleanupDeployment,
  type DeployEvent,
  DeploymentError,
  DeploymentPlanError,
  deployEndpoint,
  readDeploymentRecord,
} from "../../src/deploy/index.js";
import {
  ARTICLE_ENV,
  ARTICLE_IMAGE,
  sagemakerResourceExists as exists,
  type MotoSageMaker,
  TEST_ROLE_ARN as ROLE,
  startMotoSageMaker,
} from "../helpers/deploy.js";

const REGION = "us-west-2";

let aws: MotoSageMaker;
let client: SageMakerClient;
let dir: string;
let counter = 0;

/** A suffix no other test (or test file sharing a CI moto) uses. */
function uniqueSuffix(): string {
  counter += 1;
  return `${process.pid}${Date.now() % 1_000_000}${counter}`;
}

beforeAll(async () => {
  aws = await startMotoSageMaker("deploy-moto-");
  ({ client, dir } = aws);
});

afterAll(() => aws?.close());

describe("single-model endpoint on moto", () => {
  it("creates model, config and endpoint, waits for InService, and cleans all of it up twice", async () => {
    const suffix = uniqueSuffix();
    const recordPath = join(dir, `record-${suffix}.json`);
    const events: DeployEvent[] = [];
    const result = await deployEndpoint(
      { region: REGION, roleArn: ROLE, instanceType: "ml.g4dn.xlarge", suffix },
      { client, recordPath, pollIntervalMs: 1, maxAttempts: 3, onProgress: (e) => events.push(e) },
    );

    const names = {
      model: `openai-compat-sme-model-${suffix}`,
      config: `openai-compat-sme-epc-${suffix}`,
      endpoint: `openai-compat-sme-ep-${suffix}`,
    };
    expect(result.dryRun).toBe(false);
    expect(result.record).toMatchObject({
      region: REGION,
      modelNames: [names.model],
      endpointConfigName: names.config,
      endpointName: names.endpoint,
      inferenceComponents: [],
    });
    expect(await readDeploymentRecord(recordPath)).toEqual(result.record);

    // What moto now holds is what the article's Python would have created.
    const model = await client.send(new DescribeModelCommand({ ModelName: names.model }));
    expect(model.ExecutionRoleArn).toBe(ROLE);
    expect(model.PrimaryContainer?.Image).toBe(ARTICLE_IMAGE);
    expect(model.PrimaryContainer?.Environment).toEqual(ARTICLE_ENV);
    const config = await client.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: names.config }),
    );
    expect(config.ProductionVariants?.[0]).toMatchObject({
      VariantName: "variant1",
      ModelName: names.model,
      InstanceType: "ml.g4dn.xlarge",
      InitialInstanceCount: 1,
    });
    const endpoint = await client.send(
      new DescribeEndpointCommand({ EndpointName: names.endpoint }),
    );
    expect(endpoint.EndpointConfigName).toBe(names.config);
    expect(endpoint.EndpointStatus).toBe("InService");

    // The cost warning comes first, before anything was created.
    expect(events[0]).toMatchObject({ type: "warning" });
    expect(events[0]?.type === "warning" && events[0].message).toContain("1 x ml.g4dn.xlarge");
    expect(
      events.filter((e) => e.type === "created").map((e) => e.type === "created" && e.name),
    ).toEqual([names.model, names.config, names.endpoint]);
    expect(events.at(-1)).toEqual({
      type: "in-service",
      operation: "DescribeEndpoint",
      name: names.endpoint,
    });

    const cleanupEvents: CleanupEvent[] = [];
    const first = await cleanupDeployment(await readDeploymentRecord(recordPath), {
      client,
      onProgress: (e) => cleanupEvents.push(e),
    });
    expect(first.results).toEqual([
      { operation: "DeleteEndpoint", name: names.endpoint, outcome: "deleted" },
      { operation: "DeleteEndpointConfig", name: names.config, outcome: "deleted" },
      { operation: "DeleteModel", name: names.model, outcome: "deleted" },
    ]);
    expect(cleanupEvents).toHaveLength(3);
    expect(
      await exists(() =>
        client.send(new DescribeEndpointCommand({ EndpointName: names.endpoint })),
      ),
    ).toBe(false);
    expect(
      await exists(() =>
        client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: names.config })),
      ),
    ).toBe(false);
    expect(
      await exists(() => client.send(new DescribeModelCommand({ ModelName: names.model }))),
    ).toBe(false);

    const second = await cleanupDeployment(result.record, { client });
    expect(second.results.map((r) => r.outcome)).toEqual([
      "already-gone",
      "already-gone",
      "already-gone",
    ]);
  });

  it("turns a rejected call into SAGEMAKER_CALL_FAILED whose record cleans up what was made", async () => {
    const suffix = uniqueSuffix();
    // moto rejects ml.g6.2xlarge (the default) at CreateEndpointConfig, after CreateModel succeeded.
    const error = await deployEndpoint({ region: REGION, roleArn: ROLE, suffix }, { client }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeploymentError);
    const e = error as DeploymentError;
    expect(e.code).toBe("SAGEMAKER_CALL_FAILED");
    expect(e.operation).toBe("CreateEndpointConfig");
    expect(e.message).toContain("ml.g6.2xlarge");
    expect(e.record?.modelNames).toEqual([`openai-compat-sme-model-${suffix}`]);
    expect(e.record?.endpointName).toBeUndefined();

    const cleanup = await cleanupDeployment(e.record ?? expect.fail("no record"), { client });
    expect(cleanup.results).toEqual([
      {
        operation: "DeleteEndpointConfig",
        name: `openai-compat-sme-epc-${suffix}`,
        outcome: "already-gone",
      },
      { operation: "DeleteModel", name: `openai-compat-sme-model-${suffix}`, outcome: "deleted" },
    ]);
  });

  it("refuses to overwrite an existing record file before calling AWS", async () => {
    const suffix = uniqueSuffix();
    const recordPath = join(dir, `taken-${suffix}.json`);
    await writeFile(recordPath, "previous deployment\n");
    const error = await deployEndpoint(
      { region: REGION, roleArn: ROLE, instanceType: "ml.g4dn.xlarge", suffix },
      { client, recordPath },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentPlanError);
    expect((error as DeploymentPlanError).code).toBe("RECORD_EXISTS");
    expect(await readFile(recordPath, "utf8")).toBe("previous deployment\n");
    const modelName = `openai-compat-sme-model-${suffix}`;
    expect(
      await exists(() => client.send(new DescribeModelCommand({ ModelName: modelName }))),
    ).toBe(false);
  });

  it("refuses a client configured for another region than the plan", async () => {
    const error = await deployEndpoint(
      {
        region: "eu-west-1",
        roleArn: ROLE,
        instanceType: "ml.g4dn.xlarge",
        suffix: uniqueSuffix(),
      },
      { client },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentPlanError);
    expect((error as DeploymentPlanError).code).toBe("INVALID_PLAN");
  });
});
