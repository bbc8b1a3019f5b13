/**
 * `createSageMakerChatModels`: the article's multi-model case. One endpoint
 * hosts several inference components (a general model, a fine-tuned coder, a
 * small classifier); each gets its own `ChatSageMakerOpenAI`, and all of them
 * share one token provider and one keep-alive connection pool.
 */
import type { SageMakerTokenProvider } from "../auth/token-provider.js";
import {
  resolveSageMakerConnection,
  type SageMakerConnectionOptions,
} from "../client/connection.js";
import { ValidationError } from "../errors.js";
import { ChatSageMakerOpenAI } from "./chat-model.js";
import { createSkewCorrectingTokenProvider } from "./clock-skew.js";
import type { ChatSageMakerOpenAIFields } from "./options.js";
import { createConnectionPool, type SageMakerConnectionPool } from "./pool.js";
import type { RetryOptions } from "./retry.js";

/** Per-component model settings: any model field except those the factory shares. */
export interface SageMakerComponentModelOptions
  extends Omit<
    ChatSageMakerOpenAIFields,
    | "region"
    | "endpointName"
    | "inferenceComponentName"
    | "credentials"
    | "tokenExpiresIn"
    | "tokenRefresh"
    | "credentialsTimeoutMs"
    | "tokenProvider"
    | "baseURL"
    | "allowInsecureHttp"
    | "correctClockSkew"
  > {
  /** The inference component's name. Default: the key in `components`. */
  inferenceComponentName?: string;
}

/**
 * Options of {@link createSageMakerChatModels}: the endpoint and authentication
 * every model shares (`SageMakerConnectionOptions` without a component),
 * the components, the pool.
 */
export interface SageMakerChatModelsOptions<K extends string>
  extends Omit<SageMakerConnectionOptions, "inferenceComponentName"> {
  /** One entry per model: its key names the model (and, by default, the component). */
  components: Record<K, SageMakerComponentModelOptions>;
  /** Most sockets the shared pool opens to the endpoint. Default 64. Not with `pool`. */
  maxSockets?: number;
  /** Idle socket lifetime in ms. Default 60,000. Not with `pool`. */
  keepAliveTimeoutMs?: number;
  /** An existing pool to use (it is then not closed by `close()`). */
  pool?: SageMakerConnectionPool;
  /** See `ChatSageMakerOpenAIFields.correctClockSkew`. Default true. */
  correctClockSkew?: boolean;
  /** Default retry budget of every model (a component may set its own). */
  maxRetries?: number;
  /** Default backoff tuning of every model (a component may set its own). */
  retry?: RetryOptions;
}

/** What {@link createSageMakerChatModels} returns. */
export interface SageMakerChatModels<K extends string> {
  /** One model per component, under the same keys. */
  models: Record<K, ChatSageMakerOpenAI>;
  /** The token provider every model uses. */
  tokenProvider: SageMakerTokenProvider;
  /** The connection pool every model uses. */
  pool: SageMakerConnectionPool;
  /** Closes the pool if it was created here; the models must not be used afterwards. */
  close(): Promise<void>;
}

function invalid(message: string): ValidationError {
  return new ValidationError("INVALID_OPTIONS", message);
}

/**
 * Creates one `ChatSageMakerOpenAI` per inference component of an endpoint,
 * sharing one token provider (one mint serves every model until it nears
 * expiry) and one keep-alive pool capped at `maxSockets`.
 *
 * Validation is up front, as in the model's constructor (region, names, base
 * URL, token options; `INVALID_OPTIONS` for an empty `components` or a
 * component that brings its own `fetch`).
 *
 * @example
 * ```ts
 * const { models, close } = createSageMakerChatModels({
 *   region: "us-west-2",
 *   endpointName: "agents",
 *   components: { general: {}, coder: { temperature: 0.2 }, classifier: { inferenceComponentName: "clf-v2" } },
 *   maxSockets: 16,
 * });
 * const plan = await models.general.invoke("Plan the change.");
 * const code = await models.coder.invoke(String(plan.content));
 * await close();
 * ```
 */
export function createSageMakerChatModels<K extends string>(
  options: SageMakerChatModelsOptions<K>,
): SageMakerChatModels<K> {
  if (typeof options !== "object" || options === null) {
    throw invalid(
      "createSageMakerChatModels takes an options object { endpointName, components }.",
    );
  }
  const entries = Object.entries(options.components ?? {}) as Array<
    [K, SageMakerComponentModelOptions]
  >;
  if (entries.length === 0) {
    throw invalid("components must name at least one inference component, e.g. { general: {} }.");
  }
  if (
    options.pool !== undefined &&
    (options.maxSockets !== undefined || options.keepAliveTimeoutMs !== undefined)
  ) {
    throw invalid(
      "Pass either pool or maxSockets/keepAliveTimeoutMs: the pool already decides them.",
    );
  }
  // Settled once, so one token provider (and one mint) serves every model.
  const { region, tokenProvider } = resolveSageMakerConnection(
    options,
    options.correctClockSkew === false
      ? {}
      : { createTokenProvider: createSkewCorrectingTokenProvider },
  );
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    createConnectionPool({
      ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets }),
      ...(options.keepAliveTimeoutMs === undefined
        ? {}
        : { keepAliveTimeoutMs: options.keepAliveTimeoutMs }),
    });
  const models = {} as Record<K, ChatSageMakerOpenAI>;
  for (const [key, component] of entries) {
    if (typeof component !== "object" || component === null) {
      throw invalid(`components.${key} must be an object of model options ({} for the defaults).`);
    }
    if (component.configuration?.fetch !== undefined) {
      throw invalid(
        `components.${key}.configuration.fetch cannot be used: the models share the pool's fetch.`,
      );
    }
    models[key] = new ChatSageMakerOpenAI({
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...component,
      region,
      endpointName: options.endpointName,
      inferenceComponentName: component.inferenceComponentName ?? key,
      tokenProvider,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.allowInsecureHttp === undefined
        ? {}
        : { allowInsecureHttp: options.allowInsecureHttp }),
      ...(options.correctClockSkew === undefined
        ? {}
        : { correctClockSkew: options.correctClockSkew }),
      configuration: { ...component.configuration, fetch: pool.fetch },
    });
  }
  return {
    models,
    tokenProvider,
    pool,
    close: async () => {
      if (ownsPool) await pool.close();
    },
  };
}
