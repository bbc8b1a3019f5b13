import { describe, expect, it } from "vitest";
import * as tools from "../../tools/index.js";

describe("tools barrel", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(tools).sort()).toEqual([
      "MAX_CODE_BYTES",
      "MAX_EXPRESSION_LENGTH",
      "MAX_MAGNITUDE",
      "MAX_NESTING_DEPTH",
      "SYNTAX_LANGUAGES",
      "TYPESCRIPT_PEER_RANGE",
      "calculatorTool",
      "checkSyntax",
      "createSyntaxCheckTool",
      "describeInvalidArguments",
      "evaluateExpression",
      "formatCalculatorResult",
      "formatSyntaxCheckResult",
      "syntaxCheckSchema",
      "syntaxCheckTool",
      "withReadableArgumentErrors",
    ]);
  });

  it("gives each tool a distinct name and a description written for a model", () => {
    const all = [tools.calculatorTool, tools.syntaxCheckTool];
    expect(all.map((tool) => tool.name)).toEqual(["calculator", "syntax_check"]);
    for (const tool of all) {
      expect(tool.description.length).toBeGreaterThan(200);
      expect(tool.description).toMatch(/Error:|error/);
    }
  });
});
