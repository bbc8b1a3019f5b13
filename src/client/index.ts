/**
 * The OpenAI SDK client for SageMaker endpoints and inference components.
 *
 * @packageDocumentation
 */
export {
  createSageMakerOpenAIClient,
  type SageMakerOpenAIClientOptions,
} from "./create-client.js";
