import {
  AIMessage,
  AIMessageChunk,
  type InvalidToolCall,
  type ToolCall,
  type ToolCallChunk,
} from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  createHermesStreamParser,
  type HermesParseResult,
  type HermesToolCallChunk,
  ParserFinishedError,
  parseHermesToolCalls,
} from "../../src/model/hermes/index.js";

const ids = { createId: (index: number) => `call_${index}` };
const parse = (text: string): HermesParseResult => parseHermesToolCalls(text, ids);

/** The exact shape Qwen3's chat template teaches the model. */
function qwenCall(name: string, args: unknown): string {
  return `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
}

/** Feeds `pieces` to a fresh stream parser and gathers everything it emitted. */
function stream(pieces: string[]): HermesParseResult & { chunks: HermesToolCallChunk[] } {
  const parser = createHermesStreamParser(ids);
  const out = {
    content: "",
    toolCalls: [],
    invalidToolCalls: [],
    chunks: [],
  } as HermesParseResult & {
    chunks: HermesToolCallChunk[];
  };
  for (const update of [...pieces.map((piece) => parser.push(piece)), parser.finish()]) {
    out.content += update.content;
    out.toolCalls.push(...update.toolCalls);
    out.invalidToolCalls.push(...update.invalidToolCalls);
    out.chunks.push(...update.toolCallChunks);
  }
  return out;
}

describe("parseHermesToolCalls: calls in content", () => {
  it("turns a Qwen3-style block into a tool call and removes it with its leading newline", () => {
    const result = parse(`Let me check.\n${qwenCall("get_weather", { city: "Paris" })}`);
    expect(result).toEqual({
      content: "Let me check.",
      toolCalls: [
        { name: "get_weather", args: { city: "Paris" }, id: "call_0", type: "tool_call" },
      ],
      invalidToolCalls: [],
    });
  });

  it("handles several calls and keeps the text between and after them", () => {
    const text = `First.\n${qwenCall("a", { n: 1 })}\nThen.\n${qwenCall("b", {})}\n${qwenCall("c", { s: "x" })}\nDone.`;
    const result = parse(text);
    expect(result.content).toBe("First.\nThen.\nDone.");
    expect(result.toolCalls.map((call) => [call.name, call.args, call.id])).toEqual([
      ["a", { n: 1 }, "call_0"],
      ["b", {}, "call_1"],
      ["c", { s: "x" }, "call_2"],
    ]);
  });

  it("gives empty content when the message is only tool calls", () => {
    expect(parse(`${qwenCall("a", {})}\n${qwenCall("b", {})}`).content).toBe("");
  });

  it("accepts a block with no whitespace and one glued to preceding text", () => {
    const result = parse('x<tool_call>{"name":"a","arguments":{}}</tool_call>y');
    expect(result.content).toBe("xy");
    expect(result.toolCalls).toHaveLength(1);
  });

  it("accepts an unterminated last block whose JSON is valid, as vLLM does", () => {
    const result = parse('Calling.\n<tool_call>\n{"name": "a", "arguments": {"k": [1, 2]}}\n');
    expect(result.content).toBe("Calling.");
    expect(result.toolCalls).toEqual([
      { name: "a", args: { k: [1, 2] }, id: "call_0", type: "tool_call" },
    ]);
  });

  it("ends a block at a closing tag outside JSON strings, so arguments may quote the tag", () => {
    const args = { code: 'print("</tool_call>")', note: "<tool_call>{}" };
    const result = parse(`${qwenCall("write", args)} tail`);
    expect(result.toolCalls).toEqual([{ name: "write", args, id: "call_0", type: "tool_call" }]);
    expect(result.content).toBe(" tail");
  });

  it("runs an unterminated block whose JSON is valid to the end, even past a quoted tag", () => {
    const result = parse('<tool_call>{"name": "a", "arguments": {"s": "</tool_call>x"}}');
    expect(result.toolCalls[0]?.args).toEqual({ s: "</tool_call>x" });
    expect(result.content).toBe("");
  });

  it("cuts an unterminated block with broken JSON at the first closing tag", () => {
    const result = parse('<tool_call>{"name": "a", "arguments": {"s": "x</tool_call>tail');
    expect(result.invalidToolCalls[0]?.args).toBe('{"name": "a", "arguments": {"s": "x');
    expect(result.content).toBe("tail");
  });

  it("falls back to the first closing tag when a string holds a raw newline", () => {
    const result = parse(
      '<tool_call>{"name": "a", "arguments": {"s": "line\nbreak}</tool_call>ok <tool_call>{"name":"b","arguments":{}}</tool_call>',
    );
    expect(result.invalidToolCalls.map((call) => call.name)).toEqual(["a"]);
    expect(result.toolCalls.map((call) => call.name)).toEqual(["b"]);
    expect(result.content).toBe("ok");
  });

  it("decodes arguments given as a JSON string holding an object", () => {
    const result = parse('<tool_call>{"name": "a", "arguments": "{\\"q\\": 1}"}</tool_call>');
    expect(result.toolCalls[0]?.args).toEqual({ q: 1 });
  });

  it("returns text without a tag unchanged, whitespace included", () => {
    for (const text of ["", "  hi \n\n", "a < b and `code` ``` x", "<tool_cal", "</tool_call>"]) {
      expect(parse(text)).toEqual({ content: text, toolCalls: [], invalidToolCalls: [] });
    }
  });

  it("makes call_ ids with 24 hex digits by default, distinct per call", () => {
    const result = parseHermesToolCalls(`${qwenCall("a", {})}${qwenCall("a", {})}`);
    const [first, second] = result.toolCalls.map((call) => call.id);
    expect(first).toMatch(/^call_[0-9a-f]{24}$/);
    expect(second).toMatch(/^call_[0-9a-f]{24}$/);
    expect(first).not.toBe(second);
  });
});

