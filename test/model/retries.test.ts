/**
 * Retries and typed errors over HTTP: faults injected into the local endpoint
 * (throttling with Retry-After, 503s, a 424, streams cut before and after the
 * first chunk, an exhausted budget) and a capture server for the shapes the
 * local endpoint does not produce (ModelNotReadyException, flat vLLM bodies).
 */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { type RetryEvent, SageMakerModelError } from "../../src/model/index.js";
import { chatCompletionBody, startCaptureServer } from "../helpers/capture-server.js";
import { rejectionOf } from "../helpers/error-code.js";
import { collect, modelFor, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());
afterEach(() => {
  local.clearFaults();
});

/** A per-request token provider that counts its calls. */
function countingProvider(): { provider: () => Promise<string>; calls: () => number } {
  const inner = createTokenProvider({
    region: "us-west-2",
    credentials: TEST_CREDENTIALS,
    mode: "per-request",
  });
  let calls = 0;
  return {
    provider: async () => {
      calls += 1;
      return inner();
    },
    calls: () => calls,
  };
}

/** The access log entries written since `from`, once every request received so far is logged. */
async function requestsSince(from: number) {
  await local.idle();
  return local.requests.slice(from);
}

describe("retried failures", () => {
  it("waits for Retry-After on a 429, then succeeds", async () => {
    const events: RetryEvent[] = [];
    local.injectFault({ endpoint: "ep", status: 429, retryAfterSeconds: 1 });
    const before = local.requests.length;
    const reply = await modelFor(local, {
      retry: { baseDelayMs: 1, onRetry: (e) => events.push(e) },
    }).invoke("hi");
    expect(reply.content).toContain("You asked");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ attempt: 1, delayMs: 1000, fromRetryAfter: true });
    const throttled = events[0]?.error as SageMakerModelError;
    expect(throttled.code).toBe("THROTTLED");
    expect(throttled.sagemakerErrorCode).toBe("ThrottlingException");
    expect((await requestsSince(before)).map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries 503 twice with backoff and a valid token on every attempt", async () => {
    const events: RetryEvent[] = [];
    const { provider, calls } = countingProvider();
    local.injectFault({ endpoint: "ep", status: 503, count: 2 });
    const before = local.requests.length;
    const reply = await modelFor(local, {
      tokenProvider: provider,
      retry: { baseDelayMs: 10, maxDelayMs: 50, onRetry: (e) => events.push(e) },
    }).invoke("hi");
    expect(reply.content).toContain("You asked");
    const log = await requestsSince(before);
    expect(log.map((r) => r.status)).toEqual([503, 503, 200]);
    // Faults apply after token verification: every attempt was authenticated.
    expect(log.every((r) => r.accessKeyId === TEST_CREDENTIALS.accessKeyId)).toBe(true);
    expect(calls()).toBe(3);
    expect(events.map((e) => e.fromRetryAfter)).toEqual([false, false]);
    // Full jitter: each wait lies below its exponential ceiling.
    expect(events[0]?.delayMs).toBeLessThan(10);
    expect(events[1]?.delayMs).toBeLessThan(20);
  });

  it("retries a connection cut before the answer", async () => {
    local.injectFault({ endpoint: "ep", cutStreamAfterChunks: 0 });
    const before = local.requests.length;
    const reply = await modelFor(local).invoke("hi");
    expect(reply.content).toContain("You asked");
    expect((await requestsSince(before)).length).toBe(2);
  });

  it.each([0, 1])(
    "retries a stream cut after %d chunks (before any text), transparently",
    async (cutAfter) => {
      local.injectFault({ endpoint: "ep", cutStreamAfterChunks: cutAfter });
      const before = local.requests.length;
      const chunks = await collect(await modelFor(local).stream("hi"));
      expect(chunks.map((c) => c.content).join("")).toMatch(/^You asked: “hi”/);
      expect((await requestsSince(before)).length).toBe(2);
    },
  );

  it("retries ModelNotReadyException whatever its status, and reads flat error bodies", async () => {
    const capture = await startCaptureServer((_request, index) =>
      index === 0
        ? {
            status: 400,
            headers: {
              "x-amzn-errortype": "ModelNotReadyException:http://internal.amazon.com/coral/",
            },
            body: { message: "Inference component is not ready yet." },
          }
        : {
            body: chatCompletionBody("ready"),
          },
    );
    try {
      const reply = await modelFor(local, { baseURL: capture.url }).invoke("hi");
      expect(reply.content).toBe("ready");
      expect(capture.requests).toHaveLength(2);
    } finally {
      await capture.close();
    }
  });
});

