/**
 * `createSageMakerOpenAIClient`: an `OpenAI` SDK client pointed at a SageMaker
 * endpoint or inference component, authenticating with bearer tokens from a
 * token provider that the SDK calls before every request, retries included.
 */
import OpenAI, { type ClientOptions } from "openai";
import { sagemakerOpenAIBaseURL } from "../addressing/base-url.js";
import type { CredentialsSource } from "../auth/credentials.js";
import { resolveRegion } from "../auth/region.js";
import { createTokenProvider, type SageMakerTokenProvider } from "../auth/token-provider.js";
import { ValidationError } from "../errors.js";

/**
 * Options of {@link createSageMakerOpenAIClient}: where to send requests and
 * how to authenticate, plus any OpenAI `ClientOptions` except those that would
 * change authentication or the target (`apiKey`, `baseURL` as OpenAI reads it,
 * `adminAPIKey`, `organization`, `project`, `workloadIdentity`, `provider`, `webhookSecret`).
 */
export interface SageMakerOpenAIClientOptions
  extends Omit<
    ClientOptions,
    | "apiKey"
    | "adminAPIKey"
    | "organization"
    | "project"
    | "webhookSecret"
    | "baseURL"
    | "workloadIdentity"
    | "provider"
  > {
  /** AWS region. Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the active profile's region. */
  region?: string;
  /** The SageMaker endpoint name. */
  endpointName: string;
  /** An inference component of that endpoint to route to. */
  inferenceComponentName?: string;
  /** Credentials to sign tokens with. Default: the Node default chain. Not with `tokenProvider`. */
  credentials?: CredentialsSource;
  /** Token lifetime in seconds for the provider created here (default 900). Not with `tokenProvider`. */
  tokenExpiresIn?: number;
  /** An existing token provider, e.g. one shared by the clients of several inference components. */
  tokenProvider?: SageMakerTokenProvider;
  /** Replaces the SageMaker runtime origin (VPC endpoint, local endpoint); see `sagemakerOpenAIBaseURL`. */
  baseURL?: string | URL;
  /** Permit a plain-`http:` `baseURL` to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean;
}

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

function optionsError(message: string): ValidationError {
  return new ValidationError("INVALID_OPTIONS", message);
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
    throw optionsError(
      "createSageMakerOpenAIClient takes an options object with at least endpointName.",
    );
  }
  const {
    region: regionOption,
    endpointName,
    inferenceComponentName,
    credentials,
    tokenExpiresIn,
    tokenProvider,
    baseURL,
    allowInsecureHttp,
    ...openAIOptions
  } = options;
  if (tokenProvider !== undefined) {
    if (typeof tokenProvider !== "function") {
      throw optionsError(
        "tokenProvider must be a function returning a token, e.g. createTokenProvider().",
      );
    }
    if (credentials !== undefined || tokenExpiresIn !== undefined) {
      throw optionsError(
        "Pass either tokenProvider or credentials/tokenExpiresIn: the provider already decides both.",
      );
    }
  }
  const region = resolveRegion(regionOption);
  const url = sagemakerOpenAIBaseURL({
    region,
    endpointName,
    ...(inferenceComponentName === undefined ? {} : { inferenceComponentName }),
    ...(baseURL === undefined ? {} : { baseURL }),
    allowInsecureHttp: allowInsecureHttp === true,
  });
  const apiKey =
    tokenProvider ??
    createTokenProvider({
      region,
      ...(credentials === undefined ? {} : { credentials }),
      ...(tokenExpiresIn === undefined ? {} : { expiresIn: tokenExpiresIn }),
    });
  return new SageMakerOpenAI({
    ...openAIOptions,
    apiKey,
    baseURL: url,
    // Explicit nulls stop the SDK from picking these up from OPENAI_* environment
    // variables: an OPENAI_ADMIN_KEY would otherwise replace the bearer token.
    adminAPIKey: null,
    organization: null,
    project: null,
    workloadIdentity: undefined,
    provider: undefined,
  });
}
