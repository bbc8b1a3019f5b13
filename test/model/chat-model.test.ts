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
import type { LocalEndpoint } from "../../src/local/index.js";
import { ChatSageMakerOpenAI, SageMakerModelError } from "../../src/model/index.js";
import { chatCompletionBody, startCaptureServer } from "../helpers/capture-server.js";
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
    const params = model.getLsParams({} as never) as unknown as Record<string, unknown>;
    expect(params.ls_provider).toBe("amazon_sagemaker");
    expect(params.ls_model_name).toBe("general");
    expect(params.sagemaker_endpoint).toBe("multi");
    expect(params.sagemaker_inference_component).toBe("general");
    expect(
      (modelFor(local).getLsParams({} as never) as { ls_model_name?: string }).ls_model_name,
    ).toBe("ep");
    expect(
      (modelFor(local, { model: "qwen3" }).getLsParams({} as never) as { ls_model_name?: string })
        .ls_model_name,
    ).toBe("qwen3");
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
    await expect(pending).rejects.toThrow(/abort/i);
    local.clearFaults();
  });

  it("stops a stream mid-way when its AbortSignal fires", async () => {
    const controller = new AbortController();
    const stream = await modelFor(local).stream("abort me", { signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) {
          seen.push(String(chunk.content));
          if (seen.length === 3) controller.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
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
    await expect(modelFor(local).invoke("slow", { timeout: 100 })).rejects.toThrow(
      /abort|timeout/i,
    );
    local.clearFaults();
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
