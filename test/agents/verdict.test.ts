/**
 * Reading a reviewer's verdict from prose or JSON-in-text: the forms reviewers
 * write, and properties over generated reviews (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVerdictText } from "../../agents/index.js";

describe("parseVerdictText", () => {
  it("reads the demo reviewer's markers", () => {
    expect(parseVerdictText("APPROVED: Looks correct and idiomatic.")).toEqual({
      approved: true,
      comments: ["Looks correct and idiomatic."],
      decided: true,
    });
    expect(parseVerdictText("CHANGES REQUESTED: Validate the input.")).toEqual({
      approved: false,
      comments: ["Validate the input."],
      decided: true,
    });
  });

  it("reads markdown-decorated verdicts with bullet comments", () => {
    const review = [
      "## Review",
      "",
      "**Verdict: CHANGES REQUESTED**",
      "",
      "1. Handle negative input.",
      "2. Use `math.isclose` for floats,",
      "   not `==`.",
      "- Add a docstring.",
    ].join("\n");
    expect(parseVerdictText(review)).toEqual({
      approved: false,
      comments: [
        "Handle negative input.",
        "Use `math.isclose` for floats, not `==`.",
        "Add a docstring.",
      ],
      decided: true,
    });
    expect(parseVerdictText("> **LGTM** ship it")).toMatchObject({ approved: true });
    expect(parseVerdictText("Request changes.\nThe loop is quadratic.")).toEqual({
      approved: false,
      comments: ["The loop is quadratic."],
      decided: true,
    });
  });

  it("reads JSON verdicts, fenced or inline, before markers", () => {
    expect(
      parseVerdictText('Here it is:\n```json\n{"approved": true, "comments": ["fine"]}\n```'),
    ).toEqual({ approved: true, comments: ["fine"], decided: true });
    expect(
      parseVerdictText('APPROVED? no: {"approved": false, "comments": "one {brace} inside"}'),
    ).toEqual({ approved: false, comments: ["one {brace} inside"], decided: true });
    expect(parseVerdictText('{"verdict": "changes requested", "comments": []}')).toMatchObject({
      approved: false,
      decided: true,
    });
  });

  it("reads a verdict after a think block, ignoring markers inside it", () => {
    const text = "<think>\nAPPROVED would be wrong here.\n</think>\nCHANGES REQUESTED: fix the bug";
    expect(parseVerdictText(text)).toMatchObject({ approved: false, comments: ["fix the bug"] });
  });

  it("treats a review without a verdict as undecided and not approved", () => {
    expect(parseVerdictText("The code is interesting.")).toEqual({
      approved: false,
      comments: ["The code is interesting."],
      decided: false,
    });
    expect(parseVerdictText("")).toEqual({ approved: false, comments: [], decided: false });
  });
});

const comment = fc
  .string({ unit: fc.constantFrom("a", "b", " ", ".", ",", "é", "`", "(", ")") })
  .map((text) => text.trim())
  .filter((text) => text !== "");

describe("parseVerdictText properties", () => {
  it("never throws and never approves undecided text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const verdict = parseVerdictText(text);
        expect(Array.isArray(verdict.comments)).toBe(true);
        if (!verdict.decided) expect(verdict.approved).toBe(false);
      }),
    );
  });

  it("stays fast on hostile brace-heavy text", () => {
    const text = `${"{".repeat(200_000)}"approved": true`;
    expect(parseVerdictText(text)).toMatchObject({ decided: false, approved: false });
  });

  it("round-trips marker verdicts with bullet comments", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(comment, { minLength: 1, maxLength: 5 }), (ok, items) => {
        const text = `${ok ? "APPROVED" : "CHANGES REQUESTED"}:\n${items.map((item) => `- ${item}`).join("\n")}`;
        expect(parseVerdictText(text)).toEqual({ approved: ok, comments: items, decided: true });
      }),
    );
  });

  it("round-trips JSON verdicts embedded in prose", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 5 }),
        fc.string({ unit: fc.constantFrom("x", " ", "\n", ".") }),
        (approved, comments, prose) => {
          const text = `${prose}${JSON.stringify({ approved, comments })}${prose}`;
          const expected = comments.map((item) => item.trim()).filter((item) => item !== "");
          expect(parseVerdictText(text)).toEqual({ approved, comments: expected, decided: true });
        },
      ),
    );
  });
});
