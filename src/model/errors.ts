/**
 * The typed error a `ChatSageMakerOpenAI` call fails with, and the
 * classification of whatever the OpenAI SDK or the network threw into it:
 * which failures are worth another attempt, how long the server asked us to
 * wait, and whether the server refused the token because of the local clock.
 */
import { APIConnectionTimeoutError, APIError } from "openai";
import { SageMakerOpenAIError } from "../errors.js";
import type { SageMakerTarget } from "./options.js";
import { parseRetryAfter } from "./retry.js";
import { readServerError } from "./server-error.js";

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
 * `endpointName`, `componentName` and `requestId` say where and why. The
 * message never contains a bearer token.
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
    this.sagemakerErrorCode = details.sagemakerErrorCode;
    this.serverCode = details.serverCode;
    this.endpointName = details.endpointName;
    this.componentName = details.componentName;
    this.requestId = details.requestId;
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

/** The outcome of classifying one failed attempt. */
export interface Classified {
  /** The error to throw if no further attempt is made (its `attempts` is filled in later). */
  error: SageMakerModelError;
  /** Worth another attempt under the retry budget. */
  retryable: boolean;
  /** Server-requested wait, if any. */
  retryAfterMs?: number;
  /** The token was refused as expired or not yet valid; the server's `Date`, if it sent one. */
  clockRefusal?: { serverDate: number | undefined };
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_AWS_CODES = new Set(["ThrottlingException", "ModelNotReadyException"]);
const CLOCK_CODES = new Set(["TOKEN_EXPIRED", "TOKEN_FROM_FUTURE"]);
const CLOCK_MESSAGE = /expired|not yet valid|not yet current|in the future|clock skew/i;

/** `ThrottlingException:http://internal.amazon.com/...` → `ThrottlingException`. */
function awsCode(value: string | null | undefined): string | undefined {
  if (value == null || value === "") return undefined;
  const code = value.split(":")[0]?.trim();
  return code === "" ? undefined : code;
}

function codeFor(
  status: number | undefined,
  awsErrorCode: string | undefined,
): SageMakerModelErrorCode {
  if (awsErrorCode === "ThrottlingException" || status === 429) return "THROTTLED";
  if (awsErrorCode === "ModelNotReadyException") return "MODEL_NOT_READY";
  if (status === undefined) return "STREAM_ERROR";
  if (status === 424 || awsErrorCode === "ModelError") return "MODEL_ERROR";
  if (status === 401) return "AUTHENTICATION_FAILED";
  if (status === 403) return "ACCESS_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (RETRYABLE_STATUS.has(status)) return "SERVICE_UNAVAILABLE";
  if (status >= 500) return "SERVER_ERROR";
  return "BAD_REQUEST";
}

function where(target: SageMakerTarget): string {
  return target.inferenceComponentName === undefined
    ? `endpoint ${target.endpointName}`
    : `inference component ${target.inferenceComponentName} of endpoint ${target.endpointName}`;
}

function baseDetails(
  target: SageMakerTarget,
): Pick<SageMakerModelErrorDetails, "endpointName" | "componentName" | "attempts"> {
  return {
    endpointName: target.endpointName,
    ...(target.inferenceComponentName === undefined
      ? {}
      : { componentName: target.inferenceComponentName }),
    attempts: 1,
  };
}

function isConnectionCut(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  const causeCode =
    typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  const code = (error as { code?: unknown }).code;
  return (
    (error instanceof TypeError &&
      /terminated|fetch failed|other side closed/i.test(error.message)) ||
    (typeof causeCode === "string" &&
      /^(UND_ERR_SOCKET|ECONNRESET|EPIPE|ECONNREFUSED)$/.test(causeCode)) ||
    (typeof code === "string" && /^(ECONNRESET|EPIPE|ECONNREFUSED|UND_ERR_SOCKET)$/.test(code))
  );
}

/**
 * Classifies one failed attempt. `bodyText` is the raw error body when the
 * transport kept it (flat vLLM bodies are lost in the SDK's own error);
 * `afterFirstChunk` says whether a stream had already delivered data.
 */
export function classifyFailure(
  raw: unknown,
  target: SageMakerTarget,
  bodyText: string | undefined,
  afterFirstChunk: boolean,
): Classified {
  if (raw instanceof SageMakerModelError) return { error: raw, retryable: raw.retryable };
  if (raw instanceof APIConnectionTimeoutError) {
    return {
      error: new SageMakerModelError(
        "REQUEST_TIMEOUT",
        `The request to ${where(target)} timed out before the server answered; raise \`timeout\` ` +
          "or make the request smaller.",
        { ...baseDetails(target), retryable: false, cause: raw },
      ),
      retryable: false,
    };
  }
  if (raw instanceof APIError && raw.status !== undefined) {
    return classifyStatus(raw, target, bodyText);
  }
  if (raw instanceof APIError && raw.error !== undefined) {
    // An error event inside a 200 stream: the body is in `raw.error`.
    const server = readServerError({ error: raw.error });
    const status = typeof server?.code === "number" ? server.code : undefined;
    const retryable = !afterFirstChunk && status !== undefined && RETRYABLE_STATUS.has(status);
    return {
      error: new SageMakerModelError(
        "STREAM_ERROR",
        `${where(target)} reported an error in its stream: ${server?.message ?? "unknown error"}`,
        {
          ...baseDetails(target),
          ...(status === undefined ? {} : { status }),
          retryable,
          // No `cause`: the SDK error repeats the server text unredacted (a proxy may echo the token).
        },
      ),
      retryable,
    };
  }
  if (raw instanceof APIError || isConnectionCut(raw)) {
    const code = afterFirstChunk ? "STREAM_INTERRUPTED" : "CONNECTION_FAILED";
    const message = afterFirstChunk
      ? `The stream from ${where(target)} broke after it had started; the partial answer cannot be resumed.`
      : `The connection to ${where(target)} failed before an answer arrived (${describe(raw)}).`;
    return {
      error: new SageMakerModelError(code, message, {
        ...baseDetails(target),
        retryable: !afterFirstChunk,
        cause: raw,
      }),
      retryable: !afterFirstChunk,
    };
  }
  if (raw instanceof SyntaxError) {
    return {
      error: new SageMakerModelError(
        "STREAM_ERROR",
        `${where(target)} sent stream data that is not valid JSON.`,
        { ...baseDetails(target), retryable: false, cause: raw },
      ),
      retryable: false,
    };
  }
  throw raw;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code =
    typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : error.message;
}

function classifyStatus(
  raw: APIError,
  target: SageMakerTarget,
  bodyText: string | undefined,
): Classified {
  const status = raw.status as number;
  const headers = raw.headers;
  const server = readServerError(
    bodyText ?? (raw.error === undefined ? undefined : { error: raw.error }),
  );
  const aws =
    awsCode(headers?.get("x-amzn-errortype")) ??
    (server?.type !== undefined && /^[A-Z][A-Za-z]+$/.test(server.type) ? server.type : undefined);
  const serverCode = typeof server?.code === "string" ? server.code : undefined;
  const retryAfterMs = parseRetryAfter(headers);
  const requestId = headers?.get("x-amzn-requestid") ?? headers?.get("x-request-id") ?? undefined;
  const retryable =
    RETRYABLE_STATUS.has(status) || (aws !== undefined && RETRYABLE_AWS_CODES.has(aws));
  const code = codeFor(status, aws);
  const message = `${where(target)} answered ${status}${aws === undefined ? "" : ` ${aws}`}: ${
    server?.message ?? "no error message"
  }`;
  const error = new SageMakerModelError(code, message, {
    ...baseDetails(target),
    status,
    ...(aws === undefined ? {} : { sagemakerErrorCode: aws }),
    ...(serverCode === undefined ? {} : { serverCode }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    retryable,
    // No `cause`: the SDK error repeats the server text unredacted (a proxy may echo the token).
  });
  const isClockRefusal =
    (status === 401 || status === 403) &&
    ((serverCode !== undefined && CLOCK_CODES.has(serverCode)) ||
      aws === "ExpiredTokenException" ||
      CLOCK_MESSAGE.test(server?.message ?? ""));
  const dateHeader = headers?.get("date");
  const serverDate = dateHeader == null ? undefined : Date.parse(dateHeader);
  return {
    error,
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(isClockRefusal
      ? { clockRefusal: { serverDate: Number.isNaN(serverDate) ? undefined : serverDate } }
      : {}),
  };
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
