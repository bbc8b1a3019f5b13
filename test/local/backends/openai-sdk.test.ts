/**
 * Every response shape of the demo backend, parsed by the official openai SDK
 * over real HTTP through the local endpoint (token verification included):
 * streamed and not, native and hermes tool calls, the three reasoning variants,
 * usage chunks, structured output, and vLLM's error bodies as SDK errors.
 */
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CALCULATOR_TOOL, type DemoEndpoint, startDemoEndpoint } from "./backend-helpers.js";

const VARIANTS = {
  native: { type: "demo" },
  hermes: { type: "demo", toolCalls: "hermes" },
  reasoning: { type: "demo", reasoning: true },
  reasoningContent: { type: "demo", reasoning: true, reasoningField: "reasoning_content" },
  inline: { type: "demo", reasoning: true, reasoningField: "inline" },
  hermesInline: { type: "demo", toolCalls: "hermes", reasoning: true, reasoningField: "inline" },
} as const;
type Variant = keyof typeof VARIANTS;

const TOOL_ID = /^chatcmpl-tool-[0-9a-f]{32}$/;
const QUESTION = [{ role: "user" as const, content: "How do I point a client at SageMaker?" }];
const CALC_TASK = [{ role: "user" as const, content: "Use the calculator for 6 * 7." }];
const tools = [CALCULATOR_TOOL] as unknown as OpenAI.ChatCompletionTool[];

let demo: DemoEndpoint;
beforeAll(async () => {
  demo = await startDemoEndpoint(VARIANTS);
});
afterAll(() => demo.close());

/** A field the SDK's types do not declare but vLLM sends. */
function extra(value: object, field: string): unknown {
  return (value as Record<string, unknown>)[field];
}

async function streamed(
  variant: Variant,
  body: Omit<OpenAI.ChatCompletionCreateParamsStreaming, "model" | "stream">,
) {
  const stream = await demo
    .client(variant)
    .chat.completions.create({ model: "", stream: true, ...body });
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = (field: string) =>
    chunks
      .map((c) => c.choices[0]?.delta)
      .map((d) => (d ? String(extra(d, field) ?? "") : ""))
      .join("");
  return { chunks, content: text("content"), text };
}

describe("text answers parse in every variant, streamed and not", () => {
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    it(variant, async () => {
      const completion = await demo
        .client(variant)
        .chat.completions.create({ model: "", messages: QUESTION });
      const message = completion.choices[0]?.message;
      expect(completion.object).toBe("chat.completion");
      expect(completion.choices[0]?.finish_reason).toBe("stop");
      expect(message?.content).toContain("How do I point a client at SageMaker?");
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);

      const { chunks, content, text } = await streamed(variant, { messages: QUESTION });
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
      expect(content).toBe(message?.content);
      if (variant === "reasoning" || variant === "reasoningContent") {
        const field = variant === "reasoning" ? "reasoning" : "reasoning_content";
        expect(extra(message ?? {}, field)).toMatch(/\S/);
        expect(text(field)).toBe(extra(message ?? {}, field));
      }
      if (variant === "inline" || variant === "hermesInline") {
        expect(message?.content).toMatch(/^<think>\n[\s\S]*<\/think>\n\n/);
      }
    });
  }
});

describe("tool calls parse with the SDK", () => {
  it("native: tool_calls with vLLM ids, accumulated identically by the SDK's stream helper", async () => {
    for (const variant of ["native", "reasoning"] as const) {
      const client = demo.client(variant);
      const completion = await client.chat.completions.create({
        model: "",
        messages: CALC_TASK,
        tools,
      });
      const call = completion.choices[0]?.message.tool_calls?.[0];
      expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
      expect(call?.id).toMatch(TOOL_ID);
      expect(call?.type === "function" && call.function.name).toBe("calculator");

      const runner = client.chat.completions.stream({ model: "", messages: CALC_TASK, tools });
      const final = await runner.finalChatCompletion();
      const streamedCall = final.choices[0]?.message.tool_calls?.[0];
      expect(final.choices[0]?.finish_reason).toBe("tool_calls");
      expect(streamedCall?.id).toMatch(TOOL_ID);
      expect(streamedCall?.type === "function" && streamedCall.function).toEqual(
        call?.type === "function" && call.function,
      );
    }
  });

  it("hermes: the raw <tool_call> text as content, with finish_reason stop", async () => {
    for (const variant of ["hermes", "hermesInline"] as const) {
      const completion = await demo
        .client(variant)
        .chat.completions.create({ model: "", messages: CALC_TASK, tools });
      const message = completion.choices[0]?.message;
      expect(completion.choices[0]?.finish_reason).toBe("stop");
      expect(message?.tool_calls).toBeUndefined();
      expect(message?.content).toMatch(
        /<tool_call>\n\{"name": "calculator", "arguments": \{.*\}\}\n<\/tool_call>$/,
      );
      const { content, chunks } = await streamed(variant, { messages: CALC_TASK, tools });
      expect(content).toBe(message?.content);
      expect(chunks.every((c) => c.choices[0]?.delta.tool_calls === undefined)).toBe(true);
    }
  });
});

describe("usage chunks", () => {
  it("arrive last with no choices when include_usage is set", async () => {
    const { chunks } = await streamed("native", {
      messages: QUESTION,
      stream_options: { include_usage: true },
    });
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBe(
      (last?.usage?.prompt_tokens ?? 0) + (last?.usage?.completion_tokens ?? 0),
    );
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === undefined)).toBe(true);
  });
});

describe("structured output", () => {
  it("json_schema content parses into the SDK's `parsed` value", async () => {
    const Verdict = z.object({ approved: z.boolean(), comments: z.array(z.string()) });
    const completion = await demo.client("native").chat.completions.parse({
      model: "",
      messages: QUESTION,
      response_format: zodResponseFormat(Verdict, "verdict"),
    });
    const parsed = completion.choices[0]?.message.parsed;
    expect(Verdict.safeParse(parsed).success).toBe(true);
  });
});

describe("vLLM errors become the SDK's typed errors", () => {
  it("an unknown model is a NotFoundError naming the model", async () => {
    const error = await demo
      .client("native")
      .chat.completions.create({ model: "gpt-4o", messages: QUESTION })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      message: "404 The model `gpt-4o` does not exist.",
      type: "NotFoundError",
      param: "model",
      code: 404,
    });
  });

  it("a bad tool choice is a BadRequestError, streamed requests included", async () => {
    for (const stream of [false, true]) {
      const error = await demo
        .client("native")
        .chat.completions.create({ model: "", messages: QUESTION, tool_choice: "auto", stream })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: "tool_choice" });
    }
  });
});
