/**
 * The demo backend's wire format, byte for byte where vLLM is specific:
 * bodies, chunk order, usage, finish reasons, tool call shapes, reasoning
 * fields, error bodies. Calls the backend directly; `openai-sdk.test.ts` parses
 * the same shapes with the official SDK over HTTP.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { JSONSchema } from "zod/v4/core";
import type { ChatCompletionRequestBody } from "../../../src/local/backend.js";
import { createBackend } from "../../../src/local/backends/index.js";
import { CALCULATOR_TOOL, collect } from "./backend-helpers.js";

type Json = Record<string, unknown>;
interface Chunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: Json;
    finish_reason: string | null;
    stop_reason?: null;
    logprobs: null;
  }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  prompt_token_ids?: null;
}

const TOOL_ID = /^chatcmpl-tool-[0-9a-f]{32}$/;
const ASK = [{ role: "user", content: "What does the demo model say?" }];

function demo(options: Json = {}) {
  return createBackend({ type: "demo", ...options });
}

async function body(options: Json, request: ChatCompletionRequestBody) {
  const response = await collect(demo(options), request);
  expect(response.type).toBe("json");
  return {
    status: response.status,
    body: response.body as Json & { choices: Json[]; usage: Json },
  };
}

async function message(options: Json, request: ChatCompletionRequestBody) {
  const { body: completion } = await body(options, request);
  const choice = completion.choices[0] as { message: Json; finish_reason: string };
  return { message: choice.message, finish: choice.finish_reason, completion };
}

async function chunks(options: Json, request: ChatCompletionRequestBody) {
  const response = await collect(demo(options), { ...request, stream: true });
  expect(response.type).toBe("stream");
  expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
  expect(response.events.at(-1)).toBe("[DONE]");
  expect(response.events.filter((event) => event === "[DONE]")).toHaveLength(1);
  return response.events.slice(0, -1) as Chunk[];
}

/** The deltas of the choice chunks (not the usage chunk). */
function deltas(events: Chunk[]): Json[] {
  return events.filter((e) => e.choices.length > 0).map((e) => e.choices[0]?.delta ?? {});
}

function joined(events: Chunk[], field: string): string {
  return deltas(events)
    .map((delta) => (typeof delta[field] === "string" ? (delta[field] as string) : ""))
    .join("");
}

function finishOf(events: Chunk[]): string | null {
  return events.filter((e) => e.choices.length > 0).at(-1)?.choices[0]?.finish_reason ?? null;
}

