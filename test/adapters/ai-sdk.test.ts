/**
 * `createSageMakerOpenAI` under the Vercel AI SDK (`generateText`,
 * `streamText`, tools, structured output) over HTTP on loopback, against the
 * local endpoint (its own SigV4 token check, its demo models).
 */
import { inspect } from "node:util";
import { generateText, Output, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSageMakerOpenAI } from "../../src/adapters/ai-sdk/index.js";
import { CredentialsError, createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { evaluateExpression, formatCalculatorResult } from "../../tools/index.js";
import { silentCredentials } from "../helpers/credentials.js";
import { sagemakerErrorCode as codeOf } from "../helpers/error-code.js";
import {
  accessLogOfEachTest,
  startDemoModelsEndpoint,
  TEST_CREDENTIALS,
} from "../helpers/local-endpoint.js";

let local: LocalEndpoint;

beforeAll(async () => {
  local = await startDemoModelsEndpoint();
});
afterAll(async () => local?.close());

const requestsOfThisTest = accessLogOfEachTest(() => local);

const target = { region: "us-west-2", credentials: TEST_CREDENTIALS } as const;

/** An AI SDK calculator tool over the package's safe evaluator; records what it was asked. */
function calculatorTool(calls: string[]) {
  return tool({
    description: "Evaluate an arithmetic expression, e.g. 2 * (3 + 4).",
    inputSchema: z.object({ expression: z.string().describe("The expression to evaluate") }),
    execute: async ({ expression }) => {
      calls.push(expression);
      return formatCalculatorResult(evaluateExpression(expression));
    },
  });
}

describe("the AI SDK on createSageMakerOpenAI", () => {
  it("generateText answers from a single-model endpoint, with usage", async () => {
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
    });
    const result = await generateText({ model: sagemaker(""), prompt: "Hello there" });

    expect(result.text).toContain("You asked: “Hello there”");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(requestsOfThisTest()).toMatchObject([
      {
        path: "/endpoints/demo/openai/v1/chat/completions",
        component: null,
        status: 200,
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        stream: false,
      },
    ]);
  });

  it("streamText streams the answer in pieces and reports usage", async () => {
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
    });
    const result = streamText({ model: sagemaker(""), prompt: "Stream please" });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);

    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(await result.text);
    expect(pieces.join("")).toContain("You asked: “Stream please”");
    expect((await result.usage).inputTokens).toBeGreaterThan(0);
    expect(requestsOfThisTest()).toMatchObject([{ status: 200, stream: true }]);
  });

  it("runs a native tool call on an inference component, then answers with the result", async () => {
    const calls: string[] = [];
    const coder = createSageMakerOpenAI({
      ...target,
      endpointName: "agents",
      inferenceComponentName: "coder",
      baseURL: local.url,
    });
    const result = await generateText({
      model: coder(""),
      tools: { calculator: calculatorTool(calls) },
      stopWhen: stepCountIs(3),
      prompt: "Write a Python function converting Celsius to Fahrenheit.",
    });

    expect(calls).toEqual(["9 / 5"]);
    expect(result.steps.map((step) => step.finishReason)).toEqual(["tool-calls", "stop"]);
    expect(result.text).toMatch(/^```python\n[\s\S]*def celsius_to_fahrenheit/);
    expect(result.text).toContain("= 1.8");
    expect(requestsOfThisTest().map((entry) => [entry.component, entry.status])).toEqual([
      ["coder", 200],
      ["coder", 200],
    ]);
  });

  it("streams a tool call and the answer after it", async () => {
    const calls: string[] = [];
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
    });
    const result = streamText({
      model: sagemaker(""),
      tools: { calculator: calculatorTool(calls) },
      stopWhen: stepCountIs(3),
      prompt: "What is the area of a circle of radius 2?",
    });
    const kinds = new Set<string>();
    for await (const part of result.fullStream) kinds.add(part.type);

    expect(calls).toHaveLength(1);
    const value = formatCalculatorResult(evaluateExpression(calls[0] as string));
    expect([...kinds]).toEqual(expect.arrayContaining(["tool-call", "tool-result", "text-delta"]));
    expect(await result.text).toContain(`The calculator tool returned: ${value}`);
  });

  it("returns structured output with a JSON schema", async () => {
    const reviewer = createSageMakerOpenAI({
      ...target,
      endpointName: "agents",
      inferenceComponentName: "reviewer",
      baseURL: local.url,
    });
    const { output } = await generateText({
      model: reviewer(""),
      output: Output.object({
        schema: z.object({ approved: z.boolean(), comments: z.array(z.string()) }),
      }),
      prompt:
        "Review:\n```python\ndef celsius_to_fahrenheit(c: float) -> float:\n    return c * 1.8 + 32\n```",
    });
    expect(output.approved).toBe(false);
    expect(output.comments).toHaveLength(1);
  });

  it("leaves hermes tool-call text unparsed: no tool call, the raw markup as text", async () => {
    const calls: string[] = [];
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "hermes",
      baseURL: local.url,
    });
    const result = await generateText({
      model: sagemaker(""),
      tools: { calculator: calculatorTool(calls) },
      stopWhen: stepCountIs(3),
      prompt: "What is 2 + 2?",
    });
    expect(result.toolCalls).toEqual([]);
    expect(calls).toEqual([]);
    expect(result.finishReason).toBe("stop");
    expect(result.text).toMatch(/<tool_call>\s*\{"name": ?"calculator"/);
  });

  it("puts a token from the provider on every request, retries included", async () => {
    const provider = createTokenProvider({
      region: "us-west-2",
      credentials: TEST_CREDENTIALS,
      mode: "per-request",
    });
    let tokens = 0;
    const sagemaker = createSageMakerOpenAI({
      region: "us-west-2",
      endpointName: "demo",
      baseURL: local.url,
      tokenProvider: async () => {
        tokens += 1;
        return provider();
      },
    });
    local.injectFault({ endpoint: "demo", status: 503, retryAfterSeconds: 0 });
    const result = await generateText({ model: sagemaker(""), prompt: "retry me" });

    expect(result.text).toContain("retry me");
    expect(requestsOfThisTest().map((entry) => entry.status)).toEqual([503, 200]);
    expect(tokens).toBe(2);
  });

  it("rejects with the typed credentials error when no token can be minted", async () => {
    const sagemaker = createSageMakerOpenAI({
      region: "us-west-2",
      endpointName: "demo",
      baseURL: local.url,
      credentials: async () => {
        throw new Error("no credentials in this test");
      },
    });
    const error = await generateText({ model: sagemaker(""), prompt: "hi", maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(requestsOfThisTest()).toHaveLength(0);
  });

  it("ends a call whose credentials do not come after credentialsTimeoutMs, and asks again next time", async () => {
    const silent = silentCredentials();
    const sagemaker = createSageMakerOpenAI({
      region: "us-west-2",
      endpointName: "demo",
      baseURL: local.url,
      credentialsTimeoutMs: 30,
      credentials: silent.provider,
    });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const error = await generateText({
        model: sagemaker(""),
        prompt: "hi",
        maxRetries: 0,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).message).toContain("did not answer within 30 ms");
      expect(silent.calls).toBe(attempt);
    }
    expect(requestsOfThisTest()).toHaveLength(0);
  });

  it("keeps the token out of the provider and the model", async () => {
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
    });
    const model = sagemaker("");
    await generateText({ model, prompt: "hi" });
    expect(requestsOfThisTest()).toHaveLength(1);
    for (const value of [sagemaker, model]) {
      expect(inspect(value, { depth: 8, showHidden: true })).not.toContain("sagemaker-api-key-");
    }
    expect(JSON.stringify(model)).not.toContain("sagemaker-api-key-");
  });

  it("names the provider and lets extra headers through, but not an Authorization header", async () => {
    const seen: Headers[] = [];
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
      name: "my-sagemaker",
      headers: { "x-trace": "abc", authorization: "Bearer sk-not-this" },
      fetch: async (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    expect(sagemaker("").provider).toBe("my-sagemaker.chat");
    await generateText({ model: sagemaker(""), prompt: "hi" });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.get("x-trace")).toBe("abc");
    expect(seen[0]?.get("authorization")).toMatch(/^Bearer sagemaker-api-key-/);
    expect(requestsOfThisTest()).toMatchObject([{ status: 200 }]);
  });
});

describe("createSageMakerOpenAI options", () => {
  it("validates options, names and base URL before any request", () => {
    expect(codeOf(() => createSageMakerOpenAI(undefined as never))).toBe("INVALID_OPTIONS");
    expect(codeOf(() => createSageMakerOpenAI({ ...target, endpointName: "a b" }))).toBe(
      "INVALID_ENDPOINT_NAME",
    );
    expect(
      codeOf(() =>
        createSageMakerOpenAI({ ...target, endpointName: "ep", inferenceComponentName: "../x" }),
      ),
    ).toBe("INVALID_INFERENCE_COMPONENT_NAME");
    expect(
      codeOf(() => createSageMakerOpenAI({ ...target, region: "x@evil.com#", endpointName: "ep" })),
    ).toBe("INVALID_REGION");
    expect(
      codeOf(() =>
        createSageMakerOpenAI({ ...target, endpointName: "ep", baseURL: "http://10.0.0.5:8080" }),
      ),
    ).toBe("INSECURE_BASE_URL");
    expect(
      codeOf(() =>
        createSageMakerOpenAI({
          ...target,
          endpointName: "ep",
          tokenProvider: async () => "sagemaker-api-key-x",
        }),
      ),
    ).toBe("INVALID_OPTIONS");
    expect(
      codeOf(() =>
        createSageMakerOpenAI({
          region: "us-west-2",
          endpointName: "ep",
          tokenProvider: "x" as never,
        }),
      ),
    ).toBe("INVALID_OPTIONS");
    expect(codeOf(() => createSageMakerOpenAI({ ...target, endpointName: "ep" }))).toBeUndefined();
  });

  it("builds the SageMaker runtime URL of the region", async () => {
    const urls: string[] = [];
    const sagemaker = createSageMakerOpenAI({
      ...target,
      region: "eu-central-1",
      endpointName: "my-endpoint",
      inferenceComponentName: "coder",
      fetch: async (input) => {
        urls.push(String(input));
        return new Response(JSON.stringify({ error: { message: "stop here" } }), { status: 400 });
      },
    });
    await generateText({ model: sagemaker(""), prompt: "hi", maxRetries: 0 }).catch(() => {});
    expect(urls).toEqual([
      "https://runtime.sagemaker.eu-central-1.amazonaws.com/endpoints/my-endpoint/inference-components/coder/openai/v1/chat/completions",
    ]);
  });
});
