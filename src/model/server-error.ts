/**
 * Reads the error a server put in a response body, whichever generation wrote it.
 */
import { redactTokens } from "../errors.js";

/** The parts of a server error body worth reporting. */
export interface ServerError {
  /** The human-readable message, with any bearer token redacted. */
  message: string;
  /** The error class, e.g. `BadRequestError` (vLLM) or `ThrottlingException` (AWS). */
  type?: string;
  /** vLLM sends the HTTP status as a number; OpenAI-style servers send a string code. */
  code?: string | number;
  /** The request parameter the error is about, e.g. `model`. */
  param?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstString(record: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

/** `com.amazonaws.sagemaker#ThrottlingException:http://…` → `ThrottlingException`. */
function awsErrorType(value: string): string {
  const afterHash = value.slice(value.lastIndexOf("#") + 1);
  const colon = afterHash.indexOf(":");
  return colon === -1 ? afterHash : afterHash.slice(0, colon);
}

function readFields(record: Record<string, unknown>): ServerError | undefined {
  const message = firstString(record, ["message", "Message", "error", "detail"]);
  const awsType = firstString(record, ["__type"]);
  const type = firstString(record, ["type", "Type"]) ?? (awsType && awsErrorType(awsType));
  const rawCode = record.code ?? record.Code ?? record.ErrorCode;
  const code =
    typeof rawCode === "string" || (typeof rawCode === "number" && Number.isFinite(rawCode))
      ? rawCode
      : undefined;
  const param = firstString(record, ["param"]);
  if (message === undefined && !type && code === undefined) return undefined;
  return {
    message: redactTokens(message ?? (type || String(code))),
    ...(type ? { type: redactTokens(type) } : {}),
    ...(code === undefined ? {} : { code: typeof code === "string" ? redactTokens(code) : code }),
    ...(param === undefined ? {} : { param: redactTokens(param) }),
  };
}

/**
 * Reads an error body in any of the shapes the OpenAI path can return:
 * - vLLM ≥ 0.10.1 and OpenAI: `{"error": {"message", "type", "param", "code"}}`
 * - older vLLM: flat `{"object": "error", "message", "type", "param", "code"}`
 * - SageMaker / AWS JSON: `{"message"}` or `{"Message"}`, with `__type` and `code` /
 *   `Code` / `ErrorCode` when present (the `__type` namespace is dropped)
 * - `{"error": "text"}` and FastAPI's `{"detail": "text"}`
 *
 * `body` may be the parsed JSON, its text, or its bytes. Returns `undefined` when the
 * body is none of these (not JSON, or no message, type or code in it), so the caller
 * can fall back to the status line. Never throws. Strings are passed through
 * {@link redactTokens}: a proxy that echoes the request must not leak the token.
 */
export function readServerError(body: unknown): ServerError | undefined {
  let value = body;
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value)) return undefined;
  if (isRecord(value.error)) return readFields(value.error) ?? readFields(value);
  return readFields(value);
}
