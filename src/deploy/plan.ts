/**
 * What a deployment looks like (the article's Python, as data) and how a plan
 * is checked and turned into concrete SageMaker resource names.
 *
 * Everything here is pure: no AWS SDK, no clock unless no suffix is given.
 */
import { isValidResourceName } from "../addressing/names.js";
import { assertRegion, regionDnsSuffix } from "../addressing/region.js";
import { DeploymentPlanError } from "./errors.js";

/** The article's instance type: one NVIDIA L4 GPU. */
export const DEFAULT_INSTANCE_TYPE = "ml.g6.2xlarge";

/** The article's model. */
export const DEFAULT_HF_MODEL_ID = "Qwen/Qwen3-4B";

/** Repository and tag of the SageMaker vLLM Deep Learning Container the article uses. */
export const VLLM_IMAGE_TAG = "vllm:0.20.2-gpu-py312-cu130-ubuntu22.04-sagemaker";

/**
 * The container environment the article sets. The DLC turns each `SM_VLLM_*`
 * variable into a vLLM flag (`SM_VLLM_TOOL_CALL_PARSER=hermes` becomes
 * `--tool-call-parser hermes`), so tool calls work out of the box.
 */
export const DEFAULT_VLLM_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({
  SM_VLLM_TENSOR_PARALLEL_SIZE: "1",
  SM_VLLM_MAX_NUM_SEQS: "4",
  SM_VLLM_ENABLE_AUTO_TOOL_CHOICE: "true",
  SM_VLLM_TOOL_CALL_PARSER: "hermes",
  SAGEMAKER_ENABLE_LOAD_AWARE: "1",
});

/** What an inference component reserves on the instance. */
export interface ComputeRequirements {
  /** `MinMemoryRequiredInMb`. */
  minMemoryRequiredInMb: number;
  /** `NumberOfCpuCoresRequired` (may be fractional, e.g. 0.5). */
  numberOfCpuCoresRequired: number;
  /** `NumberOfAcceleratorDevicesRequired`; 0 leaves it out (CPU-only instances). */
  numberOfAcceleratorDevicesRequired: number;
}

/** The article's inference-component reservation: 1 GiB, 2 cores, 1 GPU. */
export const DEFAULT_COMPUTE: Readonly<ComputeRequirements> = Object.freeze({
  minMemoryRequiredInMb: 1024,
  numberOfCpuCoresRequired: 2,
  numberOfAcceleratorDevicesRequired: 1,
});

/** The model a container serves. */
export interface ModelSpec {
  /** Hugging Face model id, sent as `HF_MODEL_ID`. */
  hfModelId?: string;
  /**
   * Merged over {@link DEFAULT_VLLM_ENVIRONMENT}; `null` removes a default.
   * `HF_MODEL_ID` is not allowed here: use `hfModelId`.
   */
  environment?: Readonly<Record<string, string | null>>;
}

/** One named inference component (e.g. `coder`) on a shared endpoint. */
export interface ComponentSpec {
  /** Short logical name; becomes part of the component and model names. */
  name: string;
  /** Merged over the plan's `model`. */
  model?: ModelSpec;
  /** Merged over {@link DEFAULT_COMPUTE}. */
  compute?: Partial<ComputeRequirements>;
  /** `RuntimeConfig.CopyCount`; default 1. */
  copyCount?: number;
}

/** Everything needed to deploy a vLLM endpoint. Only `region` and `roleArn` are required. */
export interface DeploymentPlan {
  /** AWS region, e.g. `us-west-2`. */
  region: string;
  /** IAM role SageMaker assumes to pull the image and write logs. */
  roleArn: string;
  /** Default {@link DEFAULT_INSTANCE_TYPE}. */
  instanceType?: string;
  /** `InitialInstanceCount`; default 1. */
  instanceCount?: number;
  /** Container image; default the vLLM DLC for `region` (see {@link vllmImageUri}). */
  image?: string;
  /** The model for a single-model endpoint, and the default for every component. */
  model?: ModelSpec;
  /** When present and non-empty, deploys an inference-component endpoint with these components. */
  components?: readonly ComponentSpec[];
  /** Start of every resource name; default `openai-compat`. */
  namePrefix?: string;
  /** End of every resource name; default the current Unix time in seconds, as in the article. */
  suffix?: string;
  /** Default `variant1`. */
  variantName?: string;
  /** Inference-component endpoints only: let SageMaker add and remove instances. */
  managedInstanceScaling?: { minInstanceCount: number; maxInstanceCount: number };
  /** Inference-component endpoints only: how requests are spread over copies. */
  routingStrategy?: "LEAST_OUTSTANDING_REQUESTS" | "RANDOM" | "PREFIX_AWARE";
}

/** A model with its final name and environment. */
export interface ResolvedModel {
  modelName: string;
  hfModelId: string;
  environment: Record<string, string>;
}

/** A component with its final names and settings. */
export interface ResolvedComponent {
  component: string;
  inferenceComponentName: string;
  model: ResolvedModel;
  compute: ComputeRequirements;
  copyCount: number;
}

