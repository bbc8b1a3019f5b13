/**
 * Inference-component deploys and clean-ups. moto implements no inference
 * components (and fails on an endpoint config without a model), so these tests
 * script SageMaker's answers with aws-sdk-client-mock and check which calls the
 * deploy code makes, in which order, with which inputs, and how it reacts.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateInferenceComponentCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteInferenceComponentCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeInferenceComponentCommand,
  ResourceNotFound,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CleanupEvent,
  cleanupDeployment,
  type DeployEvent,
  DeploymentError,
  type DeploymentPlan,
  type DeploymentRecord,
  deployEndpoint,
  planDeployment,
} from "../../src/deploy/index.js";
import { rejectionOf } from "../helpers/error-code.js";

const SUFFIX = "1700000000";
const PLAN: DeploymentPlan = {
  region: "us-west-2",
  roleArn: "arn:aws:iam::123456789012:role/SageMakerExecution",
  instanceCount: 2,
  suffix: SUFFIX,
  components: [
    { name: "coder" },
    {
      name: "reviewer",
      model: { hfModelId: "Qwen/Qwen3-1.7B" },
      compute: { minMemoryRequiredInMb: 4096 },
    },
  ],
};
const EP = `openai-compat-ic-ep-${SUFFIX}`;
const CODER = `openai-compat-ic-coder-${SUFFIX}`;
const REVIEWER = `openai-compat-ic-reviewer-${SUFFIX}`;
const FAST = { pollIntervalMs: 1, maxAttempts: 5 };

/** What SageMaker's DescribeX and DeleteX answer for a name that does not exist. */
function couldNotFind(what: string): Error {
  return Object.assign(new Error(`Could not find ${what}.`), { name: "ValidationException" });
}

let client: SageMakerClient;
let mock: AwsClientStub<SageMakerClient>;

/** Every call the code sent, as [command class name, input]. */
function sent(): Array<[string, unknown]> {
  return mock.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name.replace(/Command$/, ""), command.input];
  });
}

beforeEach(() => {
  client = new SageMakerClient({
    region: "us-west-2",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });
  mock = mockClient(client);
  mock.on(CreateModelCommand).resolves({});
  mock.on(CreateEndpointConfigCommand).resolves({});
  mock.on(CreateEndpointCommand).resolves({});
  mock.on(CreateInferenceComponentCommand).resolves({});
});

afterEach(() => {
  mock.restore();
  client.destroy();
});

