/** The backend factory the local endpoint builds its models with. */
import type { ChatBackend } from "../backend.js";
import { type BuiltInBackendConfig, backendConfigSchema, parseBackendConfig } from "./config.js";
import { createDemoBackend } from "./demo-backend.js";
import { createProxyBackend } from "./proxy-backend.js";

/**
 * Builds the backend a config describes: `{ type: "demo", ... }` or
 * `{ type: "proxy", url, ... }`. Throws `LocalEndpointConfigError` with code
 * `LOCAL_BACKEND_INVALID` and a message naming each bad field.
 */
export function createBackend(config: BuiltInBackendConfig): ChatBackend {
  const parsed = parseBackendConfig(backendConfigSchema, config);
  return parsed.type === "demo" ? createDemoBackend(parsed) : createProxyBackend(parsed);
}