describe("non-streaming bodies", () => {
  it("have vLLM's fields, no tool_calls key without calls, and usage from the text size", async () => {
    const response = await collect(demo(), { model: "", messages: ASK }, "req42");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    const completion = response.body as Json & { choices: Array<Json & { message: Json }> };
    expect(Object.keys(completion)).toEqual([
      "id",
      "object",
      "created",
      "model",
      "choices",
      "service_tier",
      "system_fingerprint",
      "usage",
      "prompt_logprobs",
      "prompt_token_ids",
      "kv_transfer_params",
    ]);
    expect(completion).toMatchObject({
      id: "chatcmpl-req42",
      object: "chat.completion",
      model: "demo-qwen3-4b",
    });
    const choice = completion.choices[0];
    expect(choice).toMatchObject({
      index: 0,
      finish_reason: "stop",
      stop_reason: null,
      logprobs: null,
    });
    expect(Object.keys(choice?.message ?? {})).toEqual([
      "role",
      "content",
      "refusal",
      "annotations",
      "audio",
      "function_call",
      "reasoning",
    ]);
    expect(choice?.message.content).toContain("What does the demo model say?");
    const usage = completion.usage as {
      prompt_tokens: number;
      completion_tokens: number;
      total_tokens: number;
    };
    expect(usage.prompt_tokens).toBe(Math.ceil("What does the demo model say?".length / 4));
    expect(usage.completion_tokens).toBeGreaterThan(10);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it("give the same content for the same request", async () => {
    const request = { messages: [{ role: "user", content: "Tell me about determinism" }] };
    const first = await message({}, request);
    const second = await message({}, request);
    expect(second.message.content).toBe(first.message.content);
  });

  it("accept an empty or absent model and the served name; any other name is vLLM's 404", async () => {
    for (const model of [undefined, "", "demo-qwen3-4b"]) {
      const { status } = await body({}, { model, messages: ASK });
      expect(status).toBe(200);
    }
    expect((await body({ model: "my-model" }, { model: "my-model", messages: ASK })).status).toBe(
      200,
    );
    const refused = await body({}, { model: "gpt-4o", messages: ASK });
    expect(refused).toEqual({
      status: 404,
      body: {
        error: {
          message: "The model `gpt-4o` does not exist.",
          type: "NotFoundError",
          param: "model",
          code: 404,
        },
      },
    });
  });
});

describe("streams", () => {
  it("send the role chunk, content chunks, a finish chunk and [DONE], all with one id", async () => {
    const events = await chunks({}, { messages: ASK });
    const complete = await message({}, { messages: ASK });
    expect(events.length).toBeGreaterThan(10);
    const [first, ...rest] = events;
    expect(first?.choices).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
    ]);
    expect(first?.prompt_token_ids).toBeNull();
    for (const event of events) {
      expect(event).toMatchObject({
        id: first?.id,
        object: "chat.completion.chunk",
        model: "demo-qwen3-4b",
      });
      expect(event.created).toBe(first?.created);
    }
    for (const event of rest.slice(0, -1)) {
      expect(Object.keys(event.choices[0]?.delta ?? {})).toEqual(["content"]);
      expect(event.choices[0]?.finish_reason).toBeNull();
    }
    expect(rest.at(-1)?.choices[0]).toEqual({
      index: 0,
      delta: { content: "" },
      logprobs: null,
      finish_reason: "stop",
      stop_reason: null,
      token_ids: null,
    });
    expect(joined(events, "content")).toBe(complete.message.content);
    expect(events.some((event) => "usage" in event)).toBe(false);
  });

  it("end with a usage chunk when stream_options is sent, include_usage defaulting to true", async () => {
    const complete = await body({}, { messages: ASK });
    for (const streamOptions of [{}, { include_usage: true }]) {
      const events = await chunks({}, { messages: ASK, stream_options: streamOptions });
      const last = events.at(-1);
      expect(last?.choices).toEqual([]);
      expect(last?.usage).toEqual({
        prompt_tokens: complete.body.usage.prompt_tokens,
        total_tokens: complete.body.usage.total_tokens,
        completion_tokens: complete.body.usage.completion_tokens,
      });
      expect(events.filter((event) => "usage" in event)).toHaveLength(1);
    }
    const without = await chunks({}, { messages: ASK, stream_options: { include_usage: false } });
    expect(without.some((event) => "usage" in event)).toBe(false);
  });

  it("put growing usage on every chunk with continuous_usage_stats", async () => {
    const events = await chunks(
      {},
      {
        messages: ASK,
        stream_options: { include_usage: false, continuous_usage_stats: true },
      },
    );
    const counts = events.map((event) => event.usage?.completion_tokens);
    expect(counts.every((count) => typeof count === "number")).toBe(true);
    expect(counts[0]).toBe(0);
    expect([...(counts as number[])].sort((a, b) => a - b)).toEqual(counts);
  });

  it("refuse stream_options on a non-streaming request, as vLLM does", async () => {
    const refused = await body({}, { messages: ASK, stream_options: { include_usage: true } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        message: "Stream options can only be defined when `stream=True`.",
        type: "BadRequestError",
        param: "stream_options",
        code: 400,
      },
    });
  });
});

const CALC_TASK = {
  messages: [{ role: "user", content: "What is 12 times 7?" }],
  tools: [CALCULATOR_TOOL],
};

