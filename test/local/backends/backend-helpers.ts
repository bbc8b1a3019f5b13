/**
 * Helpers for the backend tests: call a backend directly and read its whole
 * answer, parse SSE text into events, serve a backend on a bare loopback HTTP
 * server (no SageMaker auth: what an OpenAI-compatible upstream looks like),
 * and start the real local endpoint with demo backends on named components.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import type { ChatBackend, ChatCompletionRequestBody } from "../../../src/local/backend.js";
import type { BuiltInBackendConfig } from "../../../src/local/backends/index.js";
import { type LocalEndpoint, startLocalEndpoint } from "../../../src/local/index.js";
import { mintToken, TEST_CREDENTIALS } from "../../helpers/local-endpoint.js";

/** A backend's answer read whole: JSON body, or the SSE text and its parsed events. */
export interface CollectedResponse {
  type: "json" | "stream";
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The raw stream text (streams only). */
  text: string;
  /** Each `data:` payload in order; `"[DONE]"` stays a string, others are parsed JSON. */
  events: unknown[];
}

/** Parses `data: ...\n\n` events; throws on anything that is not a data event. */
export function parseSse(text: string): unknown[] {
  const events: unknown[] = [];
  for (const block of text.split("\n\n")) {
    if (block === "") continue;
    if (!block.startsWith("data: ")) throw new Error(`not an SSE data event: ${block}`);
    const data = block.slice("data: ".length);
    events.push(data === "[DONE]" ? data : JSON.parse(data));
  }
  return events;
}

/** Calls `backend.complete` and reads the whole answer. */
export async function collect(
  backend: ChatBackend,
  body: ChatCompletionRequestBody,
  requestId = randomUUID().replaceAll("-", ""),
): Promise<CollectedResponse> {
  const response = await backend.complete(body, {
    endpoint: "test",
    requestId,
    signal: new AbortController().signal,
  });
  if (response.type === "json") {
    return { ...response, headers: response.headers ?? {}, text: "", events: [] };
  }
  let text = "";
  const decoder = new TextDecoder();
  for await (const piece of response.body) {
    text += typeof piece === "string" ? piece : decoder.decode(piece, { stream: true });
  }
  const headers = response.headers ?? {};
  // A proxy hands on non-SSE bodies (JSON, HTML error pages) as raw bytes too.
  const isSse = (headers["content-type"] ?? "text/event-stream").startsWith("text/event-stream");
  let parsed: unknown;
  if (!isSse) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return {
    type: "stream",
    status: response.status,
    headers,
    body: parsed,
    text,
    events: isSse ? parseSse(text) : [],
  };
}

/** A running loopback HTTP server. */
export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 at a free port. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<TestServer> {
  const server: Server = createServer((req, res) => {
    void Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Serves `backend` as a plain OpenAI-compatible server at `${url}/v1`
 * (`POST /v1/chat/completions`), the way an upstream vLLM would be reached.
 */
export function serveBackend(
  backend: ChatBackend,
  onRequest: (req: IncomingMessage) => void = () => undefined,
): Promise<TestServer> {
  return startServer(async (req, res) => {
    onRequest(req);
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}');
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatCompletionRequestBody;
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const response = await backend.complete(body, {
      endpoint: "upstream",
      requestId: randomUUID().replaceAll("-", ""),
      signal: controller.signal,
    });
    if (response.type === "json") {
      res.writeHead(response.status, { "content-type": "application/json", ...response.headers });
      res.end(JSON.stringify(response.body));
      return;
    }
    res.writeHead(response.status, { "content-type": "text/event-stream", ...response.headers });
    for await (const piece of response.body) res.write(piece);
    res.end();
  });
}

/** The local endpoint with one endpoint `demo` whose components have the given backend configs. */
export interface DemoEndpoint {
  local: LocalEndpoint;
  token: string;
  /** An openai client for a component (no retries, so errors surface as they are). */
  client(component: string): OpenAI;
  close(): Promise<void>;
}

/** Starts the real local endpoint (token verification included) with `components` on endpoint `demo`. */
export async function startDemoEndpoint(
  components: Record<string, BuiltInBackendConfig>,
): Promise<DemoEndpoint> {
  const local = await startLocalEndpoint({
    region: "us-west-2",
    credentials: [{ ...TEST_CREDENTIALS }],
    endpoints: {
      demo: {
        inferenceComponents: Object.fromEntries(
          Object.entries(components).map(([name, backend]) => [name, { backend }]),
        ),
      },
    },
  });
  const token = await mintToken();
  return {
    local,
    token,
    client: (component) =>
      new OpenAI({ baseURL: local.baseURL("demo", component), apiKey: token, maxRetries: 0 }),
    close: () => local.close(),
  };
}

/** A calculator tool definition as the tools package describes it. */
export const CALCULATOR_TOOL = {
  type: "function",
  function: {
    name: "calculator",
    description: "Evaluate an arithmetic expression and return its value.",
    parameters: {
      type: "object",
      properties: { expression: { type: "string", description: "The arithmetic expression." } },
      required: ["expression"],
      additionalProperties: false,
    },
  },
} as const;

/** A syntax-check tool definition like the tools package's `syntax_check`. */
export const SYNTAX_CHECK_TOOL = {
  type: "function",
  function: {
    name: "syntax_check",
    description: "Check a code snippet for syntax errors without running it.",
    parameters: {
      type: "object",
      properties: {
        language: { type: "string", enum: ["python", "typescript", "javascript"] },
        code: { type: "string" },
      },
      required: ["language", "code"],
      additionalProperties: false,
    },
  },
} as const;

/** The reviewer verdict schema the graph is expected to use. */
export const VERDICT_SCHEMA = {
  type: "object",
  properties: {
    approved: { type: "boolean" },
    comments: { type: "array", items: { type: "string" } },
  },
  required: ["approved", "comments"],
  additionalProperties: false,
} as const;
