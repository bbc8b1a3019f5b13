/**
 * `createTokenProvider`: an async function that hands out valid SageMaker
 * bearer tokens, shaped as the OpenAI SDK's `ApiKeySetter` so it can be passed
 * as `apiKey` to `new OpenAI(...)` or LangChain's `ChatOpenAI`, which call it
 * before every request, retries included.
 */
import { ValidationError } from "../errors.js";
import { type AwsCredentials, type CredentialsSource, credentialsResolver } from "./credentials.js";
import { CredentialsError } from "./errors.js";
import {
  checkCredentialsTimeout,
  checkExpiresIn,
  checkOptionsObject,
  describeValue,
} from "./options.js";
import { presignToken } from "./presign.js";
import { resolveRegion } from "./region.js";
import { singleFlight } from "./single-flight.js";

/** Options of {@link createTokenProvider}. */
export interface TokenProviderOptions {
  /** AWS region of the endpoint. Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the active profile's region. */
  region?: string;
  /** Static credentials or a credential provider. Default: the Node default chain (one per token provider). */
  credentials?: CredentialsSource;
  /** Lifetime of each token in whole seconds, 1..43200. Default 900 (15 minutes): short-lived, as the service's guidance advises. */
  expiresIn?: number;
  /**
   * In `cached` mode, mint a new token this many seconds before the current one
   * stops working. Must be less than `expiresIn`. Default: 300, or half of
   * `expiresIn` when that is shorter.
   */
  refreshBeforeSeconds?: number;
  /**
   * `cached` (default): reuse a token until it nears expiry; concurrent callers share one mint.
   * `per-request`: mint a fresh token on every call (the article's Python `httpx.Auth` pattern).
   */
  mode?: "cached" | "per-request";
  /**
   * The time to sign with, in epoch milliseconds. Default `Date.now`. A caller
   * that learns this machine's clock is off (e.g. from a server's `Date` header
   * after a refusal) passes a corrected clock; in `cached` mode a token dated
   * after the clock's current time is not handed out again.
   */
  clock?: () => number;
  /**
   * How long one call of the credential provider may take, in ms, before it
   * fails with `CREDENTIALS_UNAVAILABLE`; the next call asks the provider again.
   * Whole number from 1 to 3,600,000. Default 10,000.
   */
  credentialsTimeoutMs?: number;
}

/**
 * Returns a valid bearer token each time it is called. The function does not
 * reveal its tokens through `JSON.stringify`, `String()` or `util.inspect`.
 */
export type SageMakerTokenProvider = () => Promise<string>;

/** What a token provider's function shows to `JSON.stringify`, `String()` and `util.inspect`. */
export const TOKEN_PROVIDER_LABEL = "[SageMakerTokenProvider]";

interface Minted {
  token: string;
  /** Epoch ms (by the provider's clock) the token was signed at. */
  signedAt: number;
  /** Epoch ms from which the token must not be handed out any more. */
  refreshAt: number;
}

function checkRefreshBefore(value: unknown, expiresIn: number): number {
  if (value === undefined) {
    return Math.min(300, Math.floor(expiresIn / 2));
  }
  if (typeof value === "number" && Number.isFinite(value) && value >= 0 && value < expiresIn) {
    return value;
  }
  throw new ValidationError(
    "INVALID_REFRESH_BEFORE",
    `refreshBeforeSeconds must be a number of seconds from 0 to less than expiresIn (${expiresIn}); ` +
      `got ${describeValue(value)}.`,
  );
}

/** The latest instant a date can have, as `Date` and the SigV4 timestamp allow (9999-12-31). */
const MAX_EPOCH_MS = Date.UTC(10_000, 0, 1) - 1;

/**
 * Wraps the caller's clock so that a reading that is not epoch milliseconds
 * (NaN, a string, a negative or too-large number) fails with a typed error
 * naming the option, not a `RangeError` while formatting the signing date.
 */
function checkedClock(clock: unknown): () => number {
  if (typeof clock !== "function") {
    throw new ValidationError(
      "INVALID_OPTIONS",
      "clock must be a function returning epoch milliseconds.",
    );
  }
  const read = (): number => {
    const now: unknown = clock();
    if (typeof now === "number" && Number.isFinite(now) && now >= 0 && now <= MAX_EPOCH_MS) {
      return now;
    }
    throw new ValidationError(
      "INVALID_OPTIONS",
      `clock must return epoch milliseconds, a finite number from 0 to ${MAX_EPOCH_MS} ` +
        `(years 1970 to 9999); it returned ${describeValue(now)}.`,
    );
  };
  read();
  return read;
}

/**
 * Until when something valid from `start` to `end` is handed out again: until
 * `marginMs` before `end`, but never for less than half of its validity. The
 * half keeps the rate bounded for credentials that arrive with less than the
 * margin left (the provider has nothing fresher yet): each renewal then at
 * least halves the time left, instead of happening on every call.
 */
export function reuseUntil(start: number, end: number, marginMs: number): number {
  const validFor = end - start;
  return start + Math.max(validFor - marginMs, validFor / 2);
}

/**
 * Resolves credentials again only when the last ones near their expiry (see
 * {@link reuseUntil}), as the AWS SDK clients do; concurrent callers share one
 * resolution; credentials without `expiration` are kept.
 */
