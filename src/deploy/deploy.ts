/**
 * Deploys a vLLM endpoint the way the article does, in TypeScript: models,
 * endpoint config, endpoint, then (optionally) inference components, waiting
 * for each to be `InService`.
 */
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { DeploymentError } from "./errors.js";
import { type DeploymentPlan, type ResolvedPlan, resolvePlan } from "./plan.js";
import { type PollOptions, type ResolvedPollOptions, resolvePollOptions } from "./poll.js";
import {
  createRecordFile,
  type DeploymentRecord,
  emptyRecord,
  noteCreated,
  updateRecordFile,
} from "./record.js";
import { callFailed, sageMakerClientFor, send } from "./sagemaker.js";
import {
  type CreateCall,
  type DeploymentStep,
  deploymentSteps,
  resourceName,
  type WaitStep,
} from "./steps.js";
import { type WaitingEvent, waitForState } from "./wait.js";
import { capacityWarnings, costWarning } from "./warnings.js";

/** Progress of {@link deployEndpoint}, for a log or a terminal. */
export type DeployEvent =
  /** Read before anything is created: the cost warning, and capacity warnings. */
  | { type: "warning"; message: string }
  /** The record file was created; it is updated before each later create call. */
  | { type: "record-file"; path: string }
  /** SageMaker accepted a create call (the resource may still be starting). */
  | { type: "created"; operation: CreateCall["operation"]; name: string }
  /** A status check found the resource not yet `InService`. */
  | WaitingEvent
  /** The resource is `InService`. */
  | { type: "in-service"; operation: WaitStep["operation"]; name: string };

/** Options of {@link deployEndpoint}. */
export interface DeployOptions extends PollOptions {
  /** The client to use, e.g. one pointed at moto; must be in the plan's region. Default: a new client. */
  client?: SageMakerClient;
  /** Return the calls without making any. */
  dryRun?: boolean;
  /**
   * Write the {@link DeploymentRecord} here (must not exist yet), kept current as resources
   * are requested. A dry run writes nothing.
   */
  recordPath?: string;
  /** Called with warnings and progress; the warnings come before any AWS call. */
  onProgress?: (event: DeployEvent) => void;
}

/** A deployment's plan, calls and record, before or after it ran. */
export interface PlannedDeployment {
  /** The plan with defaults applied and names fixed. */
  plan: ResolvedPlan;
  /** The calls, in order, with the waits between them. */
  steps: DeploymentStep[];
  /** The cost warning, then any capacity warnings. */
  warnings: string[];
  /** Everything the deployment creates (all of it for a plan; what was requested, after a run). */
  record: DeploymentRecord;
}

/** What {@link deployEndpoint} returns. */
export interface DeployResult extends PlannedDeployment {
  /** `true` when nothing was sent to AWS. */
  dryRun: boolean;
}

/**
 * Checks `plan` and lists the calls that would deploy it, without touching AWS.
 *
 * @throws {@link DeploymentPlanError} `INVALID_PLAN` naming the field to fix.
 */
export function planDeployment(plan: DeploymentPlan): PlannedDeployment {
  const resolved = resolvePlan(plan);
  const steps = deploymentSteps(resolved);
  const record = emptyRecord(resolved.region);
  for (const step of steps) {
    if (step.kind === "call") noteCreated(record, step, componentOf(resolved, step));
  }
  return {
    plan: resolved,
    steps,
    warnings: [costWarning(resolved), ...capacityWarnings(resolved)],
    record,
  };
}

function componentOf(plan: ResolvedPlan, call: CreateCall): string | undefined {
  if (call.operation !== "CreateInferenceComponent") return undefined;
  return plan.components.find((c) => c.inferenceComponentName === call.input.InferenceComponentName)
    ?.component;
}

/** Endpoint and component states from which `InService` will not come without intervention. */
const FAILED = new Set(["Failed", "Deleting", "UpdateRollbackFailed"]);

async function waitInService(
  client: SageMakerClient,
  step: WaitStep,
  poll: ResolvedPollOptions,
  record: DeploymentRecord,
  emit: (event: DeployEvent) => void,
): Promise<void> {
  const name = resourceName(step);
  const what = step.operation === "DescribeEndpoint" ? "Endpoint" : "Inference component";
  const { reached, last } = await waitForState(client, step, poll, record, emit, (status) => {
    if (!FAILED.has(status.status)) return;
    const reason = status.failureReason ?? "SageMaker gave no FailureReason";
    throw new DeploymentError(
      "DEPLOY_FAILED",
      `${what} ${name} is ${status.status}: ${reason}. Check its CloudWatch logs, then clean up with the record.`,
      {
        operation: step.operation,
        failureReason: status.failureReason,
        record: structuredClone(record),
      },
    );
  });
  if (!reached) {
    throw new DeploymentError(
      "DEPLOY_TIMEOUT",
      `${what} ${name} was still ${last} after ${poll.maxAttempts} checks ${poll.pollIntervalMs / 1000} s apart. ` +
        "It may still come up (and is billed meanwhile): wait longer with more maxAttempts, or clean up.",
      { operation: step.operation, record: structuredClone(record) },
    );
  }
  emit({ type: "in-service", operation: step.operation, name });
}

async function saveRecord(path: string, record: DeploymentRecord): Promise<void> {
  try {
    await updateRecordFile(path, record);
  } catch (error) {
    throw new DeploymentError(
      "RECORD_WRITE_FAILED",
      `Could not update the record file ${JSON.stringify(path)}; stopped before creating more. ` +
        "The error's record lists what exists: clean that up.",
      { cause: error, record: structuredClone(record) },
    );
  }
}

/**
 * Deploys `plan`: warns about cost, then creates the models, endpoint config
 * and endpoint, waits for `InService`, and for inference-component plans
 * creates every component and waits for each. With `dryRun` it only plans.
 *
 * Every error after the first AWS call is a {@link DeploymentError} whose
 * `record` lists what was requested so far, ready for `cleanupDeployment`.
 *
 * @throws {@link DeploymentPlanError} for a bad plan or an existing record file (before any AWS call).
 * @throws {@link DeploymentError} `DEPLOY_FAILED`, `DEPLOY_TIMEOUT` or `SAGEMAKER_CALL_FAILED`.
 */
export async function deployEndpoint(
  plan: DeploymentPlan,
  options: DeployOptions = {},
): Promise<DeployResult> {
  const planned = planDeployment(plan);
  const poll = resolvePollOptions(options);
  const emit = options.onProgress ?? (() => {});
  for (const message of planned.warnings) emit({ type: "warning", message });
  if (options.dryRun === true) return { ...planned, dryRun: true };

  const client = await sageMakerClientFor(planned.plan.region, options.client);
  const record = emptyRecord(planned.plan.region);
  const path = options.recordPath;
  if (path !== undefined) {
    await createRecordFile(path, record);
    emit({ type: "record-file", path });
  }
  for (const step of planned.steps) {
    if (step.kind === "wait") {
      await waitInService(client, step, poll, record, emit);
      continue;
    }
    // Noted before the call: if the call times out after SageMaker acted, clean-up still finds it.
    noteCreated(record, step, componentOf(planned.plan, step));
    if (path !== undefined) await saveRecord(path, record);
    try {
      await send(client, step);
    } catch (error) {
      const environment =
        step.operation === "CreateModel" ? step.input.PrimaryContainer?.Environment : undefined;
      throw callFailed(step.operation, error, record, environment);
    }
    emit({ type: "created", operation: step.operation, name: resourceName(step) });
  }
  return { ...planned, record, dryRun: false };
}
