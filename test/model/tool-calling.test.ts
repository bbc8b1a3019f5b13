/**
 * Tool calling, structured output and reasoning through ChatSageMakerOpenAI,
 * against the local endpoint's demo model over HTTP: native `tool_calls`
 * (vLLM with its hermes parser), hermes `<tool_call>` text (a container
 * without it), every `tool_choice` form, both structured-output methods, and
 * Qwen3 reasoning in each field vLLM has used, or inline.
 */
import {
  AIMessage,
  type AIMessageChunk,
  HumanMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { concat } from "@langchain/core/utils/stream";
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { LocalEndpoint } from "../../src/local/index.js";
import type { ChatSageMakerOpenAI } from "../../src/model/index.js";
import { captureServerForTest, chatCompletionBody } from "../helpers/capture-server.js";
import { collect, modelFor, startDemoEndpoint } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());

const calculator = tool(async ({ expression }: { expression: string }) => `${expression} = 84`, {
  name: "calculator",
  description: "Evaluates an arithmetic expression.",
  schema: z.object({ expression: z.string().describe("e.g. 2 + 3") }),
});

const weather = tool(async () => "sunny", {
  name: "get_weather",
  description: "Current weather in a city.",
  schema: z.object({ city: z.string() }),
});

function ic(name: string, extra: Parameters<typeof modelFor>[1] = {}): ChatSageMakerOpenAI {
  return modelFor(local, { endpointName: "multi", inferenceComponentName: name, ...extra });
}

async function streamed(
  runnable: { stream(input: string): Promise<AsyncIterable<AIMessageChunk>> },
  input: string,
): Promise<{ full: AIMessageChunk; chunks: AIMessageChunk[] }> {
  const chunks = await collect(await runnable.stream(input));
  let full = chunks[0] as AIMessageChunk;
  for (const chunk of chunks.slice(1)) full = concat(full, chunk);
  return { full, chunks };
}

describe("native tool calls (vLLM's parser on)", () => {
  it("returns tool_calls for bound tools, and answers after the tool result", async () => {
    const model = ic("general").bindTools([calculator]);
    const question = new HumanMessage("What is (12 + 30) * 2?");
    const call = await model.invoke([question]);
    expect(call.tool_calls).toHaveLength(1);
    expect(call.tool_calls?.[0]).toMatchObject({
      name: "calculator",
      args: { expression: expect.any(String) },
    });
    expect(call.response_metadata.finish_reason).toBe("tool_calls");
    const id = call.tool_calls?.[0]?.id ?? "";
    const result = await calculator.invoke(call.tool_calls?.[0]?.args as { expression: string });
    const answer = await model.invoke([
      question,
      call,
      new ToolMessage({ content: result, tool_call_id: id }),
    ]);
    expect(answer.content).toContain("84");
    expect(answer.tool_calls).toHaveLength(0);
  });

  it("streams tool_call_chunks that add up to the call", async () => {
    const { full, chunks } = await streamed(ic("general").bindTools([calculator]), "compute");
    expect(chunks.some((c) => (c.tool_call_chunks?.length ?? 0) > 0)).toBe(true);
    expect(full.tool_calls?.[0]?.name).toBe("calculator");
    expect(typeof full.tool_calls?.[0]?.args.expression).toBe("string");
  });

  it.each([
    ["auto", "calculator"],
    ["required", "calculator"],
    ["any", "calculator"],
    ["get_weather", "get_weather"],
    [{ type: "function", function: { name: "get_weather" } }, "get_weather"],
  ] as const)("tool_choice %j calls %s", async (choice, expected) => {
    const model = ic("general").bindTools([calculator, weather], { tool_choice: choice as never });
    const reply = await model.invoke("Use a tool.");
    expect(reply.tool_calls?.map((c) => c.name)).toEqual([expected]);
  });

  it("tool_choice none answers in text", async () => {
    const reply = await ic("general").bindTools([calculator], { tool_choice: "none" }).invoke("hi");
    expect(reply.tool_calls).toHaveLength(0);
    expect(reply.content).toContain("You asked");
  });
});