describe("deploying an inference-component endpoint", () => {
  it("makes exactly the planned calls, polling the endpoint and each component until InService", async () => {
    mock
      .on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointStatus: "Creating" })
      .resolvesOnce({ EndpointStatus: "Creating" })
      .resolves({ EndpointStatus: "InService" });
    mock
      .on(DescribeInferenceComponentCommand, { InferenceComponentName: CODER })
      .resolvesOnce({ InferenceComponentStatus: "Creating" })
      .resolves({ InferenceComponentStatus: "InService" });
    mock
      .on(DescribeInferenceComponentCommand, { InferenceComponentName: REVIEWER })
      .resolves({ InferenceComponentStatus: "InService" });

    const events: DeployEvent[] = [];
    const result = await deployEndpoint(PLAN, {
      client,
      ...FAST,
      onProgress: (e) => events.push(e),
    });

    const planned = planDeployment(PLAN).steps;
    const calls = planned.filter((s) => s.kind === "call").map((s) => [s.operation, s.input]);
    const describeEndpoint = ["DescribeEndpoint", { EndpointName: EP }];
    const describe = (name: string) => [
      "DescribeInferenceComponent",
      { InferenceComponentName: name },
    ];
    expect(sent()).toEqual([
      ...calls.slice(0, 4), // two CreateModel, CreateEndpointConfig, CreateEndpoint
      describeEndpoint,
      describeEndpoint,
      describeEndpoint,
      ...calls.slice(4), // two CreateInferenceComponent
      describe(CODER),
      describe(CODER),
      describe(REVIEWER),
    ]);
    // The inputs themselves: a config without ModelName, components with their own requirements.
    expect(sent()[2]).toEqual([
      "CreateEndpointConfig",
      {
        EndpointConfigName: `openai-compat-ic-epc-${SUFFIX}`,
        ExecutionRoleArn: PLAN.roleArn,
        ProductionVariants: [
          { VariantName: "variant1", InstanceType: "ml.g6.2xlarge", InitialInstanceCount: 2 },
        ],
      },
    ]);
    expect(sent()[8]).toEqual([
      "CreateInferenceComponent",
      {
        InferenceComponentName: REVIEWER,
        EndpointName: EP,
        VariantName: "variant1",
        Specification: {
          ModelName: `openai-compat-ic-model-reviewer-${SUFFIX}`,
          ComputeResourceRequirements: {
            MinMemoryRequiredInMb: 4096,
            NumberOfCpuCoresRequired: 2,
            NumberOfAcceleratorDevicesRequired: 1,
          },
        },
        RuntimeConfig: { CopyCount: 1 },
      },
    ]);
    expect(result.record).toEqual({
      version: 1,
      region: "us-west-2",
      createdAt: expect.any(String),
      modelNames: [
        `openai-compat-ic-model-coder-${SUFFIX}`,
        `openai-compat-ic-model-reviewer-${SUFFIX}`,
      ],
      endpointConfigName: `openai-compat-ic-epc-${SUFFIX}`,
      endpointName: EP,
      inferenceComponents: [
        { inferenceComponentName: CODER, component: "coder" },
        { inferenceComponentName: REVIEWER, component: "reviewer" },
      ],
    });
    expect(events.filter((e) => e.type === "waiting")).toEqual([
      {
        type: "waiting",
        operation: "DescribeEndpoint",
        name: EP,
        status: "Creating",
        attempt: 1,
        maxAttempts: 5,
      },
      {
        type: "waiting",
        operation: "DescribeEndpoint",
        name: EP,
        status: "Creating",
        attempt: 2,
        maxAttempts: 5,
      },
      {
        type: "waiting",
        operation: "DescribeInferenceComponent",
        name: CODER,
        status: "Creating",
        attempt: 1,
        maxAttempts: 5,
      },
    ]);
    expect(
      events.filter((e) => e.type === "in-service").map((e) => e.type === "in-service" && e.name),
    ).toEqual([EP, CODER, REVIEWER]);
  });

  it("stops with DEPLOY_FAILED and SageMaker's FailureReason when a component fails", async () => {
    mock.on(DescribeEndpointCommand).resolves({ EndpointStatus: "InService" });
    mock
      .on(DescribeInferenceComponentCommand)
      .resolvesOnce({ InferenceComponentStatus: "Creating" })
      .resolves({
        InferenceComponentStatus: "Failed",
        FailureReason: "Insufficient accelerator capacity",
      });

    const e = await rejectionOf(deployEndpoint(PLAN, { client, ...FAST }), DeploymentError);
    expect(e.code).toBe("DEPLOY_FAILED");
    expect(e.failureReason).toBe("Insufficient accelerator capacity");
    expect(e.message).toContain("Insufficient accelerator capacity");
    expect(e.message).toContain(CODER);
    // Both components were requested before the wait, so the record names both for clean-up.
    expect(e.record?.inferenceComponents.map((c) => c.inferenceComponentName)).toEqual([
      CODER,
      REVIEWER,
    ]);
    expect(e.record?.endpointName).toBe(EP);
  });

  it("stops with DEPLOY_FAILED when the endpoint itself fails, before creating components", async () => {
    mock
      .on(DescribeEndpointCommand)
      .resolves({ EndpointStatus: "Failed", FailureReason: "Image pull denied" });
    const error = await rejectionOf(deployEndpoint(PLAN, { client, ...FAST }), DeploymentError);
    expect(error.code).toBe("DEPLOY_FAILED");
    expect(error.failureReason).toBe("Image pull denied");
    expect(mock.commandCalls(CreateInferenceComponentCommand)).toHaveLength(0);
  });

  it("gives up with DEPLOY_TIMEOUT after maxAttempts status checks", async () => {
    mock.on(DescribeEndpointCommand).resolves({ EndpointStatus: "Creating" });
    const error = await rejectionOf(deployEndpoint(PLAN, { client, ...FAST }), DeploymentError);
    expect(error.code).toBe("DEPLOY_TIMEOUT");
    expect(error.message).toContain("Creating");
    expect(mock.commandCalls(DescribeEndpointCommand)).toHaveLength(FAST.maxAttempts);
  });

  it("names the failed operation when SageMaker rejects a create call", async () => {
    mock
      .on(CreateInferenceComponentCommand, { InferenceComponentName: REVIEWER })
      .rejects(Object.assign(new Error("Quota exceeded"), { name: "ResourceLimitExceeded" }));
    mock.on(DescribeEndpointCommand).resolves({ EndpointStatus: "InService" });
    const error = await rejectionOf(deployEndpoint(PLAN, { client, ...FAST }), DeploymentError);
    expect(error.code).toBe("SAGEMAKER_CALL_FAILED");
    expect(error.operation).toBe("CreateInferenceComponent");
    expect(error.message).toContain("ResourceLimitExceeded");
    expect(error.cause).toBeInstanceOf(Error);
  });
});