describe("native tool calls (vLLM with the hermes parser)", () => {
  it("return tool_calls with vLLM ids, Python-style JSON arguments and finish_reason tool_calls", async () => {
    const { message: reply, finish } = await message({}, CALC_TASK);
    expect(finish).toBe("tool_calls");
    expect(reply.content).toBeNull();
    const calls = reply.tool_calls as Array<{ id: string; type: string; function: Json }>;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.id).toMatch(TOOL_ID);
    expect(calls[0]?.type).toBe("function");
    expect(calls[0]?.function.name).toBe("calculator");
    const args = JSON.parse(calls[0]?.function.arguments as string) as { expression: string };
    expect(args.expression).toMatch(/^[\d\s+\-*/().]+$/);
    expect(args.expression).toMatch(/\d\s*[+\-*/]\s*\d/);
    expect(calls[0]?.function.arguments).toBe(`{"expression": "${args.expression}"}`);
  });

  it("stream the name with id and type first, then argument fragments, as the current parser does", async () => {
    const events = await chunks({}, CALC_TASK);
    const complete = await message({}, CALC_TASK);
    const toolDeltas = deltas(events).filter((delta) => "tool_calls" in delta);
    const parts = toolDeltas.flatMap((delta) => delta.tool_calls as Json[]);
    expect(parts[0]).toEqual({
      id: expect.stringMatching(TOOL_ID),
      type: "function",
      index: 0,
      function: { name: "calculator" },
    });
    for (const part of parts.slice(1)) {
      expect(Object.keys(part)).toEqual(["index", "function"]);
      expect(Object.keys(part.function as Json)).toEqual(["arguments"]);
    }
    const streamedArgs = parts.map((p) => (p.function as Json).arguments ?? "").join("");
    const calls = complete.message.tool_calls as Array<{ function: { arguments: string } }>;
    expect(streamedArgs).toBe(calls[0]?.function.arguments);
    expect(parts.length).toBeGreaterThan(2);
    for (const delta of toolDeltas) expect(delta.content).toBeNull();
    expect(finishOf(events)).toBe("tool_calls");
    expect(events.at(-1)?.choices[0]?.delta).toEqual({});
  });

  it("answer with the tool result once it comes back", async () => {
    const { message: reply, finish } = await message(
      {},
      {
        messages: [
          ...CALC_TASK.messages,
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "calculator", arguments: '{"expression": "12 * 7"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "84" },
        ],
        tools: [CALCULATOR_TOOL],
      },
    );
    expect(finish).toBe("stop");
    expect(reply.tool_calls).toBeUndefined();
    expect(reply.content).toContain("The calculator tool returned: 84");
  });
});

describe("hermes text tool calls (a container without the parser)", () => {
  const options = { toolCalls: "hermes" };

  it("return the raw <tool_call> block as content with finish_reason stop", async () => {
    const { message: reply, finish } = await message(options, CALC_TASK);
    expect(finish).toBe("stop");
    expect(reply.tool_calls).toBeUndefined();
    expect(reply.content).toMatch(
      /^<tool_call>\n\{"name": "calculator", "arguments": \{"expression": "[^"]+"\}\}\n<\/tool_call>$/,
    );
  });

  it("stream the same text in chunks that split both tags", async () => {
    const events = await chunks(options, CALC_TASK);
    const complete = await message(options, CALC_TASK);
    const text = joined(events, "content");
    expect(text).toBe(complete.message.content);
    expect(deltas(events).some((delta) => "tool_calls" in delta)).toBe(false);
    expect(finishOf(events)).toBe("stop");
    const boundaries = new Set<number>();
    let offset = 0;
    for (const delta of deltas(events)) {
      offset += typeof delta.content === "string" ? delta.content.length : 0;
      boundaries.add(offset);
    }
    const inside = (start: number, length: number) =>
      [...boundaries].some((b) => b > start && b < start + length);
    expect(inside(text.indexOf("<tool_call>"), "<tool_call>".length)).toBe(true);
    expect(inside(text.indexOf("</tool_call>"), "</tool_call>".length)).toBe(true);
  });
});

const WEATHER_TOOL: {
  type: string;
  function: { name: string; parameters: JSONSchema.JSONSchema };
} = {
  type: "function",
  function: {
    name: "get_forecast",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string" },
        days: { type: "integer", minimum: 1, maximum: 7 },
        units: { type: "string", enum: ["metric", "imperial"] },
        hourly: { type: "boolean" },
      },
      required: ["city", "days", "units"],
      additionalProperties: false,
    },
  },
};

