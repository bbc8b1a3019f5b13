/**
 * Request bodies: the 25 MB limit (by Content-Length before reading, and by
 * counting while a chunked body streams in), and 400s in vLLM's error shape for
 * bodies that are not JSON or not a chat completions request.
 */
import { request as httpRequest } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES } from "../../src/local/index.js";
import {
  mintToken,
  openRawSocket,
  EP1_CHAT_PATH as PATH,
  postChat,
  startTestEndpoint,
  type TestEndpoint,
} from "../helpers/local-endpoint.js";

let local: TestEndpoint;
let small: TestEndpoint;
let token: string;

beforeAll(async () => {
  local = await startTestEndpoint();
  small = await startTestEndpoint({ maxBodyBytes: 4096 });
  token = await mintToken();
});
afterAll(async () => {
  await local.close();
  await small.close();
});

function post(body: string, url = local.url) {
  return postChat(url, token, { body });
}

/** Writes raw bytes on a socket and returns everything the server sends back until it closes. */
async function rawExchange(url: string, head: string, bodyPart: string): Promise<string> {
  const raw = await openRawSocket(url);
  raw.socket.write(head + bodyPart);
  return raw.closed;
}

describe("400 in vLLM's shape", () => {
  const cases: Array<[string, string, string | null]> = [
    ["not JSON", "{not json", null],
    ["a JSON array", "[]", null],
    ["a JSON string", '"hello"', null],
    ["no messages", JSON.stringify({ model: "" }), "messages"],
    ["empty messages", JSON.stringify({ messages: [] }), "messages"],
    ["a message without role", JSON.stringify({ messages: [{ content: "x" }] }), "messages.0.role"],
    ["a message that is not an object", JSON.stringify({ messages: ["hi"] }), "messages.0"],
    [
      "a non-string model",
      JSON.stringify({ model: 3, messages: [{ role: "user", content: "x" }] }),
      "model",
    ],
    [
      "a non-boolean stream",
      JSON.stringify({ stream: "yes", messages: [{ role: "user", content: "x" }] }),
      "stream",
    ],
    [
      "stream_options without stream",
      JSON.stringify({
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "x" }],
      }),
      "stream_options",
    ],
    [
      "tools that are not a list",
      JSON.stringify({ tools: {}, messages: [{ role: "user", content: "x" }] }),
      "tools",
    ],
  ];
  for (const [label, body, param] of cases) {
    it(label, async () => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        error: { message: expect.any(String), type: "BadRequestError", param, code: 400 },
      });
    });
  }

  it("surfaces as the SDK's BadRequestError with vLLM's fields", async () => {
    const client = new OpenAI({ baseURL: local.baseURL("ep1"), apiKey: token, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: "", messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      type: "BadRequestError",
      param: "messages",
      code: 400,
    });
  });

  it("accepts explicit nulls for optional fields and hands the backend a body without them", async () => {
    const res = await post(
      JSON.stringify({
        model: null,
        stream: null,
        tools: null,
        messages: [{ role: "user", content: "n" }],
      }),
    );
    expect(res.status).toBe(200);
    const seen = local.backend.seen.at(-1)?.body ?? {};
    expect(Object.keys(seen).sort()).toEqual(["messages"]);
  });
});

describe("413 for bodies over the limit", () => {
  it("is 25 MiB by default", () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(25 * 1024 * 1024);
  });

  it("answers from Content-Length alone, before the body arrives, and closes the connection", async () => {
    const head =
      `POST ${PATH} HTTP/1.1\r\nHost: ${new URL(local.url).host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${DEFAULT_MAX_BODY_BYTES + 1}\r\n\r\n`;
    // Only 10 bytes of the announced 25 MiB are sent; the answer must still come.
    const answer = await rawExchange(local.url, head, '{"message');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(answer).toContain('"type":"RequestEntityTooLargeError"');
    expect(local.requests.at(-1)).toMatchObject({ status: 413, reason: "BODY_TOO_LARGE" });
  });

  it("counts a chunked body while it streams in and stops reading past the limit", async () => {
    const { hostname, port } = new URL(small.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: hostname,
          port,
          method: "POST",
          path: PATH,
          headers: {
            authorization: `Bearer ${token}`,
            "transfer-encoding": "chunked",
            "content-type": "application/json",
          },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      // The server may close its side while we still write; only the answer matters here.
      req.on("error", () => undefined);
      const piece = "x".repeat(1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64) {
          sent += 1;
          if (!req.write(piece)) {
            req.once("drain", pump);
            return;
          }
        }
        req.end();
      };
      pump();
      setTimeout(() => reject(new Error("no answer")), 10_000).unref();
    });
    expect(status).toBe(413);
    expect(small.requests.at(-1)).toMatchObject({ status: 413, reason: "BODY_TOO_LARGE" });
  });

  it("accepts a body just under the limit", async () => {
    const content = "y".repeat(3000);
    const body = JSON.stringify({ messages: [{ role: "user", content }] });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    const res = await post(body, small.url);
    expect(res.status).toBe(200);
  });
});
