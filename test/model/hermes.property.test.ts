import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createHermesStreamParser,
  type HermesParseResult,
  type HermesToolCallChunk,
  parseHermesToolCalls,
} from "../../src/model/hermes/index.js";

const ids = { createId: (index: number) => `id_${index}` };

/** Text built from the pieces the scanner cares about, so generated inputs hit its edge cases. */
const tagSoup = fc
  .array(
    fc.oneof(
      {
        weight: 2,
        arbitrary: fc.constantFrom(" <tool_call>", "\n<tool_call>\n{", "\n```\n", "</tool_call> "),
      },
      fc.constantFrom(
        "<tool_call>",
        "</tool_call>",
        "<tool_",
        "</tool",
        "<",
        "{",
        "}",
        '"',
        "\\",
        ":",
        "`",
        "``",
        "```",
        "~~~",
        "\n",
        "\r\n",
        " ",
        "   ",
        "\t",
        "x",
        "é",
        "😀",
        '"name"',
        '"arguments"',
        '{"name": "f", "arguments": {}}',
        '{"name": "g", "arguments": {"a": "</tool_call>"}}',
        '{"name": "h", "arguments": "{\\"k\\": 1}"}',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(""));

const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), tagSoup);

/** Cuts `text` at the given offsets (taken modulo its length, so any numbers work). */
function cut(text: string, offsets: number[]): string[] {
  const points = [...new Set(offsets.map((offset) => offset % (text.length + 1)))].sort(
    (a, b) => a - b,
  );
  const pieces: string[] = [];
  let last = 0;
  for (const point of points) {
    pieces.push(text.slice(last, point));
    last = point;
  }
  pieces.push(text.slice(last));
  return pieces;
}

interface Streamed extends HermesParseResult {
  chunks: HermesToolCallChunk[];
  result: HermesParseResult;
}

function stream(pieces: string[]): Streamed {
  const parser = createHermesStreamParser(ids);
  const out: Streamed = {
    content: "",
    toolCalls: [],
    invalidToolCalls: [],
    chunks: [],
    result: { content: "", toolCalls: [], invalidToolCalls: [] },
  };
  const updates = pieces.map((piece) => parser.push(piece));
  const finish = parser.finish();
  for (const update of [...updates, finish]) {
    out.content += update.content;
    out.toolCalls.push(...update.toolCalls);
    out.invalidToolCalls.push(...update.invalidToolCalls);
    out.chunks.push(...update.toolCallChunks);
  }
  out.result = finish.result;
  return out;
}

describe("hermes parsers on arbitrary text", () => {
  it("never throw, and streaming under any split equals the one-shot parse", () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.nat(), { maxLength: 12 }), (text, offsets) => {
        const expected = parseHermesToolCalls(text, ids);
        const streamed = stream(cut(text, offsets));
        expect(streamed.content).toBe(expected.content);
        expect(streamed.toolCalls).toEqual(expected.toolCalls);
        expect(streamed.invalidToolCalls).toEqual(expected.invalidToolCalls);
        expect(streamed.result).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("streaming one character at a time equals the one-shot parse", () => {
    fc.assert(
      fc.property(tagSoup, (text) => {
        expect(stream([...text]).result).toEqual(parseHermesToolCalls(text, ids));
      }),
      { numRuns: 150 },
    );
  });

  it("emit one chunk per block: id, name and JSON args for valid calls, no id for invalid ones", () => {
    fc.assert(
      fc.property(tagSoup, fc.array(fc.nat(), { maxLength: 6 }), (text, offsets) => {
        const streamed = stream(cut(text, offsets));
        const blocks = streamed.toolCalls.length + streamed.invalidToolCalls.length;
        expect(streamed.chunks.map((chunk) => chunk.index)).toEqual([...Array(blocks).keys()]);
        for (const call of streamed.toolCalls) {
          const chunk = streamed.chunks.find((c) => c.id === call.id);
          expect(chunk?.name).toBe(call.name);
          expect(JSON.parse(chunk?.args ?? "")).toEqual(call.args);
        }
        for (const call of streamed.invalidToolCalls) {
          const chunk = streamed.chunks[call.index];
          expect(chunk).toEqual({
            ...(call.name === undefined ? {} : { name: call.name }),
            args: call.args,
            index: call.index,
            type: "tool_call_chunk",
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("only remove text: content is a subsequence of the input", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { content } = parseHermesToolCalls(text, ids);
        let at = 0;
        for (let i = 0; i < content.length; i++) {
          at = text.indexOf(content.charAt(i), at) + 1;
          expect(at).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Prose that cannot open a code span, a fence or a tag. */
const prose = fc
  .string({ unit: "binary", maxLength: 40 })
  .map((text) => text.replace(/[`~<]/g, ""));

/** Strings that tempt a scanner: tags, fences, quotes and escapes, mixed with anything. */
const trickyString = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.constantFrom("</tool_call>", "<tool_call>{", "```\n", "`", '"', "\\", "\n", "}"),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(""));

const toolCall = fc.record({
  name: trickyString.filter((name) => name !== ""),
  args: fc.dictionary(
    trickyString,
    fc.oneof(fc.jsonValue({ maxDepth: 3 }), trickyString, fc.array(trickyString, { maxLength: 3 })),
    { maxKeys: 5 },
  ),
  style: fc.constantFrom("qwen", "compact", "indented", "string-args"),
});

type ToolCallSpec = typeof toolCall extends fc.Arbitrary<infer T> ? T : never;
type Item = { kind: "text"; text: string } | { kind: "call"; call: ToolCallSpec };

const message = fc
  .tuple(
    fc.array(
      fc.oneof(
        prose.map((text): Item => ({ kind: "text", text })),
        toolCall.map((call): Item => ({ kind: "call", call })),
      ),
      { maxLength: 8 },
    ),
    fc.boolean(),
  )
  .map(([items, unterminatedLast]) => ({ items, unterminatedLast }));

describe("round trip: calls written into text come back out", () => {
  it("with the text around them kept, under any split", () => {
    fc.assert(
      fc.property(message, fc.array(fc.nat(), { maxLength: 8 }), (msg, offsets) => {
        let text = "";
        let content = "";
        const expectedCalls: Array<{ name: string; args: unknown }> = [];
        msg.items.forEach((item, position) => {
          if (item.kind === "text") {
            text += item.text;
            content += item.text;
            return;
          }
          const { name, args, style } = item.call;
          const object = { name, arguments: style === "string-args" ? JSON.stringify(args) : args };
          const json = JSON.stringify(object, null, style === "indented" ? 2 : undefined);
          const last = position === msg.items.length - 1;
          const close = last && msg.unterminatedLast ? "" : "</tool_call>";
          text +=
            style === "qwen" ? `<tool_call>\n${json}\n${close}` : `<tool_call>${json}${close}`;
          content = content.replace(/[ \t\n\r]+$/, "");
          expectedCalls.push({ name, args: JSON.parse(JSON.stringify(args)) });
        });
        const expected = expectedCalls.map((call, index) => ({
          ...call,
          id: `id_${index}`,
          type: "tool_call",
        }));
        const parsed = parseHermesToolCalls(text, ids);
        expect(parsed).toEqual({ content, toolCalls: expected, invalidToolCalls: [] });
        expect(stream(cut(text, offsets)).result).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });
});
