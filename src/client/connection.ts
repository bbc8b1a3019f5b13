/**
 * What every SageMaker-facing client of this package settles first, before it
 * builds its framework's object: the region, the base URL a token may be sent
 * to, and the token provider. One place, so the OpenAI client, the LangChain
 * model and the adapters validate and default these the same way.
 */
import { sagemakerOpenAIBaseURL } from "../addressing/base-url.js";
import type { CredentialsSource } from "../auth/credentials.js";
import { checkExpiresIn } from "../auth/options.js";
import { resolveRegion } from "../auth/region.js";
import {
  createTokenProvider,
  type SageMakerTokenProvider,
  type TokenProviderOptions,
} from "../auth/token-provider.js";
import { ValidationError } from "../errors.js";

/** Where to send requests and how to authenticate; shared by every client factory. */
export interface SageMakerConnectionOptions {
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
  /** How the provider created here refreshes: `"cached"` (default) or `"per-request"`. Not with `tokenProvider`. */
  tokenRefresh?: "cached" | "per-request";
  /**
   * How long resolving credentials may take, in ms, before a call fails with
   * `CREDENTIALS_UNAVAILABLE` (the next call tries again). Whole number from 1 to
   * 3,600,000; default 10,000. Not with `tokenProvider`.
   */
  credentialsTimeoutMs?: number;
  /** An existing token provider, e.g. one shared by the clients of several inference components. */
  tokenProvider?: SageMakerTokenProvider;
  /** Replaces the SageMaker runtime origin (VPC endpoint, local endpoint); see `sagemakerOpenAIBaseURL`. */
  baseURL?: string | URL;
  /** Permit a plain-`http:` `baseURL` to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean;
}

// Every key of SageMakerConnectionOptions; the type makes a missing or extra key a compile error.
const CONNECTION_KEYS: Record<keyof SageMakerConnectionOptions, true> = {
  region: true,
  endpointName: true,
  inferenceComponentName: true,
  credentials: true,
  tokenExpiresIn: true,
  tokenRefresh: true,
  credentialsTimeoutMs: true,
  tokenProvider: true,
  baseURL: true,
  allowInsecureHttp: true,
};

/**
 * Splits a factory's options into the {@link SageMakerConnectionOptions} that
 * are set and everything else (what goes to the framework's own object).
 *
 * @internal Used by the package's client factories.
 */
export function splitConnectionOptions<T extends SageMakerConnectionOptions>(
  options: T,
): { connection: SageMakerConnectionOptions; rest: Omit<T, keyof SageMakerConnectionOptions> } {
  const connection: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(CONNECTION_KEYS, key)) rest[key] = value;
    else if (value !== undefined) connection[key] = value;
  }
  return {
    connection: connection as unknown as SageMakerConnectionOptions,
    rest: rest as Omit<T, keyof SageMakerConnectionOptions>,
  };
}

/** The settled connection: a validated region and base URL, and the provider of tokens for it. */
export interface SageMakerConnection {
  region: string;
  baseURL: string;
  tokenProvider: SageMakerTokenProvider;
}

/** How {@link resolveSageMakerConnection} makes a token provider when none is given. */
export interface ConnectionInternals {
  /**
   * Creates the provider from the resolved options. Default `createTokenProvider`;
   * the LangChain model passes one that signs with a correctable clock.
   */
  createTokenProvider?: (options: Omit<TokenProviderOptions, "clock">) => SageMakerTokenProvider;
}

/**
 * Validates and resolves {@link SageMakerConnectionOptions}. Throws
 * `INVALID_OPTIONS` for a token provider combined with the options it
 * replaces, and the addressing and region errors for a bad target.
 *
 * @internal Used by the package's client factories.
 */
export function resolveSageMakerConnection(
  options: SageMakerConnectionOptions,
  internals: ConnectionInternals = {},
): SageMakerConnection {
  const { credentials, tokenExpiresIn, tokenRefresh, credentialsTimeoutMs, tokenProvider } =
    options;
  if (tokenProvider !== undefined) {
    if (typeof tokenProvider !== "function") {
      throw invalidOptions(
        "tokenProvider must be a function returning a token, e.g. createTokenProvider().",
      );
    }
    if (
      credentials !== undefined ||
      tokenExpiresIn !== undefined ||
      tokenRefresh !== undefined ||
      credentialsTimeoutMs !== undefined
    ) {
      throw invalidOptions(
        "Pass either tokenProvider or credentials/tokenExpiresIn/tokenRefresh/credentialsTimeoutMs: " +
          "the provider already decides them.",
      );
    }
  }
  const region = resolveRegion(options.region);
  const baseURL = sagemakerOpenAIBaseURL({
    region,
    endpointName: options.endpointName,
    ...(options.inferenceComponentName === undefined
      ? {}
      : { inferenceComponentName: options.inferenceComponentName }),
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    allowInsecureHttp: options.allowInsecureHttp === true,
  });
  return {
    region,
    baseURL,
    tokenProvider:
      tokenProvider ??
      (internals.createTokenProvider ?? createTokenProvider)({
        region,
        ...(credentials === undefined ? {} : { credentials }),
        // Checked here so the message names the option the caller gave, not the provider's `expiresIn`.
        ...(tokenExpiresIn === undefined
          ? {}
          : { expiresIn: checkExpiresIn(tokenExpiresIn, "tokenExpiresIn") }),
        ...(tokenRefresh === undefined ? {} : { mode: tokenRefresh }),
        ...(credentialsTimeoutMs === undefined ? {} : { credentialsTimeoutMs }),
      }),
  };
}

/** The error for options that contradict each other. */
export function invalidOptions(message: string): ValidationError {
  return new ValidationError("INVALID_OPTIONS", message);
}
