/**
 * A server (or proxy) that echoes the request's `Authorization` header back,
 * in its error body, its headers or an error event inside a stream, cannot
 * make a token reach the caller through any error: not as the token, not as
 * its decoded presigned URL, not as the signature alone, not in a `cause`.
 * Real HTTP on loopback against a capture server that does the echoing; every
 * client the package returns; each error is checked with secret-scan.ts.
 */
import { inspect } from "node:util";
import { Agent } from "@strands-agents/sdk";
import { generateText } from "ai";
import OpenAI, { type APIError } from "openai";
import { describe, expect, it } from "vitest";
import { createSageMakerOpenAI } from "../../src/adapters/ai-sdk/index.js";
import { sagemakerStrandsModel } from "../../src/adapters/strands/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import { SageMakerOpenAIError } from "../../src/errors.js";
import { ChatSageMakerOpenAI, SageMakerModelError } from "../../src/model/index.js";
import {
  type CapturedRequest,
  type CaptureReply,
  type CaptureServer,
  captureServerForTest,
} from "../helpers/capture-server.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import { expectNoToken } from "../helpers/secret-scan.js";

/** The token a request carried. */
function tokenOf(request: CapturedRequest): string {
  return String(request.headers.authorization).replace(/^Bearer /, "");
}

/** Every form of the request's token, as a careless server would repeat it. */
function echoes(request: CapturedRequest): string {
  const token = tokenOf(request);
  const url = Buffer.from(token.slice("sagemaker-api-key-".length), "base64").toString("utf8");
  const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(url)?.[1];
  return `you sent ${request.headers.authorization}; decoded: ${url}; signature: ${signature}`;
}

/** Starts an echoing server; `reply` builds the answer from the echo text. */
async function echoServer(reply: (echo: string) => CaptureReply): Promise<CaptureServer> {
  return captureServerForTest((request) => reply(echoes(request)));
}

function tokensSeen(capture: CaptureServer): string[] {
  return capture.requests.map(tokenOf);
}

const target = {
  region: "us-west-2",
  endpointName: "ep",
  credentials: { ...TEST_CREDENTIALS },
} as const;

/** A 401 whose nested body, type, code and headers all echo the token. */
const nested401 = (echo: string): CaptureReply => ({
  status: 401,
  headers: { "x-echo": echo, "x-amzn-requestid": echo, "x-amzn-errortype": echo },
  body: { error: { message: echo, type: echo, code: echo, param: echo } },
});

/** A stream that opens with an error event echoing the token. */
const streamError = (echo: string): CaptureReply => ({
  status: 200,
  headers: { "content-type": "text/event-stream" },
  body: `data: ${JSON.stringify({ error: { message: echo, type: "BadRequestError", code: 400 } })}\n\n`,
});

/** A `fetch` that fails quoting the request's Authorization header, as a careless wrapper might. */
const quotingFetch: typeof fetch = async (_input, init) => {
  throw new Error(`could not send: ${new Headers(init?.headers).get("authorization")}`, {
    cause: new Error(`inner: ${new Headers(init?.headers).get("authorization")}`),
  });
};

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  const outcome = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, "the call fails").toBeDefined();
  return outcome;
}

