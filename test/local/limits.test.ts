/**
 * What keeps one careless or hostile client from taking the local endpoint
 * down: JSON routes refuse other content types (415); a cap on open
 * connections (503 past it); a cap on request body bytes held at once across
 * all requests (503 past it); and header and request timeouts that close
 * half-open connections (408) before they can hold every slot. Real sockets on
 * loopback; limits set small so each case is cheap.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { ChatBackend } from "../../src/local/index.js";
import {
  CHAT_BODY,
  echoBackend,
  mintToken,
  openRawSocket,
  rawRequest,
  startEndpointWithTestCredentials,
  startTestEndpoint,
  type TestEndpoint,
} from "../helpers/local-endpoint.js";

const CHAT = "/endpoints/ep1/openai/v1/chat/completions";
/** How long to wait for an event the server must produce (generous: the machine may be loaded). */
const EVENT = { timeout: 10_000 };
let token: string;

beforeAll(async () => {
  token = await mintToken();
});

function chat(baseUrl: string, body = CHAT_BODY, contentType: string | null = "application/json") {
  return rawRequest(baseUrl, {
    path: CHAT,
    headers: {
      authorization: `Bearer ${token}`,
      ...(contentType === null ? {} : { "content-type": contentType }),
    },
    body,
  });
}

