/**
 * A keep-alive connection pool for the models of several inference components
 * (the article's shared `httpx.Client`): one `undici` `Agent` that caps the
 * sockets opened per origin, exposed as the `fetch` the OpenAI client takes
 * (built on undici's `request` API, see `lean-fetch.ts`).
 *
 * `undici` is imported on the first request, so importing the package does not load it.
 */
import { ValidationError } from "../errors.js";
import { leanFetch } from "./lean-fetch.js";
import type { FetchFunction } from "./transport.js";

/** Options of {@link createConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Most sockets open at once to one origin (all ICs of an endpoint share one). Default 64. */
  maxSockets?: number;
  /** How long an idle socket is kept for reuse, in ms. Default 60,000 (SageMaker's idle timeout is longer). */
  keepAliveTimeoutMs?: number;
}

/** A pool of keep-alive connections to hand to several models. */
export interface SageMakerConnectionPool {
  /** The `fetch` to give the OpenAI client (`configuration.fetch`). */
  readonly fetch: FetchFunction;
  /** The per-origin socket limit. */
  readonly maxSockets: number;
  /** Closes idle sockets and refuses new requests; waits for requests in flight. */
  close(): Promise<void>;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1) return value;
  throw new ValidationError(
    "INVALID_OPTIONS",
    `${name} must be a whole number >= 1; got ${String(value)}.`,
  );
}

/**
 * Creates a connection pool. Requests beyond `maxSockets` to one origin wait
 * for a free socket instead of opening another.
 *
 * @example
 * ```ts
 * const pool = createConnectionPool({ maxSockets: 16 });
 * const model = new ChatSageMakerOpenAI({ endpointName: "ep", configuration: { fetch: pool.fetch } });
 * // ...
 * await pool.close();
 * ```
 */
export function createConnectionPool(options: ConnectionPoolOptions = {}): SageMakerConnectionPool {
  const maxSockets = positiveInteger(options.maxSockets, "maxSockets", 64);
  const keepAliveTimeout = positiveInteger(
    options.keepAliveTimeoutMs,
    "keepAliveTimeoutMs",
    60_000,
  );
  let loaded: Promise<{ agent: import("undici").Agent; fetch: FetchFunction }> | undefined;
  let closed = false;
  const load = () => {
    loaded ??= import("undici").then((undici) => {
      const agent = new undici.Agent({ connections: maxSockets, keepAliveTimeout, pipelining: 1 });
      return { agent, fetch: leanFetch(undici, agent) };
    });
    return loaded;
  };
  const poolFetch: FetchFunction = async (url, init) => {
    if (closed) {
      throw new ValidationError(
        "POOL_CLOSED",
        "This connection pool was closed; create a new one.",
      );
    }
    const { fetch } = await load();
    return fetch(url, init);
  };
  return {
    fetch: poolFetch,
    maxSockets,
    close: async () => {
      closed = true;
      if (loaded !== undefined) await (await loaded).agent.close();
    },
  };
}
