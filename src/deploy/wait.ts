/**
 * Waiting for a resource to reach a state, shared by deploy (until `InService`)
 * and clean-up (until gone): one status check per poll, a progress event for
 * every check that finds the resource not there yet.
 */
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { pollUntil, type ResolvedPollOptions } from "./poll.js";
import type { DeploymentRecord } from "./record.js";
import { callFailed, describeStatus, isNotFound, type ResourceStatus } from "./sagemaker.js";
import { resourceName, type WaitStep } from "./steps.js";

/** A status check found the resource not yet in the state waited for. */
export interface WaitingEvent {
  type: "waiting";
  operation: WaitStep["operation"];
  name: string;
  status: string;
  attempt: number;
  maxAttempts: number;
}

/**
 * Polls `step`'s resource until it is in `step.until` (`InService`, or `gone`:
 * describe answers not found). `onStatus` sees every other status and may
 * throw to stop (a resource that failed). Returns whether the state was
 * reached within `poll.maxAttempts` checks, and the last status seen.
 * @throws `SAGEMAKER_CALL_FAILED` when a status check fails.
 */
export async function waitForState(
  client: SageMakerClient,
  step: WaitStep,
  poll: ResolvedPollOptions,
  record: DeploymentRecord,
  onWaiting: (event: WaitingEvent) => void,
  onStatus?: (status: ResourceStatus) => void,
): Promise<{ reached: boolean; last: string }> {
  const name = resourceName(step);
  let last = "unknown";
  const reached = await pollUntil(async (attempt) => {
    let status: ResourceStatus;
    try {
      status = await describeStatus(client, step);
    } catch (error) {
      if (step.until === "gone" && isNotFound(error)) return true;
      throw callFailed(step.operation, error, record);
    }
    last = status.status;
    if (step.until === "InService" && status.status === "InService") return true;
    onStatus?.(status);
    onWaiting({
      type: "waiting",
      operation: step.operation,
      name,
      status: status.status,
      attempt,
      maxAttempts: poll.maxAttempts,
    });
    return false;
  }, poll);
  return { reached, last };
}
