import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calculatorTool, evaluateExpression } from "../../tools/calculator.js";
import { MAX_MAGNITUDE } from "../../tools/expression.js";

/** What every result must look like, whatever the input. */
function expectWellFormed(result: ReturnType<typeof evaluateExpression>): void {
  if (result.ok) {
    expect(Number.isFinite(result.value)).toBe(true);
    expect(Math.abs(result.value)).toBeLessThanOrEqual(MAX_MAGNITUDE);
  } else {
    expect(typeof result.error).toBe("string");
    expect(result.error.length).toBeGreaterThan(0);
  }
}

/** Text made of the calculator's own vocabulary, so the parser gets past the lexer. */
const calculatorish = fc
  .array(
    fc.constantFrom(
      ..."0123456789.eE+-*/%^(),  ".split(""),
      "**",
      "pi",
      "sqrt",
      "log",
      "max",
      "round",
      "1e308",
      "1e-308",
      "constructor",
      "__proto__",
    ),
    { maxLength: 600 },
  )
  .map((parts) => parts.join(""));

describe("evaluateExpression never throws and always returns a bounded result", () => {
  it("for arbitrary Unicode text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 1200 }), (text) => {
        expectWellFormed(evaluateExpression(text));
      }),
      { numRuns: 500 },
    );
  });

  it("for text made of calculator tokens (this also shows it terminates on long input)", () => {
    fc.assert(
      fc.property(calculatorish, (text) => {
        expectWellFormed(evaluateExpression(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("for deep nesting of parentheses, signs, calls and powers", () => {
    const nesting = fc
      .tuple(
        fc.constantFrom("(", "-", "+", "sqrt(", "abs(", "2^", "max(1,"),
        fc.integer({ min: 0, max: 400 }),
        fc.boolean(),
      )
      .map(([open, depth, balanced]) => {
        const close = open.endsWith("(") && balanced ? ")".repeat(depth) : "";
        return `${open.repeat(depth)}1${close}`;
      });
    fc.assert(
      fc.property(nesting, (text) => {
        expectWellFormed(evaluateExpression(text));
      }),
      { numRuns: 300 },
    );
  });

  it("for huge, tiny and long number literals", () => {
    const literal = fc.oneof(
      fc.bigInt().map(String),
      fc.double({ noNaN: true }).map((value) => String(value)),
      fc
        .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: -2000, max: 2000 }))
        .map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
      fc.stringMatching(/^[0-9]{1,400}(\.[0-9]{0,400})?$/),
    );
    fc.assert(
      fc.property(literal, fc.constantFrom("", "*10", "^2", "/1e-300", "+1e308"), (a, tail) => {
        expectWellFormed(evaluateExpression(`${a}${tail}`));
      }),
      { numRuns: 500 },
    );
  });
});

describe("calculatorTool never throws out, whatever the model sends", () => {
  it("resolves to a string for arbitrary arguments", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ expression: fc.string({ unit: "binary", maxLength: 1100 }) }),
          fc.record({ expression: fc.anything() }),
          fc.anything(),
        ),
        async (args) => {
          const output = await calculatorTool.invoke(args as never);
          expect(typeof output).toBe("string");
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** A generated arithmetic expression over small integers. */
type Tree =
  | { kind: "number"; value: number }
  | { kind: "negate"; operand: Tree }
  | { kind: "binary"; op: "+" | "-" | "*" | "/"; left: Tree; right: Tree };

const { tree } = fc.letrec<{ tree: Tree }>((self) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("number" as const), value: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ kind: fc.constant("negate" as const), operand: self("tree") }),
    fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const),
      left: self("tree"),
      right: self("tree"),
    }),
  ),
}));

const DIVISION_BY_ZERO = Symbol("division by zero");

/** The meaning of a tree, computed directly from its structure. */
function reference(node: Tree): number | typeof DIVISION_BY_ZERO {
  switch (node.kind) {
    case "number":
      return node.value;
    case "negate": {
      const operand = reference(node.operand);
      return operand === DIVISION_BY_ZERO ? operand : -operand;
    }
    case "binary": {
      const left = reference(node.left);
      const right = reference(node.right);
      if (left === DIVISION_BY_ZERO || right === DIVISION_BY_ZERO) return DIVISION_BY_ZERO;
      if (node.op === "+") return left + right;
      if (node.op === "-") return left - right;
      if (node.op === "*") return left * right;
      return right === 0 ? DIVISION_BY_ZERO : left / right;
    }
  }
}

/** Every operation in its own parentheses. */
function renderFull(node: Tree): string {
  if (node.kind === "number") return String(node.value);
  if (node.kind === "negate") return `(-${renderFull(node.operand)})`;
  return `(${renderFull(node.left)} ${node.op} ${renderFull(node.right)})`;
}

const PRECEDENCE = { "+": 1, "-": 1, "*": 2, "/": 2 } as const;

/**
 * Only the parentheses precedence and left-associativity require. A right operand of the
 * same precedence is always bracketed, because a+(b+c) and (a+b)+c differ in floating point.
 */
function renderMinimal(node: Tree, space: string): string {
  if (node.kind === "number") return String(node.value);
  if (node.kind === "negate") {
    const operand = node.operand;
    const inner = renderMinimal(operand, space);
    return operand.kind === "binary" ? `-(${inner})` : `-${inner}`;
  }
  const precedence = PRECEDENCE[node.op];
  const side = (child: Tree, bracketEqual: boolean): string => {
    const text = renderMinimal(child, space);
    if (child.kind !== "binary") return text;
    const childPrecedence = PRECEDENCE[child.op];
    const bracket =
      childPrecedence < precedence || (bracketEqual && childPrecedence === precedence);
    return bracket ? `(${text})` : text;
  };
  return `${side(node.left, false)}${space}${node.op}${space}${side(node.right, true)}`;
}

describe("evaluateExpression agrees with a reference on generated arithmetic", () => {
  function expectAgreement(node: Tree, text: string): void {
    const expected = reference(node);
    const actual = evaluateExpression(text);
    if (expected === DIVISION_BY_ZERO) {
      expect(actual).toEqual({ ok: false, error: "division by zero" });
    } else {
      expect(actual).toEqual({ ok: true, value: expected });
    }
  }

  it("fully parenthesised", () => {
    fc.assert(
      fc.property(tree, (node) => {
        expectAgreement(node, renderFull(node));
      }),
      { numRuns: 1000 },
    );
  });

  it("with only the parentheses precedence needs", () => {
    fc.assert(
      fc.property(tree, fc.constantFrom("", " ", "  \n"), (node, space) => {
        expectAgreement(node, renderMinimal(node, space));
      }),
      { numRuns: 1000 },
    );
  });

  it("% is the floored modulo on integers", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -50, max: 50 }).filter((b) => b !== 0),
        (a, b) => {
          // `+ 0` turns the -0 that JS's % can give into the 0 a calculator shows.
          const expected = (((a % b) + b) % b) + 0;
          expect(evaluateExpression(`(${a}) % (${b})`)).toEqual({ ok: true, value: expected });
        },
      ),
    );
  });
});
