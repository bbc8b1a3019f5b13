/**
 * The LangChain chat model for SageMaker's OpenAI-compatible path, its typed
 * errors and retry options, and the output parsers it uses.
 *
 * @packageDocumentation
 */
export { RequestAbortedError } from "./abort.js";
export { ChatSageMakerOpenAI, type ChatSageMakerOpenAICallOptions } from "./chat-model.js";
export {
  createSageMakerChatModels,
  type SageMakerChatModels,
  type SageMakerChatModelsOptions,
  type SageMakerComponentModelOptions,
} from "./chat-models.js";
export {
  SageMakerModelError,
  type SageMakerModelErrorCode,
  type SageMakerModelErrorDetails,
} from "./errors.js";
export type { ChatSageMakerOpenAIFields, SageMakerTarget, ToolCallParserMode } from "./options.js";
export {
  type ConnectionPoolOptions,
  createConnectionPool,
  type SageMakerConnectionPool,
} from "./pool.js";
export { DEFAULT_MAX_RETRIES, type RetryEvent, type RetryOptions } from "./retry.js";
