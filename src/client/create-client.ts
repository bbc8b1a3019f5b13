/**
 * `createSageMakerOpenAIClient`: an `OpenAI` SDK client pointed at a SageMaker
 * endpoint or inference component, authenticating with bearer tokens from a
 * token provider that the SDK calls before every request, retries included.
 */
import OpenAI, { type ClientOptions } from "openai";
import {
  invalidOptions,
  resolveSageMakerConnection,
  type SageMakerConnectionOptions,
  splitConnectionOptions,
} from "./connection.js";
import { redactingFetch } from "./redacting-fetch.js";
import { RedactingStream } from "./redacting-stream.js";
import { type RefusedClientOption, refuseClientOptions } from "./refused-options.js";
import { checkMaxRetries, checkTimeout } from "./request-limits.js";
import { replayOnStaleSocket } from "./stale-socket.js";

/**
 * Options of {@link createSageMakerOpenAIClient}: where to send requests and
 * how to authenticate, plus any OpenAI `ClientOptions` except `baseURL` as
 * OpenAI reads it and those that would change authentication or the target
 * (`REFUSED_CLIENT_OPTIONS`: `apiKey`, `adminAPIKey`, `organization`, `project`,
 * `webhookSecret`, `workloadIdentity`, `credential`, `x509Transport`, `provider`,
 * `dataResidency`), which are refused with `INVALID_OPTIONS`.
 */
export interface SageMakerOpenAIClientOptions
  extends SageMakerConnectionOptions,
    Omit<ClientOptions, RefusedClientOption | "baseURL"> {}

/**
 * The `OpenAI` client this package returns. It behaves as `OpenAI` does, except:
 * - it keeps no token: each request's token goes from the provider into that
 *   request's `Authorization` header only, so `apiKey` stays `null` and no
 *   inspection of the client (getters included) can reach a token;
 * - token-provider errors surface as the package's typed errors rather than
 *   wrapped in `OpenAIError`;
 * - errors carry no token in any form (`redactTokens`): error responses and
 *   failed connections are redacted by its `fetch` (`redactingFetch`, applied
 *   once), error events in streams by `RedactingStream`;
 * - a request that met a stale keep-alive socket is sent again on another one,
 *   outside `maxRetries` (`replayOnStaleSocket`).
 */
class SageMakerOpenAI extends OpenAI {
  constructor(options: ClientOptions) {
    // The global fetch is read per construction, as the SDK does, so a test's stub is honoured.
    const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    // A fetch that already redacts (the model's, which also keeps error bodies) is not wrapped again.
    super({ ...options, fetch: replayOnStaleSocket(redactingFetch(fetch)) });
  }

  /**
   * The SDK's hook for a function `apiKey`: the SDK's own version keeps the key
   * in the public `apiKey` field; this one only hands it to the request being
   * built (`capture`), which puts it in that request's headers.
   */
  override async _callApiKey(capture?: (apiKey: string | null) => void): Promise<boolean> {
    const provider = this._options.apiKey;
    if (typeof provider !== "function") return super._callApiKey(capture);
    const token = await provider();
    capture?.(token);
    return true;
  }

  // Not async: the SDK's hook is an empty async method, awaited once per request already.
  protected override prepareOptions(
    options: Parameters<OpenAI["prepareOptions"]>[0],
  ): Promise<void> {
    if (options.stream === true && options.__streamClass === undefined) {
      options.__streamClass = RedactingStream;
    }
    return super.prepareOptions(options);
  }

  /**
   * A copy with other SDK options. The refused options, and `baseURL` (which
   * `createSageMakerOpenAIClient` validates), are refused here too
   * (`INVALID_OPTIONS`): make another client to change the target.
   */
  override withOptions(options: Partial<ClientOptions>): this {
    refuseClientOptions(options, "withOptions");
    if (options.baseURL !== undefined) {
      throw invalidOptions(
        "withOptions cannot change baseURL: create another client with createSageMakerOpenAIClient, " +
          "which validates the target.",
      );
    }
    return super.withOptions(options);
  }

  /** A summary without secrets; the SDK's object graph is circular anyway. */
  toJSON(): { client: string; baseURL: string } {
    return { client: "SageMakerOpenAI", baseURL: this.baseURL };
  }
}

/**
 * Creates an `OpenAI` client for a SageMaker endpoint or inference component.
 * `model` is passed to the container unchanged; `""` works.
 *
 * Validation is up front: region, names and base URL (`INVALID_REGION`,
 * `REGION_UNRESOLVED`, `INVALID_ENDPOINT_NAME`, `INVALID_INFERENCE_COMPONENT_NAME`,
 * `INVALID_BASE_URL`, `INSECURE_BASE_URL`), token options, `timeout` (whole ms,
 * 1 to 2,147,483,647) and `maxRetries` (0 to 100), and conflicting options
 * (`INVALID_OPTIONS`), including any OpenAI option that would change the
 * authentication or the target (`REFUSED_CLIENT_OPTIONS`, also in `withOptions`).
 *
 * The client keeps no token (`apiKey` is `null`), its errors carry no token in
 * any form, and a request that met a stale keep-alive socket is sent again
 * outside `maxRetries`: see the class comment above.
 *
 * Clients for several inference components can share one token provider
 * (`tokenProvider`) and one keep-alive connection pool: clients that use
 * Node's global `fetch` already share its per-origin pool; pass the same
 * `fetch` or `fetchOptions.dispatcher` (an `undici` `Agent`) to control it.
 *
 * @example
 * ```ts
 * const tokenProvider = createTokenProvider({ region: "us-west-2" });
 * const coder = createSageMakerOpenAIClient({
 *   region: "us-west-2", endpointName: "shared", inferenceComponentName: "coder", tokenProvider,
 * });
 * const reviewer = createSageMakerOpenAIClient({
 *   region: "us-west-2", endpointName: "shared", inferenceComponentName: "reviewer", tokenProvider,
 * });
 * const reply = await coder.chat.completions.create({ model: "", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function createSageMakerOpenAIClient(options: SageMakerOpenAIClientOptions): OpenAI {
  if (typeof options !== "object" || options === null) {
    throw invalidOptions(
      "createSageMakerOpenAIClient takes an options object with at least endpointName.",
    );
  }
  refuseClientOptions(options, "createSageMakerOpenAIClient");
  // The SDK takes any number here: a negative timeout fires at once, a huge retry count never stops.
  checkTimeout(options.timeout);
  checkMaxRetries(options.maxRetries);
  // The connection options are settled here; the rest go to the OpenAI SDK as they are.
  const connection = resolveSageMakerConnection(options);
  const openAIOptions = splitConnectionOptions(options).rest;
  return new SageMakerOpenAI({
    ...openAIOptions,
    apiKey: connection.tokenProvider,
    baseURL: connection.baseURL,
    // Explicit nulls stop the SDK from picking these up from OPENAI_* environment
    // variables: an OPENAI_ADMIN_KEY would otherwise replace the bearer token.
    adminAPIKey: null,
    organization: null,
    project: null,
    workloadIdentity: undefined,
    provider: undefined,
  });
}
