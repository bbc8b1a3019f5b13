/**
 * `sagemaker-openai-agents/local`: a local stand-in for SageMaker AI's
 * OpenAI-compatible endpoints that verifies bearer tokens as the service does,
 * routes endpoints and inference components, and injects faults.
 *
 * @module sagemaker-openai-agents/local
 */
export type { AccessLogEntry } from "./access-log.js";
export type {
  BackendContext,
  BackendResponse,
  ChatBackend,
  ChatCompletionRequestBody,
  JsonBackendResponse,
  StreamBackendResponse,
} from "./backend.js";
export {
  type BuiltInBackendConfig,
  builtInScripts,
  createBackend,
  createDemoBackend,
  createProxyBackend,
  DEFAULT_DEMO_MODEL,
  type DemoBackendConfig,
  demoBackendConfigSchema,
  type JsonReply,
  type ProxyBackendConfig,
  proxyBackendConfigSchema,
  type RuleCondition,
  type Script,
  type ScriptReply,
  type ScriptRule,
  type TextReply,
  type ToolReply,
} from "./backends/index.js";
export type {
  BackendConfig,
  ComponentConfig,
  CredentialConfig,
  EndpointConfig,
  LocalEndpointConfig,
} from "./config.js";
export {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_BUFFERED_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  validateLocalEndpointConfig,
} from "./config.js";
export { loadLocalEndpointConfig } from "./config-file.js";
export { defaultLocalEndpointConfig } from "./default-config.js";
export { LocalEndpointConfigError, LocalEndpointEnvironmentError } from "./errors.js";
export type { FaultSpec } from "./faults.js";
export { REFUSAL_REASONS, type RefusalReason } from "./refusals.js";
export {
  DEMO_CREDENTIALS,
  type SageMakerOrLocalEndpoint,
  type SageMakerOrLocalEndpointOptions,
  sagemakerOrLocalEndpoint,
} from "./sagemaker-or-local.js";
export { type LocalEndpoint, startLocalEndpoint } from "./server.js";
