/**
 * Errors raised while planning, deploying and cleaning up SageMaker endpoints.
 * Every one carries a stable `code`; the runtime ones also carry the
 * {@link DeploymentRecord} of what exists so far, so a caller can always clean up.
 */
import {
  SageMakerOpenAIError,
  type SageMakerOpenAIErrorOptions,
  ValidationError,
} from "../errors.js";
import type { DeploymentRecord } from "./record.js";

/** Codes of {@link DeploymentPlanError}. */
export type DeploymentPlanErrorCode = "INVALID_PLAN" | "INVALID_RECORD" | "RECORD_EXISTS";

/**
 * A plan, record or record path that cannot work. Thrown before any AWS call.
 *
 * - `INVALID_PLAN`: a region, ARN, name, count or environment entry is malformed.
 * - `INVALID_RECORD`: a deployment record file is not one this package wrote.
 * - `RECORD_EXISTS`: the record path already holds a file (it may track live resources).
 */
export class DeploymentPlanError extends ValidationError {
  declare readonly code: DeploymentPlanErrorCode;

  constructor(
    code: DeploymentPlanErrorCode,
    message: string,
    options: SageMakerOpenAIErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** Codes of {@link DeploymentError}. */
export type DeploymentErrorCode =
  | "DEPLOY_FAILED"
  | "DEPLOY_TIMEOUT"
  | "SAGEMAKER_CALL_FAILED"
  | "RECORD_WRITE_FAILED"
  | "CLEANUP_TIMEOUT";

/** Extra context a {@link DeploymentError} can carry. */
export interface DeploymentErrorOptions extends SageMakerOpenAIErrorOptions {
  /** What had been requested from SageMaker when the error happened. */
  record?: DeploymentRecord;
  /** SageMaker's `FailureReason` for a resource that reached `Failed`. */
  failureReason?: string;
  /** The SageMaker API operation that failed, e.g. `CreateEndpointConfig`. */
  operation?: string;
}

/**
 * Deploying or cleaning up went wrong after it started talking to SageMaker.
 *
 * - `DEPLOY_FAILED`: an endpoint or inference component reached `Failed`; see `failureReason`.
 * - `DEPLOY_TIMEOUT`: it was not `InService` after the configured number of polls.
 * - `SAGEMAKER_CALL_FAILED`: SageMaker (or the credential chain) rejected `operation`.
 * - `RECORD_WRITE_FAILED`: the record file could not be updated; `record` holds its content.
 * - `CLEANUP_TIMEOUT`: an inference component was still there after the configured polls.
 *
 * `record` lists what had been requested so far: pass it to `cleanupDeployment` to remove it.
 */
export class DeploymentError extends SageMakerOpenAIError {
  declare readonly code: DeploymentErrorCode;
  /** What had been requested from SageMaker when the error happened, if known. */
  readonly record: DeploymentRecord | undefined;
  /** SageMaker's `FailureReason`, for `DEPLOY_FAILED`. */
  readonly failureReason: string | undefined;
  /** The API operation involved, e.g. `CreateEndpoint` or `DescribeInferenceComponent`. */
  readonly operation: string | undefined;

  constructor(code: DeploymentErrorCode, message: string, options: DeploymentErrorOptions = {}) {
    super(code, message, options);
    this.record = options.record;
    this.failureReason = options.failureReason;
    this.operation = options.operation;
  }
}
