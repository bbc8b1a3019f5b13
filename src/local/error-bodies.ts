/**
 * The two error shapes the local endpoint's own layer produces. Both use the
 * `{"error": {...}}` envelope, which the openai SDK unwraps into
 * `err.message`/`err.type`/`err.code`:
 *
 * - errors vLLM itself would give (bad JSON or request shape, unknown path,
 *   body too large): vLLM's current shape, `code` = the HTTP status as a number;
 * - SageMaker's own refusals (authentication, routing, injected faults): an
 *   AWS error type in `type` and in the `x-amzn-ErrorType` header, a stable
 *   string `code`, and the same text in a top-level `message` for clients that
 *   read AWS-style flat bodies.
 */

/** A response the server writes as JSON. */
export interface JsonErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** An error in vLLM's nested shape: `{"error":{"message","type","param","code":<status>}}`. */
export function vllmError(
  status: number,
  type: string,
  message: string,
  param: string | null = null,
): JsonErrorResponse {
  return { status, headers: {}, body: { error: { message, type, param, code: status } } };
}

/** A 400 `BadRequestError` as vLLM words a request it cannot accept. */
export function badRequest(message: string, param: string | null = null): JsonErrorResponse {
  return vllmError(400, "BadRequestError", message, param);
}

/**
 * A refusal by SageMaker itself, before any container sees the request.
 * `type` is the AWS error type (`ValidationError`, `ThrottlingException`, ...);
 * `code` is this package's stable reason (`TOKEN_EXPIRED`, `ENDPOINT_NOT_FOUND`, ...).
 */
export function sageMakerError(
  status: number,
  type: string,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): JsonErrorResponse {
  return {
    status,
    headers: { "x-amzn-errortype": type, ...headers },
    body: { message, error: { message, type, code, param: null } },
  };
}
