/**
 * `sagemakerStrandsModel` driving real Strands agents over HTTP on loopback,
 * against the local endpoint (its own SigV4 token check, its demo models).
 */
import { inspect } from "node:util";
import { Agent, ModelError, tool } from "@strands-agents/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sagemakerStrandsModel } from "../../src/adapters/strands/index.js";
import { CredentialsError, createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { evaluateExpression, formatCalculatorResult } from "../../tools/index.js";
import { silentCredentials } from "../helpers/credentials.js";
import { sagemakerErrorCode as codeOf } from "../helpers/error-code.js";
import {
  accessLogOfEachTest,
  echoBackend,
  startDemoModelsEndpoint,
  TEST_CREDENTIALS,
} from "../helpers/local-endpoint.js";

const echo = echoBackend();
let local: LocalEndpoint;

beforeAll(async () => {
  local = await startDemoModelsEndpoint({ echo: { backend: echo } });
});
afterAll(async () => local?.close());

/** The access-log entries of the current test. */
const requestsOfThisTest = accessLogOfEachTest(() => local);

/** A Strands calculator tool over the package's safe evaluator; records what it was asked. */
function calculatorTool(calls: string[]) {
  return tool({
    name: "calculator",
    description: "Evaluate an arithmetic expression, e.g. 2 * (3 + 4).",
    inputSchema: z.object({ expression: z.string().describe("The expression to evaluate") }),
    callback: ({ expression }) => {
      calls.push(expression);
      return formatCalculatorResult(evaluateExpression(expression));
    },
  });
}

function textOf(result: Awaited<ReturnType<Agent["invoke"]>>): string {
  return result.lastMessage.content
    .map((block) => (block.type === "textBlock" ? block.text : ""))
    .join("");
}

const target = { region: "us-west-2", credentials: TEST_CREDENTIALS } as const;

describe("a Strands agent on sagemakerStrandsModel", () => {
  it("calls the calculator on the coder inference component and answers with its result", async () => {
    const calls: string[] = [];
    const model = sagemakerStrandsModel({
      ...target,
      endpointName: "agents",
      inferenceComponentName: "coder",
      baseURL: local.url,
    });
    const agent = new Agent({
      model,
      tools: [calculatorTool(calls)],
      printer: false,
      systemPrompt: "You are an expert Python developer. Output ONLY the code.",
    });
    const result = await agent.invoke("Write a function converting Celsius to Fahrenheit.");

    expect(calls).toEqual(["9 / 5"]);
    expect(result.stopReason).toBe("endTurn");
    const answer = textOf(result);
    expect(answer).toMatch(/^```python\n[\s\S]*def celsius_to_fahrenheit/);
    expect(answer).toContain("= 1.8"); // the tool's result, pasted in as a constant
    const log = requestsOfThisTest();
    expect(log).toHaveLength(2); // the tool call, then the answer after the tool result
    for (const entry of log) {
      expect(entry).toMatchObject({
        path: "/endpoints/agents/inference-components/coder/openai/v1/chat/completions",
        endpoint: "agents",
        component: "coder",
        status: 200,
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        stream: true,
      });
    }
  });

  it("works on a single-model endpoint with the general demo model", async () => {
    const calls: string[] = [];
    const agent = new Agent({
      model: sagemakerStrandsModel({ ...target, endpointName: "demo", baseURL: local.url }),
      tools: [calculatorTool(calls)],
      printer: false,
    });
    const result = await agent.invoke("What is the area of a circle of radius 2?");

    expect(calls).toHaveLength(1);
    const value = formatCalculatorResult(evaluateExpression(calls[0] as string));
    expect(value).not.toMatch(/^Error/);
    expect(textOf(result)).toContain(`The calculator tool returned: ${value}`);
    expect(requestsOfThisTest().map((entry) => [entry.endpoint, entry.component])).toEqual([
      ["demo", null],
      ["demo", null],
    ]);
  });

  it("runs the coder and the reviewer on two inference components with one token provider", async () => {
    const tokenProvider = createTokenProvider({
      region: "us-west-2",
      credentials: TEST_CREDENTIALS,
    });
    const modelFor = (inferenceComponentName: string) =>
      sagemakerStrandsModel({
        region: "us-west-2",
        endpointName: "agents",
        inferenceComponentName,
        tokenProvider,
        baseURL: local.url,
      });
    const calls: string[] = [];
    const coder = new Agent({
      model: modelFor("coder"),
      tools: [calculatorTool(calls)],
      printer: false,
    });
    const reviewer = new Agent({
      model: modelFor("reviewer"),
      tools: [calculatorTool(calls)],
      printer: false,
    });
    const code = textOf(await coder.invoke("Write a function that formats a duration in seconds."));
    const review = textOf(await reviewer.invoke(`Review this code:\n\n${code}`));

    expect(code).toContain("def format_duration");
    expect(review).toMatch(/^CHANGES REQUESTED: /);
    expect(calls).toEqual(["60 * 60"]); // the reviewer's script never calls the calculator
    expect(requestsOfThisTest().map((entry) => [entry.component, entry.status])).toEqual([
      ["coder", 200],
      ["coder", 200],
      ["reviewer", 200],
    ]);
  });

  it("leaves hermes tool-call text unparsed: the agent ends with the markup as its answer", async () => {
    const calls: string[] = [];
    const agent = new Agent({
      model: sagemakerStrandsModel({ ...target, endpointName: "hermes", baseURL: local.url }),
      tools: [calculatorTool(calls)],
      printer: false,
    });
    const result = await agent.invoke("What is 2 + 2?");
    expect(calls).toEqual([]);
    expect(result.stopReason).toBe("endTurn");
    expect(textOf(result)).toMatch(/<tool_call>\s*\{"name": ?"calculator"/);
  });

  it('sends modelId "" by default and passes the OpenAIModel settings through', async () => {
    const agent = new Agent({
      model: sagemakerStrandsModel({
        ...target,
        endpointName: "echo",
        baseURL: local.url,
        temperature: 0.7,
        maxTokens: 64,
        params: { top_k: 20 },
      }),
      printer: false,
    });
    await agent.invoke("hello");
    const named = new Agent({
      model: sagemakerStrandsModel({
        ...target,
        endpointName: "echo",
        baseURL: local.url,
        modelId: "qwen3-4b",
      }),
      printer: false,
    });
    await named.invoke("hello again");

    const [first, second] = echo.seen.slice(-2).map((seen) => seen.body);
    expect(first).toMatchObject({ model: "", temperature: 0.7, top_k: 20, stream: true });
    expect(JSON.stringify(first?.messages)).toContain('"hello"');
    expect(first?.max_tokens ?? first?.max_completion_tokens).toBe(64);
    expect(second?.model).toBe("qwen3-4b");
  });

  it("never shows the bearer token when the model is inspected or serialised", async () => {
    const model = sagemakerStrandsModel({ ...target, endpointName: "echo", baseURL: local.url });
    await new Agent({ model, printer: false }).invoke("hello");
    expect(echo.seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(model)).not.toContain("sagemaker-api-key-");
    expect(inspect(model, { depth: 8, showHidden: true })).not.toContain("sagemaker-api-key-");
  });

  it("reports a credentials failure as a Strands ModelError caused by CredentialsError", async () => {
    const agent = new Agent({
      model: sagemakerStrandsModel({
        region: "us-west-2",
        endpointName: "demo",
        baseURL: local.url,
        credentials: async () => {
          throw new Error("no credentials in this test");
        },
      }),
      printer: false,
    });
    const error = await agent.invoke("hello").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).cause).toBeInstanceOf(CredentialsError);
    expect(requestsOfThisTest()).toHaveLength(0);
  });
});

describe("sagemakerStrandsModel credentialsTimeoutMs", () => {
  it("ends an agent call whose credentials do not come, and asks the provider again next time", async () => {
    const silent = silentCredentials();
    const agent = new Agent({
      model: sagemakerStrandsModel({
        region: "us-west-2",
        endpointName: "demo",
        baseURL: local.url,
        credentialsTimeoutMs: 30,
        clientOptions: { maxRetries: 0 },
        credentials: silent.provider,
      }),
      printer: false,
    });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const error = await agent.invoke("hello").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ModelError);
      const cause = (error as ModelError).cause;
      expect(cause).toBeInstanceOf(CredentialsError);
      expect((cause as CredentialsError).message).toContain("did not answer within 30 ms");
      expect(silent.calls).toBe(attempt);
    }
    expect(requestsOfThisTest()).toHaveLength(0);
  });

  it("refuses credentialsTimeoutMs out of range or with tokenProvider", () => {
    expect(
      codeOf(() =>
        sagemakerStrandsModel({ ...target, endpointName: "ep", credentialsTimeoutMs: 0 }),
      ),
    ).toBe("INVALID_OPTIONS");
    expect(
      codeOf(() =>
        sagemakerStrandsModel({
          region: "us-west-2",
          endpointName: "ep",
          tokenProvider: async () => "sagemaker-api-key-x",
          credentialsTimeoutMs: 1_000,
        }),
      ),
    ).toBe("INVALID_OPTIONS");
  });
});

describe("sagemakerStrandsModel options", () => {
  it("refuses options that would bypass the token or the URL", () => {
    for (const extra of [
      { apiKey: "sk-test" },
      { client: {} },
      { clientConfig: { baseURL: "https://example.com" } },
      { api: "responses" },
      { bedrockMantleConfig: {} },
    ]) {
      const options = { ...target, endpointName: "demo", ...extra };
      expect(codeOf(() => sagemakerStrandsModel(options as never))).toBe("INVALID_OPTIONS");
    }
  });

  it("validates names, base URL and token options before any request", () => {
    expect(codeOf(() => sagemakerStrandsModel(null as never))).toBe("INVALID_OPTIONS");
    expect(codeOf(() => sagemakerStrandsModel({ ...target, endpointName: "bad/name" }))).toBe(
      "INVALID_ENDPOINT_NAME",
    );
    expect(
      codeOf(() =>
        sagemakerStrandsModel({ ...target, endpointName: "ep", inferenceComponentName: "a?b" }),
      ),
    ).toBe("INVALID_INFERENCE_COMPONENT_NAME");
    expect(
      codeOf(() => sagemakerStrandsModel({ ...target, region: "evil.com?", endpointName: "ep" })),
    ).toBe("INVALID_REGION");
    expect(
      codeOf(() =>
        sagemakerStrandsModel({ ...target, endpointName: "ep", baseURL: "http://example.com" }),
      ),
    ).toBe("INSECURE_BASE_URL");
    expect(
      codeOf(() =>
        sagemakerStrandsModel({
          ...target,
          endpointName: "ep",
          tokenProvider: async () => "sagemaker-api-key-x",
        }),
      ),
    ).toBe("INVALID_OPTIONS");
    expect(codeOf(() => sagemakerStrandsModel({ ...target, endpointName: "ep" }))).toBeUndefined();
  });
});