describe("hermes tool calls in content (no parser on the server)", () => {
  it("turns <tool_call> text into tool_calls and removes it from content", async () => {
    const reply = await ic("hermes").bindTools([calculator]).invoke("What is 2 + 3?");
    expect(reply.tool_calls).toHaveLength(1);
    expect(reply.tool_calls?.[0]).toMatchObject({
      name: "calculator",
      args: { expression: "(12 + 30) * 2" },
      type: "tool_call",
    });
    expect(reply.tool_calls?.[0]?.id).toMatch(/\S/);
    expect(String(reply.content)).not.toContain("<tool_call>");
    expect(reply.response_metadata.finish_reason).toBe("tool_calls");
  });

  it("does the same while streaming, with no tag text in any chunk", async () => {
    const { full, chunks } = await streamed(ic("hermes").bindTools([calculator]), "What is 2 + 3?");
    for (const chunk of chunks)
      expect(String(chunk.content)).not.toMatch(/<\/?tool_call|tool_call>/);
    expect(full.tool_calls?.map((c) => [c.name, c.args])).toEqual([
      ["calculator", { expression: "(12 + 30) * 2" }],
    ]);
    expect(full.invalid_tool_calls ?? []).toHaveLength(0);
  });

  it("works through LangChain's streamEvents protocol too", async () => {
    const model = ic("hermes").bindTools([calculator]) as ChatSageMakerOpenAI;
    const events: string[] = [];
    for await (const event of model.streamEvents("What is 2 + 3?")) events.push(event.event);
    expect(events[0]).toBe("message-start");
    expect(events.at(-1)).toBe("message-finish");
    const message = await model.streamEvents("What is 2 + 3?");
    expect(message.tool_calls?.map((c) => c.name)).toEqual(["calculator"]);
    expect(JSON.stringify(message.content)).not.toContain("<tool_call>");
  });

  it("completes the round trip: tool result back, text answer", async () => {
    const model = ic("hermes").bindTools([calculator]);
    const question = new HumanMessage("What is (12 + 30) * 2?");
    const call = await model.invoke([question]);
    const toolCall = call.tool_calls?.[0];
    expect(toolCall).toBeDefined();
    const answer = await model.invoke([
      question,
      call,
      new ToolMessage({ content: "84", tool_call_id: toolCall?.id ?? "" }),
    ]);
    expect(answer.content).toContain("84");
  });

  it("leaves the text alone with toolCallParser 'none'", async () => {
    const reply = await ic("hermes", { toolCallParser: "none" })
      .bindTools([calculator])
      .invoke("2 + 3?");
    expect(reply.tool_calls).toHaveLength(0);
    expect(String(reply.content)).toContain('<tool_call>\n{"name": "calculator"');
  });

  it("moves inline <think> out before reading tool calls", async () => {
    const model = ic("hermes-think", { inlineReasoning: true }).bindTools([calculator]);
    const reply = await model.invoke("What is 2 + 3?");
    expect(reply.tool_calls?.[0]?.name).toBe("calculator");
    expect(reply.additional_kwargs.reasoning_content).toContain(
      "I should call the `calculator` tool",
    );
    expect(String(reply.content)).toBe("");
    const { full } = await streamed(model, "What is 2 + 3?");
    expect(full.tool_calls?.[0]?.name).toBe("calculator");
    expect(full.additional_kwargs.reasoning_content).toBe(
      reply.additional_kwargs.reasoning_content,
    );
    expect(String(full.content)).toBe("");
  });
});

describe("structured output", () => {
  const Verdict = z.object({
    verdict: z.enum(["approve", "revise"]),
    reasons: z.array(z.string()),
  });

  it.each(["jsonSchema", "functionCalling"] as const)(
    "method %s returns a parsed object",
    async (method) => {
      for (const name of ["general", "hermes"]) {
        const structured = ic(name).withStructuredOutput(Verdict, { name: "verdict", method });
        const value = await structured.invoke("Review this change.");
        expect(Verdict.safeParse(value).success, `${name}: ${JSON.stringify(value)}`).toBe(true);
      }
    },
  );

  it("sends ChatOpenAI's json_schema body, call after call, per schema, name and description", async () => {
    const capture = await captureServerForTest(() => ({
      body: chatCompletionBody('{"verdict":"approve","reasons":["fine"]}'),
    }));
    const ours = modelFor(local, { baseURL: capture.url });
    const bare = new ChatOpenAI({
      model: "",
      apiKey: "sk-test",
      configuration: { baseURL: `${capture.url}/v1` },
    });
    const described = Verdict.describe("The reviewer's decision");
    // The same schema under another name, then again, then another schema: each body must be
    // the one ChatOpenAI builds for it (a conversion kept for one must not answer another).
    const asks = [
      [Verdict, "verdict"],
      [Verdict, "second"],
      [Verdict, "verdict"],
      [described, "verdict"],
      [described, "verdict"],
    ] as const;
    for (const [schema, name] of asks) {
      const mine = await ours.withStructuredOutput(schema, { name }).invoke("Review this change.");
      const theirs = await bare
        .withStructuredOutput(schema, { name })
        .invoke("Review this change.");
      expect(mine).toEqual({ verdict: "approve", reasons: ["fine"] });
      expect(theirs).toEqual(mine);
      const [sent, expected] = capture.requests
        .slice(-2)
        .map((request) => JSON.parse(request.body));
      expect(sent.response_format.json_schema.name).toBe(name);
      expect(sent).toEqual(expected);
    }
  });

  it("includeRaw keeps the message next to the parsed value", async () => {
    const structured = ic("general").withStructuredOutput(Verdict, {
      name: "verdict",
      method: "functionCalling",
      includeRaw: true,
    });
    const { raw, parsed } = await structured.invoke("Review this change.");
    expect(AIMessage.isInstance(raw)).toBe(true);
    expect(Verdict.safeParse(parsed).success).toBe(true);
  });
});

describe("reasoning", () => {
  it.each(["think", "think-old"])(
    "IC %s: the server's field lands in reasoning_content",
    async (name) => {
      const model = ic(name);
      const reply = await model.invoke("Explain briefly.");
      expect(reply.additional_kwargs.reasoning_content).toMatch(/The user asks/);
      expect(String(reply.content)).toContain("You asked");
      const { full, chunks } = await streamed(model, "Explain briefly.");
      expect(
        chunks.filter((c) => c.additional_kwargs.reasoning_content !== undefined).length,
      ).toBeGreaterThan(1);
      expect(full.additional_kwargs.reasoning_content).toBe(
        reply.additional_kwargs.reasoning_content,
      );
      expect(full.content).toBe(reply.content);
    },
  );

  it("inline <think> stays in content unless inlineReasoning is set", async () => {
    const plain = await ic("think-inline").invoke("Explain briefly.");
    expect(String(plain.content)).toMatch(/^<think>/);
    const moved = await ic("think-inline", { inlineReasoning: true }).invoke("Explain briefly.");
    expect(String(moved.content)).toMatch(/^You asked/);
    expect(moved.additional_kwargs.reasoning_content).toMatch(/^The user asks/);
    const { full } = await streamed(
      ic("think-inline", { inlineReasoning: true }),
      "Explain briefly.",
    );
    expect(full.content).toBe(moved.content);
    expect(full.additional_kwargs.reasoning_content).toBe(
      moved.additional_kwargs.reasoning_content,
    );
  });
});
