/**
 * `sagemaker-openai-agents`: call Amazon SageMaker AI endpoints and inference
 * components through their OpenAI-compatible path.
 *
 * @packageDocumentation
 */
export {
  ConfigurationError,
  REDACTED_TOKEN,
  redactTokens,
  SageMakerOpenAIError,
  ValidationError,
} from "./errors.js";
