/**
 * Classifies whatever the OpenAI SDK or the network threw during one attempt
 * into a {@link SageMakerModelError}: which failures are worth another
 * attempt, how long the server asked to wait, and whether the server refused
 * the token because of the local clock.
 */
import { APIConnectionTimeoutError, APIError } from "openai";
import { redactTokensIn } from "../errors.js";
import {
  SageMakerModelError,
  type SageMakerModelErrorCode,
  type SageMakerModelErrorDetails,
} from "./errors.js";
import type { SageMakerTarget } from "./options.js";
import { parseRetryAfter } from "./retry.js";
import { readServerError } from "./server-error.js";

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
 * `afterFirstChunk` says whether a stream had already delivered data. An
 * error that is none of these is thrown again, redacted (`redactTokensIn`):
 * the requester reads streams without the client's redaction step.
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
          // The SDK error repeats the server text (a proxy may echo the token): the
          // base class keeps only a redacted copy (`redactTokensIn`).
          cause: raw,
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
  // Not a failure of the request (a bug, a listener's error): as it is, minus any token.
  throw redactTokensIn(raw);
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
    // Redacted by the base class (`redactTokensIn`): the SDK error repeats the server text.
    cause: raw,
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
