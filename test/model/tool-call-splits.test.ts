/**
 * Hermes tool calls end to end, however the text arrives: a loopback server
 * replays one fixed assistant text, split into stream deltas at every offset
 * (and into random pieces), and the model must stream the same content and
 * tool calls every time. Also the `toolCallParser` modes, malformed calls, and
 * tags that are only mentioned in code.
 */
import type { AIMessageChunk } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatSageMakerOpenAI } from "../../src/model/index.js";
import { type CaptureServer, startCaptureServer } from "../helpers/capture-server.js";
import { collect, modelFor } from "./model-helpers.js";

/** What the replay server sends next. */
interface Script {
  /** The assistant text. */
  content: string;
  /** Offsets at which the streamed text is cut into deltas. */
  cuts: number[];
  /** Native tool calls to send as well (as vLLM with its parser would). */
  nativeToolCalls?: Array<{ name: string; arguments: string }>;
  /** Stream the native calls before the text (default: after it). */
  nativeFirst?: boolean;
}

let script: Script = { content: "", cuts: [] };
let server: CaptureServer;

function sse(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

beforeAll(async () => {
  server = await startCaptureServer((captured) => {
    const request = JSON.parse(captured.body) as { stream?: boolean };
    const base = { id: "chatcmpl-replay", created: 1_700_000_000, model: "replay" };
    const native = (script.nativeToolCalls ?? []).map((call, index) => ({
      index,
      id: `chatcmpl-tool-${index}`,
      type: "function",
      function: call,
    }));
    if (request.stream !== true) {
      return {
        body: {
          ...base,
          object: "chat.completion",
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: script.content,
                ...(native.length > 0
                  ? { tool_calls: native.map(({ index: _i, ...c }) => c) }
                  : {}),
              },
              finish_reason: "stop",
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        },
      };
    }
    const chunk = (delta: unknown, finish: string | null = null) =>
      sse({
        ...base,
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    let out = chunk({ role: "assistant", content: "" });
    if (native.length > 0 && script.nativeFirst === true) out += chunk({ tool_calls: native });
    const points = [0, ...script.cuts, script.content.length];
    for (let i = 0; i + 1 < points.length; i++) {
      const piece = script.content.slice(points[i], points[i + 1]);
      if (piece !== "") out += chunk({ content: piece });
    }
    if (native.length > 0 && script.nativeFirst !== true) out += chunk({ tool_calls: native });
    out += chunk({}, "stop");
    out += "data: [DONE]\n\n";
    return { headers: { "content-type": "text/event-stream" }, body: out };
  });
});
afterAll(() => server.close());

const TOOLS = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: {} } },
  },
];

function replayModel(fields: Parameters<typeof modelFor>[1] = {}): ChatSageMakerOpenAI {
  // modelFor only needs region/url from the endpoint argument.
  return modelFor({ region: "us-west-2", url: server.url } as never, {
    tokenProvider: async () => "sagemaker-api-key-replay",
    ...fields,
  });
}

async function streamAll(model: { stream(i: string): Promise<AsyncIterable<AIMessageChunk>> }) {
  const chunks = await collect(await model.stream("go"));
  let full = chunks[0] as AIMessageChunk;
  for (const c of chunks.slice(1)) full = concat(full, c);
  return { full, chunks };
}

const TWO_CALLS =
  'Checking both.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Zürich"}}\n</tool_call>\n' +
  '<tool_call>\n{"name": "calculator", "arguments": {"expression": "2 + 3", "note": "a </tool_call> inside"}}\n</tool_call>\nDone.';

