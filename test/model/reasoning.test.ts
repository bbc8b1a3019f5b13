import { describe, expect, it } from "vitest";
import { ParserFinishedError } from "../../src/model/hermes/index.js";
import {
  createInlineReasoningStream,
  readReasoningField,
  splitInlineReasoning,
} from "../../src/model/reasoning/index.js";
import { streamReasoning as stream } from "../helpers/reasoning-stream.js";

describe("splitInlineReasoning", () => {
  it("splits Qwen3's <think> block from the answer, trimming both", () => {
    expect(splitInlineReasoning("<think>\nUser says hi.\n</think>\n\nHello!")).toEqual({
      reasoning: "User says hi.",
      content: "Hello!",
    });
  });

  it("gives empty reasoning for the empty block of enable_thinking=false", () => {
    expect(splitInlineReasoning("<think>\n\n</think>\n\nHi")).toEqual({
      reasoning: "",
      content: "Hi",
    });
  });

  it("treats an unterminated <think> as a response cut off mid-thought: all reasoning", () => {
    expect(splitInlineReasoning("  <think>\nStill going ")).toEqual({
      reasoning: "Still going",
      content: "",
    });
  });

  it("reads text before a lone </think> as reasoning when <think> was in the prompt", () => {
    const text = "Plan it.\n</think>\n\nDone. </think> stays";
    const expected = { reasoning: "Plan it.", content: "Done. </think> stays" };
    expect(splitInlineReasoning(text)).toEqual(expected);
    expect(splitInlineReasoning(text, { startsInReasoning: true })).toEqual(expected);
    expect(splitInlineReasoning(text, { startsInReasoning: false })).toEqual({
      reasoning: "",
      content: text,
    });
  });

  it("with startsInReasoning: true, takes everything as reasoning until </think>", () => {
    expect(splitInlineReasoning("no end yet", { startsInReasoning: true })).toEqual({
      reasoning: "no end yet",
      content: "",
    });
    expect(splitInlineReasoning("<think>x</think>y", { startsInReasoning: true })).toEqual({
      reasoning: "x",
      content: "y",
    });
  });

  it("leaves text without a leading <think> unchanged, whitespace included", () => {
    for (const text of [
      "",
      " \n hi \n",
      "Use <think> tags </think> like this",
      "a\n<think>b</think>",
    ]) {
      expect(splitInlineReasoning(text)).toEqual({ reasoning: "", content: text });
      expect(splitInlineReasoning(text, { startsInReasoning: false })).toEqual({
        reasoning: "",
        content: text,
      });
    }
  });
});

describe("createInlineReasoningStream", () => {
  const text = "<think>\nCheck the 🌧 forecast.\n\n</think>\n\nIt will rain.";
  const expected = splitInlineReasoning(text);

  it("gives the one-shot result for every split inside and around the tags", () => {
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        expect(stream([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(expected);
      }
    }
  });

  it("releases reasoning as it comes and holds only what a tag or trim could still claim", () => {
    const splitter = createInlineReasoningStream();
    expect(splitter.push("<thi")).toEqual({ reasoning: "", content: "" });
    expect(splitter.push("nk>\nStep 1. ")).toEqual({ reasoning: "Step 1.", content: "" });
    expect(splitter.push("Step 2.</th")).toEqual({ reasoning: " Step 2.", content: "" });
    expect(splitter.push("ink>\n\n")).toEqual({ reasoning: "", content: "" });
    expect(splitter.push("Hi")).toEqual({ reasoning: "", content: "Hi" });
    expect(splitter.finish()).toEqual({
      reasoning: "",
      content: "",
      result: { reasoning: "Step 1. Step 2.", content: "Hi" },
    });
  });

  it("streams at once when told the template's choice, and holds in auto mode", () => {
    expect(createInlineReasoningStream({ startsInReasoning: true }).push("Hmm")).toEqual({
      reasoning: "Hmm",
      content: "",
    });
    expect(createInlineReasoningStream({ startsInReasoning: false }).push("Hi")).toEqual({
      reasoning: "",
      content: "Hi",
    });
    const auto = createInlineReasoningStream();
    expect(auto.push("Hi")).toEqual({ reasoning: "", content: "" });
    expect(auto.finish()).toMatchObject({ reasoning: "", content: "Hi" });
  });

  it("refuses use after finish with a typed error", () => {
    const splitter = createInlineReasoningStream();
    splitter.finish();
    expect(() => splitter.push("x")).toThrow(ParserFinishedError);
  });
});

describe("readReasoningField", () => {
  it("reads reasoning (current vLLM) or reasoning_content (older vLLM)", () => {
    expect(readReasoningField({ role: "assistant", reasoning: "a" })).toBe("a");
    expect(readReasoningField({ reasoning_content: "b", content: null })).toBe("b");
    expect(readReasoningField({ reasoning: "same", reasoning_content: "same" })).toBe("same");
    expect(readReasoningField({ reasoning: null, reasoning_content: "c" })).toBe("c");
    expect(readReasoningField({ reasoning: "" })).toBe("");
  });

  it("returns undefined when there is no reasoning string", () => {
    for (const value of [undefined, null, "text", 3, {}, { reasoning: 1 }, { content: "x" }]) {
      expect(readReasoningField(value)).toBeUndefined();
    }
  });
});