describe("tool_choice", () => {
  it("is refused as vLLM refuses it: empty tools, a choice without tools, an unknown function, a bad value", async () => {
    const cases: Array<[ChatCompletionRequestBody, string, string]> = [
      [
        { messages: ASK, tools: [] },
        "`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.",
        "tools",
      ],
      [
        { messages: ASK, tool_choice: "auto" },
        "When using `tool_choice`, `tools` must be set.",
        "tool_choice",
      ],
      [
        {
          messages: ASK,
          tools: [CALCULATOR_TOOL],
          tool_choice: { type: "function", function: { name: "nope" } },
        },
        "The tool specified in `tool_choice` does not match any of the specified `tools`",
        "tool_choice",
      ],
      [
        { messages: ASK, tools: [CALCULATOR_TOOL], tool_choice: "sometimes" },
        'Invalid value for `tool_choice`: sometimes! Only named tools, "none", "auto" or "required" are supported.',
        "tool_choice",
      ],
    ];
    for (const [request, text, param] of cases) {
      const refused = await body({}, request);
      expect(refused).toEqual({
        status: 400,
        body: { error: { message: text, type: "BadRequestError", param, code: 400 } },
      });
    }
  });

  it('"none" answers in text although tools are offered', async () => {
    const { message: reply, finish } = await message({}, { ...CALC_TASK, tool_choice: "none" });
    expect(finish).toBe("stop");
    expect(reply.tool_calls).toBeUndefined();
    expect(reply.content).toContain("What is 12 times 7?");
  });

  it('"required" calls a tool with finish_reason tool_calls, in both tool call modes', async () => {
    for (const toolCalls of ["native", "hermes"]) {
      const { message: reply, finish } = await message(
        { toolCalls },
        { ...CALC_TASK, tool_choice: "required" },
      );
      expect(finish).toBe("tool_calls");
      expect(reply.content).toBe("");
      expect((reply.tool_calls as unknown[]).length).toBe(1);
    }
  });

  it("a named function gets one call whose arguments fit its schema, finish_reason stop", async () => {
    const request = {
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools: [CALCULATOR_TOOL, WEATHER_TOOL],
      tool_choice: { type: "function", function: { name: "get_forecast" } },
    };
    const schema = z.fromJSONSchema(WEATHER_TOOL.function.parameters);
    for (const toolCalls of ["native", "hermes"]) {
      const { message: reply, finish } = await message({ toolCalls }, request);
      expect(finish).toBe("stop");
      expect(reply.content).toBe("");
      const calls = reply.tool_calls as Array<{
        id: string;
        function: { name: string; arguments: string };
      }>;
      expect(calls[0]?.id).toMatch(TOOL_ID);
      expect(calls[0]?.function.name).toBe("get_forecast");
      expect(schema.safeParse(JSON.parse(calls[0]?.function.arguments ?? "")).success).toBe(true);

      const events = await chunks({ toolCalls }, request);
      const parts = deltas(events).flatMap(
        (delta) => (delta.tool_calls as Json[] | undefined) ?? [],
      );
      expect(parts[0]).toMatchObject({
        id: expect.stringMatching(TOOL_ID),
        type: "function",
        index: 0,
      });
      expect(parts[0]?.function).toMatchObject({ name: "get_forecast" });
      const streamed = parts.map((p) => (p.function as Json).arguments).join("");
      expect(streamed).toBe(calls[0]?.function.arguments);
      expect(finishOf(events)).toBe("stop");
    }
  });
});

const REPORT_SCHEMA: JSONSchema.JSONSchema = {
  type: "object",
  properties: {
    title: { type: "string", minLength: 3 },
    score: { type: "number", minimum: 0, maximum: 1 },
    tags: { type: "array", items: { type: "string" }, minItems: 2 },
    author: { $ref: "#/$defs/person" },
    status: { anyOf: [{ type: "null" }, { type: "string", enum: ["draft", "final"] }] },
  },
  required: ["title", "score", "tags", "author", "status"],
  additionalProperties: false,
  $defs: {
    person: {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer", exclusiveMinimum: 17 } },
      required: ["name", "age"],
      additionalProperties: false,
    },
  },
};

