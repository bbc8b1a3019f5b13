/**
 * Backend configuration as it appears in a local endpoint config (file or
 * object): the zod schemas the server validates with, and the types they infer.
 */
import { z } from "zod";
import { LocalEndpointConfigError } from "../errors.js";
import { scriptSchema } from "./script-types.js";

/** The served model name of the demo backend when none is configured. */
export const DEFAULT_DEMO_MODEL = "demo-qwen3-4b";

/**
 * The built-in demo model.
 *
 * - `model`: the served model name (default `demo-qwen3-4b`); requests may name
 *   it, or send `""` or no model; any other name gets vLLM's 404.
 * - `toolCalls`: `"native"` (default) returns OpenAI `tool_calls`, as vLLM with
 *   `--enable-auto-tool-choice --tool-call-parser hermes`; `"hermes"` returns
 *   raw `<tool_call>` text in `content` with finish_reason `stop`, as a
 *   container without the parser does.
 * - `script`: a built-in script name (`general`, `coder`, `reviewer`) or an
 *   inline script; `general`'s rules are always appended as the fallback.
 * - `reasoning`: emit a short Qwen3 think block before each answer;
 *   `reasoningField` says how it comes back: `"reasoning"` (newest vLLM, the
 *   default), `"reasoning_content"` (older vLLM) or `"inline"` (`<think>...</think>`
 *   inside `content`, as without a reasoning parser).
 * - `latencyMs`: the time to first token, waited before answering;
 *   `chunkDelayMs`: the time to generate one token, waited before each
 *   streamed chunk. A non-streaming reply takes the same total (`latencyMs`
 *   plus `chunkDelayMs` per generated token), as a real vLLM does.
 */
export const demoBackendConfigSchema = z.strictObject({
  type: z.literal("demo"),
  model: z.string().min(1).max(256).optional(),
  toolCalls: z.enum(["native", "hermes"]).optional(),
  script: z.union([z.string().min(1), scriptSchema]).optional(),
  reasoning: z.boolean().optional(),
  reasoningField: z.enum(["reasoning", "reasoning_content", "inline"]).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  chunkDelayMs: z.number().int().min(0).max(60_000).optional(),
});

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === "http:" || url.protocol === "https:") &&
        url.search === "" &&
        url.hash === ""
      );
    } catch {
      return false;
    }
  },
  {
    message:
      "must be an http:// or https:// base URL without query or fragment, e.g. http://127.0.0.1:11434/v1",
  },
);

/**
 * A proxy to an OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio).
 *
 * - `url`: its base URL (requests go to `${url}/chat/completions`). Plain
 *   `http://` is allowed to any host, since the upstream is usually the user's
 *   own machine or LAN; a SageMaker bearer token as `apiKey` only over https
 *   or to loopback.
 * - `model`: replaces the request's model name (SageMaker clients often send `""`).
 * - `apiKey`: sent as `Authorization: Bearer ...` upstream (credentials in the
 *   url, `http://user:pass@host/v1`, go as Basic auth instead). The client's own
 *   Authorization header is never forwarded.
 * - `headers`: extra headers sent upstream.
 * - `timeoutMs`: how long to wait for the upstream's response headers (default 60 s,
 *   SageMaker's invocation timeout).
 */
export const proxyBackendConfigSchema = z.strictObject({
  type: z.literal("proxy"),
  url: httpUrl,
  model: z.string().max(256).optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});

/** Any backend configuration; `type` selects the backend. */
export const backendConfigSchema = z.discriminatedUnion("type", [
  demoBackendConfigSchema,
  proxyBackendConfigSchema,
]);

/** Configuration of the demo backend (the zod schema `demoBackendConfigSchema` checks it). */
export type DemoBackendConfig = z.input<typeof demoBackendConfigSchema>;

/** Configuration of the proxy backend (the zod schema `proxyBackendConfigSchema` checks it). */
export type ProxyBackendConfig = z.input<typeof proxyBackendConfigSchema>;

/** Configuration of any built-in backend (the demo model or the proxy). */
export type BuiltInBackendConfig = DemoBackendConfig | ProxyBackendConfig;

/**
 * Validates `input` with `schema`, or throws a {@link LocalEndpointConfigError}
 * with code `LOCAL_BACKEND_INVALID` listing each problem by path.
 */
export function parseBackendConfig<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join(".") : "(backend)";
    return `${path}: ${issue.message}`;
  });
  throw new LocalEndpointConfigError(
    "LOCAL_BACKEND_INVALID",
    `Invalid backend config: ${problems.join("; ")}`,
  );
}