describe("failures that are not retried", () => {
  it("fails a 424 ModelError at once, with status, codes, names and request id", async () => {
    local.injectFault({ endpoint: "multi", component: "general", status: 424, count: 5 });
    const before = local.requests.length;
    const error = await rejectionOf(
      modelFor(local, { endpointName: "multi", inferenceComponentName: "general" }).invoke("hi"),
      SageMakerModelError,
    );
    expect(error).toMatchObject({
      code: "MODEL_ERROR",
      status: 424,
      sagemakerErrorCode: "ModelError",
      endpointName: "multi",
      componentName: "general",
      attempts: 1,
      retryable: false,
    });
    expect(error.requestId).toBe((await requestsSince(before))[0]?.requestId);
    expect(error.message).toContain("inference component general of endpoint multi");
    expect((await requestsSince(before)).length).toBe(1);
  });

  it("gives up when the budget is spent: maxRetries + 1 attempts, never more", async () => {
    local.injectFault({ endpoint: "ep", status: 503, count: "always" });
    let before = local.requests.length;
    const error = await rejectionOf(
      modelFor(local, { maxRetries: 2 }).invoke("hi"),
      SageMakerModelError,
    );
    expect(error).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      status: 503,
      attempts: 3,
      retryable: true,
    });
    expect((await requestsSince(before)).length).toBe(3);

    before = local.requests.length;
    const perCall = await rejectionOf(
      modelFor(local, { maxRetries: 2 }).invoke("hi", { maxRetries: 0 } as never),
      SageMakerModelError,
    );
    expect(perCall.attempts).toBe(1);
    expect((await requestsSince(before)).length).toBe(1);

    before = local.requests.length;
    const streamed = await rejectionOf(
      modelFor(local, { maxRetries: 1 }).stream("hi").then(collect),
      SageMakerModelError,
    );
    expect(streamed.attempts).toBe(2);
    expect((await requestsSince(before)).length).toBe(2);
  });

  it("does not wait for a Retry-After beyond maxRetryAfterMs", async () => {
    local.injectFault({ endpoint: "ep", status: 429, retryAfterSeconds: 3600 });
    const before = local.requests.length;
    const error = await rejectionOf(modelFor(local).invoke("hi"), SageMakerModelError);
    expect(error).toMatchObject({ code: "THROTTLED", retryAfterMs: 3_600_000, attempts: 1 });
    expect((await requestsSince(before)).length).toBe(1);
  });

  it("fails a stream cut after data with STREAM_INTERRUPTED, without replaying it", async () => {
    local.injectFault({ endpoint: "ep", cutStreamAfterChunks: 4 });
    const before = local.requests.length;
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const chunk of await modelFor(local).stream("hi"))
          seen.push(String(chunk.content));
      })(),
      SageMakerModelError,
    );
    expect(error.code).toBe("STREAM_INTERRUPTED");
    expect(seen.length).toBeGreaterThan(0);
    expect((await requestsSince(before)).length).toBe(1);
  });

  it("fails malformed stream data with STREAM_ERROR", async () => {
    local.injectFault({ endpoint: "ep", malformedSse: true });
    const error = await rejectionOf(
      modelFor(local).stream("hi").then(collect),
      SageMakerModelError,
    );
    expect(error.code).toBe("STREAM_ERROR");
  });

  it("reads flat (old vLLM) and nested error bodies into the message", async () => {
    const bodies = [
      {
        object: "error",
        message: "max_tokens is too large",
        type: "BadRequestError",
        param: null,
        code: 400,
      },
      {
        error: {
          message: "max_tokens is too large",
          type: "BadRequestError",
          param: null,
          code: 400,
        },
      },
    ];
    const capture = await startCaptureServer((_r, index) => ({
      status: 400,
      body: bodies[index % 2],
    }));
    try {
      for (let i = 0; i < 2; i++) {
        const error = await rejectionOf(
          modelFor(local, { baseURL: capture.url }).invoke("hi"),
          SageMakerModelError,
        );
        expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400, attempts: 1 });
        expect(error.message).toContain("max_tokens is too large");
      }
    } finally {
      await capture.close();
    }
  });

  it("does not retry or mislabel a non-JSON answer to a JSON-schema request", async () => {
    const capture = await startCaptureServer(() => ({
      body: chatCompletionBody("not json"),
    }));
    try {
      const structured = modelFor(local, { baseURL: capture.url }).withStructuredOutput(
        { type: "object", properties: { a: { type: "string" } }, required: ["a"], title: "thing" },
        { method: "jsonSchema" },
      );
      const error = await structured.invoke("hi").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyntaxError);
      expect(capture.requests).toHaveLength(1);
    } finally {
      await capture.close();
    }
  });

  it("reports an error event inside a 200 stream", async () => {
    const capture = await startCaptureServer(() => ({
      headers: { "content-type": "text/event-stream" },
      body:
        'data: {"error": {"message": "engine crashed", "type": "InternalServerError", "code": 500}}\n\n' +
        "data: [DONE]\n\n",
    }));
    try {
      const error = await rejectionOf(
        modelFor(local, { baseURL: capture.url, maxRetries: 1 }).stream("hi").then(collect),
        SageMakerModelError,
      );
      expect(error.code).toBe("STREAM_ERROR");
      expect(error.message).toContain("engine crashed");
      // Before the first chunk a 500 in the stream is worth one more attempt.
      expect(capture.requests).toHaveLength(2);
    } finally {
      await capture.close();
    }
  });

  it("never puts the token in the error, its JSON or its inspection", async () => {
    const token = await createTokenProvider({
      region: "us-west-2",
      credentials: TEST_CREDENTIALS,
    })();
    // A proxy that echoes the Authorization header back, flat and nested.
    const capture = await startCaptureServer((_r, index) => ({
      status: 403,
      body:
        index === 0
          ? { message: `denied for Bearer ${token}` }
          : { error: { message: `denied for Bearer ${token}`, type: token, code: token } },
    }));
    try {
      for (let i = 0; i < 2; i++) {
        const model = modelFor(local, { baseURL: capture.url, tokenProvider: async () => token });
        const error = await rejectionOf(model.invoke("hi"), SageMakerModelError);
        expect(error.code).toBe("ACCESS_DENIED");
        expect(error.message).toContain("denied for Bearer sagemaker-api-key-[REDACTED]");
        for (const text of [
          error.message,
          JSON.stringify(error),
          inspect(error, { depth: 10 }),
          String(error.stack),
        ]) {
          expect(text).not.toContain(token.slice(18, 60));
        }
      }
    } finally {
      await capture.close();
    }
  });
});