const RECORD: DeploymentRecord = {
  version: 1,
  region: "us-west-2",
  createdAt: "2026-01-01T00:00:00.000Z",
  endpointName: EP,
  endpointConfigName: `openai-compat-ic-epc-${SUFFIX}`,
  modelNames: [
    `openai-compat-ic-model-coder-${SUFFIX}`,
    `openai-compat-ic-model-reviewer-${SUFFIX}`,
  ],
  inferenceComponents: [
    { inferenceComponentName: CODER, component: "coder" },
    { inferenceComponentName: REVIEWER, component: "reviewer" },
  ],
};

describe("cleaning up an inference-component endpoint", () => {
  beforeEach(() => {
    mock.on(DeleteInferenceComponentCommand).resolves({});
    mock.on(DeleteEndpointCommand).resolves({});
    mock.on(DeleteEndpointConfigCommand).resolves({});
    mock.on(DeleteModelCommand).resolves({});
  });

  it("deletes components, waits until they are gone, then endpoint, config and models; tolerates absence", async () => {
    mock
      .on(DeleteInferenceComponentCommand, { InferenceComponentName: REVIEWER })
      .rejects(couldNotFind(`inference component "${REVIEWER}"`));
    mock
      .on(DescribeInferenceComponentCommand, { InferenceComponentName: CODER })
      .resolvesOnce({ InferenceComponentStatus: "Deleting" })
      .resolvesOnce({ InferenceComponentStatus: "Deleting" })
      .rejects(couldNotFind(`inference component "${CODER}"`));
    mock
      .on(DeleteModelCommand, { ModelName: `openai-compat-ic-model-reviewer-${SUFFIX}` })
      .rejects(new ResourceNotFound({ message: "gone", $metadata: {} }));

    const events: CleanupEvent[] = [];
    const result = await cleanupDeployment(RECORD, {
      client,
      ...FAST,
      onProgress: (e) => events.push(e),
    });

    const describeCoder = ["DescribeInferenceComponent", { InferenceComponentName: CODER }];
    expect(sent()).toEqual([
      ["DeleteInferenceComponent", { InferenceComponentName: CODER }],
      ["DeleteInferenceComponent", { InferenceComponentName: REVIEWER }],
      describeCoder,
      describeCoder,
      describeCoder,
      ["DeleteEndpoint", { EndpointName: EP }],
      ["DeleteEndpointConfig", { EndpointConfigName: RECORD.endpointConfigName }],
      ["DeleteModel", { ModelName: RECORD.modelNames[0] }],
      ["DeleteModel", { ModelName: RECORD.modelNames[1] }],
    ]);
    expect(result.results.map((r) => [r.operation, r.outcome])).toEqual([
      ["DeleteInferenceComponent", "deleted"],
      ["DeleteInferenceComponent", "already-gone"],
      ["DeleteEndpoint", "deleted"],
      ["DeleteEndpointConfig", "deleted"],
      ["DeleteModel", "deleted"],
      ["DeleteModel", "already-gone"],
    ]);
    expect(events.filter((e) => e.type !== "step").map((e) => e.type)).toEqual([
      "waiting",
      "waiting",
      "gone",
    ]);
  });

  it("stops at a real failure, before deleting the endpoint", async () => {
    mock
      .on(DeleteInferenceComponentCommand, { InferenceComponentName: CODER })
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    const error = await rejectionOf(
      cleanupDeployment(RECORD, { client, ...FAST }),
      DeploymentError,
    );
    expect(error.code).toBe("SAGEMAKER_CALL_FAILED");
    expect(error.operation).toBe("DeleteInferenceComponent");
    expect(error.message).toMatch(/allowed to call this operation/);
    expect(error.record).toEqual(RECORD);
    expect(sent()).toHaveLength(1);
  });

  it("gives up with CLEANUP_TIMEOUT while a component lingers, without touching the endpoint", async () => {
    mock.on(DescribeInferenceComponentCommand).resolves({ InferenceComponentStatus: "Deleting" });
    const error = await rejectionOf(
      cleanupDeployment(RECORD, { client, ...FAST }),
      DeploymentError,
    );
    expect(error.code).toBe("CLEANUP_TIMEOUT");
    expect(mock.commandCalls(DescribeInferenceComponentCommand)).toHaveLength(FAST.maxAttempts);
    expect(mock.commandCalls(DeleteEndpointCommand)).toHaveLength(0);
  });

  it("dry run lists the deletes in order and sends nothing", async () => {
    const result = await cleanupDeployment(RECORD, { client, dryRun: true });
    expect(result.steps.map((s) => `${s.kind} ${s.operation}`)).toEqual([
      "call DeleteInferenceComponent",
      "call DeleteInferenceComponent",
      "wait DescribeInferenceComponent",
      "wait DescribeInferenceComponent",
      "call DeleteEndpoint",
      "call DeleteEndpointConfig",
      "call DeleteModel",
      "call DeleteModel",
    ]);
    expect(result.results.every((r) => r.outcome === "planned")).toBe(true);
    expect(sent()).toEqual([]);
  });
});
