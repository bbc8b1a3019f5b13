import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type InlineReasoningOptions,
  splitInlineReasoning,
} from "../../src/model/reasoning/index.js";
import { streamReasoning as stream } from "../helpers/reasoning-stream.js";

/** Text built from the pieces the splitter cares about. */
const thinkSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "<think>",
        "</think>",
        "<th",
        "</thi",
        "<",
        "/",
        ">",
        "\n",
        " ",
        "\t",
        "x",
        "é",
        "😀",
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), thinkSoup);
const mode = fc.constantFrom<InlineReasoningOptions>(
  {},
  { startsInReasoning: true },
  { startsInReasoning: false },
  { startsInReasoning: "auto" },
);

function cut(text: string, offsets: number[]): string[] {
  const points = [...new Set(offsets.map((offset) => offset % (text.length + 1)))].sort(
    (a, b) => a - b,
  );
  return [...points, text.length].map((point, i) => text.slice(i === 0 ? 0 : points[i - 1], point));
}

describe("inline reasoning on arbitrary text", () => {
  it("never throws, and streaming under any split equals the one-shot split", () => {
    fc.assert(
      fc.property(
        anyText,
        mode,
        fc.array(fc.nat(), { maxLength: 12 }),
        (text, options, offsets) => {
          expect(stream(cut(text, offsets), options)).toEqual(splitInlineReasoning(text, options));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("streaming one character at a time equals the one-shot split", () => {
    fc.assert(
      fc.property(thinkSoup, mode, (text, options) => {
        expect(stream([...text], options)).toEqual(splitInlineReasoning(text, options));
      }),
      { numRuns: 200 },
    );
  });

  it("loses no non-space text except the tags that delimit the reasoning", () => {
    fc.assert(
      fc.property(anyText, mode, (text, options) => {
        const { reasoning, content } = splitInlineReasoning(text, options);
        const squash = (s: string): string => s.replace(/\s+/g, "");
        const joined = squash(reasoning + content);
        const source = squash(text);
        // At most one <think> and one </think> are removed.
        const stripped = [
          source,
          source.replace("<think>", ""),
          source.replace("</think>", ""),
          source.replace("<think>", "").replace("</think>", ""),
        ];
        expect(stripped).toContain(joined);
      }),
      { numRuns: 300 },
    );
  });
});

/** Text that holds no think tag. */
const plain = fc
  .string({ unit: "binary", maxLength: 60 })
  .map((s) => s.replaceAll("think>", "thin k>"));

describe("round trip: reasoning written inline comes back out", () => {
  it("from a <think> block, in every mode and under any split", () => {
    fc.assert(
      fc.property(
        plain,
        plain,
        mode,
        fc.array(fc.nat(), { maxLength: 6 }),
        (thought, answer, options, offsets) => {
          const text = `<think>\n${thought}\n</think>\n\n${answer}`;
          const expected = { reasoning: thought.trim(), content: answer.trimStart() };
          expect(splitInlineReasoning(text, options)).toEqual(expected);
          expect(stream(cut(text, offsets), options)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("from a prompt-opened block (only </think> in the output)", () => {
    fc.assert(
      fc.property(plain, plain, fc.boolean(), (thought, answer, explicit) => {
        const text = `${thought}\n</think>\n\n${answer}`;
        const options: InlineReasoningOptions = explicit ? { startsInReasoning: true } : {};
        expect(splitInlineReasoning(text, options)).toEqual({
          reasoning: thought.trim(),
          content: answer.trimStart(),
        });
      }),
    );
  });

  it("leaves an answer with no think tags untouched unless told it starts in reasoning", () => {
    fc.assert(
      fc.property(
        plain,
        fc.constantFrom<InlineReasoningOptions>({}, { startsInReasoning: false }),
        (answer, options) => {
          expect(splitInlineReasoning(answer, options)).toEqual({ reasoning: "", content: answer });
        },
      ),
    );
  });
});
