/**
 * Helpers for tests that run against the local SageMaker OpenAI endpoint:
 * fixed credentials, token minting (the client's `generateToken`, and
 * mutations of its output for refusal tests), a tiny echo backend that speaks
 * vLLM's wire format, and a raw HTTP request function for what the openai SDK
 * cannot send.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import { beforeEach } from "vitest";
import { generateToken } from "../../src/auth/index.js";
import type {
  BackendResponse,
  ChatBackend,
  ChatCompletionRequestBody,
} from "../../src/local/backend.js";
import {
  type AccessLogEntry,
  type EndpointConfig,
  type LocalEndpoint,
  type LocalEndpointConfig,
  startLocalEndpoint,
} from "../../src/local/index.js";

/** The credentials test endpoints accept (AWS's documented example key). */
export const TEST_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
} as const;

/** A fixed instant for tests that control time: 2026-01-15T12:00:00Z. */
export const FIXED_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Mints a token with the package's client-side minting (default: test credentials, us-west-2, 900 s). */
export function mintToken(
  options: {
    region?: string;
    expiresIn?: number;
    signingDate?: Date;
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  } = {},
): Promise<string> {
  return generateToken({
    region: options.region ?? "us-west-2",
    expiresIn: options.expiresIn ?? 900,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }),
  });
}

const PREFIX = "sagemaker-api-key-";

/** Decodes a token to its presigned URL text (`sagemaker.amazonaws.com/?Action=...`). */
export function tokenUrl(token: string): string {
  return Buffer.from(token.slice(PREFIX.length), "base64").toString("utf8");
}

/** Re-encodes a presigned URL text as a token. */
export function urlToken(url: string): string {
  return PREFIX + Buffer.from(url, "utf8").toString("base64");
}

/** Applies `edit` to a token's decoded URL text and re-encodes it. */
export function mutateToken(token: string, edit: (url: string) => string): string {
  return urlToken(edit(tokenUrl(token)));
}

/**
 * A minimal backend in vLLM's wire format: it answers with `<name>: ` and the
 * last user message's text (model `name`), as one JSON body or as a stream of
 * three chunks and [DONE]. Records the requests and contexts it saw. Give
 * each backend its own `name` where a test must tell which one answered.
 */
export function echoBackend(name = "echo"): ChatBackend & {
  seen: Array<{ body: ChatCompletionRequestBody; component?: string }>;
} {
  const seen: Array<{ body: ChatCompletionRequestBody; component?: string }> = [];
  return {
    seen,
    async complete(body, context): Promise<BackendResponse> {
      seen.push(
        context.component === undefined ? { body } : { body, component: context.component },
      );
      const last = body.messages[body.messages.length - 1];
      const text = `${name}: ${typeof last?.content === "string" ? last.content : ""}`;
      const id = `chatcmpl-${context.requestId}`;
      const base = { id, created: 1_700_000_000, model: name };
      if (body.stream !== true) {
        return {
          type: "json",
          status: 200,
          body: {
            ...base,
            object: "chat.completion",
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: text },
                finish_reason: "stop",
                logprobs: null,
              },
            ],
            usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
          },
        };
      }
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
      const half = Math.ceil(text.length / 2);
      async function* events(): AsyncGenerator<string> {
        yield chunk({ role: "assistant", content: "" }, null);
        yield chunk({ content: text.slice(0, half) }, null);
        yield chunk({ content: text.slice(half) }, null);
        yield chunk({}, "stop");
        yield "data: [DONE]\n\n";
      }
      return { type: "stream", status: 200, body: events() };
    },
  };
}

/**
 * Starts a local endpoint in us-west-2 that accepts {@link TEST_CREDENTIALS}
 * and serves `endpoints`; `overrides` replace top-level config keys.
 */
export function startEndpointWithTestCredentials(
  endpoints: Record<string, EndpointConfig>,
  overrides: Partial<LocalEndpointConfig> = {},
): Promise<LocalEndpoint> {
  return startLocalEndpoint({
    region: "us-west-2",
    credentials: [{ ...TEST_CREDENTIALS }],
    endpoints,
    ...overrides,
  });
}

