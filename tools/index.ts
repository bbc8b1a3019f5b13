/**
 * Tools for agents that never execute model output.
 *
 * - `calculatorTool` (`calculator`): arithmetic through a small parser instead of `eval`;
 *   `evaluateExpression` is the same evaluator as a pure function.
 * - `syntaxCheckTool` (`syntax_check`): parse-only syntax check of Python, TypeScript or
 *   JavaScript, time-limited, outside the main thread; `checkSyntax` is the same check as a
 *   function. TypeScript and JavaScript need the optional peer `typescript`
 *   (`TYPESCRIPT_PEER_RANGE`); without it the tool answers with a `MISSING_PEER` error.
 *
 * Both always answer with a string (errors start with `Error:`), including when the model
 * sends arguments that do not match the schema.
 *
 * @packageDocumentation
 */

export {
  calculatorTool,
  type EvaluationResult,
  evaluateExpression,
  formatCalculatorResult,
} from "./calculator.js";
export { MAX_EXPRESSION_LENGTH, MAX_MAGNITUDE, MAX_NESTING_DEPTH } from "./expression.js";
export { describeInvalidArguments, withReadableArgumentErrors } from "./readable-arguments.js";
export {
  checkSyntax,
  createSyntaxCheckTool,
  formatSyntaxCheckResult,
  MAX_CODE_BYTES,
  SYNTAX_LANGUAGES,
  type SyntaxCheckArgs,
  type SyntaxCheckOptions,
  type SyntaxCheckResult,
  type SyntaxCheckTool,
  type SyntaxFailureCode,
  type SyntaxIssue,
  type SyntaxLanguage,
  syntaxCheckSchema,
  syntaxCheckTool,
  TYPESCRIPT_PEER_RANGE,
} from "./syntax-check.js";
