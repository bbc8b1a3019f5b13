/**
 * Turns the configured endpoints into the table the server routes on: a
 * backend per single-model endpoint, a backend per inference component.
 * Backend configs are built by `createBackend` (demo, proxy); `ChatBackend` objects
 * the user passed are used as they are (and left for the user to close).
 */
import { SageMakerOpenAIError } from "../errors.js";
import type { ChatBackend } from "./backend.js";
import { createBackend } from "./backends/index.js";
import { type BackendConfig, isChatBackend, type LocalEndpointConfig } from "./config.js";
import { LocalEndpointConfigError } from "./errors.js";
import type { EndpointTarget } from "./routes.js";

/** The routing table plus the backends the local endpoint built and must close. */
export interface EndpointTable {
  endpoints: Map<string, EndpointTarget>;
  owned: ChatBackend[];
}

/** Builds every backend of `config`; on failure closes those already built. */
export async function buildEndpointTable(config: LocalEndpointConfig): Promise<EndpointTable> {
  const table: EndpointTable = { endpoints: new Map(), owned: [] };
  try {
    for (const [name, endpoint] of Object.entries(config.endpoints)) {
      if (endpoint.backend !== undefined) {
        const backend = build(endpoint.backend, `endpoints.${name}.backend`, table);
        table.endpoints.set(name, { kind: "single", backend });
        continue;
      }
      const components = new Map<string, ChatBackend>();
      for (const [component, ic] of Object.entries(endpoint.inferenceComponents)) {
        const where = `endpoints.${name}.inferenceComponents.${component}.backend`;
        components.set(component, build(ic.backend, where, table));
      }
      table.endpoints.set(name, { kind: "components", components });
    }
  } catch (error) {
    await closeBackends(table.owned);
    throw error;
  }
  return table;
}

function build(config: BackendConfig, where: string, table: EndpointTable): ChatBackend {
  if (isChatBackend(config)) return config;
  let backend: ChatBackend;
  try {
    backend = createBackend(config);
  } catch (error) {
    const detail =
      error instanceof SageMakerOpenAIError ? error.message : "the backend factory rejected it";
    throw new LocalEndpointConfigError("LOCAL_BACKEND_INVALID", `${where}: ${detail}`, {
      cause: error,
    });
  }
  table.owned.push(backend);
  return backend;
}

/** Closes backends, ignoring individual failures so one cannot keep the others open. */
export async function closeBackends(backends: readonly ChatBackend[]): Promise<void> {
  await Promise.allSettled(backends.map((backend) => backend.close?.()));
}