/** A checked plan with every default applied and every name fixed. */
export interface ResolvedPlan {
  kind: "single-model" | "inference-components";
  region: string;
  roleArn: string;
  instanceType: string;
  instanceCount: number;
  image: string;
  variantName: string;
  endpointName: string;
  endpointConfigName: string;
  /** Single-model: one entry. Inference components: one per component, same order. */
  models: ResolvedModel[];
  components: ResolvedComponent[];
  managedInstanceScaling: { minInstanceCount: number; maxInstanceCount: number } | undefined;
  routingStrategy: DeploymentPlan["routingStrategy"];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[a-zA-Z0-9_+=,.@/-]{1,512}$/;
/**
 * What the execution role is: shared by every message about a missing or
 * malformed role, from the plan checks and the CLI alike.
 */
export const ROLE_ARN_DESCRIPTION =
  "the ARN of the IAM role SageMaker assumes to pull the image and write logs";
/** A well-formed execution role ARN, for those messages' examples. */
export const EXAMPLE_ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerExecution";
// How to fix a missing or malformed role, for API callers.
const ROLE_ARN_HINT = `set the plan's roleArn (CLI: --role-arn) to ${ROLE_ARN_DESCRIPTION}, like ${JSON.stringify(EXAMPLE_ROLE_ARN)}.`;
const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
const IMAGE =
  /^[a-zA-Z0-9][a-zA-Z0-9.-]*(:\d+)?\/[a-zA-Z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})?$/;
const HF_MODEL_ID = /^[\w.-]{1,96}(\/[\w.-]{1,96})?$/;
const ENV_KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;

function invalid(message: string): DeploymentPlanError {
  return new DeploymentPlanError("INVALID_PLAN", message);
}

/**
 * Throws `INVALID_PLAN` unless `name` satisfies SageMaker's name rule (1-63 letters,
 * digits, hyphens); models, configs and variants share the endpoint rule.
 */
export function assertSageMakerName(name: string, what: string): void {
  // Read before the type guard, which narrows `name` to never in the failing branch.
  const length = name.length;
  if (!isValidResourceName(name)) {
    throw invalid(
      `${what} ${JSON.stringify(name)} is not a valid SageMaker name: use 1-63 letters, digits and ` +
        `hyphens, starting and ending with a letter or digit${length > 63 ? ` (it has ${length} characters; shorten the name prefix or component name)` : ""}.`,
    );
  }
}

/**
 * The SageMaker vLLM DLC image for `region`. Validates the region first
 * (`INVALID_REGION`), since it becomes part of a registry hostname. Regions whose
 * DLCs live in another account (some opt-in and China regions) need
 * `DeploymentPlan.image` instead.
 */
export function vllmImageUri(region: string): string {
  return `763104351884.dkr.ecr.${region}.${regionDnsSuffix(region)}/${VLLM_IMAGE_TAG}`;
}

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw invalid(`${what} must be a whole number of at least 1, got ${String(value)}.`);
  }
  return n;
}

function resolveEnvironment(
  hfModelId: string,
  layers: ReadonlyArray<ModelSpec["environment"]>,
): Record<string, string> {
  const merged: Record<string, string> = { ...DEFAULT_VLLM_ENVIRONMENT };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (!ENV_KEY.test(key))
        throw invalid(`Environment variable name ${JSON.stringify(key)} is malformed.`);
      if (key === "HF_MODEL_ID")
        throw invalid("Set the model with hfModelId, not environment.HF_MODEL_ID.");
      if (value === null) delete merged[key];
      else if (typeof value !== "string" || value.length > 1024) {
        throw invalid(`Environment variable ${key} must be a string of at most 1024 characters.`);
      } else merged[key] = value;
    }
  }
  return { HF_MODEL_ID: hfModelId, ...merged };
}

function resolveModel(
  modelName: string,
  layers: ReadonlyArray<ModelSpec | undefined>,
): ResolvedModel {
  assertSageMakerName(modelName, "Model name");
  let hfModelId = DEFAULT_HF_MODEL_ID;
  for (const layer of layers) hfModelId = layer?.hfModelId ?? hfModelId;
  if (!HF_MODEL_ID.test(hfModelId)) {
    throw invalid(
      `Hugging Face model id ${JSON.stringify(hfModelId)} is malformed; expected "org/name".`,
    );
  }
  const environment = resolveEnvironment(
    hfModelId,
    layers.map((layer) => layer?.environment),
  );
  return { modelName, hfModelId, environment };
}

