/**
 * What a user should read before anything is created: what it costs, and
 * whether the components asked for fit on the instances asked for.
 */
import type { ResolvedPlan } from "./plan.js";

/**
 * The sentence shown before creating anything: which instances will be billed,
 * and that billing continues until clean-up, traffic or not.
 */
export function costWarning(plan: ResolvedPlan): string {
  const scaling = plan.managedInstanceScaling;
  const count =
    scaling === undefined
      ? `${plan.instanceCount} x ${plan.instanceType}`
      : `${plan.instanceCount} x ${plan.instanceType} (scaling between ${scaling.minInstanceCount} and ${scaling.maxInstanceCount})`;
  return (
    `This creates SageMaker endpoint ${plan.endpointName} on ${count} in ${plan.region}. ` +
    "Each instance is billed for every hour the endpoint exists, with or without traffic, " +
    "until you clean it up (`sagemaker-openai-agents cleanup` or cleanupDeployment())."
  );
}

/** GPUs per instance for the GPU families commonly used with the vLLM DLC. */
const GPU_FAMILIES = new Set(["g4dn", "g5", "g6", "g6e"]);
const MULTI_GPU_SIZES: Readonly<Record<string, number>> = {
  "12xlarge": 4,
  "24xlarge": 4,
  "48xlarge": 8,
  metal: 8,
};

/**
 * GPUs on one instance of `instanceType`, or `undefined` when this table does not know it.
 * Covers ml.g4dn / g5 / g6 / g6e, where every size up to 16xlarge has one GPU.
 */
export function acceleratorsPerInstance(instanceType: string): number | undefined {
  const [, family, size] = instanceType.split(".");
  if (family === undefined || size === undefined || !GPU_FAMILIES.has(family)) return undefined;
  return MULTI_GPU_SIZES[size] ?? 1;
}

/**
 * Warnings about inference components that cannot all be placed: SageMaker
 * keeps such a component in `Creating` until it times out, which is slow and billed.
 */
export function capacityWarnings(plan: ResolvedPlan): string[] {
  const perInstance = acceleratorsPerInstance(plan.instanceType);
  if (perInstance === undefined || plan.components.length === 0) return [];
  const required = plan.components.reduce(
    (sum, c) => sum + c.compute.numberOfAcceleratorDevicesRequired * c.copyCount,
    0,
  );
  const instances = plan.managedInstanceScaling?.maxInstanceCount ?? plan.instanceCount;
  const available = perInstance * instances;
  if (required <= available) return [];
  return [
    `The components need ${required} GPU(s) in total but ${instances} x ${plan.instanceType} has ` +
      `${available}: raise the instance count, pick a larger instance, or lower copy counts.`,
  ];
}
