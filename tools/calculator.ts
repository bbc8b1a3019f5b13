/**
 * The article's `calculator` tool without its hole: the article's version calls Python's
 * `eval` on whatever the model sends; this one evaluates arithmetic with the small parser
 * in `expression.ts` and nothing else, so no model output is ever run as code.
 */

import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { type EvaluationResult, evaluateExpression, MAX_EXPRESSION_LENGTH } from "./expression.js";
import { CONSTANTS, FUNCTIONS } from "./math-functions.js";
import { withReadableArgumentErrors } from "./readable-arguments.js";

export { type EvaluationResult, evaluateExpression };

/** Significant digits in the text the tool returns; hides binary noise such as 0.1 + 0.2. */
const DISPLAY_PRECISION = 15;

const calculatorSchema = z.object({
  expression: z
    .string()
    .describe(
      `The arithmetic expression to evaluate, at most ${MAX_EXPRESSION_LENGTH} characters, e.g. "sqrt(2) * (3 + 4)^2".`,
    ),
});

const CALCULATOR_DESCRIPTION = [
  "Evaluate an arithmetic expression and return its value. Use it instead of doing arithmetic in your head.",
  "Supports numbers (42, 2.5, 1e-3), + - * /, % (modulo, result has the divisor's sign),",
  "^ or ** (power, right-associative: 2^3^2 = 512; -2^2 = -4), parentheses and unary minus.",
  `Constants: ${[...CONSTANTS.keys()].join(", ")}.`,
  `Functions: ${[...FUNCTIONS.keys()].join(", ")}; log(x) is the natural log, log(x, base) any base;`,
  "round(x, digits) keeps digits decimals; min and max take any number of arguments; angles are in radians.",
  "No variables, assignments, units, strings or lists.",
  'Returns the number, or a message starting with "Error:" that says what to fix.',
].join(" ");

/**
 * Renders a result for the model: integers exactly, other values to
 * {@link DISPLAY_PRECISION} significant digits, and `-0` as `0`.
 */
export function formatCalculatorResult(result: EvaluationResult): string {
  if (!result.ok) return `Error: ${result.error}`;
  const { value } = result;
  if (value === 0) return "0";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(DISPLAY_PRECISION)));
}

/**
 * A LangChain tool named `calculator` that evaluates arithmetic safely.
 *
 * Arguments: `{ expression: string }`. It always resolves: to the value as text, or to a
 * string starting with `Error:` (bad syntax, division by zero, overflow, a domain error,
 * arguments that do not match the schema). Model text is parsed, never executed.
 *
 * @example
 * ```ts
 * await calculatorTool.invoke({ expression: "2^10 / 4" }); // "256"
 * ```
 */
export const calculatorTool = withReadableArgumentErrors(
  tool(
    async ({ expression }: { expression: string }): Promise<string> =>
      formatCalculatorResult(evaluateExpression(expression)),
    { name: "calculator", description: CALCULATOR_DESCRIPTION, schema: calculatorSchema },
  ),
  calculatorSchema,
  '{"expression": "2 * (3 + 4)"}',
);
