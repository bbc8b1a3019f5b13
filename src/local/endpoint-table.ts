/**
 * Turns the configured endpoints into the table the server routes on: a
 * backend per single-model endpoint, a backend per inference component.
 * Backend configs are built by the backends' factory; `ChatBackend` objects
 * the user passed are used as they are (and left for the user to close).
 */
import { SageMakerOpenAIError } from "../errors.js";
import type { ChatBackend } from "./backend.js";
import { type BackendConfig, isChatBackend, type LocalEndpointConfig } from "./config.js";
import { LocalEndpointConfigError } from "./errors.js";
import type { EndpointTarget } from "./routes.js";

/** The routing table plus the backends the local endpoint built and must close. */
export interface EndpointTable {
  endpoints: Map<string, EndpointTarget>;
  owned: ChatBackend[];
}

type BackendFactory = (config: BackendConfig) => ChatBackend | Promise<ChatBackend>;

/** Builds every backend of `config`; on failure closes those already built. */
export async function buildEndpointTable(config: LocalEndpointConfig): Promise<EndpointTable> {
  const table: EndpointTable = { endpoints: new Map(), owned: [] };
  try {
    for (const [name, endpoint] of Object.entries(config.endpoints)) {
      if (endpoint.backend !== undefined) {
        const backend = await build(endpoint.backend, `endpoints.${name}.backend`, table);
        table.endpoints.set(name, { kind: "single", backend });
        continue;
      }
      const components = new Map<string, ChatBackend>();
      for (const [component, ic] of Object.entries(endpoint.inferenceComponents)) {
        const where = `endpoints.${name}.inferenceComponents.${component}.backend`;
        components.set(component, await build(ic.backend, where, table));
      }
      table.endpoints.set(name, { kind: "components", components });
    }
  } catch (error) {
    await closeBackends(table.owned);
    throw error;
  }
  return table;
}

async function build(
  config: BackendConfig,
  where: string,
  table: EndpointTable,
): Promise<ChatBackend> {
  if (isChatBackend(config)) return config;
  const factory = await loadFactory();
  let backend: ChatBackend;
  try {
    backend = await factory(config);
  } catch (error) {
    const detail =
      error instanceof SageMakerOpenAIError
        ? `${error.message} [${error.code}]`
        : "it was rejected";
    throw new LocalEndpointConfigError(
      "LOCAL_BACKEND_INVALID",
      `${where} cannot be built: ${detail}`,
      {
        cause: error,
      },
    );
  }
  table.owned.push(backend);
  return backend;
}

/** Closes backends, ignoring individual failures so one cannot keep the others open. */
export async function closeBackends(backends: readonly ChatBackend[]): Promise<void> {
  await Promise.allSettled(backends.map((backend) => backend.close?.()));
}

let factoryPromise: Promise<BackendFactory> | undefined;

/** Loads `createBackend` from the backends module on first use (it may pull in HTTP client code). */
function loadFactory(): Promise<BackendFactory> {
  factoryPromise ??= (async () => {
    // A computed specifier keeps the build independent of the backends module's exact types.
    const specifier = "./backends/index.js";
    const module = (await import(specifier).catch(() => ({}))) as {
      createBackend?: BackendFactory;
    };
    if (typeof module.createBackend !== "function") {
      factoryPromise = undefined;
      throw new LocalEndpointConfigError(
        "LOCAL_BACKEND_INVALID",
        "Built-in backends are unavailable (no createBackend); pass a ChatBackend object as `backend`.",
      );
    }
    return module.createBackend;
  })();
  return factoryPromise;
}
