/**
 * The retry policy of `ChatSageMakerOpenAI`: how many attempts, how long to
 * wait between them (exponential backoff with full jitter, or the server's
 * `Retry-After`), and when to stop waiting for a server that asks too much.
 *
 * The model retries here and only here: the OpenAI client it builds has
 * `maxRetries: 0` and LangChain's `AsyncCaller` is called with no retries, so
 * one failing request costs at most `maxRetries + 1` attempts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { checkMaxRetries, MAX_TIMEOUT_MS } from "../client/request-limits.js";
import { ValidationError } from "../errors.js";

/** Backoff tuning of the model's retries. */
export interface RetryOptions {
  /** First backoff ceiling in ms; the n-th retry waits a random time in [0, base * 2^n). Default 250. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 20,000. */
  maxDelayMs?: number;
  /**
   * The longest `Retry-After` the model waits for; a server asking for more
   * fails the call at once (its error carries `retryAfterMs`). Default 30,000.
   */
  maxRetryAfterMs?: number;
  /** Called before each retry sleep, e.g. to log. Must not throw. */
  onRetry?: (event: RetryEvent) => void;
}

/** What {@link RetryOptions.onRetry} is told. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** How long the model waits before the next attempt. */
  delayMs: number;
  /** Whether the wait comes from the server's `Retry-After`. */
  fromRetryAfter: boolean;
  /** The failure, as the typed error the caller would have received. */
  error: Error;
}

/** A complete retry policy. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  onRetry?: (event: RetryEvent) => void;
}

/** Default retries after the first attempt: three attempts in all, as the AWS SDKs' standard mode. */
export const DEFAULT_MAX_RETRIES = 2;

/** A delay option in ms: a number from 0 to the timer limit (a longer one would fire at once). */
function delayMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= MAX_TIMEOUT_MS
  ) {
    return value;
  }
  throw new ValidationError(
    "INVALID_OPTIONS",
    `${name} must be a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}; got ${String(value)}.`,
  );
}

/**
 * Validates retry options and fills in defaults. Throws `INVALID_OPTIONS` naming
 * the option and its range: `maxRetries` a whole number from 0 to 100, delays
 * from 0 to 2,147,483,647 ms, `onRetry` a function.
 */
export function retryPolicy(maxRetries: unknown, options: RetryOptions = {}): RetryPolicy {
  const onRetry = options.onRetry;
  if (onRetry !== undefined && typeof onRetry !== "function") {
    throw new ValidationError("INVALID_OPTIONS", "retry.onRetry must be a function.");
  }
  return {
    maxRetries: checkMaxRetries(maxRetries) ?? DEFAULT_MAX_RETRIES,
    baseDelayMs: delayMs(options.baseDelayMs, "retry.baseDelayMs", 250),
    maxDelayMs: delayMs(options.maxDelayMs, "retry.maxDelayMs", 20_000),
    maxRetryAfterMs: delayMs(options.maxRetryAfterMs, "retry.maxRetryAfterMs", 30_000),
    ...(onRetry === undefined ? {} : { onRetry }),
  };
}

/** Full jitter: a uniformly random wait below the exponential ceiling of retry `retryIndex` (0-based). */
export function backoffDelay(policy: RetryPolicy, retryIndex: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(Math.random() * ceiling);
}

/**
 * Reads `Retry-After` (delta seconds or an HTTP date) and the non-standard
 * `retry-after-ms`, relative to `now`. Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(
  headers: Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms != null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
    return Number(ms);
  }
  const value = headers?.get("retry-after")?.trim();
  if (value == null || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export async function waitBeforeRetry(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await sleep(ms, undefined, signal === undefined ? {} : { signal });
}
