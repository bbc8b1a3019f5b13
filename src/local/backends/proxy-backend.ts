/**
 * A backend that forwards chat requests to an OpenAI-compatible server (a
 * local vLLM, Ollama, llama.cpp server, LM Studio) and hands its response back
 * unchanged, bytes included, as SageMaker returns a container's response:
 * same status, same content type, streams piece by piece as they arrive.
 *
 * Only the request body goes upstream (with the model name rewritten when
 * configured); the client's headers, its bearer token included, never do.
 * An upstream that cannot be reached or does not answer in time gets a 424
 * `ModelError`, which is how SageMaker reports a failing container.
 */
import type { BackendResponse, ChatBackend } from "../backend.js";
import { sageMakerError } from "../error-bodies.js";
import { LocalEndpointConfigError } from "../errors.js";
import { type ProxyBackendConfig, parseBackendConfig, proxyBackendConfigSchema } from "./config.js";
import { errorResponse } from "./request-checks.js";

/** SageMaker's limit for a real-time invocation to start answering. */
const DEFAULT_TIMEOUT_MS = 60_000;

/** Upstream headers worth passing on: the body's type, and the back-off hint of a 429/503. */
const PASSED_HEADERS = ["content-type", "retry-after"];

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The URL without credentials, for messages. */
function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function failureCode(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === "string") return cause.code;
  return error instanceof Error ? error.name : "unknown error";
}

function modelError(code: string, message: string): BackendResponse {
  const error = sageMakerError(424, "ModelError", code, message);
  return { type: "json", status: error.status, headers: error.headers, body: error.body };
}

function passedHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

/** The body as it arrives; cancelling it (client gone, stream cut) releases the upstream connection. */
async function* pieces(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Creates the proxy backend. Throws `LocalEndpointConfigError`
 * (`LOCAL_BACKEND_INVALID`) for an invalid config, or for a SageMaker bearer
 * token as `apiKey` on a plain-http URL to a host other than loopback.
 */
export function createProxyBackend(config: ProxyBackendConfig): ChatBackend {
  const parsed = parseBackendConfig(proxyBackendConfigSchema, config);
  const base = new URL(parsed.url);
  const target = new URL(`${base.pathname.replace(/\/+$/, "")}/chat/completions`, base);
  // fetch refuses URLs with credentials; `user:pass@` becomes Basic auth, as curl would send it.
  const basic =
    target.username !== "" || target.password !== ""
      ? Buffer.from(
          `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`,
        ).toString("base64")
      : undefined;
  target.username = "";
  target.password = "";
  const where = displayUrl(target);
  if (
    parsed.apiKey?.startsWith("sagemaker-api-key-") &&
    target.protocol === "http:" &&
    !isLoopbackHost(target.hostname)
  ) {
    throw new LocalEndpointConfigError(
      "LOCAL_BACKEND_INVALID",
      `The proxy would send a SageMaker bearer token over plain http to ${target.host}: use an https:// url.`,
    );
  }
  const headers: Record<string, string> = {
    ...parsed.headers,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  if (basic !== undefined) headers.authorization = `Basic ${basic}`;
  if (parsed.apiKey !== undefined) headers.authorization = `Bearer ${parsed.apiKey}`;
  const timeoutMs = parsed.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    async complete(request, context) {
      const body = parsed.model === undefined ? request : { ...request, model: parsed.model };
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(context.signal.reason);
      if (context.signal.aborted) onAbort();
      else context.signal.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        context.signal.removeEventListener("abort", onAbort);
      };

      let response: Response;
      try {
        response = await fetch(target, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (error) {
        done();
        if (context.signal.aborted) {
          return errorResponse(499, "ClientClosedRequest", "The client closed the request.");
        }
        if (timedOut) {
          return modelError(
            "PROXY_UPSTREAM_TIMEOUT",
            `The upstream model server at ${where} did not answer within ${timeoutMs} ms.`,
          );
        }
        return modelError(
          "PROXY_UPSTREAM_UNREACHABLE",
          `The upstream model server at ${where} could not be reached (${failureCode(error)}): ` +
            "start it, or fix the proxy backend's url.",
        );
      }

      const passed = passedHeaders(response);
      const isStream = (passed["content-type"] ?? "").startsWith("text/event-stream");
      if (isStream && response.body !== null) {
        // The stream may legitimately run longer than the time to first byte.
        clearTimeout(timer);
        const stream = pieces(response.body);
        return {
          type: "stream",
          status: response.status,
          headers: passed,
          body: (async function* () {
            try {
              yield* stream;
            } finally {
              done();
            }
          })(),
        };
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        return modelError(
          timedOut ? "PROXY_UPSTREAM_TIMEOUT" : "PROXY_UPSTREAM_UNREACHABLE",
          `The upstream model server at ${where} broke off its response (${failureCode(error)}).`,
        );
      } finally {
        done();
      }
      // Passed on as raw bytes, so the client sees exactly what the upstream sent.
      return {
        type: "stream",
        status: response.status,
        headers: { "content-type": "application/json", ...passed },
        body: (async function* () {
          if (bytes.byteLength > 0) yield bytes;
        })(),
      };
    },
  };
}