/** A complete chat request as raw bytes, for sockets the test holds itself. */
function rawChat(host: string, body = CHAT_BODY): string {
  return (
    `POST ${CHAT} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** A backend that holds its first request until `open()` is called (so it stays in flight) and answers the others at once. */
function gatedBackend(): ChatBackend & { calls: number; open(): void } {
  const echo = echoBackend();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const backend = {
    calls: 0,
    open: () => release(),
    async complete(...args: Parameters<ChatBackend["complete"]>) {
      backend.calls += 1;
      if (backend.calls === 1) await gate;
      return echo.complete(...args);
    },
  };
  return backend;
}

describe("415 for bodies that do not say they are JSON", () => {
  let local: TestEndpoint;
  beforeAll(async () => {
    local = await startTestEndpoint();
  });
  afterAll(() => local.close());

  it("refuses text, forms and a missing Content-Type in the service's shape, before the backend", async () => {
    const seen = local.backend.seen.length;
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      null,
    ]) {
      const res = await chat(local.url, CHAT_BODY, type);
      expect(res.status, String(type)).toBe(415);
      expect(res.headers["x-amzn-errortype"]).toBe("UnsupportedMediaTypeException");
      expect(res.json).toEqual({
        message: expect.stringContaining("Content-Type: application/json"),
        error: {
          message: expect.any(String),
          type: "UnsupportedMediaTypeException",
          code: "UNSUPPORTED_MEDIA_TYPE",
          param: null,
        },
      });
    }
    expect(local.backend.seen.length).toBe(seen);
    expect(local.requests.at(-1)).toMatchObject({ status: 415, reason: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("accepts JSON with parameters, in any case, and +json types", async () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/vnd.api+json",
    ]) {
      expect((await chat(local.url, CHAT_BODY, type)).status, type).toBe(200);
    }
  });

  it("checks the token first: an unauthenticated caller learns nothing else", async () => {
    const res = await rawRequest(local.url, { path: CHAT, body: CHAT_BODY });
    expect(res.status).toBe(401);
  });
});

describe("a cap on open connections", () => {
  it("answers 503 TOO_MANY_CONNECTIONS on a connection past maxConnections, and serves again once one closes", async () => {
    const local = await startTestEndpoint({ maxConnections: 2 });
    onTestFinished(() => local.close());
    const host = new URL(local.url).host;
    const held = [await openRawSocket(local.url), await openRawSocket(local.url)];
    onTestFinished(() => {
      for (const raw of held) raw.socket.destroy();
    });
    await vi.waitFor(() => expect(local.connections.open).toBe(2), EVENT);
    // The held connections are served: one request each, kept alive.
    for (const raw of held) raw.socket.write(rawChat(host));
    await vi.waitFor(() => {
      for (const raw of held) expect(raw.received).toMatch(/^HTTP\/1\.1 200 /);
    }, EVENT);

    const extra = await openRawSocket(local.url);
    extra.socket.write(rawChat(host));
    const refused = await extra.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused.toLowerCase()).toContain("retry-after: 1");
    expect(refused.toLowerCase()).toContain("connection: close");
    expect(refused).toContain('"code":"TOO_MANY_CONNECTIONS"');
    expect(local.requests.at(-1)).toMatchObject({ status: 503, reason: "TOO_MANY_CONNECTIONS" });

    held[0]?.socket.destroy();
    await vi.waitFor(() => expect(local.connections.open).toBe(1), EVENT);
    expect((await chat(local.url)).status).toBe(200);
  });
});

describe("a cap on request body bytes held at once", () => {
  it("refuses a body the shared budget cannot hold (503 BODY_BUFFER_FULL), by length or while chunked, and gives bytes back after each response", async () => {
    const backend = gatedBackend();
    const local = await startEndpointWithTestCredentials(
      { ep1: { backend } },
      { maxBodyBytes: 4096, maxBufferedBodyBytes: 6000 },
    );
    onTestFinished(() => local.close());
    const body = (size: number) => {
      const shell = JSON.stringify({ messages: [{ role: "user", content: "" }] });
      return JSON.stringify({
        messages: [{ role: "user", content: "x".repeat(size - shell.length) }],
      });
    };
    // 4,000 bytes held by a request the backend has not answered yet.
    const first = chat(local.url, body(4000));
    await vi.waitFor(() => expect(backend.calls).toBe(1), EVENT);

    // 3,000 more would be 7,000 > 6,000: refused before reading, connection closed.
    const byLength = await chat(local.url, body(3000));
    expect(byLength.status).toBe(503);
    expect(byLength.headers["retry-after"]).toBe("1");
    expect(byLength.headers.connection).toBe("close");
    expect(byLength.json).toMatchObject({
      error: { type: "ServiceUnavailable", code: "BODY_BUFFER_FULL" },
    });

    // The same without a length: counted as it arrives and refused once it crosses the budget.
    const chunked = await openRawSocket(local.url);
    const data = body(3000);
    chunked.socket.write(
      `POST ${CHAT} HTTP/1.1\r\nHost: ${new URL(local.url).host}\r\nAuthorization: Bearer ${token}\r\n` +
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
        [data.slice(0, 1000), data.slice(1000, 2000), data.slice(2000)]
          .map((piece) => `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`)
          .join("") +
        "0\r\n\r\n",
    );
    const answer = await chunked.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toContain('"code":"BODY_BUFFER_FULL"');
    expect(backend.calls).toBe(1);

    // A body that fits beside the held one still gets through (4,000 + 1,500 <= 6,000).
    expect((await chat(local.url, body(1500))).status).toBe(200);
    expect(backend.calls).toBe(2);
    backend.open();
    expect((await first).status).toBe(200);
    // The first request's bytes were given back: the refused size fits now.
    expect((await chat(local.url, body(3000))).status).toBe(200);
    expect((await chat(local.url, body(4000))).status).toBe(200);
  });
});

describe("half-open connections time out", () => {
  it("closes connections that never finish their headers or body (408), freeing their slots", async () => {
    const local = await startTestEndpoint({
      maxConnections: 3,
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
    });
    onTestFinished(() => local.close());
    const host = new URL(local.url).host;
    const silent = await openRawSocket(local.url);
    const slowHeaders = await openRawSocket(local.url);
    const slowBody = await openRawSocket(local.url);
    onTestFinished(() => {
      for (const raw of [silent, slowHeaders, slowBody]) raw.socket.destroy();
    });
    // A request line and one header, then nothing: the slowloris pattern.
    slowHeaders.socket.write(`POST ${CHAT} HTTP/1.1\r\nHost: ${host}\r\n`);
    // Whole headers announcing 100 bytes, then 10 of them.
    slowBody.socket.write(
      `POST ${CHAT} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"messages`,
    );
    // They hold every slot: each of them is an open connection the server counts.
    await vi.waitFor(() => expect(local.connections.open).toBe(3), EVENT);

    // The server ends each of them on its own; the test only waits.
    for (const answer of await Promise.all([slowHeaders.closed, slowBody.closed])) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"code":408');
    }
    await silent.closed;
    await vi.waitFor(() => expect(local.connections.open).toBe(0), EVENT);
    expect((await chat(local.url)).status).toBe(200);
  });
});
