/**
 * The package's error hierarchy. Every error it throws on purpose is a
 * {@link SageMakerOpenAIError} with a stable `code` that callers can switch on;
 * messages say what to fix and never carry a bearer token.
 *
 * This module has no dependencies so that `sagemaker-openai-agents/auth` stays light.
 */

/**
 * Matches a SageMaker bearer token anywhere in a string (the prefix plus its
 * base64 body). At least one body character, so redacting twice leaves
 * `REDACTED_TOKEN` as it is.
 */
const TOKEN_PATTERN = /sagemaker-api-key-[A-Za-z0-9+/=_-]+/g;

/** What a redacted token is replaced with. */
export const REDACTED_TOKEN = "sagemaker-api-key-[REDACTED]";

/**
 * Replaces every SageMaker bearer token in `text` with a fixed marker.
 *
 * Used on every message the package builds from text it did not write (server
 * bodies, dependency errors), so a token echoed back by a proxy cannot leak.
 */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, REDACTED_TOKEN);
}

/** Options every package error accepts. */
export interface SageMakerOpenAIErrorOptions {
  /** The underlying error, kept for debugging; its message is not copied into ours. */
  cause?: unknown;
}

/**
 * Base class of every error this package throws on purpose.
 *
 * `code` is stable across releases: match on it (or on the subclass), not on the message.
 */
export class SageMakerOpenAIError extends Error {
  /** A stable, machine-readable reason, e.g. `INVALID_REGION`. */
  readonly code: string;

  constructor(code: string, message: string, options: SageMakerOpenAIErrorOptions = {}) {
    super(
      redactTokens(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.code = code;
  }

  /** A plain summary for logs and `JSON.stringify`, without the cause chain. */
  toJSON(): { name: string; code: string; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * Input that cannot work: a malformed region or name, an out-of-range lifetime,
 * an insecure URL. Thrown before any network call or signing.
 */
export class ValidationError extends SageMakerOpenAIError {}

/**
 * Something the package needs from the environment is missing or unusable:
 * no region, no credentials, an optional peer dependency not installed.
 */
export class ConfigurationError extends SageMakerOpenAIError {}
