/**
 * The fenced-block reader the documentation tests rely on: a block it missed
 * would be a block nobody checks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractCodeBlocks, isTypeScriptBlock, unknownMarkers } from "./markdown-blocks.js";

describe("extractCodeBlocks", () => {
  it("reads language, markers, code and the first code line", () => {
    const markdown = ["# Title", "", "```ts runnable", "const a = 1;", "```", "text"].join("\n");
    expect(extractCodeBlocks(markdown, "x.md")).toEqual([
      { file: "x.md", line: 4, language: "ts", markers: ["runnable"], code: "const a = 1;\n" },
    ]);
  });

  it("keeps a three-backtick block inside a four-backtick one as text of the outer block", () => {
    const markdown = ["````text", "```ts", "inner", "```", "````", "```typescript", "x", "```"];
    const blocks = extractCodeBlocks(markdown.join("\n"), "x.md");
    expect(blocks.map((block) => [block.language, block.line])).toEqual([
      ["text", 2],
      ["typescript", 7],
    ]);
    expect(blocks.filter(isTypeScriptBlock)).toHaveLength(1);
  });

  it("reports markers it does not know, so a typo cannot switch a check off", () => {
    const [block] = extractCodeBlocks("```ts runable\nx\n```\n", "x.md");
    expect(block && unknownMarkers(block)).toEqual(["runable"]);
  });

  it("returns any code without fence lines exactly, at the right line", () => {
    const codeLine = fc
      .string()
      .filter((line) => !/^ {0,3}(`{3}|~{3})/.test(line) && !/[\r\n]/.test(line));
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("text", "", "# heading"), { maxLength: 5 }),
        fc.array(codeLine, { minLength: 1, maxLength: 8 }),
        (before, code) => {
          const markdown = [...before, "```ts", ...code, "```", "after"].join("\n");
          const blocks = extractCodeBlocks(markdown, "x.md");
          expect(blocks).toHaveLength(1);
          expect(blocks[0]?.code).toBe(`${code.join("\n")}\n`);
          expect(blocks[0]?.line).toBe(before.length + 2);
        },
      ),
    );
  });
});
