import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { describe, expect, it } from "vitest";
import {
  calculatorTool,
  evaluateExpression,
  formatCalculatorResult,
} from "../../tools/calculator.js";
import { MAX_EXPRESSION_LENGTH, MAX_MAGNITUDE, MAX_NESTING_DEPTH } from "../../tools/expression.js";

function evaluated(expression: string): number {
  const result = evaluateExpression(expression);
  if (!result.ok) throw new Error(`expected ${expression} to evaluate, got: ${result.error}`);
  return result.value;
}

function errorOf(expression: string): string {
  const result = evaluateExpression(expression);
  if (result.ok) throw new Error(`expected ${expression} to fail, got ${result.value}`);
  return result.error;
}

describe("evaluateExpression: the language", () => {
  it.each([
    ["42", 42],
    ["2.5", 2.5],
    [".5", 0.5],
    ["1e3", 1000],
    ["1.5E-3", 0.0015],
    ["2 + 3 * 4", 14],
    ["(2 + 3) * 4", 20],
    ["1 - 2 - 3", -4],
    ["2 / 4 / 2", 0.25],
    ["2 * 3 ^ 2", 18],
    ["2^3^2", 512],
    ["2**3**2", 512],
    ["-2^2", -4],
    ["(-2)^2", 4],
    ["2^-1", 0.5],
    ["-(-(-1))", -1],
    ["+5", 5],
    ["2 - -3", 5],
    ["7 % 3", 1],
    ["-7 % 3", 2],
    ["7 % -3", -2],
    ["7.5 % 2", 1.5],
    ["pi", Math.PI],
    ["e", Math.E],
    ["sqrt(16)", 4],
    ["abs(-3)", 3],
    ["sin(0) + cos(0)", 1],
    ["tan(0)", 0],
    ["log(e)", 1],
    ["ln(e^2)", 2],
    ["log(8, 2)", 3],
    ["log10(1000)", 3],
    ["exp(0)", 1],
    ["floor(-2.5)", -3],
    ["ceil(2.1)", 3],
    ["round(2.5)", 3],
    ["round(-2.5)", -3],
    ["round(3.14159, 2)", 3.14],
    ["min(3, 1, 2)", 1],
    ["max(3, 1, 2)", 3],
    ["pow(2, 10)", 1024],
    ["sqrt(2) * (3 + 4)^2", Math.SQRT2 * 49],
    [" \t1\n+\r1 ", 2],
  ])("%s = %d", (expression, expected) => {
    expect(evaluated(expression)).toBeCloseTo(expected, 12);
  });
});

describe("evaluateExpression: errors are returned, with what to fix", () => {
  it.each([
    ["1 / 0", /division by zero/],
    ["0 / 0", /division by zero/],
    ["5 % 0", /modulo by zero/],
    ["0^-1", /division by zero/],
    ["pow(0, -2)", /division by zero/],
    ["10^400", /overflows/],
    ["1e309", /overflows/],
    ["1e308 * 10", /overflows/],
    ["exp(1000)", /overflows/],
    ["sqrt(-1)", /sqrt: the argument must be 0 or more/],
    ["log(0)", /greater than 0/],
    ["ln(-1)", /greater than 0/],
    ["log(8, 1)", /base/],
    ["asin(2)", /between -1 and 1/],
    ["(-8)^(1/3)", /not a real number/],
    ["round(1, 0.5)", /digits must be a whole number/],
    ["", /empty/],
    ["   ", /empty/],
    ["1 +", /ends too early/],
    ["(1 + 2", /expected "\)"/],
    ["1 + 2)", /unexpected "\)"/],
    ["2pi", /missing operator/],
    ["2 (3)", /missing operator/],
    ["sqrt", /sqrt is a function/],
    ["pi(2)", /pi is a constant/],
    ["max()", /max takes one or more arguments/],
    ["sqrt(1, 2)", /sqrt takes one argument/],
    ["2 × 3", /write \* for multiplication/],
  ])("%s", (expression, message) => {
    expect(errorOf(expression)).toMatch(message);
  });

  it("refuses anything that is not arithmetic, naming no host object", () => {
    for (const expression of [
      "constructor",
      "__proto__",
      "prototype",
      "toString()",
      "valueOf",
      "hasOwnProperty(1)",
      "eval(1)",
      "Function(1)",
      "process",
      "globalThis",
      "require(1)",
      "import(1)",
      "x",
    ]) {
      expect(errorOf(expression)).toMatch(/^unknown name/);
    }
    expect(errorOf("f(x) = x^2")).toMatch(/assignments and comparisons are not supported/);
    expect(errorOf("x = 1")).toMatch(/assignments and comparisons are not supported/);
    expect(errorOf("1 = 1")).toMatch(/assignments and comparisons are not supported/);
    expect(errorOf("pi.constructor")).toMatch(/property access is not supported/);
    expect(errorOf("[1, 2]")).toMatch(/lists and matrices are not supported/);
    expect(errorOf("'abc'")).toMatch(/strings are not supported/);
    expect(errorOf("5 cm")).toMatch(/unexpected "cm"/);
    expect(errorOf("1 ? 2 : 3")).toMatch(/unexpected character "\?"/);
  });

  it("bounds input length, nesting depth and magnitude", () => {
    const longest = `1${"+1".repeat(499)} `;
    expect(longest).toHaveLength(MAX_EXPRESSION_LENGTH);
    expect(evaluated(longest)).toBe(500);
    expect(errorOf(`${longest}1`)).toMatch(/1001 characters long; the limit is 1000/);

    const nested = (depth: number): string => `${"(".repeat(depth)}1${")".repeat(depth)}`;
    expect(evaluated(nested(MAX_NESTING_DEPTH - 1))).toBe(1);
    expect(errorOf(nested(MAX_NESTING_DEPTH))).toMatch(/nests too deeply; the limit is 64/);
    expect(errorOf(`${"-".repeat(500)}1`)).toMatch(/nests too deeply/);
    expect(errorOf(Array(300).fill("2").join("^"))).toMatch(/nests too deeply/);
    expect(errorOf(`${"sqrt(".repeat(100)}1${")".repeat(100)}`)).toMatch(/nests too deeply/);

    expect(evaluated("1e308")).toBe(MAX_MAGNITUDE);
    expect(errorOf("-1e308 - 1e308")).toMatch(/the sum overflows/);
  });
});

