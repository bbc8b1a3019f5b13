/**
 * The typed error a `ChatSageMakerOpenAI` call fails with. `./classify.ts`
 * turns what the OpenAI SDK or the network threw into one.
 */
import { redactTokens, SageMakerOpenAIError } from "../errors.js";

/**
 * Stable codes of {@link SageMakerModelError}:
 * - `THROTTLED`: 429 or `ThrottlingException` (retried).
 * - `MODEL_NOT_READY`: `ModelNotReadyException`, e.g. an inference component still loading (retried).
 * - `SERVICE_UNAVAILABLE`: 500, 502, 503, 504 (retried).
 * - `CONNECTION_FAILED`: no HTTP answer (reset, refused, cut before the first chunk) (retried).
 * - `MODEL_ERROR`: 424, the container failed (SageMaker's `ModelError`).
 * - `AUTHENTICATION_FAILED`: 401, the token was refused (expired, bad signature, unknown key).
 * - `ACCESS_DENIED`: 403, the signing identity may not invoke the endpoint.
 * - `NOT_FOUND`: 404, no such endpoint, component or served model.
 * - `BAD_REQUEST`: another 4xx; the request itself must change.
 * - `SERVER_ERROR`: another 5xx.
 * - `REQUEST_TIMEOUT`: the client-side `timeout` elapsed (not retried: the model is slow, not failing).
 * - `STREAM_INTERRUPTED`: the stream broke after chunks were delivered (cannot be replayed).
 * - `STREAM_ERROR`: the server reported an error inside a 200 stream, or sent unreadable data.
 */
export type SageMakerModelErrorCode =
  | "THROTTLED"
  | "MODEL_NOT_READY"
  | "SERVICE_UNAVAILABLE"
  | "CONNECTION_FAILED"
  | "MODEL_ERROR"
  | "AUTHENTICATION_FAILED"
  | "ACCESS_DENIED"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "SERVER_ERROR"
  | "REQUEST_TIMEOUT"
  | "STREAM_INTERRUPTED"
  | "STREAM_ERROR";

/** Details a {@link SageMakerModelError} carries. */
export interface SageMakerModelErrorDetails {
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The AWS error code (`x-amzn-ErrorType` or the body's type), e.g. `ThrottlingException`. */
  sagemakerErrorCode?: string;
  /** The error's `code` in the body when it is a string, e.g. `TOKEN_EXPIRED` from the local endpoint. */
  serverCode?: string;
  /** The endpoint called. */
  endpointName: string;
  /** The inference component called, if any. */
  componentName?: string;
  /** The request id the server gave (`x-amzn-RequestId`, else `x-request-id`). */
  requestId?: string;
  /** How long the server asked to wait (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up. */
  attempts: number;
  /** Whether another attempt later might succeed. */
  retryable: boolean;
  cause?: unknown;
}

/**
 * A chat completion call to a SageMaker endpoint failed. Switch on `code`
 * ({@link SageMakerModelErrorCode}); `status`, `sagemakerErrorCode`,
 * `endpointName`, `componentName` and `requestId` say where and why. Neither
 * the message, nor the fields read from the server, nor the `cause` contains a
 * bearer token in any form.
 */
export class SageMakerModelError extends SageMakerOpenAIError {
  declare readonly code: SageMakerModelErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The AWS error code, e.g. `ThrottlingException`, `ModelError`, `ValidationError`. */
  readonly sagemakerErrorCode: string | undefined;
  /** The body's string `code`, e.g. the local endpoint's refusal reason `TOKEN_EXPIRED`. */
  readonly serverCode: string | undefined;
  /** The endpoint called. */
  readonly endpointName: string;
  /** The inference component called, if any. */
  readonly componentName: string | undefined;
  /** The server's request id, for support cases and log searches. */
  readonly requestId: string | undefined;
  /** The server's `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** Whether the same call might succeed later. */
  readonly retryable: boolean;

  constructor(code: SageMakerModelErrorCode, message: string, details: SageMakerModelErrorDetails) {
    super(code, message, details.cause === undefined ? {} : { cause: details.cause });
    this.status = details.status;
    // These three come from the server's headers and body: a proxy may have echoed the token into them.
    this.sagemakerErrorCode = redactOptional(details.sagemakerErrorCode);
    this.serverCode = redactOptional(details.serverCode);
    this.endpointName = details.endpointName;
    this.componentName = details.componentName;
    this.requestId = redactOptional(details.requestId);
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
    this.retryable = details.retryable;
  }

  /** A plain summary for logs, without the cause chain. */
  override toJSON(): { name: string; code: string; message: string } & Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      sagemakerErrorCode: this.sagemakerErrorCode,
      serverCode: this.serverCode,
      endpointName: this.endpointName,
      componentName: this.componentName,
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

function redactOptional(value: string | undefined): string | undefined {
  return value === undefined ? undefined : redactTokens(value);
}

/** Returns a copy of `error` that records how many attempts were made. */
export function withAttempts(error: SageMakerModelError, attempts: number): SageMakerModelError {
  if (error.attempts === attempts) return error;
  return new SageMakerModelError(error.code, error.message, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.sagemakerErrorCode === undefined
      ? {}
      : { sagemakerErrorCode: error.sagemakerErrorCode }),
    ...(error.serverCode === undefined ? {} : { serverCode: error.serverCode }),
    endpointName: error.endpointName,
    ...(error.componentName === undefined ? {} : { componentName: error.componentName }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    attempts,
    retryable: error.retryable,
    cause: error.cause,
  });
}
