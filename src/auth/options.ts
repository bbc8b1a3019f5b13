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

/**
 * Returns `value` if it is a whole number of seconds from 1 to 43,200 (12 h), the
 * range the service accepts; else throws `INVALID_EXPIRES_IN`.
 */
export function checkExpiresIn(value: unknown, option = "expiresIn"): number {
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= MAX_EXPIRES_IN
  ) {
    return value;
  }
  throw new ValidationError(
    "INVALID_EXPIRES_IN",
    `${option} must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN} (12 hours); ` +
      `got ${describeValue(value)}.`,
  );
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