describe("parseHermesToolCalls: broken blocks become invalid tool calls", () => {
  const cases: Array<[string, string, string | undefined, RegExp]> = [
    ["bad JSON", '{"name": "a", "arguments": {bad}}', "a", /not valid JSON/],
    ["no name", '{"arguments": {}}', undefined, /needs "name"/],
    ["an empty name", '{"name": "", "arguments": {}}', undefined, /needs "name"/],
    ["a numeric name", '{"name": 7, "arguments": {}}', undefined, /needs "name"/],
    ["no arguments", '{"name": "a"}', "a", /needs "arguments"/],
    ["null arguments", '{"name": "a", "arguments": null}', "a", /must be a JSON object/],
    ["array arguments", '{"name": "a", "arguments": [1]}', "a", /must be a JSON object/],
    ["a non-object string", '{"name": "a", "arguments": "[1]"}', "a", /must be a JSON object/],
    ["an undecodable string", '{"name": "a", "arguments": "q=1"}', "a", /does not hold/],
  ];
  for (const [label, body, name, error] of cases) {
    it(`reports ${label} with the raw text, the name it could read, and the reason`, () => {
      const result = parse(`Before <tool_call>\n${body}\n</tool_call> after`);
      expect(result.toolCalls).toEqual([]);
      expect(result.content).toBe("Before after");
      const [invalid] = result.invalidToolCalls;
      expect(invalid).toMatchObject({
        args: body,
        id: "call_0",
        index: 0,
        type: "invalid_tool_call",
      });
      expect(invalid?.name).toBe(name);
      expect(invalid?.error).toMatch(error);
    });
  }

  it("keeps valid calls next to a broken one, with indices counting both", () => {
    const result = parse(`${qwenCall("a", {})}<tool_call>{oops}</tool_call>${qwenCall("b", {})}`);
    expect(result.toolCalls.map((call) => call.id)).toEqual(["call_0", "call_2"]);
    expect(result.invalidToolCalls.map((call) => [call.id, call.index])).toEqual([["call_1", 1]]);
  });

  it("says an unterminated broken block may have been cut off", () => {
    const result = parse('<tool_call>\n{"name": "a", "arguments": {"x": ');
    expect(result.invalidToolCalls[0]?.error).toMatch(/no closing <\/tool_call>.*cut off/);
    expect(result.invalidToolCalls[0]?.args).toBe('{"name": "a", "arguments": {"x":');
  });
});