describe("the OpenAI client passes on no echoed token", () => {
  const ask = (client: OpenAI) =>
    client.chat.completions.create({ model: "", messages: [{ role: "user", content: "hi" }] });

  it("in an APIError from an error response (body, message, headers), keeping its class", async () => {
    const capture = await echoServer(nested401);
    const client = createSageMakerOpenAIClient({ ...target, baseURL: capture.url, maxRetries: 0 });
    const error = await failure(() => ask(client));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as APIError).status).toBe(401);
    expect((error as APIError).message).toContain("you sent Bearer sagemaker-api-key-[REDACTED]");
    expectNoToken(error, tokensSeen(capture), "APIError");
  });

  it("in an APIError from a plain-text 500 body", async () => {
    const capture = await echoServer((echo) => ({ status: 500, body: echo }));
    const client = createSageMakerOpenAIClient({ ...target, baseURL: capture.url, maxRetries: 0 });
    const error = await failure(() => ask(client));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expectNoToken(error, tokensSeen(capture), "APIError (text body)");
  });

  it("in the APIError of an error event inside a 200 stream", async () => {
    const capture = await echoServer(streamError);
    const client = createSageMakerOpenAIClient({ ...target, baseURL: capture.url, maxRetries: 0 });
    const error = await failure(async () => {
      const stream = await client.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      });
      for await (const _chunk of stream) {
        // the first event is the error
      }
    });
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expectNoToken(error, tokensSeen(capture), "stream APIError");
  });

  it("in the cause chain of a connection error", async () => {
    const capture = await echoServer(nested401);
    const tokens: string[] = [];
    const client = createSageMakerOpenAIClient({
      ...target,
      baseURL: capture.url,
      maxRetries: 0,
      fetch: async (input, init) => {
        tokens.push(String(new Headers(init?.headers).get("authorization")).slice(7));
        return quotingFetch(input, init);
      },
    });
    const error = await failure(() => ask(client));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expectNoToken(error, tokens, "APIConnectionError");
  });
});

describe("ChatSageMakerOpenAI passes on no echoed token", () => {
  const model = (baseURL: string, extra: object = {}) =>
    new ChatSageMakerOpenAI({ ...target, baseURL, maxRetries: 0, ...extra });

  it("in a SageMakerModelError from an error response, its server fields included", async () => {
    const capture = await echoServer(nested401);
    const failing = model(capture.url);
    const error = await failure(() => failing.invoke("hi"));
    expect(error).toBeInstanceOf(SageMakerModelError);
    expect((error as SageMakerModelError).code).toBe("AUTHENTICATION_FAILED");
    expectNoToken(error, tokensSeen(capture), "SageMakerModelError");
    // Nor does the model keep the echo (error bodies it holds for its messages).
    expectNoToken(failing, tokensSeen(capture), "model after the error");
  });

  it("keeps the SDK's error as the cause of a 401 and a 500, token-free when inspected", async () => {
    for (const [reply, code, sdkClass] of [
      [nested401, "AUTHENTICATION_FAILED", OpenAI.AuthenticationError],
      [
        (echo: string): CaptureReply => ({ status: 500, body: echo }),
        "SERVICE_UNAVAILABLE",
        OpenAI.InternalServerError,
      ],
    ] as const) {
      const capture = await echoServer(reply);
      const error = (await failure(() => model(capture.url).invoke("hi"))) as SageMakerModelError;
      expect(error.code).toBe(code);
      expect(error.cause).toBeInstanceOf(sdkClass);
      expect((error.cause as APIError).status).toBe(error.status);
      expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).toContain(
        "you sent Bearer sagemaker-api-key-[REDACTED]",
      );
      expectNoToken(error, tokensSeen(capture), `${code} with its cause`);
      expectNoToken(error.cause, tokensSeen(capture), `${code}'s cause`);
    }
  });

  it("in a flat (older vLLM) error body", async () => {
    const capture = await echoServer((echo) => ({
      status: 400,
      body: { object: "error", message: echo, type: "BadRequestError", code: 400 },
    }));
    const error = await failure(() => model(capture.url).invoke("hi"));
    expect((error as SageMakerModelError).code).toBe("BAD_REQUEST");
    expectNoToken(error, tokensSeen(capture), "SageMakerModelError (flat body)");
  });

  it("in a STREAM_ERROR from an error event inside a 200 stream", async () => {
    const capture = await echoServer(streamError);
    const error = await failure(async () => {
      for await (const _chunk of await model(capture.url).stream("hi")) {
        // the first event is the error
      }
    });
    expect((error as SageMakerModelError).code).toBe("STREAM_ERROR");
    expect((error as SageMakerModelError).cause).toBeInstanceOf(OpenAI.APIError);
    expectNoToken(error, tokensSeen(capture), "STREAM_ERROR");
  });

  it("in an error event or a broken body after a stream's first chunk", async () => {
    const first = `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] })}\n\n`;
    const capture = await echoServer((echo) => ({
      status: 200,
      headers: { "content-type": "text/event-stream" },
      body: `${first}data: ${JSON.stringify({ error: { message: echo, type: "BadRequestError", code: 400 } })}\n\n`,
    }));
    const midStream = await failure(async () => {
      for await (const _chunk of await model(capture.url).stream("hi")) {
        // "Hi", then the error event
      }
    });
    expect((midStream as SageMakerModelError).code).toBe("STREAM_ERROR");
    expectNoToken(midStream, tokensSeen(capture), "STREAM_ERROR after the first chunk");

    // A body that fails with an error the model does not classify (here a plain
    // Error quoting the Authorization header): thrown as it is, but redacted.
    const tokens: string[] = [];
    const brokenBody = async (_input: string | URL | Request, init?: RequestInit) => {
      const authorization = String(new Headers(init?.headers).get("authorization"));
      tokens.push(authorization.slice(7));
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) controller.error(new Error(`body broke after ${authorization}`));
          else controller.enqueue(new TextEncoder().encode(first));
          sent = true;
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const broken = await failure(async () => {
      for await (const _chunk of await model(capture.url, {
        configuration: { fetch: brokenBody },
      }).stream("hi")) {
        // "Hi", then the body fails
      }
    });
    expect((broken as Error).message).toContain("body broke after Bearer sagemaker-api-key-");
    expectNoToken(broken, tokens, "a stream body's own error");
  });

  it("in the cause chain of CONNECTION_FAILED", async () => {
    const capture = await echoServer(nested401);
    const tokens: string[] = [];
    const error = await failure(() =>
      model(capture.url, {
        configuration: {
          fetch: async (input: string | URL | Request, init?: RequestInit) => {
            tokens.push(String(new Headers(init?.headers).get("authorization")).slice(7));
            return quotingFetch(input, init);
          },
        },
      }).invoke("hi"),
    );
    expect((error as SageMakerModelError).code).toBe("CONNECTION_FAILED");
    expect((error as SageMakerModelError).cause).toBeInstanceOf(OpenAI.APIConnectionError);
    expectNoToken(error, tokens, "CONNECTION_FAILED");
  });
});

