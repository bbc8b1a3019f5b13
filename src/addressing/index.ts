/**
 * Endpoint addressing: base URLs for SageMaker's OpenAI-compatible path, and
 * the validation that keeps bearer tokens on the right host and transport.
 *
 * @packageDocumentation
 */
export {
  type SageMakerOpenAIBaseURLOptions,
  sagemakerOpenAIBaseURL,
  sagemakerOpenAIPath,
  sagemakerRuntimeHost,
} from "./base-url.js";
export {
  assertResourceName,
  isValidResourceName,
  type ResourceNameKind,
  SAGEMAKER_NAME_PATTERN,
} from "./names.js";
export { assertRegion, isValidRegion, REGION_DNS_SUFFIXES, regionDnsSuffix } from "./region.js";
export { assertSafeBaseURL, isLoopbackHost, type SafeBaseURLOptions } from "./safe-url.js";
