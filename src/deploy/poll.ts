/**
 * Polling with a fixed interval and a cap on attempts, as the article's
 * waiters do (every 30 s, at most 40 times).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DeploymentPlanError } from "./errors.js";

/** How often and how long to poll a resource's status. */
export interface PollOptions {
  /** Time between status checks; default 30 000 ms, as in the article. */
  pollIntervalMs?: number;
  /** Status checks before giving up; default 40, as in the article. */
  maxAttempts?: number;
}

/** Poll settings with defaults applied. */
export type ResolvedPollOptions = Required<PollOptions>;

/** The article's interval. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;
/** The article's attempt cap. */
export const DEFAULT_MAX_ATTEMPTS = 40;

/** Applies defaults and checks both numbers. */
export function resolvePollOptions(options: PollOptions): ResolvedPollOptions {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 0) {
    throw new DeploymentPlanError("INVALID_PLAN", "pollIntervalMs must be a number >= 0.");
  }
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new DeploymentPlanError("INVALID_PLAN", "maxAttempts must be a whole number >= 1.");
  }
  return { pollIntervalMs, maxAttempts };
}

/**
 * Calls `check(attempt)` (1-based) until it returns `true`, sleeping between
 * calls; returns `false` when `maxAttempts` checks all returned `false`.
 * Errors from `check` end the polling.
 */
export async function pollUntil(
  check: (attempt: number) => Promise<boolean>,
  options: ResolvedPollOptions,
): Promise<boolean> {
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (await check(attempt)) return true;
    if (attempt < options.maxAttempts) await sleep(options.pollIntervalMs);
  }
  return false;
}