describe("the adapters pass on no echoed token", () => {
  it("a Strands agent's error", async () => {
    const capture = await echoServer(nested401);
    const agent = new Agent({
      model: sagemakerStrandsModel({
        ...target,
        baseURL: capture.url,
        clientOptions: { maxRetries: 0 },
      }),
      printer: false,
    });
    const error = await failure(() => agent.invoke("hi"));
    expectNoToken(error, tokensSeen(capture), "Strands error");
  });

  it("the AI SDK's APICallError (message, response body and headers)", async () => {
    const capture = await echoServer(nested401);
    const sagemaker = createSageMakerOpenAI({ ...target, baseURL: capture.url });
    const error = await failure(() =>
      generateText({ model: sagemaker(""), prompt: "hi", maxRetries: 0 }),
    );
    expect(String((error as { responseBody?: unknown }).responseBody)).toContain(
      "sagemaker-api-key-[REDACTED]",
    );
    expectNoToken(error, tokensSeen(capture), "APICallError");
  });
});

it("package errors keep their cause only redacted", () => {
  const token = `sagemaker-api-key-${Buffer.from(`sagemaker.amazonaws.com/?X-Amz-Signature=${"ab".repeat(32)}`).toString("base64")}`;
  const cause = new TypeError(`failed with ${token}`, { cause: { detail: [token] } });
  const error = new SageMakerOpenAIError("SOME_CODE", "outer", { cause });
  expect(error.cause).toBeInstanceOf(TypeError);
  expect(cause.message).toContain(token);
  expectNoToken(error, [token], "SageMakerOpenAIError");
  // The model error's fields read from a server's headers and body.
  const modelError = new SageMakerModelError("BAD_REQUEST", "refused", {
    endpointName: "ep",
    requestId: token,
    sagemakerErrorCode: token,
    serverCode: token,
    attempts: 1,
    retryable: false,
  });
  expectNoToken(modelError, [token], "SageMakerModelError fields");
});