describe("hermes text split at every offset", () => {
  it("streams the same content and tool calls for every cut", async () => {
    const model = replayModel().bindTools(TOOLS);
    script = { content: TWO_CALLS, cuts: [] };
    const reference = await model.invoke("go");
    expect(reference.content).toBe("Checking both.\nDone.");
    expect(reference.tool_calls?.map((c) => [c.name, c.args])).toEqual([
      ["get_weather", { city: "Zürich" }],
      ["calculator", { expression: "2 + 3", note: "a </tool_call> inside" }],
    ]);
    for (let k = 0; k <= TWO_CALLS.length; k++) {
      script = { content: TWO_CALLS, cuts: [k] };
      const { full, chunks } = await streamAll(model);
      const label = `cut at ${k}`;
      expect(full.content, label).toBe(reference.content);
      expect(
        full.tool_calls?.map((c) => [c.name, c.args]),
        label,
      ).toEqual(reference.tool_calls?.map((c) => [c.name, c.args]));
      expect(full.invalid_tool_calls ?? [], label).toHaveLength(0);
      expect(new Set(full.tool_calls?.map((c) => c.id)).size, label).toBe(2);
      for (const chunk of chunks)
        expect(String(chunk.content), label).not.toMatch(/<\/?tool_|_call>/);
      expect(full.response_metadata.finish_reason, label).toBe("tool_calls");
    }
  });

  it("gives the same result for any split into many pieces (property)", async () => {
    const model = replayModel().bindTools(TOOLS);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: TWO_CALLS.length - 1 }), { maxLength: 40 }),
        async (cuts) => {
          script = { content: TWO_CALLS, cuts: [...cuts].sort((a, b) => a - b) };
          const { full } = await streamAll(model);
          expect(full.content).toBe("Checking both.\nDone.");
          expect(full.tool_calls?.map((c) => c.name)).toEqual(["get_weather", "calculator"]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("toolCallParser modes", () => {
  const ONE_CALL =
    'Sure.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>';

  it("auto: parses only when tools are bound and the server sent no native calls", async () => {
    script = { content: ONE_CALL, cuts: [9] };
    const unbound = await replayModel().invoke("go");
    expect(unbound.tool_calls).toHaveLength(0);
    expect(unbound.content).toBe(ONE_CALL);
    expect((await streamAll(replayModel())).full.content).toBe(ONE_CALL);

    const choiceNone = await replayModel().bindTools(TOOLS, { tool_choice: "none" }).invoke("go");
    expect(choiceNone.tool_calls).toHaveLength(0);

    const bound = await replayModel().bindTools(TOOLS).invoke("go");
    expect(bound.tool_calls?.[0]?.args).toEqual({ city: "Oslo" });
    expect(bound.content).toBe("Sure.");

    script = {
      content: ONE_CALL,
      cuts: [3],
      nativeToolCalls: [{ name: "native_tool", arguments: '{"a": 1}' }],
    };
    const native = await replayModel().bindTools(TOOLS).invoke("go");
    expect(native.tool_calls?.map((c) => c.name)).toEqual(["native_tool"]);
    expect(native.content).toBe(ONE_CALL);
    // While streaming, "auto" can only know of native calls once they arrive; vLLM
    // sends them instead of tag text, never after it.
    script = { ...script, nativeFirst: true };
    const nativeStreamed = (await streamAll(replayModel().bindTools(TOOLS))).full;
    expect(nativeStreamed.tool_calls?.map((c) => c.name)).toEqual(["native_tool"]);
    expect(nativeStreamed.content).toBe(ONE_CALL);
  });

  it("hermes: parses even without bound tools; none: never", async () => {
    script = { content: ONE_CALL, cuts: [20] };
    const hermes = await replayModel({ toolCallParser: "hermes" }).invoke("go");
    expect(hermes.tool_calls?.[0]?.name).toBe("get_weather");
    const streamedHermes = (await streamAll(replayModel({ toolCallParser: "hermes" }))).full;
    expect(streamedHermes.tool_calls?.[0]?.name).toBe("get_weather");
    const none = await replayModel({ toolCallParser: "none" }).bindTools(TOOLS).invoke("go");
    expect(none.tool_calls).toHaveLength(0);
    expect(none.content).toBe(ONE_CALL);
  });
});

describe("malformed calls and mentioned tags", () => {
  it("turns a broken block into invalid_tool_calls and keeps the valid ones", async () => {
    const content =
      'Trying.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome"\n</tool_call>\n' +
      '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Bern"}}\n</tool_call>';
    const model = replayModel().bindTools(TOOLS);
    for (const cuts of [[], [30], [5, 60, 100]]) {
      script = { content, cuts };
      const invoked = await model.invoke("go");
      const { full } = await streamAll(model);
      for (const message of [invoked, full]) {
        expect(message.tool_calls?.map((c) => c.args)).toEqual([{ city: "Bern" }]);
        expect(message.invalid_tool_calls).toHaveLength(1);
        expect(message.invalid_tool_calls?.[0]?.args).toContain('"city": "Rome"');
        expect(message.content).toBe("Trying.");
      }
      expect(invoked.invalid_tool_calls?.[0]?.error).toMatch(/\S/);
    }
  });

  it("leaves a tag inside a code block as text", async () => {
    const content =
      "Hermes calls look like this:\n```\n<tool_call>\n" +
      '{"name": "get_weather", "arguments": {}}\n</tool_call>\n```\nand `<tool_call>{}` inline.';
    script = { content, cuts: [] };
    const model = replayModel().bindTools(TOOLS);
    const invoked = await model.invoke("go");
    expect(invoked.tool_calls).toHaveLength(0);
    expect(invoked.content).toBe(content);
    for (let k = 0; k <= content.length; k += 7) {
      script = { content, cuts: [k] };
      const { full } = await streamAll(model);
      expect(full.content, `cut at ${k}`).toBe(content);
      expect(full.tool_calls, `cut at ${k}`).toHaveLength(0);
    }
  });
});
