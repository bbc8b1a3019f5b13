/**
 * The package's error hierarchy. Every error it throws on purpose is a
 * {@link SageMakerOpenAIError} with a stable `code` that callers can switch on;
 * messages say what to fix and never carry a bearer token, in any of its forms
 * (see `redact.ts`), and neither does any error kept as their `cause`.
 *
 * This module depends only on `redact.ts`, so that `sagemaker-openai-agents/auth` stays light.
 */
import { redactTokens, redactTokensIn } from "./redact.js";

export { REDACTED, REDACTED_TOKEN, redactTokens, redactTokensIn } from "./redact.js";

/** Options every package error accepts. */
export interface SageMakerOpenAIErrorOptions {
  /**
   * The underlying error, kept for debugging with every bearer token in it
   * redacted (`redactTokensIn`, every form of a token); its message is not copied into ours.
   */
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
      options.cause === undefined ? undefined : { cause: redactTokensIn(options.cause) },
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
