/**
 * The ranges of a client's `timeout` and `maxRetries`. The OpenAI SDK takes any
 * number for both (a negative timeout fires at once, a fraction is rounded, a
 * huge retry count retries for ever), so the package's clients check them up
 * front and say what is allowed.
 */
import { checkWholeNumber } from "../auth/options.js";

/**
 * The longest `timeout` in ms: Node's timer limit (about 24.8 days). A longer
 * delay would fire after 1 ms.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** The most retries after the first attempt a client accepts. */
export const MAX_RETRIES_LIMIT = 100;

/**
 * Returns `value` if it is a whole number of milliseconds from 1 to
 * {@link MAX_TIMEOUT_MS} (or undefined, for the default); else throws
 * `INVALID_OPTIONS` naming `option` and the range.
 */
export function checkTimeout(value: unknown, option = "timeout"): number | undefined {
  if (value === undefined) return undefined;
  return checkWholeNumber(value, option, {
    min: 1,
    max: MAX_TIMEOUT_MS,
    unit: "of milliseconds",
  });
}

/**
 * Returns `value` if it is a whole number from 0 to {@link MAX_RETRIES_LIMIT}
 * (or undefined, for the default); else throws `INVALID_OPTIONS` naming
 * `option` and the range.
 */
export function checkMaxRetries(value: unknown, option = "maxRetries"): number | undefined {
  if (value === undefined) return undefined;
  return checkWholeNumber(value, option, { min: 0, max: MAX_RETRIES_LIMIT });
}
