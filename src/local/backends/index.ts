/**
 * The models behind the local endpoint's routes: a deterministic demo model
 * that speaks vLLM's wire format, and a proxy to any OpenAI-compatible server.
 */
export {
  type BuiltInBackendConfig,
  backendConfigSchema,
  DEFAULT_DEMO_MODEL,
  type DemoBackendConfig,
  demoBackendConfigSchema,
  type ProxyBackendConfig,
  proxyBackendConfigSchema,
} from "./config.js";
export { createBackend } from "./create-backend.js";
export { createDemoBackend } from "./demo-backend.js";
export { createProxyBackend } from "./proxy-backend.js";
export type {
  JsonReply,
  Pattern,
  RuleCondition,
  Script,
  ScriptReply,
  ScriptRule,
  TextReply,
  ToolReply,
} from "./script-types.js";
export { scriptSchema } from "./script-types.js";
export {
  builtInScripts,
  coderScript,
  type DemoProgram,
  demoPrograms,
  generalScript,
  reviewerScript,
} from "./scripts/index.js";
