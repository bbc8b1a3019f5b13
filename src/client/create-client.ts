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

/**
 * Options of {@link createSageMakerOpenAIClient}: where to send requests and
 * how to authenticate, plus any OpenAI `ClientOptions` except those that would
 * change authentication or the target (`apiKey`, `baseURL` as OpenAI reads it,
 * `adminAPIKey`, `organization`, `project`, `workloadIdentity`, `provider`, `webhookSecret`).
 */
export interface SageMakerOpenAIClientOptions
  extends SageMakerConnectionOptions,
    Omit<
      ClientOptions,
      | "apiKey"
      | "adminAPIKey"
      | "organization"
      | "project"
      | "webhookSecret"
      | "baseURL"
      | "workloadIdentity"
      | "provider"
    > {}

/**
 * The `OpenAI` client this package returns. It behaves as `OpenAI` does, but
 * the current token is not an enumerable property, so `JSON.stringify` and
 * `util.inspect` of the client cannot reveal it, and token-provider errors
 * surface as the package's typed errors rather than wrapped in `OpenAIError`.
 */
class SageMakerOpenAI extends OpenAI {
  #token: string | null = null;

  constructor(options: ClientOptions) {
    super(options);
    // The SDK keeps the last token in the public `apiKey` field; keep it in a private slot instead.
    Object.defineProperty(this, "apiKey", {
      get: () => this.#token,
      set: (value: string | null) => {
        this.#token = value;
      },
      enumerable: false,
      configurable: true,
    });
  }

  override async _callApiKey(): Promise<boolean> {
    const provider = this._options.apiKey;
    if (typeof provider !== "function") {
      return super._callApiKey();
    }
    this.apiKey = await provider();
    return true;
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
 * `INVALID_BASE_URL`, `INSECURE_BASE_URL`), token options, and conflicting
 * options (`INVALID_OPTIONS`).
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