function resolveCompute(
  compute: Partial<ComputeRequirements> | undefined,
  who: string,
): ComputeRequirements {
  const merged = { ...DEFAULT_COMPUTE, ...compute };
  if (!Number.isSafeInteger(merged.minMemoryRequiredInMb) || merged.minMemoryRequiredInMb < 128) {
    throw invalid(
      `Component ${who}: minMemoryRequiredInMb must be a whole number of at least 128.`,
    );
  }
  if (!Number.isFinite(merged.numberOfCpuCoresRequired) || merged.numberOfCpuCoresRequired <= 0) {
    throw invalid(`Component ${who}: numberOfCpuCoresRequired must be a positive number.`);
  }
  const accelerators = merged.numberOfAcceleratorDevicesRequired;
  if (!Number.isSafeInteger(accelerators) || accelerators < 0) {
    throw invalid(
      `Component ${who}: numberOfAcceleratorDevicesRequired must be a whole number >= 0.`,
    );
  }
  return merged;
}

/**
 * Checks a plan and fixes every default and name. Names follow the article:
 * `<prefix>-sme-model-<suffix>`, `<prefix>-ic-ep-<suffix>`, `<prefix>-ic-<component>-<suffix>`.
 *
 * @throws {@link DeploymentPlanError} `INVALID_PLAN` naming the field to fix,
 *   or a `ValidationError` `INVALID_REGION` for a malformed region.
 */
export function resolvePlan(plan: DeploymentPlan): ResolvedPlan {
  assertRegion(plan.region, "the plan's region");
  if (typeof plan.roleArn !== "string" || plan.roleArn === "") {
    throw invalid(`No execution role: ${ROLE_ARN_HINT}`);
  }
  if (!ROLE_ARN.test(plan.roleArn)) {
    throw invalid(
      `Execution role ${JSON.stringify(plan.roleArn)} is not an IAM role ARN: ${ROLE_ARN_HINT}`,
    );
  }
  const instanceType = plan.instanceType ?? DEFAULT_INSTANCE_TYPE;
  if (!INSTANCE_TYPE.test(instanceType)) {
    throw invalid(
      `Instance type ${JSON.stringify(instanceType)} is malformed; expected e.g. "ml.g6.2xlarge".`,
    );
  }
  const image = plan.image ?? vllmImageUri(plan.region);
  if (image.length > 255 || !IMAGE.test(image)) {
    throw invalid(`Image ${JSON.stringify(image)} is not a container image URI.`);
  }
  const prefix = plan.namePrefix ?? "openai-compat";
  const suffix = plan.suffix ?? String(Math.floor(Date.now() / 1000));
  assertSageMakerName(prefix, "Name prefix");
  assertSageMakerName(suffix, "Name suffix");
  const variantName = plan.variantName ?? "variant1";
  assertSageMakerName(variantName, "Variant name");

  const specs = plan.components ?? [];
  const kind = specs.length > 0 ? "inference-components" : "single-model";
  const tag = kind === "single-model" ? "sme" : "ic";
  const endpointName = `${prefix}-${tag}-ep-${suffix}`;
  const endpointConfigName = `${prefix}-${tag}-epc-${suffix}`;
  assertSageMakerName(endpointName, "Endpoint name");
  assertSageMakerName(endpointConfigName, "Endpoint config name");

  const seen = new Set<string>();
  const components = specs.map((spec): ResolvedComponent => {
    assertSageMakerName(spec.name, "Component name");
    const key = spec.name.toLowerCase();
    if (seen.has(key)) throw invalid(`Component name ${JSON.stringify(spec.name)} is used twice.`);
    seen.add(key);
    const inferenceComponentName = `${prefix}-ic-${spec.name}-${suffix}`;
    assertSageMakerName(inferenceComponentName, "Inference component name");
    return {
      component: spec.name,
      inferenceComponentName,
      model: resolveModel(`${prefix}-ic-model-${spec.name}-${suffix}`, [plan.model, spec.model]),
      compute: resolveCompute(spec.compute, spec.name),
      copyCount: positiveInteger(spec.copyCount, 1, `Component ${spec.name}: copyCount`),
    };
  });
  const models =
    kind === "single-model"
      ? [resolveModel(`${prefix}-sme-model-${suffix}`, [plan.model])]
      : components.map((c) => c.model);

  const scaling = plan.managedInstanceScaling;
  if (kind === "single-model" && (scaling !== undefined || plan.routingStrategy !== undefined)) {
    throw invalid(
      "managedInstanceScaling and routingStrategy apply to inference-component endpoints only.",
    );
  }
  if (scaling !== undefined) {
    const min = positiveInteger(
      scaling.minInstanceCount,
      1,
      "managedInstanceScaling.minInstanceCount",
    );
    const max = positiveInteger(
      scaling.maxInstanceCount,
      1,
      "managedInstanceScaling.maxInstanceCount",
    );
    if (max < min)
      throw invalid("managedInstanceScaling.maxInstanceCount is below minInstanceCount.");
  }
  return {
    kind,
    region: plan.region,
    roleArn: plan.roleArn,
    instanceType,
    instanceCount: positiveInteger(plan.instanceCount, 1, "instanceCount"),
    image,
    variantName,
    endpointName,
    endpointConfigName,
    models,
    components,
    managedInstanceScaling: scaling,
    routingStrategy: plan.routingStrategy,
  };
}
