/**
 * `sagemaker-openai-agents/deploy`: deploy the SageMaker vLLM container as a
 * single-model endpoint or as inference components, and clean it up again.
 * `@aws-sdk/client-sagemaker` is loaded only when a real (not dry-run) call is made.
 *
 * @module sagemaker-openai-agents/deploy
 */
export {
  type CleanupEvent,
  type CleanupOptions,
  type CleanupOutcome,
  type CleanupResult,
  type CleanupStepResult,
  cleanupDeployment,
  cleanupSteps,
} from "./cleanup.js";
export {
  type DeployEvent,
  type DeployOptions,
  type DeployResult,
  deployEndpoint,
  type PlannedDeployment,
  planDeployment,
} from "./deploy.js";
export {
  DeploymentError,
  type DeploymentErrorCode,
  type DeploymentErrorOptions,
  DeploymentPlanError,
  type DeploymentPlanErrorCode,
} from "./errors.js";
export {
  type ComponentSpec,
  type ComputeRequirements,
  DEFAULT_COMPUTE,
  DEFAULT_HF_MODEL_ID,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_VLLM_ENVIRONMENT,
  type DeploymentPlan,
  type ModelSpec,
  type ResolvedComponent,
  type ResolvedModel,
  type ResolvedPlan,
  resolvePlan,
  VLLM_IMAGE_TAG,
  vllmImageUri,
} from "./plan.js";
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_POLL_INTERVAL_MS,
  type PollOptions,
} from "./poll.js";
export {
  type DeploymentRecord,
  formatDeploymentRecord,
  parseDeploymentRecord,
  type RecordedComponent,
  readDeploymentRecord,
} from "./record.js";
export { isSecretName, MASKED_VALUE, maskEnvArguments, maskEnvironment } from "./secrets.js";
export {
  type CleanupStep,
  type CreateCall,
  type DeleteCall,
  type DeploymentStep,
  formatSteps,
  maskSteps,
  type WaitStep,
} from "./steps.js";
export type { WaitingEvent } from "./wait.js";
export { acceleratorsPerInstance, costWarning } from "./warnings.js";