describe("formatCalculatorResult", () => {
  it("hides binary noise but keeps integers exact", () => {
    expect(formatCalculatorResult({ ok: true, value: 0.1 + 0.2 })).toBe("0.3");
    expect(formatCalculatorResult({ ok: true, value: 2 ** 53 })).toBe("9007199254740992");
    expect(formatCalculatorResult({ ok: true, value: -0 })).toBe("0");
    expect(formatCalculatorResult({ ok: true, value: 1 / 3 })).toBe("0.333333333333333");
    expect(formatCalculatorResult({ ok: true, value: 1.5e-20 })).toBe("1.5e-20");
    expect(formatCalculatorResult({ ok: false, error: "division by zero" })).toBe(
      "Error: division by zero",
    );
  });
});

describe("calculatorTool", () => {
  it("is named calculator and shows the model a strict { expression: string } schema", () => {
    expect(calculatorTool.name).toBe("calculator");
    expect(calculatorTool.description).toMatch(/arithmetic/);
    expect(toJsonSchema(calculatorTool.schema)).toMatchObject({
      type: "object",
      properties: { expression: { type: "string" } },
      required: ["expression"],
      additionalProperties: false,
    });
  });

  it("returns the value, or an Error: string, as text", async () => {
    expect(await calculatorTool.invoke({ expression: "2^10 / 4" })).toBe("256");
    expect(await calculatorTool.invoke({ expression: "1/0" })).toBe("Error: division by zero");
  });

  it("answers invalid arguments with a readable message instead of throwing", async () => {
    const missing = await calculatorTool.invoke({ expr: "1+1" } as never);
    expect(missing).toMatch(/^Error: invalid arguments for calculator: .*at expression/);
    expect(missing).toContain('Call it like this: {"expression": "2 * (3 + 4)"}');

    const wrongType = await calculatorTool.invoke({ expression: 5 } as never);
    expect(wrongType).toMatch(/expected string, received number/);

    const bareString = await calculatorTool.invoke("1+1" as never);
    expect(bareString).toMatch(/expected object, received string/);
  });

  it("answers a tool call with bad arguments with an error ToolMessage for that call", async () => {
    const reply = await calculatorTool.invoke({
      type: "tool_call",
      id: "call-7",
      name: "calculator",
      args: { expression: ["1", "+", "1"] } as never,
    });
    expect(reply).toBeInstanceOf(ToolMessage);
    expect(reply.tool_call_id).toBe("call-7");
    expect(reply.status).toBe("error");
    expect(reply.content).toMatch(/^Error: invalid arguments for calculator: .*expected string/);
  });

  it("works inside LangGraph's ToolNode even with error handling turned off", async () => {
    const node = new ToolNode([calculatorTool], { handleToolErrors: false });
    const result = (await node.invoke({
      messages: [
        new AIMessage({
          content: "",
          tool_calls: [
            { id: "a", name: "calculator", args: { expression: "6 * 7" } },
            { id: "b", name: "calculator", args: { formula: "6 * 7" } },
          ],
        }),
      ],
    })) as { messages: ToolMessage[] };
    const byId = new Map(result.messages.map((message) => [message.tool_call_id, message]));
    expect(byId.get("a")?.content).toBe("42");
    expect(byId.get("b")?.content).toMatch(/^Error: invalid arguments for calculator/);
  });
});
