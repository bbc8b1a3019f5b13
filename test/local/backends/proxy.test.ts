/**
 * The proxy backend against loopback upstreams: a scripted one that records
 * what it receives and answers with chosen bytes, one that never answers,
 * none at all, and the demo backend served as an OpenAI-compatible server
 * behind the real local endpoint.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatBackend, StreamBackendResponse } from "../../../src/local/backend.js";
import { createBackend } from "../../../src/local/backends/index.js";
import {
  collect,
  type DemoEndpoint,
  readBody,
  serveBackend,
  startDemoEndpoint,
  startServer,
  type TestServer,
} from "./backend-helpers.js";

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

let upstream: TestServer;
let seen: Seen[] = [];
let handle: Handler = (_req, res) => res.end();

beforeAll(async () => {
  upstream = await startServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(body) });
    await handle(req, res);
  });
});
afterAll(() => upstream.close());
afterEach(() => {
  seen = [];
});

const REQUEST = { model: "", messages: [{ role: "user", content: "hi" }], temperature: 0.2 };

function proxy(options: Record<string, unknown> = {}): ChatBackend {
  return createBackend({ type: "proxy", url: `${upstream.url}/v1/`, ...options });
}

describe("forwarding", () => {
  it("posts the body to {url}/chat/completions with the model rewritten, the API key and extra headers", async () => {
    handle = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}");
    await collect(
      proxy({ model: "qwen3:4b", apiKey: "sk-upstream", headers: { "x-team": "a" } }),
      REQUEST,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/v1/chat/completions",
      body: { ...REQUEST, model: "qwen3:4b" },
      headers: {
        authorization: "Bearer sk-upstream",
        "x-team": "a",
        "content-type": "application/json",
      },
    });
  });

  it("leaves the model as sent when no rewrite is configured, and sends no Authorization without a key", async () => {
    handle = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}");
    await collect(proxy(), REQUEST);
    expect(seen[0]?.body).toEqual(REQUEST);
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("sends credentials written in the url as Basic auth, not in the URL", async () => {
    handle = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}");
    const port = new URL(upstream.url).port;
    await collect(
      createBackend({ type: "proxy", url: `http://al%40ice:s3cret@127.0.0.1:${port}/v1` }),
      REQUEST,
    );
    expect(seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("al@ice:s3cret").toString("base64")}`,
    );
  });
});

async function bytesOf(response: StreamBackendResponse): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const piece of response.body) {
    text += typeof piece === "string" ? piece : decoder.decode(piece, { stream: true });
  }
  return text;
}

describe("responses come back unchanged", () => {
  it("a JSON body keeps its exact bytes, status and content type", async () => {
    const raw =
      '{"id":"x","choices":[{"message":{"content":"caf\\u00e9"}}],"usage":{"total_tokens":1.0}}';
    handle = (_req, res) =>
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(raw);
    const response = await proxy().complete(REQUEST, context());
    expect(response).toMatchObject({
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(await bytesOf(response as StreamBackendResponse)).toBe(raw);
  });

  it("errors pass through with their status, Retry-After and body", async () => {
    handle = (_req, res) =>
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "3" })
        .end('{"error":"slow down"}');
    const throttled = await proxy().complete(REQUEST, context());
    expect(throttled).toMatchObject({
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "3" },
    });
    expect(await bytesOf(throttled as StreamBackendResponse)).toBe('{"error":"slow down"}');

    handle = (_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
    const html = await collect(proxy(), REQUEST);
    expect(html).toMatchObject({ status: 502, headers: { "content-type": "text/html" } });
  });

  it("a stream is handed on piece by piece, before the upstream has finished", async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    handle = async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n');
      await released;
      res.end("data: [DONE]\n\n");
    };
    const response = (await proxy().complete(
      { ...REQUEST, stream: true },
      context(),
    )) as StreamBackendResponse;
    expect(response).toMatchObject({
      type: "stream",
      status: 200,
      headers: { "content-type": "text/event-stream" },
    });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(new TextDecoder().decode(first.value as Uint8Array)).toBe(
      'data: {"choices":[{"delta":{"content":"a"}}]}\n\n',
    );
    release();
    let rest = "";
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      rest += new TextDecoder().decode(next.value as Uint8Array);
    }
    expect(rest).toBe("data: [DONE]\n\n");
  });

  it("stopping early closes the upstream connection", async () => {
    let upstreamClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    handle = (_req, res) => {
      res.on("close", () => upstreamClosed());
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: {}\n\n");
    };
    const response = (await proxy().complete(
      { ...REQUEST, stream: true },
      context(),
    )) as StreamBackendResponse;
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    await closed;
  });
});

function context(signal = new AbortController().signal) {
  return { endpoint: "e", requestId: "r1", signal };
}

describe("upstream failures are SageMaker's 424 ModelError", () => {
  it("an unreachable upstream names the URL without its credentials", async () => {
    const gone = await startServer((_req, res) => res.end());
    const url = new URL(gone.url);
    await gone.close();
    const response = await collect(
      createBackend({ type: "proxy", url: `http://user:secret@127.0.0.1:${url.port}/v1` }),
      REQUEST,
    );
    expect(response.status).toBe(424);
    expect(response.headers["x-amzn-errortype"]).toBe("ModelError");
    const error = (response.body as { error: { code: string; message: string; type: string } })
      .error;
    expect(error).toMatchObject({ type: "ModelError", code: "PROXY_UPSTREAM_UNREACHABLE" });
    expect(error.message).toContain(`http://127.0.0.1:${url.port}/v1/chat/completions`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain("secret");
  });

  it("an upstream that does not answer in time", async () => {
    handle = () => undefined;
    const response = await collect(proxy({ timeoutMs: 100 }), REQUEST);
    expect(response.status).toBe(424);
    expect(response.body).toMatchObject({ error: { code: "PROXY_UPSTREAM_TIMEOUT" } });
  });

  it("a client that goes away aborts the upstream request", async () => {
    let upstreamClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    handle = (_req, res) => {
      res.on("close", () => upstreamClosed());
    };
    const controller = new AbortController();
    const pending = proxy().complete(REQUEST, context(controller.signal));
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await pending).status).toBe(499);
    await closed;
  });
});

describe("configuration", () => {
  it("refuses a SageMaker bearer token over plain http to a non-loopback host", () => {
    const token = "sagemaker-api-key-AAAA";
    expect(() =>
      createBackend({ type: "proxy", url: "http://192.168.1.5:8000/v1", apiKey: token }),
    ).toThrow(
      expect.objectContaining({
        code: "LOCAL_BACKEND_INVALID",
        message: expect.not.stringContaining(token),
      }),
    );
    expect(() =>
      createBackend({ type: "proxy", url: "https://example.com/v1", apiKey: token }),
    ).not.toThrow();
    expect(() =>
      createBackend({ type: "proxy", url: "http://localhost:8000/v1", apiKey: token }),
    ).not.toThrow();
    expect(() =>
      createBackend({ type: "proxy", url: "http://192.168.1.5:8000/v1", apiKey: "sk-1" }),
    ).not.toThrow();
  });

  it("refuses URLs that are not http(s) base URLs", () => {
    for (const url of ["ftp://host/v1", "not a url", "http://host/v1?x=1"]) {
      expect(() => createBackend({ type: "proxy", url })).toThrow(
        expect.objectContaining({
          code: "LOCAL_BACKEND_INVALID",
          message: expect.stringContaining("url"),
        }),
      );
    }
  });
});

describe("behind the local endpoint, in front of the demo model", () => {
  let demoUpstream: TestServer;
  let demo: DemoEndpoint;
  const upstreamHeaders: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    demoUpstream = await serveBackend(createBackend({ type: "demo", model: "qwen3:4b" }), (req) =>
      upstreamHeaders.push(req.headers),
    );
    demo = await startDemoEndpoint({
      proxied: { type: "proxy", url: `${demoUpstream.url}/v1`, model: "qwen3:4b" },
      wrongName: { type: "proxy", url: `${demoUpstream.url}/v1` },
    });
  });
  afterAll(async () => {
    await demo.close();
    await demoUpstream.close();
  });

  it("answers through the openai SDK, streamed and not, without forwarding the bearer token", async () => {
    const client = demo.client("proxied");
    const completion = await client.chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "through the proxy" }],
    });
    expect(completion.model).toBe("qwen3:4b");
    expect(completion.choices[0]?.message.content).toContain("through the proxy");
    const stream = await client.chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "through the proxy" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage?.total_tokens ?? usage;
    }
    expect(text).toBe(completion.choices[0]?.message.content);
    expect(usage).toBe(completion.usage?.total_tokens);
    expect(upstreamHeaders.length).toBeGreaterThanOrEqual(2);
    for (const headers of upstreamHeaders) expect(headers.authorization).toBeUndefined();
  });

  it("passes the upstream's own errors through (the demo's 404 for a model name it does not serve)", async () => {
    const error = await demo
      .client("wrongName")
      .chat.completions.create({ model: "other", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 404,
      param: "model",
      message: "404 The model `other` does not exist.",
    });
  });
});