/** Starts a local endpoint with test credentials, `ep1` (single model) and `ep2` (ICs `coder`, `reviewer`). */
export async function startTestEndpoint(
  overrides: Partial<LocalEndpointConfig> = {},
): Promise<LocalEndpoint & { backend: ReturnType<typeof echoBackend> }> {
  const backend = echoBackend();
  const local = await startEndpointWithTestCredentials(
    {
      ep1: { backend },
      ep2: { inferenceComponents: { coder: { backend }, reviewer: { backend } } },
    },
    overrides,
  );
  return Object.assign(local, { backend });
}

/** A running endpoint as {@link startTestEndpoint} returns it. */
export type TestEndpoint = Awaited<ReturnType<typeof startTestEndpoint>>;

/**
 * Starts a local endpoint with test credentials and the demo model as
 * `demo` (single model), `hermes` (tool calls as `<tool_call>` text) and
 * `agents` (components `coder` and `reviewer` on their scripts), plus `extra`.
 */
export function startDemoModelsEndpoint(
  extra: Record<string, EndpointConfig> = {},
): Promise<LocalEndpoint> {
  return startEndpointWithTestCredentials({
    demo: { backend: { type: "demo" } },
    ...extra,
    hermes: { backend: { type: "demo", toolCalls: "hermes" } },
    agents: {
      inferenceComponents: {
        coder: { backend: { type: "demo", script: "coder" } },
        reviewer: { backend: { type: "demo", script: "reviewer" } },
      },
    },
  });
}

/**
 * Marks the endpoint's access log before each test (a `beforeEach` hook) and
 * returns a function giving the entries of the current test. `endpoint` is
 * called then, so it may return one started in `beforeAll`.
 */
export function accessLogOfEachTest(endpoint: () => LocalEndpoint): () => AccessLogEntry[] {
  let start = 0;
  beforeEach(() => {
    start = endpoint().requests.length;
  });
  return () => endpoint().requests.slice(start);
}

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** Sends one request with node:http (no SDK in between) and reads the whole answer. */
export function rawRequest(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "POST",
        path: options.path,
        // An explicit length, or Node would send a GET/DELETE/OPTIONS body unframed.
        headers: {
          ...(options.body === undefined
            ? {}
            : { "content-length": String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A valid chat completions body. */
export const CHAT_BODY = JSON.stringify({
  model: "",
  messages: [{ role: "user", content: "hello" }],
});

/** The chat completions route of `ep1`, the single model of {@link startTestEndpoint}. */
export const EP1_CHAT_PATH = "/endpoints/ep1/openai/v1/chat/completions";

/**
 * POSTs a chat completions request as a client would, raw: `token` as the
 * bearer and a JSON content type (`headers` add to or replace them), the body
 * {@link CHAT_BODY} unless `body` is given, to `path` (default {@link EP1_CHAT_PATH}).
 */
export function postChat(
  baseUrl: string,
  token: string,
  options: { path?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return rawRequest(baseUrl, {
    path: options.path ?? EP1_CHAT_PATH,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...options.headers,
    },
    body: options.body ?? CHAT_BODY,
  });
}

/** A raw TCP connection to an endpoint, for what no HTTP client sends (half requests, bad framing). */
export interface RawSocket {
  socket: Socket;
  /** Everything the server has sent so far (latin1, byte for byte). */
  readonly received: string;
  /** Everything the server sent, once the connection has closed (by either side, or by an error). */
  closed: Promise<string>;
}

/** Connects to `baseUrl`'s host and port and resolves once connected. */
export function openRawSocket(baseUrl: string): Promise<RawSocket> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    socket.on("data", (data: Buffer) => {
      received += data.toString("latin1");
    });
    const closed = new Promise<string>((done) => {
      socket.on("close", () => done(received));
    });
    // After connecting, an error (a reset) only ends the connection: `closed` reports it.
    socket.on("error", () => undefined);
    socket.once("connect", () =>
      resolve({
        socket,
        get received() {
          return received;
        },
        closed,
      }),
    );
    socket.once("error", reject);
  });
}