describe("parseHermesToolCalls: a tag outside a tool-call position stays content", () => {
  const block = '<tool_call>{"name": "a", "arguments": {}}</tool_call>';
  const kept = [
    ["a backtick fence", `Example:\n\`\`\`\n${block}\n\`\`\`\n`],
    ["a fence with a language and indentation", `  \`\`\`xml\n${block}\n  \`\`\``],
    ["a tilde fence", `~~~~\n${block}\n~~~~\nend`],
    ["an unclosed fence", `\`\`\`\n${block}`],
    ["a fence whose closer is too short", `\`\`\`\`\n\`\`\`\n${block}\n`],
    ["an inline code span", `Write \`${block}\` to call.`],
    ["a double-backtick span holding a backtick", `Use \`\` \` ${block} \`\` here`],
    ["the rest of a line after a stray backtick", `stray \` ${block}`],
    ["a tag followed by prose", "The <tool_call> tag wraps JSON."],
    ["a tag followed by an array", '<tool_call>[{"name": "a"}]</tool_call>'],
    ["a tag in other letter case", '<TOOL_CALL>{"name": "a", "arguments": {}}</TOOL_CALL>'],
  ];
  for (const [label, text] of kept) {
    it(`inside ${label}`, () => {
      expect(parse(text as string)).toEqual({ content: text, toolCalls: [], invalidToolCalls: [] });
    });
  }

  it("after a fence closes, after a code span closes, and on the line after a stray backtick", () => {
    const text = `\`\`\`\n${block}\n\`\`\`\nNow: ${block} and \`code\` ${block}\nstray \`\n${block}`;
    const result = parse(text);
    expect(result.toolCalls).toHaveLength(3);
    expect(result.content).toBe(`\`\`\`\n${block}\n\`\`\`\nNow: and \`code\`\nstray \``);
  });

  it("reads a mid-line triple backtick as an inline span that ends with the line", () => {
    const result = parse(`see \`\`\`\n${block}`);
    expect(result.toolCalls).toHaveLength(1);
    expect(result.content).toBe("see ```");
  });

  it("scans the blanks after a rejected tag again: they can precede a block or a fence", () => {
    expect(parse(`<tool_call>\n${block}`)).toMatchObject({
      content: "<tool_call>",
      toolCalls: [{ name: "a" }],
    });
    expect(parse(`<tool_call>\n\`\`\`\n${block}\n\`\`\``).toolCalls).toEqual([]);
  });

  it("treats a triple backtick with a backtick later on the line as an inline span", () => {
    const result = parse(`\`\`\`x\`\`\` ${block}`);
    expect(result.toolCalls).toHaveLength(1);
    expect(result.content).toBe("```x```");
  });
});

