/**
 * Why the local endpoint refuses a caller, as stable codes. SageMaker does not
 * publish the bodies it returns for a bad token, so the local endpoint follows
 * the likely shape (a 401 or 403 with a JSON message) and picks one rule:
 * 401 when the caller could not be authenticated (no token, a malformed,
 * expired or forged one, an unknown key), 403 when the caller was
 * authenticated but may not invoke the endpoint. A client that re-mints on 401
 * therefore recovers from expiry, and a 403 says "fix the permissions".
 */

/** Every reason the local endpoint refuses a bearer token or a caller. */
export type RefusalReason =
  | "MISSING_AUTHORIZATION"
  | "NOT_BEARER"
  | "BAD_TOKEN_PREFIX"
  | "BAD_BASE64"
  | "MALFORMED_TOKEN"
  | "WRONG_HOST"
  | "WRONG_ACTION"
  | "UNSUPPORTED_VERSION"
  | "UNSUPPORTED_ALGORITHM"
  | "WRONG_SCOPE_SERVICE"
  | "WRONG_SCOPE_REGION"
  | "SCOPE_DATE_MISMATCH"
  | "EXPIRES_OUT_OF_RANGE"
  | "TOKEN_EXPIRED"
  | "TOKEN_FROM_FUTURE"
  | "UNKNOWN_ACCESS_KEY"
  | "SESSION_TOKEN_MISMATCH"
  | "SIGNATURE_MISMATCH"
  | "ACCESS_DENIED";

/** What each reason means, in the words the JSON message uses. Never includes the token. */
const DESCRIPTIONS: Record<RefusalReason, string> = {
  MISSING_AUTHORIZATION: "The request has no Authorization header.",
  NOT_BEARER: "The Authorization header is not of the form 'Bearer <token>'.",
  BAD_TOKEN_PREFIX: "The bearer token does not start with 'sagemaker-api-key-'.",
  BAD_BASE64: "The bearer token is not valid base64 after its 'sagemaker-api-key-' prefix.",
  MALFORMED_TOKEN: "The bearer token does not decode to a presigned SigV4 URL.",
  WRONG_HOST: "The bearer token was signed for a host other than sagemaker.amazonaws.com.",
  WRONG_ACTION: "The bearer token's Action is not CallWithBearerToken.",
  UNSUPPORTED_VERSION: "The bearer token lacks Version=1.",
  UNSUPPORTED_ALGORITHM: "The bearer token's X-Amz-Algorithm is not AWS4-HMAC-SHA256.",
  WRONG_SCOPE_SERVICE: "The bearer token's credential scope names a service other than sagemaker.",
  WRONG_SCOPE_REGION:
    "The bearer token's credential scope names a region other than the endpoint's.",
  SCOPE_DATE_MISMATCH: "The date in the bearer token's credential scope differs from X-Amz-Date.",
  EXPIRES_OUT_OF_RANGE: "The bearer token's X-Amz-Expires is outside 1..43200 seconds.",
  TOKEN_EXPIRED: "The bearer token has expired.",
  TOKEN_FROM_FUTURE: "The bearer token is dated more than 5 minutes in the future.",
  UNKNOWN_ACCESS_KEY: "The bearer token was signed with an access key this endpoint does not know.",
  SESSION_TOKEN_MISMATCH:
    "The bearer token's session token is missing or does not match the signing credentials.",
  SIGNATURE_MISMATCH: "The bearer token's signature does not verify.",
  ACCESS_DENIED: "The signing identity is not allowed to invoke this endpoint.",
};

/** The HTTP status a refusal gets: 403 only for an authenticated caller without permission. */
export function refusalStatus(reason: RefusalReason): 401 | 403 {
  return reason === "ACCESS_DENIED" ? 403 : 401;
}

/**
 * The AWS error type sent in `error.type` and `x-amzn-ErrorType`, modelled on
 * the names AWS services use for the same failures (not confirmed for SageMaker).
 */
export function refusalType(reason: RefusalReason): string {
  switch (reason) {
    case "ACCESS_DENIED":
      return "AccessDeniedException";
    case "TOKEN_EXPIRED":
      return "ExpiredTokenException";
    case "UNKNOWN_ACCESS_KEY":
      return "UnrecognizedClientException";
    case "SIGNATURE_MISMATCH":
    case "SESSION_TOKEN_MISMATCH":
    case "WRONG_SCOPE_SERVICE":
    case "WRONG_SCOPE_REGION":
    case "SCOPE_DATE_MISMATCH":
    case "EXPIRES_OUT_OF_RANGE":
    case "TOKEN_FROM_FUTURE":
      return "InvalidSignatureException";
    case "MISSING_AUTHORIZATION":
    case "NOT_BEARER":
      return "MissingAuthenticationTokenException";
    default:
      return "IncompleteSignatureException";
  }
}

/** The fixed sentence describing `reason`. */
export function describeRefusal(reason: RefusalReason): string {
  return DESCRIPTIONS[reason];
}

/** Every refusal reason, in the order the verifier checks them. */
export const REFUSAL_REASONS: readonly RefusalReason[] = Object.keys(
  DESCRIPTIONS,
) as RefusalReason[];
