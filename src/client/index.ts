/**
 * The OpenAI SDK client for SageMaker endpoints and inference components.
 *
 * @packageDocumentation
 */
export type { SageMakerConnectionOptions } from "./connection.js";
export {
  createSageMakerOpenAIClient,
  type SageMakerOpenAIClientOptions,
} from "./create-client.js";
