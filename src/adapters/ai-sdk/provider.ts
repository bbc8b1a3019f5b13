/**
 * `createSageMakerOpenAI`: a Vercel AI SDK provider for a SageMaker endpoint or
 * inference component, built on `@ai-sdk/openai-compatible` with a `fetch` that
 * puts a bearer token from the token provider on every request, retries included.
 *
 * `@ai-sdk/openai-compatible` is an optional peer dependency: this module loads
 * it when it is first imported, so `sagemaker-openai-agents/ai-sdk` without it
 * installed fails at import with `MISSING_PEER` and the command that fixes it.
 */
import type { OpenAICompatibleProvider } from "@ai-sdk/openai-compatible";
import type { SageMakerTokenProvider } from "../../auth/token-provider.js";
import {
  invalidOptions,
  resolveSageMakerConnection,
  type SageMakerConnectionOptions,
} from "../../client/connection.js";
import { redactingFetch } from "../../client/redacting-fetch.js";
import { replayOnStaleSocket } from "../../client/stale-socket.js";
import { loadOptionalPeer } from "../../optional-peer.js";

/** The `@ai-sdk/openai-compatible` versions this adapter is built and tested against (with `ai` 6). */
export const AI_SDK_PEER_RANGE = "^3.0.0";

const { createOpenAICompatible } = await loadOptionalPeer({
  packageName: "@ai-sdk/openai-compatible",
  range: AI_SDK_PEER_RANGE,
  neededBy: "sagemaker-openai-agents/ai-sdk",
  load: () => import("@ai-sdk/openai-compatible"),
});

/** The provider {@link createSageMakerOpenAI} returns: call it with a model id (`""` works). */
export type SageMakerOpenAIProvider = OpenAICompatibleProvider;

/** Options of {@link createSageMakerOpenAI}. */
export interface SageMakerOpenAIProviderOptions extends SageMakerConnectionOptions {
  /**
   * The provider name: the key of `providerOptions` and the prefix of the model's `provider` id.
   * @defaultValue `"sagemaker"`
   */
  name?: string;
  /** Extra request headers. An `Authorization` header here is replaced by the bearer token. */
  headers?: Record<string, string>;
  /** The `fetch` the token-adding fetch delegates to (a custom dispatcher, a test double). Default: global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * Ask for token usage in streamed responses (`stream_options.include_usage`), as vLLM supports.
   * @defaultValue true
   */
  includeUsage?: boolean;
  /**
   * Send `response_format: { type: "json_schema" }` for structured output, which vLLM enforces.
   * Set false for a container without JSON-schema support.
   * @defaultValue true
   */
  supportsStructuredOutputs?: boolean;
}

/**
 * Creates a Vercel AI SDK provider for a SageMaker endpoint or inference
 * component (Chat Completions through its OpenAI-compatible path). Works with
 * `generateText`, `streamText`, tools and structured output of `ai` 6.
 *
 * Validation is up front, as for `createSageMakerOpenAIClient`: region, names
 * and base URL (`INVALID_REGION`, `REGION_UNRESOLVED`, `INVALID_ENDPOINT_NAME`,
 * `INVALID_INFERENCE_COMPONENT_NAME`, `INVALID_BASE_URL`, `INSECURE_BASE_URL`),
 * token options, and conflicting options (`INVALID_OPTIONS`). A token that cannot
 * be minted rejects the AI SDK call with the token provider's typed error
 * (`CredentialsError`, ...), not an HTTP error. Error responses reach the AI
 * SDK (its `APICallError`'s message, body and headers) with every form of a
 * bearer token redacted, and a request that met a stale keep-alive socket is
 * sent again on another one, outside the AI SDK's `maxRetries`.
 *
 * @example
 * ```ts
 * import { generateText } from "ai";
 * import { createSageMakerOpenAI } from "sagemaker-openai-agents/ai-sdk";
 *
 * const sagemaker = createSageMakerOpenAI({ region: "us-west-2", endpointName: "my-endpoint" });
 * const { text } = await generateText({ model: sagemaker(""), prompt: "Hello" });
 * ```
 */
export function createSageMakerOpenAI(
  options: SageMakerOpenAIProviderOptions,
): SageMakerOpenAIProvider {
  if (typeof options !== "object" || options === null) {
    throw invalidOptions(
      "createSageMakerOpenAI takes an options object with at least endpointName.",
    );
  }
  const baseFetch = options.fetch;
  if (baseFetch !== undefined && typeof baseFetch !== "function") {
    throw invalidOptions("fetch must be a fetch-compatible function.");
  }
  const { baseURL, tokenProvider: token } = resolveSageMakerConnection(options);
  return createOpenAICompatible({
    name: options.name ?? "sagemaker",
    baseURL,
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    includeUsage: options.includeUsage ?? true,
    supportsStructuredOutputs: options.supportsStructuredOutputs ?? true,
    // Error responses and failures reach the AI SDK's errors redacted; stale sockets are replayed.
    fetch: bearerTokenFetch(
      token,
      replayOnStaleSocket(redactingFetch(baseFetch ?? ((input, init) => fetch(input, init)))),
    ),
  });
}

/**
 * A `fetch` that sets `Authorization: Bearer <token>` from `token()` on each
 * call. The AI SDK calls `fetch` once per attempt, so a retry gets a current
 * token too. The token lives only in the outgoing headers, never in the provider's
 * settings, so inspecting the provider or a model cannot show it.
 */
function bearerTokenFetch(
  token: SageMakerTokenProvider,
  next: typeof globalThis.fetch,
): typeof globalThis.fetch {
  return async (input, init) => {
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    headers.set("authorization", `Bearer ${await token()}`);
    return next(input, { ...init, headers });
  };
}
