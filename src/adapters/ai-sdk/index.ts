/**
 * `sagemaker-openai-agents/ai-sdk`: a Vercel AI SDK provider for SageMaker AI
 * endpoints and inference components. Needs the optional peer dependencies
 * `@ai-sdk/openai-compatible` (^3) and, to call it, `ai` (^7); importing this
 * subpath without `@ai-sdk/openai-compatible` fails with a `ConfigurationError`
 * (`MISSING_PEER`) naming the package to install.
 *
 * @module sagemaker-openai-agents/ai-sdk
 */
export {
  AI_SDK_PEER_RANGE,
  createSageMakerOpenAI,
  type SageMakerOpenAIProvider,
  type SageMakerOpenAIProviderOptions,
} from "./provider.js";
