/**
 * Reading and checking a chat completions request body: a size limit enforced
 * while the body streams in (never buffering more than the limit), JSON
 * parsing, and a shape check of the fields the server and backends rely on.
 * Problems come back in vLLM's 400 shape, as the container would send them.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { ChatCompletionRequestBody } from "./backend.js";
import { badRequest, type JsonErrorResponse, vllmError } from "./error-bodies.js";

/** The 413 for a body over `limit` bytes. */
export function tooLarge(limit: number): JsonErrorResponse {
  return vllmError(
    413,
    "RequestEntityTooLargeError",
    `The request body is larger than the ${limit} bytes this endpoint accepts.`,
  );
}

/**
 * Reads the whole body, or stops counting at `limit` bytes and returns
 * `"too-large"` (the caller answers 413 and closes the connection, so the rest
 * is never read). Returns `"aborted"` if the client goes away first.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | "too-large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
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
