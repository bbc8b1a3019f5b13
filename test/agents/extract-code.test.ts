/**
 * Reading the code out of a coder's answer: the shapes models actually produce,
 * and properties over generated answers (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractCode, fenceCode } from "../../agents/index.js";

const CODE = 'def add(a: int, b: int) -> int:\n    """Add."""\n    return a + b';

describe("extractCode", () => {
  it("takes the fenced block and drops the prose around it", () => {
    const answer = `Sure! Here is the code:\n\n\`\`\`python\n${CODE}\n\`\`\`\n\nLet me know if you need more.`;
    expect(extractCode(answer, "python")).toEqual({ code: CODE, language: "python", fenced: true });
  });

  it("prefers the block in the requested language (aliases count) over a longer one", () => {
    const answer = `\`\`\`bash\npip install something-with-a-long-name another-long-package\n\`\`\`\n\`\`\`py\n${CODE}\n\`\`\``;
    expect(extractCode(answer, "python")).toMatchObject({ code: CODE, language: "py" });
  });

  it("among blocks of one language, takes the longest complete one", () => {
    const usage = "print(add(1, 2))";
    const answer = `\`\`\`python\n${CODE}\n\`\`\`\nUsage:\n\`\`\`python\n${usage}\n\`\`\``;
    expect(extractCode(answer, "python").code).toBe(CODE);
  });

  it("keeps code an answer cut off before the closing fence, and a fence glued to the last line", () => {
    expect(extractCode(`\`\`\`python\n${CODE}\n`, "python").code).toBe(CODE);
    expect(extractCode(`\`\`\`python\n${CODE}\`\`\``, "python").code).toBe(CODE);
  });

  it("accepts tildes, longer fences, untagged fences and CRLF line ends (normalised to LF)", () => {
    expect(extractCode(`~~~\n${CODE}\n~~~`).code).toBe(CODE);
    expect(extractCode(`\`\`\`\`python\n\`\`\`inner\`\`\`\n\`\`\`\``).code).toBe("```inner```");
    // Line ends come out as \n.
    expect(extractCode(`\`\`\`python\r\n${CODE.replaceAll("\n", "\r\n")}\r\n\`\`\``).code).toBe(
      CODE,
    );
  });

  it("drops a leading think block", () => {
    const answer = `<think>\nThe user wants a function.\n</think>\n\n\`\`\`python\n${CODE}\n\`\`\``;
    expect(extractCode(answer, "python").code).toBe(CODE);
  });

  it("takes the whole answer when there is no fence", () => {
    expect(extractCode(`\n\n${CODE}\n\n`)).toEqual({ code: CODE, fenced: false });
    expect(extractCode("")).toEqual({ code: "", fenced: false });
    expect(extractCode("```python\n\n```\nno code")).toEqual({
      code: "```python\n\n```\nno code",
      fenced: false,
    });
  });
});

/** Code lines that are not fence lines (what a model's code block can hold). */
const codeLine = fc
  .string({ unit: fc.constantFrom("a", "b", " ", "(", ")", ":", "=", "`", "~", "#", "é", "\t") })
  .filter((line) => !/^ {0,3}(`{3,}|~{3,})/.test(line));
const code = fc
  .array(codeLine, { minLength: 1, maxLength: 8 })
  .map((lines) => lines.join("\n").trimEnd())
  .filter((text) => text.trim() !== "" && !/^[ \t]*\n/.test(text));
const prose = fc
  .string({ unit: fc.constantFrom("x", " ", ".", "!", "\n", "`") })
  .filter((text) => !/(^|\n) {0,3}(`{3,}|~{3,})/.test(text));

describe("extractCode properties", () => {
  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), (text, language) => {
        const result = extractCode(text, language ?? undefined);
        expect(typeof result.code).toBe("string");
      }),
    );
  });

  it("recovers fenced code exactly from between arbitrary prose", () => {
    fc.assert(
      fc.property(prose, code, prose, (before, body, after) => {
        const answer = `${before}\n${fenceCode(body, "python")}\n${after}`;
        expect(extractCode(answer, "python")).toEqual({
          code: body,
          language: "python",
          fenced: true,
        });
      }),
    );
  });

  it("is idempotent: fencing the result and extracting again changes nothing", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const once = extractCode(text, "python").code;
        if (once.trim() === "") return;
        expect(extractCode(fenceCode(once, "python"), "python").code).toBe(once);
      }),
    );
  });
});