describe("structured output", () => {
  it("json_schema content is JSON valid for the schema, streamed or not", async () => {
    const request = {
      messages: [{ role: "user", content: "Report, please" }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "report", schema: REPORT_SCHEMA },
      },
    };
    const schema = z.fromJSONSchema(REPORT_SCHEMA);
    const { message: reply, finish } = await message({}, request);
    expect(finish).toBe("stop");
    expect(schema.safeParse(JSON.parse(reply.content as string)).error).toBeUndefined();
    expect(joined(await chunks({}, request), "content")).toBe(reply.content);
  });

  it("json_object content is a JSON object", async () => {
    const { message: reply } = await message(
      {},
      { messages: ASK, response_format: { type: "json_object" } },
    );
    expect(JSON.parse(reply.content as string)).toBeTypeOf("object");
  });

  it("refuses json_schema without its schema object, and structure combined with a named function", async () => {
    const missing = await body({}, { messages: ASK, response_format: { type: "json_schema" } });
    expect(missing.status).toBe(400);
    expect((missing.body.error as Json).param).toBe("response_format");
    const both = await body(
      {},
      {
        messages: ASK,
        tools: [CALCULATOR_TOOL],
        tool_choice: { type: "function", function: { name: "calculator" } },
        response_format: { type: "json_object" },
      },
    );
    expect(both.status).toBe(400);
  });
});

describe("reasoning (Qwen3 think blocks)", () => {
  it("comes back in `reasoning`, streamed before any content", async () => {
    const options = { reasoning: true };
    const { message: reply } = await message(options, { messages: ASK });
    expect(reply.reasoning).toMatch(/\S/);
    expect(reply.content).not.toContain("<think>");
    expect("reasoning_content" in reply).toBe(false);
    const events = await chunks(options, { messages: ASK });
    const order = deltas(events)
      .slice(1)
      .map((delta) => Object.keys(delta)[0]);
    const firstContent = order.indexOf("content");
    expect(order.lastIndexOf("reasoning")).toBeLessThan(firstContent);
    expect(joined(events, "reasoning")).toBe(reply.reasoning);
    expect(joined(events, "content")).toBe(reply.content);
  });

  it("comes back in `reasoning_content` for the older field name", async () => {
    const options = { reasoning: true, reasoningField: "reasoning_content" };
    const { message: reply } = await message(options, { messages: ASK });
    expect(reply.reasoning_content).toMatch(/\S/);
    expect("reasoning" in reply).toBe(false);
    const events = await chunks(options, { messages: ASK });
    expect(joined(events, "reasoning_content")).toBe(reply.reasoning_content);
    expect(deltas(events).some((delta) => "reasoning" in delta)).toBe(false);
  });

  it("stays inline in content as <think>...</think> without a reasoning parser", async () => {
    const options = { reasoning: true, reasoningField: "inline" };
    const { message: reply } = await message(options, { messages: ASK });
    expect(reply.reasoning).toBeNull();
    expect(reply.content).toMatch(/^<think>\n[\s\S]+\n<\/think>\n\n\S/);
    expect(joined(await chunks(options, { messages: ASK }), "content")).toBe(reply.content);
  });

  it("is dropped with include_reasoning: false and absent with enable_thinking: false", async () => {
    const options = { reasoning: true };
    const hidden = await message(options, { messages: ASK, include_reasoning: false });
    expect(hidden.message.reasoning).toBeNull();
    const hiddenStream = await chunks(options, { messages: ASK, include_reasoning: false });
    expect(deltas(hiddenStream).some((delta) => "reasoning" in delta)).toBe(false);
    const off = await message(options, {
      messages: ASK,
      chat_template_kwargs: { enable_thinking: false },
    });
    expect(off.message.reasoning).toBeNull();
    expect(off.message.content).not.toContain("think");
  });

  it("precedes a native tool call, whose content is then null", async () => {
    const { message: reply, finish } = await message({ reasoning: true }, CALC_TASK);
    expect(finish).toBe("tool_calls");
    expect(reply.reasoning).toContain("calculator");
    expect(reply.content).toBeNull();
    const events = await chunks({ reasoning: true }, CALC_TASK);
    expect(finishOf(events)).toBe("tool_calls");
    expect(joined(events, "reasoning")).toBe(reply.reasoning);
  });
});

