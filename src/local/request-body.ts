/**
 * Reading and checking a chat completions request body: a JSON content type
 * (415 otherwise, in the service's shape, as SageMaker refuses it before any
 * container sees it), a size limit enforced while the body streams in (never
 * buffering more than the limit), the shared budget of buffered body bytes
 * (503), JSON parsing, and a shape check of the fields the server and
 * backends rely on. Body problems come back in vLLM's 400 shape, as the
 * container would send them.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { ChatCompletionRequestBody } from "./backend.js";
import { badRequest, type JsonErrorResponse, sageMakerError, vllmError } from "./error-bodies.js";

/** The 413 for a body over `limit` bytes. */
export function tooLarge(limit: number): JsonErrorResponse {
  return vllmError(
    413,
    "RequestEntityTooLargeError",
    `The request body is larger than the ${limit} bytes this endpoint accepts.`,
  );
}

/**
 * Reads the whole body, or stops at `limit` bytes and returns `"too-large"`
 * (the caller answers 413 and closes the connection, so the rest is never
 * read). Every byte is first taken from the request's share of the body
 * budget (`take`): a declared `Content-Length` all at once, before reading,
 * a chunked body as it arrives; when the budget says no, reading stops with
 * `"over-budget"`. A declared length is read into one buffer of that size, so
 * the body is never held twice. Returns `"aborted"` if the client goes away first.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  take: (bytes: number) => boolean = () => true,
): Promise<Buffer | "too-large" | "over-budget" | "aborted"> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  const known = Number.isSafeInteger(declared) && declared >= 0;
  if (known && declared > limit) return Promise.resolve("too-large");
  if (known && !take(declared)) return Promise.resolve("over-budget");
  return new Promise((resolve) => {
    const whole = known ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (outcome: "too-large" | "over-budget") => {
      cleanup();
      req.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      if (whole !== undefined) {
        // The parser frames the body by Content-Length; more would be a parser bug, never a copy past the end.
        if (size + chunk.length > whole.length) return stop("too-large");
        chunk.copy(whole, size);
        size += chunk.length;
        return;
      }
      size += chunk.length;
      if (size > limit) return stop("too-large");
      if (!take(chunk.length)) return stop("over-budget");
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (whole !== undefined) resolve(whole.subarray(0, size));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      cleanup();
      resolve("aborted");
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onClose);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onClose);
    req.on("close", onClose);
  });
}

/** A JSON route's `Content-Type`: `application/json` or a `+json` type, parameters allowed. */
export function isJsonContentType(contentType: string | undefined): boolean {
  // What nearly every client sends: answered without splitting or a regex, on every request.
  if (contentType === "application/json") return true;
  const type = (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[\w.+-]+\+json$/.test(type);
}

/** The 415 for a JSON route called with another (or no) content type, in the service's shape. */
export function unsupportedMediaType(contentType: string | undefined): JsonErrorResponse {
  const got =
    contentType === undefined
      ? "no Content-Type"
      : `Content-Type ${JSON.stringify(contentType.slice(0, 100))}`;
  return sageMakerError(
    415,
    "UnsupportedMediaTypeException",
    "UNSUPPORTED_MEDIA_TYPE",
    `This route takes a JSON body; the request has ${got}. Send Content-Type: application/json.`,
  );
}

/** The 503 for a body the shared body budget cannot hold now (`maxBufferedBodyBytes`). */
export function bodyBufferFull(limit: number): JsonErrorResponse {
  return sageMakerError(
    503,
    "ServiceUnavailable",
    "BODY_BUFFER_FULL",
    `The endpoint already holds request bodies near its ${limit}-byte limit (maxBufferedBodyBytes); ` +
      "retry shortly, or send fewer large requests at once.",
    { "retry-after": "1" },
  );
}

const nullish = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const requestSchema = z.looseObject({
  messages: z
    .array(z.looseObject({ role: z.string() }), "messages must be an array of message objects")
    .min(1, "messages must contain at least one message"),
  model: nullish(z.string()),
  stream: nullish(z.boolean()),
  stream_options: nullish(
    z.looseObject({
      include_usage: nullish(z.boolean()),
      continuous_usage_stats: nullish(z.boolean()),
    }),
  ),
  tools: nullish(
    z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }) })),
  ),
  response_format: nullish(z.looseObject({ type: z.string() })),
  n: nullish(z.number().int().min(1)),
  max_tokens: nullish(z.number().int()),
  max_completion_tokens: nullish(z.number().int()),
  temperature: nullish(z.number()),
  top_p: nullish(z.number()),
});

/**
 * Parses and shape-checks a body. Returns the request for the backend (with
 * explicit `null`s of optional fields removed, as vLLM treats them as unset),
 * or the 400 to send.
 */
export function parseChatRequest(body: Buffer): ParsedChatRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, error: badRequest("The request body is not valid JSON.") };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, error: badRequest("The request body must be a JSON object.") };
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join(".") ?? "";
    const message = `${param === "" ? "body" : param}: ${issue?.message ?? "invalid"}`;
    return { ok: false, error: badRequest(message, param === "" ? null : param) };
  }
  const request = parsed.data as Record<string, unknown>;
  for (const key of ["model", "stream", "stream_options", "tools", "response_format"]) {
    if (request[key] === null) delete request[key];
  }
  if (request.stream_options !== undefined && request.stream !== true) {
    const message = "Stream options can only be defined when `stream=True`.";
    return { ok: false, error: badRequest(message, "stream_options") };
  }
  return { ok: true, request: request as ChatCompletionRequestBody };
}

/** The outcome of {@link parseChatRequest}: the request for the backend, or the 400 to send. */
export type ParsedChatRequest =
  | { ok: true; request: ChatCompletionRequestBody }
  | { ok: false; error: JsonErrorResponse };
