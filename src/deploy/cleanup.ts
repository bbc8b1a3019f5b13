/**
 * Deletes what a deploy created, in the order SageMaker needs: inference
 * components (waiting until they are gone, since an endpoint that still hosts
 * one cannot be deleted), then the endpoint, its config, and the models.
 * Anything already gone counts as done, so clean-up can be re-run safely.
 */
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { DeploymentError } from "./errors.js";
import { type PollOptions, type ResolvedPollOptions, resolvePollOptions } from "./poll.js";
import { type DeploymentRecord, parseDeploymentRecord } from "./record.js";
import { callFailed, isNotFound, sageMakerClientFor, send } from "./sagemaker.js";
import { type CleanupStep, type DeleteCall, resourceName, type WaitStep } from "./steps.js";
import { type WaitingEvent, waitForState } from "./wait.js";

/** What happened to one resource. `planned` is a dry run's answer. */
export type CleanupOutcome = "deleted" | "already-gone" | "planned";

/** One delete call and its outcome. */
export interface CleanupStepResult {
  operation: DeleteCall["operation"];
  name: string;
  outcome: CleanupOutcome;
}

/** Progress of {@link cleanupDeployment}. */
export type CleanupEvent =
  /** A delete call finished: the resource is being deleted, or did not exist. */
  | ({ type: "step" } & CleanupStepResult)
  /** An inference component is still there. */
  | WaitingEvent
  /** An inference component is gone. */
  | { type: "gone"; operation: WaitStep["operation"]; name: string };

/** Options of {@link cleanupDeployment}. */
export interface CleanupOptions extends PollOptions {
  /** The client to use; must be in the record's region. Default: a new client. */
  client?: SageMakerClient;
  /** Return the calls without making any. */
  dryRun?: boolean;
  /** Called after each delete and each status check. */
  onProgress?: (event: CleanupEvent) => void;
}

/** What {@link cleanupDeployment} returns. */
export interface CleanupResult {
  /** `true` when nothing was sent to AWS. */
  dryRun: boolean;
  /** The calls made (or, for a dry run, that would be made), with the waits. */
  steps: CleanupStep[];
  /** One entry per delete call, in order. */
  results: CleanupStepResult[];
}

/** The delete calls (and waits) for everything in `record`, in dependency order. */
export function cleanupSteps(record: DeploymentRecord): CleanupStep[] {
  const steps: CleanupStep[] = [];
  for (const ic of record.inferenceComponents) {
    steps.push({
      kind: "call",
      operation: "DeleteInferenceComponent",
      input: { InferenceComponentName: ic.inferenceComponentName },
    });
  }
  for (const ic of record.inferenceComponents) {
    steps.push({
      kind: "wait",
      until: "gone",
      operation: "DescribeInferenceComponent",
      input: { InferenceComponentName: ic.inferenceComponentName },
    });
  }
  if (record.endpointName !== undefined) {
    steps.push({
      kind: "call",
      operation: "DeleteEndpoint",
      input: { EndpointName: record.endpointName },
    });
  }
  if (record.endpointConfigName !== undefined) {
    steps.push({
      kind: "call",
      operation: "DeleteEndpointConfig",
      input: { EndpointConfigName: record.endpointConfigName },
    });
  }
  for (const name of record.modelNames) {
    steps.push({ kind: "call", operation: "DeleteModel", input: { ModelName: name } });
  }
  return steps;
}

async function waitGone(
  client: SageMakerClient,
  step: WaitStep,
  poll: ResolvedPollOptions,
  record: DeploymentRecord,
  emit: (event: CleanupEvent) => void,
): Promise<void> {
  const name = resourceName(step);
  // A component that failed may report Failed before Deleting, so any status means "keep waiting".
  const { reached, last } = await waitForState(client, step, poll, record, emit);
  if (!reached) {
    throw new DeploymentError(
      "CLEANUP_TIMEOUT",
      `Inference component ${name} was still ${last} after ${poll.maxAttempts} checks; ` +
        "the endpoint cannot be deleted before it. Run clean-up again later.",
      { operation: step.operation, record },
    );
  }
  emit({ type: "gone", operation: step.operation, name });
}

/**
 * Deletes everything in `record`, tolerating resources that are already gone.
 * Stops at the first other failure; running it again is safe.
 *
 * @throws {@link DeploymentPlanError} `INVALID_RECORD` for a malformed record (before any AWS call).
 * @throws {@link DeploymentError} `SAGEMAKER_CALL_FAILED` or `CLEANUP_TIMEOUT`, carrying the record.
 */
export async function cleanupDeployment(
  record: DeploymentRecord,
  options: CleanupOptions = {},
): Promise<CleanupResult> {
  const checked = parseDeploymentRecord(record);
  const poll = resolvePollOptions(options);
  const steps = cleanupSteps(checked);
  const calls = steps.filter(
    (step): step is Extract<CleanupStep, { kind: "call" }> => step.kind === "call",
  );
  if (options.dryRun === true) {
    const results = calls.map((c) => ({
      operation: c.operation,
      name: resourceName(c),
      outcome: "planned" as const,
    }));
    return { dryRun: true, steps, results };
  }
  const client = await sageMakerClientFor(checked.region, options.client);
  const emit = options.onProgress ?? (() => {});
  const results: CleanupStepResult[] = [];
  const alreadyGone = new Set<string>();
  for (const step of steps) {
    const name = resourceName(step);
    if (step.kind === "wait") {
      if (!alreadyGone.has(name)) await waitGone(client, step, poll, checked, emit);
      continue;
    }
    let outcome: CleanupOutcome = "deleted";
    try {
      await send(client, step);
    } catch (error) {
      if (!isNotFound(error)) throw callFailed(step.operation, error, checked);
      outcome = "already-gone";
      if (step.operation === "DeleteInferenceComponent") alreadyGone.add(name);
    }
    const result = { operation: step.operation, name, outcome };
    results.push(result);
    emit({ type: "step", ...result });
  }
  return { dryRun: false, steps, results };
}