function cachedCredentials(
  resolve: () => Promise<AwsCredentials>,
  marginMs: number,
  clock: () => number,
): () => Promise<AwsCredentials> {
  let current: { credentials: AwsCredentials; renewAt: number; resolvedAt: number } | undefined;
  const refresh = singleFlight(async () => {
    const credentials = await resolve();
    const resolvedAt = clock();
    const expiration = credentials.expiration?.getTime();
    const renewAt =
      expiration === undefined
        ? Number.POSITIVE_INFINITY
        : reuseUntil(resolvedAt, expiration, marginMs);
    current = { credentials, renewAt, resolvedAt };
    return credentials;
  });
  return async () => {
    const now = clock();
    // As for tokens: a clock set back since they were resolved ends the reuse.
    if (current !== undefined && now < current.renewAt && now >= current.resolvedAt) {
      return current.credentials;
    }
    return refresh();
  };
}

/** Hides a token-bearing function from serializers and inspectors. */
function disguise(provider: SageMakerTokenProvider): SageMakerTokenProvider {
  const label = (): string => TOKEN_PROVIDER_LABEL;
  Object.defineProperties(provider, {
    toJSON: { value: label },
    toString: { value: label },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: label },
  });
  return provider;
}

/**
 * Creates a token provider: `() => Promise<string>` that mints SageMaker
 * bearer tokens from AWS credentials and refreshes them automatically.
 *
 * In `cached` mode a token is reused until `refreshBeforeSeconds` before its
 * effective expiry, the earlier of the token's own expiry and the signing
 * credentials' `expiration`, but at least for half of the time it is valid;
 * concurrent callers during a refresh share one mint, and a failed mint is not
 * cached. Credentials are resolved again by the same rule. The "half" bounds
 * the work when a provider hands out credentials with less than
 * `refreshBeforeSeconds` left: each renewal at least halves the time left, so
 * calls in a burst share one provider call and one signature instead of
 * costing one each.
 *
 * Options, the region and static credentials are validated now (typed
 * errors: `INVALID_EXPIRES_IN`, `INVALID_REFRESH_BEFORE`, `INVALID_OPTIONS`,
 * `INVALID_REGION`, `REGION_UNRESOLVED`, `INVALID_CREDENTIALS`). When called,
 * it may reject with `CREDENTIALS_UNAVAILABLE` (the provider failed or did not
 * answer within `credentialsTimeoutMs`) or `CREDENTIALS_EXPIRED`.
 *
 * @example
 * ```ts
 * import OpenAI from "openai";
 * import { createTokenProvider, sagemakerOpenAIBaseURL } from "sagemaker-openai-agents/auth";
 * const apiKey = createTokenProvider({ region: "us-west-2" });
 * const client = new OpenAI({
 *   apiKey,
 *   baseURL: sagemakerOpenAIBaseURL({ region: "us-west-2", endpointName: "my-endpoint" }),
 * });
 * ```
 */
export function createTokenProvider(options: TokenProviderOptions = {}): SageMakerTokenProvider {
  checkOptionsObject(options, "createTokenProvider");
  const expiresIn = options.expiresIn === undefined ? 900 : checkExpiresIn(options.expiresIn);
  const refreshBeforeMs = checkRefreshBefore(options.refreshBeforeSeconds, expiresIn) * 1000;
  const mode = options.mode ?? "cached";
  if (mode !== "cached" && mode !== "per-request") {
    throw new ValidationError(
      "INVALID_OPTIONS",
      `mode must be "cached" or "per-request"; got ${describeValue(mode)}.`,
    );
  }
  const region = resolveRegion(options.region);
  const clock = checkedClock(options.clock ?? (() => Date.now()));
  const timeoutMs = checkCredentialsTimeout(options.credentialsTimeoutMs);
  const credentials = cachedCredentials(
    credentialsResolver(options.credentials, { timeoutMs }),
    refreshBeforeMs,
    clock,
  );

  const mint = async (): Promise<Minted> => {
    const resolved = await credentials();
    const now = clock();
    const credentialsExpireAt = resolved.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    if (credentialsExpireAt <= now) {
      throw new CredentialsError(
        "CREDENTIALS_EXPIRED",
        `The AWS credentials for access key ${resolved.accessKeyId} expired at ` +
          `${new Date(credentialsExpireAt).toISOString()}; a token they sign would be refused. ` +
          "Refresh the credentials (e.g. `aws sso login`) or pass a provider that renews them.",
      );
    }
    const date = new Date(now);
    const token = presignToken({ ...resolved, region, expiresIn, date });
    // The token's clock starts at the whole second it carries in X-Amz-Date.
    const tokenExpiresAt = Math.floor(now / 1000) * 1000 + expiresIn * 1000;
    return {
      token,
      signedAt: now,
      refreshAt:
        credentialsExpireAt < tokenExpiresAt
          ? reuseUntil(now, credentialsExpireAt, refreshBeforeMs)
          : tokenExpiresAt - refreshBeforeMs,
    };
  };

  if (mode === "per-request") {
    return disguise(async () => (await mint()).token);
  }

  let current: Minted | undefined;
  const refresh = singleFlight(async () => {
    current = await mint();
    return current.token;
  });
  return disguise(async () => {
    const now = clock();
    // A token signed "in the future" of the clock was signed before a clock correction.
    if (current !== undefined && now < current.refreshAt && now >= current.signedAt) {
      return current.token;
    }
    return refresh();
  });
}
