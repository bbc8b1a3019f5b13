/**
 * Errors specific to minting and reading tokens. Codes used across `auth`:
 *
 * - `INVALID_EXPIRES_IN`, `INVALID_REFRESH_BEFORE`, `INVALID_SIGNING_DATE`,
 *   `INVALID_OPTIONS`, `INVALID_CREDENTIALS` ({@link ValidationError})
 * - `REGION_UNRESOLVED` ({@link ConfigurationError}), `INVALID_REGION` (from addressing)
 * - `CREDENTIALS_UNAVAILABLE`, `CREDENTIALS_EXPIRED` ({@link CredentialsError})
 * - `MALFORMED_TOKEN` ({@link MalformedTokenError})
 */
import { ConfigurationError, ValidationError } from "../errors.js";

/**
 * AWS credentials could not be obtained or are unusable: the provider threw
 * (`CREDENTIALS_UNAVAILABLE`) or returned credentials that have already expired
 * (`CREDENTIALS_EXPIRED`). The message names the cause; it never contains key material.
 */
export class CredentialsError extends ConfigurationError {}

/**
 * The string given to `decodeToken` is not a well-formed SageMaker bearer token
 * (code `MALFORMED_TOKEN`). The message says which part is wrong and never
 * repeats the token.
 */
export class MalformedTokenError extends ValidationError {
  constructor(reason: string) {
    super("MALFORMED_TOKEN", `Not a well-formed SageMaker bearer token: ${reason}.`);
  }
}
