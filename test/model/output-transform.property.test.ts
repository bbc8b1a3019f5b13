/**
 * Property: streaming the model's output transform over any text, cut into
 * any pieces, adds up to what the one-shot transform makes of the whole text
 * (content, reasoning, tool calls, invalid calls), and never throws. The text
 * is untrusted model output, so it is built from the fragments that matter:
 * tags, partial tags, JSON bits, fences, backticks, whitespace.
 */
import { AIMessage, AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { concat } from "@langchain/core/utils/stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type OutputSettings,
  StreamOutputTransformer,
  transformMessage,
} from "../../src/model/output.js";

const FRAGMENTS = [
  "<tool_call>",
  "</tool_call>",
  "<tool_",
  "call>",
  '{"name": "get_weather", "arguments": {"city": "Oslo"}}',
  '{"name": "calc", "arguments": {"expression": "1 < 2"}}',
  '{"name": "broken", "arguments": {',
  '"</tool_call>"',
  "<think>",
  "</think>",
  "```",
  "`",
  "\n",
  " ",
  "Hello",
  "é",
  "<",
  ">",
  "{",
  "}",
  '"',
];

const text = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 })
  .map((parts) => parts.join(""));

const settingsArb: fc.Arbitrary<OutputSettings> = fc.record({
  toolCallParser: fc.constantFrom("hermes" as const, "auto" as const, "none" as const),
  inlineReasoning: fc.constantFrom(
    undefined,
    { startsInReasoning: false },
    { startsInReasoning: true },
  ),
});

const TOOLS = { tools: [{ type: "function", function: { name: "get_weather" } }] };

/** Cuts `value` at the given offsets (sorted, deduplicated, within bounds). */
function pieces(value: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (value.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const point of points) {
    out.push(value.slice(from, point));
    from = point;
  }
  out.push(value.slice(from));
  return out;
}

function streamThrough(settings: OutputSettings, parts: string[]): AIMessageChunk {
  const transformer = new StreamOutputTransformer(settings, TOOLS);
  const out: ChatGenerationChunk[] = [];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    out.push(
      transformer.push(
        new ChatGenerationChunk({
          message: new AIMessageChunk({ content: part }),
          text: part,
          generationInfo: { prompt: 0, completion: 0, ...(last ? { finish_reason: "stop" } : {}) },
        }),
      ),
    );
  });
  out.push(...transformer.finish());
  let full = out[0]?.message as AIMessageChunk;
  for (const chunk of out.slice(1)) full = concat(full, chunk.message as AIMessageChunk);
  return full;
}

describe("stream output transform", () => {
  it("equals the one-shot transform for every text and every split", () => {
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat(), { maxLength: 12 }),
        settingsArb,
        (value, cuts, settings) => {
          const whole = new AIMessage({ content: value });
          const oneShot = transformMessage(whole, settings, TOOLS)?.message ?? whole;
          const streamed = streamThrough(settings, pieces(value, cuts));
          expect(streamed.content).toBe(oneShot.content);
          expect(streamed.additional_kwargs.reasoning_content ?? "").toBe(
            oneShot.additional_kwargs.reasoning_content ?? "",
          );
          expect(streamed.tool_calls?.map((c) => [c.name, c.args])).toEqual(
            oneShot.tool_calls?.map((c) => [c.name, c.args]),
          );
          expect(streamed.invalid_tool_calls?.length ?? 0).toBe(
            oneShot.invalid_tool_calls?.length ?? 0,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("passes text through untouched when nothing applies", () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (value, cuts) => {
        const settings: OutputSettings = { toolCallParser: "auto", inlineReasoning: undefined };
        const transformer = new StreamOutputTransformer(settings, {});
        for (const part of pieces(value, cuts)) {
          const chunk = new ChatGenerationChunk({
            message: new AIMessageChunk({ content: part }),
            text: part,
            generationInfo: { prompt: 0, completion: 0 },
          });
          expect(transformer.push(chunk)).toBe(chunk);
        }
      }),
      { numRuns: 100 },
    );
  });
});
