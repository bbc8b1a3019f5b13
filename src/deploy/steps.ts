/**
 * A deployment and a clean-up as plain lists of SageMaker API calls. The same
 * list is what a dry run prints and what a real run executes, so the two
 * cannot drift apart.
 */
import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateInferenceComponentCommandInput,
  CreateModelCommandInput,
  ProductionVariant,
} from "@aws-sdk/client-sagemaker";
import type { ResolvedModel, ResolvedPlan } from "./plan.js";
import { maskEnvironment } from "./secrets.js";

/** A create call, typed by its SageMaker operation name. */
export type CreateCall =
  | { operation: "CreateModel"; input: CreateModelCommandInput }
  | { operation: "CreateEndpointConfig"; input: CreateEndpointConfigCommandInput }
  | { operation: "CreateEndpoint"; input: CreateEndpointCommandInput }
  | { operation: "CreateInferenceComponent"; input: CreateInferenceComponentCommandInput };

/** A delete call, typed by its SageMaker operation name. */
export type DeleteCall =
  | { operation: "DeleteInferenceComponent"; input: { InferenceComponentName: string } }
  | { operation: "DeleteEndpoint"; input: { EndpointName: string } }
  | { operation: "DeleteEndpointConfig"; input: { EndpointConfigName: string } }
  | { operation: "DeleteModel"; input: { ModelName: string } };

/** A describe call repeated until a resource reaches a state. */
export type WaitStep = {
  kind: "wait";
  /** `InService` while deploying; `gone` (describe says not found) while cleaning up. */
  until: "InService" | "gone";
} & (
  | { operation: "DescribeEndpoint"; input: { EndpointName: string } }
  | { operation: "DescribeInferenceComponent"; input: { InferenceComponentName: string } }
);

/** One step of a deployment: a create call or a wait. */
export type DeploymentStep = ({ kind: "call" } & CreateCall) | WaitStep;

/** One step of a clean-up: a delete call or a wait. */
export type CleanupStep = ({ kind: "call" } & DeleteCall) | WaitStep;

function createModel(plan: ResolvedPlan, model: ResolvedModel): DeploymentStep {
  return {
    kind: "call",
    operation: "CreateModel",
    input: {
      ModelName: model.modelName,
      ExecutionRoleArn: plan.roleArn,
      PrimaryContainer: { Image: plan.image, Environment: { ...model.environment } },
    },
  };
}

function variant(plan: ResolvedPlan): ProductionVariant {
  // The SDK types InstanceType as a closed enum; resolvePlan has checked its shape and
  // SageMaker itself is the authority on which types exist in the region.
  const instanceType = plan.instanceType as ProductionVariant["InstanceType"];
  if (plan.kind === "single-model") {
    return {
      VariantName: plan.variantName,
      ModelName: plan.models[0]?.modelName,
      InstanceType: instanceType,
      InitialInstanceCount: plan.instanceCount,
    };
  }
  const base: ProductionVariant = {
    VariantName: plan.variantName,
    InstanceType: instanceType,
    InitialInstanceCount: plan.instanceCount,
  };
  // Inference-component endpoints: no ModelName; the models arrive with the components.
  const scaling = plan.managedInstanceScaling;
  return {
    ...base,
    ...(scaling && {
      ManagedInstanceScaling: {
        Status: "ENABLED",
        MinInstanceCount: scaling.minInstanceCount,
        MaxInstanceCount: scaling.maxInstanceCount,
      },
    }),
    ...(plan.routingStrategy && { RoutingConfig: { RoutingStrategy: plan.routingStrategy } }),
  };
}

const waitForEndpoint = (name: string): DeploymentStep => ({
  kind: "wait",
  until: "InService",
  operation: "DescribeEndpoint",
  input: { EndpointName: name },
});

/**
 * The calls that deploy `plan`, in order, with the waits between them. For
 * inference components, every component is created before any is waited for,
 * so SageMaker loads them in parallel.
 */
