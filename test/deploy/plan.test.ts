/**
 * Planning and dry runs: the exact calls a deploy would make (the article's
 * Python, call for call), the checks on a plan, the warnings, and the record
 * file parser (property-tested, since a record file is text from disk).
 */
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DeploymentPlanError,
  type DeploymentRecord,
  deployEndpoint,
  formatDeploymentRecord,
  formatSteps,
  parseDeploymentRecord,
  planDeployment,
  resolvePlan,
} from "../../src/deploy/index.js";
import { SageMakerOpenAIError, ValidationError } from "../../src/errors.js";
import { ARTICLE_ENV, ARTICLE_IMAGE as IMAGE, TEST_ROLE_ARN as ROLE } from "../helpers/deploy.js";

function planError(run: () => unknown): DeploymentPlanError | ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("dry run", () => {
  it("lists the article's single-model calls exactly, and sends nothing", async () => {
    // A client whose every send fails: a dry run must not use it.
    const client = new SageMakerClient({ region: "us-west-2" });
    client.send = () => Promise.reject(new Error("dry run sent a request"));
    const warnings: string[] = [];
    const result = await deployEndpoint(
      { region: "us-west-2", roleArn: ROLE, suffix: "1700000000" },
      { client, dryRun: true, onProgress: (e) => e.type === "warning" && warnings.push(e.message) },
    );
    expect(result.dryRun).toBe(true);
    expect(result.steps).toEqual([
      {
        kind: "call",
        operation: "CreateModel",
        input: {
          ModelName: "openai-compat-sme-model-1700000000",
          ExecutionRoleArn: ROLE,
          PrimaryContainer: { Image: IMAGE, Environment: ARTICLE_ENV },
        },
      },
      {
        kind: "call",
        operation: "CreateEndpointConfig",
        input: {
          EndpointConfigName: "openai-compat-sme-epc-1700000000",
          ProductionVariants: [
            {
              VariantName: "variant1",
              ModelName: "openai-compat-sme-model-1700000000",
              InstanceType: "ml.g6.2xlarge",
              InitialInstanceCount: 1,
            },
          ],
        },
      },
      {
        kind: "call",
        operation: "CreateEndpoint",
        input: {
          EndpointName: "openai-compat-sme-ep-1700000000",
          EndpointConfigName: "openai-compat-sme-epc-1700000000",
        },
      },
      {
        kind: "wait",
        until: "InService",
        operation: "DescribeEndpoint",
        input: { EndpointName: "openai-compat-sme-ep-1700000000" },
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("1 x ml.g6.2xlarge");
    expect(warnings[0]).toContain("us-west-2");
    client.destroy();
  });

  it("prints one numbered block per call and one line per wait", () => {
    const { steps } = planDeployment({ region: "us-west-2", roleArn: ROLE, suffix: "1" });
    const text = formatSteps(steps, { pollIntervalMs: 30_000, maxAttempts: 40 });
    expect(text.split("\n").filter((line) => /^\d+\. /.test(line))).toEqual([
      "1. CreateModel",
      "2. CreateEndpointConfig",
      "3. CreateEndpoint",
      '4. DescribeEndpoint {"EndpointName":"openai-compat-sme-ep-1"} every 30 s until status is InService (at most 40 times)',
    ]);
    expect(text).toContain('"SM_VLLM_TOOL_CALL_PARSER": "hermes"');
  });

  it("adds scaling and routing to an inference-component variant only when asked", () => {
    const { steps } = planDeployment({
      region: "us-west-2",
      roleArn: ROLE,
      suffix: "1",
      components: [{ name: "coder" }],
      managedInstanceScaling: { minInstanceCount: 1, maxInstanceCount: 3 },
      routingStrategy: "LEAST_OUTSTANDING_REQUESTS",
    });
    const config = steps.find((s) => s.operation === "CreateEndpointConfig");
    expect(config?.input).toEqual({
      EndpointConfigName: "openai-compat-ic-epc-1",
      ExecutionRoleArn: ROLE,
      ProductionVariants: [
        {
          VariantName: "variant1",
          InstanceType: "ml.g6.2xlarge",
          InitialInstanceCount: 1,
          ManagedInstanceScaling: { Status: "ENABLED", MinInstanceCount: 1, MaxInstanceCount: 3 },
          RoutingConfig: { RoutingStrategy: "LEAST_OUTSTANDING_REQUESTS" },
        },
      ],
    });
  });
});

describe("plan checks", () => {
  const base = { region: "us-west-2", roleArn: ROLE, suffix: "1" };

  it("validates the region before building the image host", () => {
    for (const region of ["us-west-2.evil.com", "evil.com/x?", "US-WEST-2", ""]) {
      const error = planError(() => resolvePlan({ ...base, region }));
      expect(error.code).toBe("INVALID_REGION");
    }
  });

  it("uses the partition's DNS suffix in the image host", () => {
    expect(resolvePlan({ ...base, region: "cn-north-1" }).image).toBe(
      "763104351884.dkr.ecr.cn-north-1.amazonaws.com.cn/vllm:0.20.2-gpu-py312-cu130-ubuntu22.04-sagemaker",
    );
  });

  it.each([
    ["a malformed role", { roleArn: "SageMakerRole" }],
    ["a malformed instance type", { instanceType: "g6.2xlarge" }],
    ["zero instances", { instanceCount: 0 }],
    ["a fractional instance count", { instanceCount: 1.5 }],
    ["a malformed image", { image: "not an image" }],
    ["a prefix with underscores", { namePrefix: "my_prefix" }],
    ["a name longer than 63 characters", { components: [{ name: "c".repeat(40) }] }],
    ["duplicate components", { components: [{ name: "coder" }, { name: "Coder" }] }],
    ["HF_MODEL_ID in the environment", { model: { environment: { HF_MODEL_ID: "x/y" } } }],
    ["a malformed environment name", { model: { environment: { "BAD-NAME": "1" } } }],
    ["a malformed model id", { model: { hfModelId: "../../etc" } }],
    ["zero copies", { components: [{ name: "coder", copyCount: 0 }] }],
    [
      "too little memory",
      { components: [{ name: "coder", compute: { minMemoryRequiredInMb: 1 } }] },
    ],
    [
      "scaling on a single-model endpoint",
      { managedInstanceScaling: { minInstanceCount: 1, maxInstanceCount: 2 } },
    ],
    [
      "scaling max below min",
      {
        components: [{ name: "c" }],
        managedInstanceScaling: { minInstanceCount: 3, maxInstanceCount: 2 },
      },
    ],
  ])("rejects %s with INVALID_PLAN", (_, change) => {
    const error = planError(() => resolvePlan({ ...base, ...change }));
    expect(error).toBeInstanceOf(DeploymentPlanError);
    expect(error.code).toBe("INVALID_PLAN");
  });

  it("says how to give the execution role, from the API and the CLI, when it is missing or malformed", () => {
    const { roleArn: _omitted, ...withoutRole } = base;
    for (const roleArn of [undefined, "", "SageMakerRole"]) {
      const error = planError(() =>
        resolvePlan({ ...withoutRole, ...(roleArn === undefined ? {} : { roleArn }) } as never),
      );
      expect(error).toBeInstanceOf(DeploymentPlanError);
      expect(error.code).toBe("INVALID_PLAN");
      expect(error.message).toContain("roleArn");
      expect(error.message).toContain("--role-arn");
      expect(error.message).toContain("arn:aws:iam::123456789012:role/");
      expect(error.message).not.toContain("undefined");
    }
  });

  it("merges environment overrides over the defaults, null removing one", () => {
    const plan = resolvePlan({
      ...base,
      model: { environment: { SM_VLLM_MAX_NUM_SEQS: "8", SAGEMAKER_ENABLE_LOAD_AWARE: null } },
      components: [
        {
          name: "coder",
          model: { hfModelId: "Qwen/Qwen3-8B", environment: { SM_VLLM_HOST: "0.0.0.0" } },
        },
      ],
    });
    expect(plan.components[0]?.model.environment).toEqual({
      HF_MODEL_ID: "Qwen/Qwen3-8B",
      SM_VLLM_TENSOR_PARALLEL_SIZE: "1",
      SM_VLLM_MAX_NUM_SEQS: "8",
      SM_VLLM_ENABLE_AUTO_TOOL_CHOICE: "true",
      SM_VLLM_TOOL_CALL_PARSER: "hermes",
      SM_VLLM_HOST: "0.0.0.0",
    });
  });

  it("uses the current Unix time as the suffix when none is given", () => {
    const before = Math.floor(Date.now() / 1000);
    const name = resolvePlan({ region: "us-west-2", roleArn: ROLE }).endpointName;
    const suffix = Number(/-(\d+)$/.exec(name)?.[1]);
    expect(suffix).toBeGreaterThanOrEqual(before);
    expect(suffix).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it("every name it accepts satisfies SageMaker's rule; every other input is INVALID_PLAN", () => {
    const rule = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
    const piece = fc.stringMatching(/^[a-zA-Z0-9_.-]{0,40}$/);
    fc.assert(
      fc.property(piece, piece, fc.array(piece, { maxLength: 3 }), (namePrefix, suffix, names) => {
        let plan: ReturnType<typeof resolvePlan>;
        try {
          plan = resolvePlan({
            ...base,
            namePrefix,
            suffix,
            components: names.map((name) => ({ name })),
          });
        } catch (error) {
          return error instanceof DeploymentPlanError && error.code === "INVALID_PLAN";
        }
        const all = [
          plan.endpointName,
          plan.endpointConfigName,
          ...plan.models.map((m) => m.modelName),
          ...plan.components.map((c) => c.inferenceComponentName),
        ];
        return all.every((name) => name.length <= 63 && rule.test(name));
      }),
    );
  });
});

describe("warnings", () => {
  it("warns when the components need more GPUs than the instances have", () => {
    const coderAndReviewer = {
      region: "us-west-2",
      roleArn: ROLE,
      components: [{ name: "coder" }, { name: "reviewer" }],
    };
    expect(planDeployment(coderAndReviewer).warnings[1]).toMatch(
      /need 2 GPU\(s\).*1 x ml\.g6\.2xlarge has 1/,
    );
    expect(planDeployment({ ...coderAndReviewer, instanceCount: 2 }).warnings).toHaveLength(1);
    expect(
      planDeployment({ ...coderAndReviewer, instanceType: "ml.g6.12xlarge" }).warnings,
    ).toHaveLength(1);
  });
});

describe("deployment record files", () => {
  const record: DeploymentRecord = {
    version: 1,
    region: "us-west-2",
    createdAt: "2026-01-01T00:00:00.000Z",
    endpointName: "ep-1",
    endpointConfigName: "epc-1",
    modelNames: ["m-1"],
    inferenceComponents: [{ inferenceComponentName: "ic-1", component: "coder" }],
  };

  it("round-trips through the file format", () => {
    expect(parseDeploymentRecord(JSON.parse(formatDeploymentRecord(record)))).toEqual(record);
    expect(formatDeploymentRecord(record).split("\n")[1]).toBe('  "version": 1,');
  });

  it.each([
    ["a name that is not a SageMaker name", { ...record, endpointName: "ep/../x" }],
    ["a region that is not a region", { ...record, region: "us-west-2.evil.com" }],
    ["another version", { ...record, version: 2 }],
    ["a component without a name", { ...record, inferenceComponents: [{ component: "coder" }] }],
    ["a non-string model name", { ...record, modelNames: [42] }],
  ])("rejects %s with INVALID_RECORD", (_, value) => {
    const error = planError(() => parseDeploymentRecord(value));
    expect(error.code).toBe("INVALID_RECORD");
  });

  it("never throws anything but INVALID_RECORD on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseDeploymentRecord(value);
          return true;
        } catch (error) {
          return error instanceof SageMakerOpenAIError && error.code === "INVALID_RECORD";
        }
      }),
    );
  });

  it("accepts every well-formed record and returns it unchanged", () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9](-?[a-zA-Z0-9]){0,20}$/);
    const arbitraryRecord = fc.record(
      {
        version: fc.constant(1 as const),
        region: fc.constantFrom("us-west-2", "eu-central-1", "cn-north-1", "us-gov-west-1"),
        createdAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        endpointName: name,
        endpointConfigName: name,
        modelNames: fc.array(name, { maxLength: 3 }),
        inferenceComponents: fc.array(
          fc.record(
            { inferenceComponentName: name, component: fc.string() },
            { requiredKeys: ["inferenceComponentName"] },
          ),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: ["version", "region", "createdAt", "modelNames", "inferenceComponents"] },
    );
    fc.assert(
      fc.property(arbitraryRecord, (r) => {
        expect(parseDeploymentRecord(JSON.parse(formatDeploymentRecord(r)))).toEqual(r);
      }),
    );
  });
});
