/**
 * Up-front checks of the options `generateToken` and `createTokenProvider`
 * take, so bad input fails with a typed error before any credential lookup or signing.
 */
import { ValidationError } from "../errors.js";
import { MAX_EXPIRES_IN } from "./presign.js";

/** A short, safe rendering of a rejected value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === "number") {
    return String(value);
  }
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.slice(0, 40))}`;
  }
  return value === null ? "null" : `a ${typeof value}`;
}

/** Throws `INVALID_OPTIONS` unless `options` is a plain object (or undefined). */
export function checkOptionsObject(options: unknown, functionName: string): void {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new ValidationError(
      "INVALID_OPTIONS",
      `${functionName} takes an options object; got ${describeValue(options)}.`,
    );
  }
}

/** The bounds and wording of a whole-number option, for {@link checkWholeNumber}. */
export interface WholeNumberRange {
  /** Smallest value allowed. */
  min: number;
  /** Largest value allowed. */
  max: number;
  /** What the number counts, e.g. `"milliseconds"`; shown after the range. */
  unit?: string;
  /** Error code. Default `INVALID_OPTIONS`. */
  code?: string;
}

/**
 * Returns `value` if it is a whole number within `range`, else throws a
 * {@link ValidationError} naming `option`, the allowed range and what was given.
 */
export function checkWholeNumber(value: unknown, option: string, range: WholeNumberRange): number {
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= range.min &&
    value <= range.max
  ) {
    return value;
  }
  const unit = range.unit === undefined ? "" : ` ${range.unit}`;
  throw new ValidationError(
    range.code ?? "INVALID_OPTIONS",
    `${option} must be a whole number${unit} from ${range.min} to ${range.max}; ` +
      `got ${describeValue(value)}.`,
  );
}

/**
 * Returns `value` if it is a whole number of seconds from 1 to 43,200 (12 h), the
 * range the service accepts; else throws `INVALID_EXPIRES_IN`.
 */
export function checkExpiresIn(value: unknown, option = "expiresIn"): number {
  return checkWholeNumber(value, option, {
    min: 1,
    max: MAX_EXPIRES_IN,
    unit: "of seconds",
    code: "INVALID_EXPIRES_IN",
  });
}

/** How long resolving credentials may take by default, in ms: long enough for SSO or instance metadata. */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;

/** The longest `credentialsTimeoutMs` accepted (one hour), e.g. for a provider that prompts for an MFA code. */
export const MAX_CREDENTIALS_TIMEOUT_MS = 3_600_000;

/**
 * Returns the credentials time limit in ms: {@link DEFAULT_CREDENTIALS_TIMEOUT_MS}
 * when undefined, else a whole number from 1 to {@link MAX_CREDENTIALS_TIMEOUT_MS};
 * anything else throws `INVALID_OPTIONS`.
 */
export function checkCredentialsTimeout(value: unknown, option = "credentialsTimeoutMs"): number {
  if (value === undefined) return DEFAULT_CREDENTIALS_TIMEOUT_MS;
  return checkWholeNumber(value, option, {
    min: 1,
    max: MAX_CREDENTIALS_TIMEOUT_MS,
    unit: "of milliseconds",
  });
}

/**
 * Returns a copy of `value` if it is a valid `Date` in years 1970..9999 (the
 * range the SigV4 timestamp can express), else throws `INVALID_SIGNING_DATE`.
 */
export function checkSigningDate(value: unknown): Date {
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isFinite(time) && time >= 0 && time < Date.UTC(10_000, 0, 1)) {
      return new Date(time);
    }
  }
  throw new ValidationError(
    "INVALID_SIGNING_DATE",
    `signingDate must be a valid Date between 1970 and 9999; got ${describeValue(value)}.`,
  );
}
