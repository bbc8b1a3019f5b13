/**
 * `sagemaker-openai-agents/auth`: mint, read and refresh SageMaker bearer
 * tokens. Light on purpose (a gateway or a Lambda imports it): it loads
 * neither LangChain nor the OpenAI SDK, and the AWS credential chain is
 * imported only when first needed.
 *
 * @module sagemaker-openai-agents/auth
 */
// Re-exported so a gateway can build the URL a token is for from this light entry alone.
export {
  assertSafeBaseURL,
  isLoopbackHost,
  type SageMakerOpenAIBaseURLOptions,
  sagemakerOpenAIBaseURL,
} from "../addressing/index.js";
export type { AwsCredentials, AwsCredentialsProvider, CredentialsSource } from "./credentials.js";
export { type DecodedToken, decodeToken } from "./decode-token.js";
export { CredentialsError, MalformedTokenError } from "./errors.js";
export { type GenerateTokenOptions, generateToken } from "./generate-token.js";
export { MAX_EXPIRES_IN, TOKEN_PREFIX } from "./presign.js";
export { resolveRegion } from "./region.js";
export {
  createTokenProvider,
  type SageMakerTokenProvider,
  TOKEN_PROVIDER_LABEL,
  type TokenProviderOptions,
} from "./token-provider.js";