export function deploymentSteps(plan: ResolvedPlan): DeploymentStep[] {
  const steps: DeploymentStep[] = plan.models.map((model) => createModel(plan, model));
  steps.push({
    kind: "call",
    operation: "CreateEndpointConfig",
    input: {
      EndpointConfigName: plan.endpointConfigName,
      ...(plan.kind === "inference-components" && { ExecutionRoleArn: plan.roleArn }),
      ProductionVariants: [variant(plan)],
    },
  });
  steps.push({
    kind: "call",
    operation: "CreateEndpoint",
    input: { EndpointName: plan.endpointName, EndpointConfigName: plan.endpointConfigName },
  });
  steps.push(waitForEndpoint(plan.endpointName));
  for (const c of plan.components) {
    const accelerators = c.compute.numberOfAcceleratorDevicesRequired;
    steps.push({
      kind: "call",
      operation: "CreateInferenceComponent",
      input: {
        InferenceComponentName: c.inferenceComponentName,
        EndpointName: plan.endpointName,
        VariantName: plan.variantName,
        Specification: {
          ModelName: c.model.modelName,
          ComputeResourceRequirements: {
            MinMemoryRequiredInMb: c.compute.minMemoryRequiredInMb,
            NumberOfCpuCoresRequired: c.compute.numberOfCpuCoresRequired,
            ...(accelerators > 0 && { NumberOfAcceleratorDevicesRequired: accelerators }),
          },
        },
        RuntimeConfig: { CopyCount: c.copyCount },
      },
    });
  }
  for (const c of plan.components) {
    steps.push({
      kind: "wait",
      until: "InService",
      operation: "DescribeInferenceComponent",
      input: { InferenceComponentName: c.inferenceComponentName },
    });
  }
  return steps;
}

/**
 * Steps as they may be printed: each CreateModel's container `Environment`
 * with the values of secret-looking names (TOKEN, SECRET, KEY, PASSWORD)
 * masked, the rest as is. Never pass these to SageMaker.
 */
export function maskSteps<T extends DeploymentStep | CleanupStep>(steps: readonly T[]): T[] {
  return steps.map((step) => {
    if (step.kind !== "call" || step.operation !== "CreateModel") return step;
    const container = step.input.PrimaryContainer;
    if (container?.Environment === undefined) return step;
    return {
      ...step,
      input: {
        ...step.input,
        PrimaryContainer: { ...container, Environment: maskEnvironment(container.Environment) },
      },
    };
  });
}

/**
 * Renders steps for a terminal: one numbered line per call with its input as
 * indented JSON (secret environment values masked, see {@link maskSteps}), and
 * one line per wait.
 */
export function formatSteps(
  steps: ReadonlyArray<DeploymentStep | CleanupStep>,
  wait: { pollIntervalMs: number; maxAttempts: number },
): string {
  return maskSteps(steps)
    .map((step, i) => {
      if (step.kind === "wait") {
        const what = step.until === "gone" ? "it is gone" : "status is InService";
        return `${i + 1}. ${step.operation} ${JSON.stringify(step.input)} every ${wait.pollIntervalMs / 1000} s until ${what} (at most ${wait.maxAttempts} times)`;
      }
      const input = JSON.stringify(step.input, null, 2).replaceAll("\n", "\n   ");
      return `${i + 1}. ${step.operation}\n   ${input}`;
    })
    .join("\n");
}

/** The name of the resource a step creates, deletes or waits for. */
export function resourceName(step: CreateCall | DeleteCall | WaitStep): string {
  const input: Record<string, unknown> = { ...step.input };
  for (const key of ["InferenceComponentName", "EndpointName", "EndpointConfigName", "ModelName"]) {
    // CreateInferenceComponent also names its endpoint, so the component name is checked first.
    if (typeof input[key] === "string") return input[key];
  }
  return "";
}
