/**
 * ChatSageMakerOpenAI against the local SageMaker endpoint over real HTTP:
 * construction rules, invoke, stream, batch, callbacks, abort, timeouts,
 * usage metadata, LangSmith parameters.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { AIMessageChunk } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import { SageMakerOpenAIError } from "../../src/errors.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import {
  ChatSageMakerOpenAI,
  RequestAbortedError,
  SageMakerModelError,
} from "../../src/model/index.js";
import { chatCompletionBody, startCaptureServer } from "../helpers/capture-server.js";
import { STANDARD_LS_KEYS } from "../helpers/langsmith-runs.js";
import { collect, modelFor, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

describe("construction", () => {
  it("validates region, names and transport before any request", () => {
    const base = { endpointName: "ep", credentials: TEST_CREDENTIALS };
    const attempts: Array<[Record<string, unknown>, string]> = [
      [{ ...base, region: "us-west-2.evil.com" }, "INVALID_REGION"],
      [{ ...base, region: "us-west-2", endpointName: "bad/name" }, "INVALID_ENDPOINT_NAME"],
      [
        { ...base, region: "us-west-2", inferenceComponentName: "x?y" },
        "INVALID_INFERENCE_COMPONENT_NAME",
      ],
      [{ ...base, region: "us-west-2", baseURL: "http://example.com" }, "INSECURE_BASE_URL"],
      [
        { ...base, region: "us-west-2", configuration: { baseURL: "http://example.com" } },
        "INSECURE_BASE_URL",
      ],
      [{ ...base, region: "us-west-2", apiKey: "sk-123" }, "INVALID_OPTIONS"],
      [{ ...base, region: "us-west-2", configuration: { apiKey: "sk-123" } }, "INVALID_OPTIONS"],
      [{ ...base, region: "us-west-2", useResponsesApi: true }, "INVALID_OPTIONS"],
      [{ ...base, region: "us-west-2", toolCallParser: "xml" }, "INVALID_OPTIONS"],
      [{ ...base, region: "us-west-2", maxRetries: -1 }, "INVALID_OPTIONS"],
      [{ ...base, region: "us-west-2", tokenExpiresIn: 50_000 }, "INVALID_EXPIRES_IN"],
      [
        {
          region: "us-west-2",
          endpointName: "ep",
          credentials: TEST_CREDENTIALS,
          tokenProvider: async () => "t",
        },
        "INVALID_OPTIONS",
      ],
    ];
    for (const [fields, code] of attempts) {
      let caught: unknown;
      try {
        new ChatSageMakerOpenAI(fields as never);
      } catch (error) {
        caught = error;
      }
      expect(codeOf(caught), JSON.stringify(fields)).toBe(code);
    }
  });

  it("refuses out-of-range numbers and a missing endpointName, naming the option and what is allowed", () => {
    const base = { region: "us-west-2", endpointName: "ep", credentials: TEST_CREDENTIALS };
    const attempts: Array<[Record<string, unknown>, string, string]> = [
      [
        { ...base, timeout: -1 },
        "INVALID_OPTIONS",
        "timeout must be a whole number of milliseconds from 1 to 2147483647; got -1",
      ],
      [
        { ...base, timeout: 0 },
        "INVALID_OPTIONS",
        "timeout must be a whole number of milliseconds from 1 to 2147483647",
      ],
      [{ ...base, timeout: 2 ** 31 }, "INVALID_OPTIONS", "from 1 to 2147483647"],
      [{ ...base, timeout: Number.NaN }, "INVALID_OPTIONS", "got NaN"],
      [
        { ...base, configuration: { timeout: -1 } },
        "INVALID_OPTIONS",
        "configuration.timeout must be",
      ],
      [
        { ...base, maxRetries: 1e9 },
        "INVALID_OPTIONS",
        "maxRetries must be a whole number from 0 to 100; got 1000000000",
      ],
      [
        { ...base, maxRetries: 1.5 },
        "INVALID_OPTIONS",
        "maxRetries must be a whole number from 0 to 100",
      ],
      [
        { ...base, retry: { maxDelayMs: 2 ** 31 } },
        "INVALID_OPTIONS",
        "retry.maxDelayMs must be a number of milliseconds from 0 to 2147483647",
      ],
      [
        { ...base, credentialsTimeoutMs: 0 },
        "INVALID_OPTIONS",
        "credentialsTimeoutMs must be a whole number of milliseconds from 1 to 3600000",
      ],
      [
        { region: "us-west-2", credentials: TEST_CREDENTIALS },
        "INVALID_ENDPOINT_NAME",
        "endpointName is missing: pass the name of the SageMaker endpoint. SageMaker names are 1-63",
      ],
      [
        {
          ...base,
          tokenProvider: async () => "t",
          credentials: undefined,
          credentialsTimeoutMs: 5,
        },
        "INVALID_OPTIONS",
        "credentialsTimeoutMs",
      ],
      [
        {
          ...base,
          clock: undefined,
          tokenExpiresIn: 900,
          credentialsTimeoutMs: 3_600_000,
          maxRetries: 100,
          timeout: 1,
        },
        "",
        "",
      ],
    ];
    for (const [fields, code, message] of attempts) {
      let caught: unknown;
      try {
        new ChatSageMakerOpenAI(fields as never);
      } catch (error) {
        caught = error;
      }
      if (code === "") {
        expect(caught, JSON.stringify(fields)).toBeUndefined();
        continue;
      }
      expect(caught, JSON.stringify(fields)).toBeInstanceOf(SageMakerOpenAIError);
      expect(codeOf(caught), JSON.stringify(fields)).toBe(code);
      expect((caught as Error).message).toContain(message);
      expect((caught as Error).message).not.toContain("a undefined");
    }
  });

  it("refuses an out-of-range maxRetries or timeout call option with INVALID_OPTIONS before any request", async () => {
    const before = local.requests.length;
    const model = modelFor(local);
    for (const [options, text] of [
      [{ maxRetries: 1e9 }, "the maxRetries call option must be a whole number from 0 to 100"],
      [
        { options: { timeout: -1 } },
        "the timeout call option must be a whole number of milliseconds",
      ],
    ] as const) {
      const error = await model.invoke("hi", options as never).catch((caught: unknown) => caught);
      expect(codeOf(error)).toBe("INVALID_OPTIONS");
      expect((error as Error).message).toContain(text);
    }
    expect(local.requests.length).toBe(before);
  });

  it("builds the SageMaker runtime URL from region and names", async () => {
    const model = new ChatSageMakerOpenAI({
      region: "eu-central-1",
      endpointName: "my-endpoint",
      inferenceComponentName: "coder",
      tokenProvider: async () => "sagemaker-api-key-x",
    });
    expect(model.clientConfig.baseURL).toBe(
      "https://runtime.sagemaker.eu-central-1.amazonaws.com/endpoints/my-endpoint/inference-components/coder/openai/v1",
    );
    expect(model.endpointName).toBe("my-endpoint");
    expect(model.inferenceComponentName).toBe("coder");
    expect(model.model).toBe("");
  });

  it("identifies itself as a SageMaker model, not OpenAI", () => {
    const model = modelFor(local, { endpointName: "multi", inferenceComponentName: "general" });
    expect(ChatSageMakerOpenAI.lc_name()).toBe("ChatSageMakerOpenAI");
    expect(model._llmType()).toBe("amazon_sagemaker_openai");
    expect(model.getLsParams({ stop: ["END"] } as never)).toEqual({
      ls_provider: "amazon_sagemaker",
      ls_model_name: "general",
      ls_model_type: "chat",
      ls_temperature: undefined,
      ls_max_tokens: undefined,
      ls_stop: ["END"],
    });
    expect(
      (modelFor(local).getLsParams({} as never) as { ls_model_name?: string }).ls_model_name,
    ).toBe("ep");
    expect(
      (modelFor(local, { model: "qwen3" }).getLsParams({} as never) as { ls_model_name?: string })
        .ls_model_name,
    ).toBe("qwen3");
  });

  it("reports exactly LangChain's standard LangSmith keys, whatever the settings", () => {
    const standard = [...STANDARD_LS_KEYS];
    const model = modelFor(local, {
      endpointName: "multi",
      inferenceComponentName: "think",
      temperature: 0.3,
      maxTokens: 77,
    });
    const params = model.getLsParams({ stop: ["x"] } as never);
    expect(Object.keys(params).sort()).toEqual(standard);
    expect(params).toMatchObject({ ls_temperature: 0.3, ls_max_tokens: 77, ls_stop: ["x"] });
    const bound = model.bindTools([
      { type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } },
    ]) as ChatSageMakerOpenAI;
    expect(Object.keys(bound.getLsParams({} as never)).sort()).toEqual(standard);
  });

  it("keeps the class through withConfig and bindTools", () => {
    const model = modelFor(local);
    expect(model.withConfig({ stop: ["x"] })).toBeInstanceOf(ChatSageMakerOpenAI);
    const bound = model.bindTools([
      { type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } },
    ]);
    expect(bound).toBeInstanceOf(ChatSageMakerOpenAI);
  });
});

describe("requests over HTTP", () => {
  it("invokes an endpoint with a valid bearer token and model ''", async () => {
    const before = local.requests.length;
    const reply = await modelFor(local).invoke("What is SageMaker?");
    expect(reply.content).toContain("You asked: “What is SageMaker?”");
    expect(reply.content).toContain("demo-qwen3-4b");
    const entry = local.requests[before];
    expect(entry?.status).toBe(200);
    expect(entry?.accessKeyId).toBe(TEST_CREDENTIALS.accessKeyId);
    expect(entry?.endpoint).toBe("ep");
    expect(reply.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(reply.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(reply.usage_metadata?.total_tokens).toBe(
      (reply.usage_metadata?.input_tokens ?? 0) + (reply.usage_metadata?.output_tokens ?? 0),
    );
    expect(reply.response_metadata.finish_reason).toBe("stop");
  });

  it("routes to an inference component by URL", async () => {
    const before = local.requests.length;
    await modelFor(local, { endpointName: "multi", inferenceComponentName: "general" }).invoke(
      "hi",
    );
    expect(local.requests[before]).toMatchObject({
      endpoint: "multi",
      component: "general",
      status: 200,
    });
  });

  it("sends the model name it is given and '' by default", async () => {
    const capture = await startCaptureServer(() => ({
      body: chatCompletionBody("ok"),
    }));
    try {
      await modelFor(local, {
        baseURL: capture.url,
        configuration: { defaultHeaders: { "x-team": "a" } },
      }).invoke("hi");
      await modelFor(local, { baseURL: capture.url, model: "qwen" }).invoke("hi");
      const [first, second] = capture.requests;
      expect(JSON.parse(first?.body ?? "{}").model).toBe("");
      expect(JSON.parse(second?.body ?? "{}").model).toBe("qwen");
      expect(first?.path).toBe("/endpoints/ep/openai/v1/chat/completions");
      expect(first?.headers.authorization).toMatch(/^Bearer sagemaker-api-key-/);
      expect(first?.headers["x-team"]).toBe("a");
    } finally {
      await capture.close();
    }
  });

  it("streams token by token, with usage at the end", async () => {
    const model = modelFor(local);
    const chunks = await collect(await model.stream("Count please"));
    const texts = chunks.map((c) => c.content).filter((c) => c !== "");
    expect(texts.length).toBeGreaterThan(10);
    let full: AIMessageChunk | undefined;
    for (const chunk of chunks) full = full === undefined ? chunk : concat(full, chunk);
    const invoked = await model.invoke("Count please");
    expect(full?.content).toBe(invoked.content);
    expect(full?.usage_metadata?.output_tokens).toBe(invoked.usage_metadata?.output_tokens);
    expect(full?.usage_metadata?.input_tokens).toBeGreaterThan(0);
  });

  it("batches several prompts", async () => {
    const replies = await modelFor(local).batch(["one", "two", "three"]);
    expect(replies.map((r) => r.content).map((c) => String(c).slice(0, 16))).toEqual([
      "You asked: “one”",
      "You asked: “two”",
      "You asked: “thre",
    ]);
  });

  it("calls callbacks with every streamed token", async () => {
    const tokens: string[] = [];
    let ended = false;
    const handler = BaseCallbackHandler.fromMethods({
      handleLLMNewToken(token: string) {
        tokens.push(token);
      },
      handleLLMEnd() {
        ended = true;
      },
    });
    const model = modelFor(local, { streaming: true });
    const reply = await model.invoke("callbacks", { callbacks: [handler] });
    expect(tokens.length).toBeGreaterThan(10);
    expect(tokens.join("")).toBe(reply.content);
    expect(ended).toBe(true);
  });

  it("stops a request when its AbortSignal fires", async () => {
    local.injectFault({ endpoint: "ep", latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = modelFor(local).invoke("slow", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((caught: unknown) => caught);
    local.clearFaults();
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ code: "ABORTED", name: "AbortError", endpointName: "ep" });
    expect(error).not.toBeInstanceOf(DOMException);
  });

  it("stops a stream mid-way when its AbortSignal fires", async () => {
    const controller = new AbortController();
    const stream = await modelFor(local).stream("abort me", { signal: controller.signal });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        seen.push(String(chunk.content));
        if (seen.length === 3) controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(codeOf(error)).toBe("ABORTED");
    expect(seen.length).toBe(3);
  });

  it("fails with REQUEST_TIMEOUT when the timeout elapses, without retrying", async () => {
    local.injectFault({ endpoint: "ep", latencyMs: 3_000, count: 3 });
    const before = local.requests.length;
    const error = await modelFor(local, { timeout: 100 })
      .invoke("slow")
      .catch((e: unknown) => e);
    local.clearFaults();
    expect(error).toBeInstanceOf(SageMakerModelError);
    expect(codeOf(error)).toBe("REQUEST_TIMEOUT");
    expect((error as SageMakerModelError).attempts).toBe(1);
    // The server saw one request (logged when its connection closed).
    await local.idle();
    expect(local.requests.length - before).toBe(1);
  });

  it("honours a per-call timeout", async () => {
    local.injectFault({ endpoint: "ep", latencyMs: 3_000 });
    const error = await modelFor(local)
      .invoke("slow", { timeout: 100 })
      .catch((caught: unknown) => caught);
    local.clearFaults();
    // LangChain turns a per-call timeout into an AbortSignal; its reason says it timed out.
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as Error).message).toContain("TimeoutError");
  });

  it("works with a caller-supplied token provider", async () => {
    const provider = createTokenProvider({ region: local.region, credentials: TEST_CREDENTIALS });
    const reply = await modelFor(local, { tokenProvider: provider }).invoke("hi");
    expect(reply.content).toContain("You asked");
  });

  it("rejects a token the endpoint does not accept with AUTHENTICATION_FAILED, at once", async () => {
    const before = local.requests.length;
    const error = await modelFor(local, {
      credentials: { accessKeyId: "AKIDUNKNOWN000000000", secretAccessKey: "nope" },
    })
      .invoke("hi")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SageMakerModelError);
    expect(error).toMatchObject({
      code: "AUTHENTICATION_FAILED",
      status: 401,
      serverCode: "UNKNOWN_ACCESS_KEY",
      sagemakerErrorCode: "UnrecognizedClientException",
      endpointName: "ep",
      attempts: 1,
    });
    expect((error as SageMakerModelError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(local.requests.length - before).toBe(1);
  });

  it("reports a missing inference component as NOT_FOUND or BAD_REQUEST with names", async () => {
    const error = await modelFor(local, { endpointName: "multi", inferenceComponentName: "absent" })
      .invoke("hi")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SageMakerModelError);
    expect((error as SageMakerModelError).componentName).toBe("absent");
    expect((error as SageMakerModelError).status).toBeGreaterThanOrEqual(400);
    expect((error as SageMakerModelError).retryable).toBe(false);
  });
});