describe("max_tokens", () => {
  it("cuts the output with finish_reason length", async () => {
    const {
      message: reply,
      finish,
      completion,
    } = await message({}, { messages: ASK, max_tokens: 3 });
    expect(finish).toBe("length");
    expect((completion.usage as Json).completion_tokens).toBe(3);
    const full = await message({}, { messages: ASK });
    expect((full.message.content as string).startsWith(reply.content as string)).toBe(true);
    const events = await chunks({}, { messages: ASK, max_completion_tokens: 3 });
    expect(finishOf(events)).toBe("length");
    expect(joined(events, "content")).toBe(reply.content);
  });
});

describe("max_tokens and tool calls", () => {
  it("a cut output ends with length, streamed and not, even when the call's JSON was complete", async () => {
    const full = await message({ reasoning: true }, CALC_TASK);
    // The uncut output's tokens: its generated pieces and the end-of-sequence token.
    const generated = ((full.completion.usage as Json).completion_tokens as number) - 1;
    let cutAfterJson = 0;
    for (let maxTokens = 1; maxTokens < generated; maxTokens++) {
      const request = { ...CALC_TASK, max_tokens: maxTokens };
      const { message: reply, finish } = await message({ reasoning: true }, request);
      const events = await chunks({ reasoning: true }, request);
      expect([maxTokens, finish]).toEqual([maxTokens, "length"]);
      expect([maxTokens, finishOf(events)]).toEqual([maxTokens, "length"]);
      if (reply.tool_calls !== undefined) cutAfterJson += 1;
    }
    // Some cuts fall between the call's closing brace and </tool_call>: the call is parsed, yet cut.
    expect(cutAfterJson).toBeGreaterThan(0);
  });
});

describe("latency settings", () => {
  it("a client that leaves during latencyMs gets no answer generated", async () => {
    const controller = new AbortController();
    const pending = demo({ latencyMs: 600_000 }).complete(
      { messages: ASK },
      { endpoint: "e", requestId: "r", signal: controller.signal },
    );
    controller.abort();
    expect((await pending).status).toBe(499);
  });

  it("a non-streaming reply waits for the generation the stream paces, in one timer a leaving client clears", async () => {
    const backend = demo({ chunkDelayMs: 60_000 });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const leaving = new AbortController();
    let answered = false;
    const pending = backend.complete(
      { messages: ASK },
      { endpoint: "e", requestId: "r1", signal: leaving.signal },
    );
    void pending.then(() => {
      answered = true;
    });
    const streamed = await backend.complete(
      { messages: ASK, stream: true },
      { endpoint: "e", requestId: "r2", signal: new AbortController().signal },
    );
    if (streamed.type !== "stream") throw new Error("expected a stream");
    const iterator = streamed.body[Symbol.asyncIterator]();
    expect(String((await iterator.next()).value)).toContain('"role":"assistant"');
    // The stream is out, its first token still being generated; the complete reply waits for all of them.
    expect(answered).toBe(false);
    expect(timers()).toBe(before + 1);
    await iterator.return?.(undefined);
    leaving.abort();
    expect((await pending).status).toBe(499);
    expect(timers()).toBe(before);
  });

  it("a paced non-streaming reply is the same answer as an unpaced one", async () => {
    const paced = await message({ chunkDelayMs: 1 }, { messages: ASK });
    const unpaced = await message({}, { messages: ASK });
    expect(paced.message).toEqual(unpaced.message);
    expect(paced.completion.usage).toEqual(unpaced.completion.usage);
  });

  it("a stream with chunkDelayMs stops producing once the client leaves", async () => {
    const controller = new AbortController();
    const response = await demo({ chunkDelayMs: 60_000 }).complete(
      { messages: ASK, stream: true },
      { endpoint: "e", requestId: "r", signal: controller.signal },
    );
    if (response.type !== "stream") throw new Error("expected a stream");
    const iterator = response.body[Symbol.asyncIterator]();
    expect(String((await iterator.next()).value)).toContain('"role":"assistant"');
    const next = iterator.next();
    controller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});