describe("createHermesStreamParser", () => {
  const text = `Sure.\n${qwenCall("get_weather", { city: "Zürich 🌧" })}\nAnd \`<tool_call>\` is the tag.\n${qwenCall("b", { n: 2 })}`;
  const expected = parse(text);

  it("gives the one-shot result for a split at every offset", () => {
    for (let k = 0; k <= text.length; k++) {
      expect(stream([text.slice(0, k), text.slice(k)])).toMatchObject(expected);
    }
  });

  it("gives the one-shot result when every character of a tag lands in its own delta", () => {
    const start = text.indexOf("<tool_call>");
    const end = text.indexOf("</tool_call>") + "</tool_call>".length;
    for (let i = start; i <= end; i++) {
      for (let j = i; j <= end; j++) {
        expect(stream([text.slice(0, i), text.slice(i, j), text.slice(j)])).toMatchObject(expected);
      }
    }
    expect(stream([...text])).toMatchObject(expected);
  });

  it("emits plain text at once and holds back only what a tag could still claim", () => {
    const parser = createHermesStreamParser(ids);
    expect(parser.push("Hello world").content).toBe("Hello world");
    expect(parser.push(", then <tool").content).toBe(", then");
    expect(parser.push("box> ").content).toBe(" <toolbox>");
    expect(parser.push("\n<tool_call>\n").content).toBe("");
    const update = parser.push('{"name": "a", "arguments": {}}\n</tool_call> bye');
    expect(update.content).toBe(" bye");
    expect(update.toolCallChunks).toEqual([
      { id: "call_0", name: "a", args: "{}", index: 0, type: "tool_call_chunk" },
    ]);
    expect(parser.push("!").content).toBe("!");
    expect(parser.finish()).toMatchObject({ content: "", toolCallChunks: [] });
  });

  it("streams the inside of a fence line by line", () => {
    const parser = createHermesStreamParser(ids);
    expect(parser.push("```\n<tool_call>{").content).toBe("```\n<tool_call>{");
    expect(parser.push('"name": "a"}\n``').content).toBe('"name": "a"}\n');
    expect(parser.push("`\n").content).toBe("```\n");
  });

  it("releases a held tag prefix at the end of the message", () => {
    const parser = createHermesStreamParser(ids);
    expect(parser.push("a <tool_ca").content).toBe("a");
    expect(parser.finish()).toMatchObject({
      content: " <tool_ca",
      result: { content: "a <tool_ca", toolCalls: [], invalidToolCalls: [] },
    });
  });

  it("refuses use after finish with a typed error", () => {
    const parser = createHermesStreamParser();
    parser.finish();
    expect(() => parser.push("x")).toThrow(ParserFinishedError);
    expect(() => parser.push("x")).toThrow(expect.objectContaining({ code: "PARSER_FINISHED" }));
    // A second finish() is use after finish too: it must throw, not answer again.
    expect(() => parser.finish()).toThrow(ParserFinishedError);
    expect(() => parser.finish()).toThrow(expect.objectContaining({ code: "PARSER_FINISHED" }));
  });
});

describe("the results drop into LangChain messages as they are", () => {
  const text = `Hi.\n${qwenCall("a", { x: [1, { y: "z" }] })}\n<tool_call>{"name": "b", "arguments": {oops}}</tool_call>`;

  it("types are assignable to @langchain/core's", () => {
    const result = parse(text);
    const calls: ToolCall[] = result.toolCalls;
    const invalid: InvalidToolCall[] = result.invalidToolCalls;
    const chunks: ToolCallChunk[] = stream([text]).chunks;
    expect([calls.length, invalid.length, chunks.length]).toEqual([1, 1, 2]);
  });

  it("an AIMessage carries the calls and the invalid call unchanged", () => {
    const result = parse(text);
    const message = new AIMessage({
      content: result.content,
      tool_calls: result.toolCalls,
      invalid_tool_calls: result.invalidToolCalls,
    });
    expect(message.tool_calls).toEqual(result.toolCalls);
    expect(message.invalid_tool_calls).toEqual(result.invalidToolCalls);
  });

  it("streamed chunks merge into the same valid call and an invalid call with the raw text", () => {
    const parser = createHermesStreamParser(ids);
    const updates = [...[...text].map((ch) => parser.push(ch)), parser.finish()];
    const merged = updates
      .map((u) => new AIMessageChunk({ content: u.content, tool_call_chunks: u.toolCallChunks }))
      .reduce((left, right) => left.concat(right));
    expect(merged.content).toBe("Hi.");
    expect(merged.tool_calls).toEqual(parse(text).toolCalls);
    expect(merged.invalid_tool_calls).toMatchObject([
      { name: "b", args: '{"name": "b", "arguments": {oops}}', type: "invalid_tool_call" },
    ]);
  });
});
