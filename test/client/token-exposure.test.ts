/**
 * No live bearer token is reachable from anything the package returns, after
 * real requests over loopback to the local endpoint: not through a deep
 * `util.inspect` (getters, hidden properties, no depth limit), `JSON.stringify`,
 * `String()`, nor any property or getter (the walk in secret-scan.ts). Covers
 * the OpenAI client (and a `withOptions` copy), `ChatSageMakerOpenAI` and its
 * `bindTools` copy, `createSageMakerChatModels`' result, the Strands model and
 * agent, and the AI SDK provider and model.
 */
import { Agent } from "@strands-agents/sdk";
import { generateText, streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSageMakerOpenAI } from "../../src/adapters/ai-sdk/index.js";
import { sagemakerStrandsModel } from "../../src/adapters/strands/index.js";
import { createTokenProvider } from "../../src/auth/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { ChatSageMakerOpenAI, createSageMakerChatModels } from "../../src/model/index.js";
import { startDemoModelsEndpoint, TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import { expectNoToken } from "../helpers/secret-scan.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoModelsEndpoint();
});
afterAll(() => local.close());

/** A `fetch` that records the bearer token of each request it sends (kept by the test only). */
function recordingFetch(tokens: string[]): typeof fetch {
  return async (input, init) => {
    const authorization = new Headers(init?.headers).get("authorization") ?? "";
    tokens.push(authorization.replace(/^Bearer /, ""));
    return fetch(input, init);
  };
}

const target = { region: "us-west-2", credentials: { ...TEST_CREDENTIALS } } as const;

describe("no object the package returns holds a token", () => {
  it("the OpenAI client and a withOptions copy, after plain and streamed requests", async () => {
    const tokens: string[] = [];
    const client = createSageMakerOpenAIClient({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
      fetch: recordingFetch(tokens),
    });
    const messages = [{ role: "user" as const, content: "hi" }];
    await client.chat.completions.create({ model: "", messages });
    for await (const _chunk of await client.chat.completions.create({
      model: "",
      messages,
      stream: true,
    })) {
      // read to the end
    }
    const copy = client.withOptions({ timeout: 20_000 });
    await copy.chat.completions.create({ model: "", messages });
    expect(tokens).toHaveLength(3);
    expect(client.apiKey).toBeNull();
    expect(copy.apiKey).toBeNull();
    expectNoToken(client, tokens, "client");
    expectNoToken(copy, tokens, "withOptions copy");
  });

  it("ChatSageMakerOpenAI and its bindTools copy, after invoke and stream", async () => {
    const tokens: string[] = [];
    const model = new ChatSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
      configuration: { fetch: recordingFetch(tokens) },
    });
    const bound = model.bindTools([
      { type: "function", function: { name: "f", parameters: { type: "object" } } },
    ]);
    await model.invoke("hi");
    for await (const _chunk of await model.stream("hi")) {
      // read to the end
    }
    await bound.invoke("hi");
    expect(tokens).toHaveLength(3);
    expectNoToken(model, tokens, "model");
    expectNoToken(bound, tokens, "bound model");
  });

  it("createSageMakerChatModels' result: the models, the shared provider and the pool", async () => {
    const tokens: string[] = [];
    const inner = createTokenProvider({
      region: "us-west-2",
      credentials: { ...TEST_CREDENTIALS },
    });
    const recording = async () => {
      const token = await inner();
      tokens.push(token);
      return token;
    };
    const result = createSageMakerChatModels({
      region: "us-west-2",
      endpointName: "agents",
      baseURL: local.url,
      tokenProvider: recording,
      components: { coder: {}, reviewer: {} },
    });
    try {
      await result.models.coder.invoke("hi");
      await result.models.reviewer.invoke("hi");
      expectNoToken(result, tokens, "createSageMakerChatModels result");
    } finally {
      await result.close();
    }
  });

  it("the Strands model and the agent that used it", async () => {
    const tokens: string[] = [];
    const model = sagemakerStrandsModel({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
      clientOptions: { fetch: recordingFetch(tokens) },
    });
    const agent = new Agent({ model, printer: false });
    await agent.invoke("hello");
    expect(tokens.length).toBeGreaterThan(0);
    expectNoToken(model, tokens, "Strands model");
    expectNoToken(agent, tokens, "Strands agent");
  });

  it("the AI SDK provider and its language model, after generateText and streamText", async () => {
    const tokens: string[] = [];
    const sagemaker = createSageMakerOpenAI({
      ...target,
      endpointName: "demo",
      baseURL: local.url,
      fetch: recordingFetch(tokens),
    });
    const model = sagemaker("");
    await generateText({ model, prompt: "hi" });
    const streamed = streamText({ model, prompt: "hi" });
    await streamed.text;
    expect(tokens).toHaveLength(2);
    expectNoToken(sagemaker, tokens, "AI SDK provider");
    // The model holds a zod schema whose getters build new objects at every level: inspecting
    // it without a depth limit renders until Node's 128 MB budget (seconds) and then drops it.
    // The walk still reads every property and getter; the rendering stops at depth 8.
    expectNoToken(model, tokens, "AI SDK model", 8);
  });
});
