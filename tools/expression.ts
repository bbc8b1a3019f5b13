/**
 * A small arithmetic expression evaluator for the calculator tool.
 *
 * The article's calculator called Python's `eval` on model output, which runs any code the
 * model writes. This module replaces it with a recursive-descent parser that only knows
 * numbers, operators, parentheses and a fixed table of math functions and constants. Names
 * are looked up in `Map`s, never as properties of a host object, so `constructor`,
 * `__proto__` and friends are simply unknown names. Every limit is explicit: input length,
 * nesting depth, and the magnitude of every intermediate value.
 *
 * Grammar, lowest precedence first:
 *
 * ```text
 * expression := term (("+" | "-") term)*
 * term       := unary (("*" | "/" | "%") unary)*
 * unary      := ("+" | "-") unary | power
 * power      := primary (("^" | "**") unary)?      right-associative: 2^3^2 = 2^9
 * primary    := number | constant | name "(" arguments ")" | "(" expression ")"
 * ```
 *
 * Unary minus binds looser than power, as in mathematics and Python: `-2^2` is `-4`,
 * while `2^-1` is `0.5`. `%` is the floored modulo (the sign of the divisor), as in Python
 * and mathjs: `-7 % 3` is `2`.
 */

import { lexExpression, type Token } from "./expression-lexer.js";
import { CONSTANTS, FUNCTIONS, floorMod } from "./math-functions.js";

/** Longest expression accepted, in UTF-16 code units. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest nesting of parentheses, function calls, signs and powers accepted. */
export const MAX_NESTING_DEPTH = 64;
/** Largest magnitude any value (literal, intermediate or result) may have. */
export const MAX_MAGNITUDE = 1e308;

/** The outcome of {@link evaluateExpression}: a finite number or a message saying what is wrong. */
export type EvaluationResult = { ok: true; value: number } | { ok: false; error: string };

/** A problem in the expression; caught in {@link evaluateExpression}, never escapes it. */
class ExpressionError extends Error {}

/**
 * Evaluates an arithmetic expression such as `sqrt(2) * (3 + 4)^2`.
 *
 * Pure and total: for every input it returns a result and never throws. The value is always
 * finite with magnitude at most `MAX_MAGNITUDE` (1e308); division by zero, overflow, domain
 * errors (`sqrt(-1)`, `log(0)`), unknown names and syntax errors come back as
 * `{ ok: false, error }` with a message that says what to change.
 */
export function evaluateExpression(text: string): EvaluationResult {
  if (typeof text !== "string") {
    return { ok: false, error: "the expression must be a string" };
  }
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      error: `the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
    };
  }
  try {
    const lexed = lexExpression(text);
    if (!lexed.ok) return lexed;
    const value = new Parser(lexed.tokens).parseAll();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, error: error.message };
    // Defensive: the parser only throws ExpressionError, but the contract is "never throws".
    return { ok: false, error: "the expression could not be evaluated" };
  }
}

/** Rejects NaN, infinities and values beyond {@link MAX_MAGNITUDE}, naming what produced them. */
function checked(value: number, what: string): number {
  if (Number.isNaN(value)) {
    throw new ExpressionError(`${what} is not a real number`);
  }
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
    throw new ExpressionError(`${what} overflows: the limit is ±${MAX_MAGNITUDE}`);
  }
  return value;
}

/** Renders a number as an operand, bracketing negatives so `(-8)^0.5` reads unambiguously. */
function operand(value: number): string {
  return value < 0 ? `(${value})` : String(value);
}

/** Shortens model-supplied text before it is quoted back in an error message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Parses and evaluates in one pass; the grammar is small enough that no tree is needed. */
class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): number {
    if (this.tokens.length === 0) {
      throw new ExpressionError("the expression is empty; write something like 2 * (3 + 4)");
    }
    const value = this.parseExpression();
    const next = this.peek();
    if (next !== undefined) {
      const hint =
        next.kind === "number" || next.kind === "name" || next.text === "("
          ? " (missing operator? write 2 * x, not 2x)"
          : "";
      throw new ExpressionError(`unexpected ${quote(next.text)} at position ${next.column}${hint}`);
    }
    return value;
  }

  private parseExpression(): number {
    let value = this.parseTerm();
    for (let op = this.peekOperator("+", "-"); op; op = this.peekOperator("+", "-")) {
      this.position++;
      const right = this.parseTerm();
      value = checked(op === "+" ? value + right : value - right, "the sum");
    }
    return value;
  }

  private parseTerm(): number {
    let value = this.parseUnary();
    for (let op = this.peekOperator("*", "/", "%"); op; op = this.peekOperator("*", "/", "%")) {
      this.position++;
      const right = this.parseUnary();
      if (op === "*") {
        value = checked(value * right, "the product");
      } else if (right === 0) {
        throw new ExpressionError(op === "/" ? "division by zero" : "modulo by zero");
      } else {
        value = op === "/" ? checked(value / right, "the quotient") : floorMod(value, right);
      }
    }
    return value;
  }

  /** Every nesting level passes through here, so this is where depth is bounded. */
  private parseUnary(): number {
    this.depth++;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw new ExpressionError(
        `the expression nests too deeply; the limit is ${MAX_NESTING_DEPTH} levels`,
      );
    }
    const sign = this.peekOperator("+", "-");
    let value: number;
    if (sign) {
      this.position++;
      const operand = this.parseUnary();
      value = sign === "-" ? -operand : operand;
    } else {
      value = this.parsePower();
    }
    this.depth--;
    return value;
  }

  private parsePower(): number {
    const base = this.parsePrimary();
    if (!this.peekOperator("^", "**")) return base;
    this.position++;
    // The exponent is parsed as a unary so that 2^-1 works and 2^3^2 groups to the right.
    const exponent = this.parseUnary();
    if (base === 0 && exponent < 0) {
      throw new ExpressionError("division by zero (0 raised to a negative power)");
    }
    return checked(base ** exponent, `${operand(base)}^${operand(exponent)}`);
  }

  private parsePrimary(): number {
    const token = this.next("a number, a name or (");
    if (token.kind === "number") {
      return checked(token.value, `the number ${quote(token.text)}`);
    }
    if (token.text === "(") {
      const value = this.parseExpression();
      this.expect(")", `to close the ( at position ${token.column}`);
      return value;
    }
    if (token.kind === "name") {
      return this.parseName(token);
    }
    throw new ExpressionError(
      `unexpected ${quote(token.text)} at position ${token.column}; expected a number, a name or (`,
    );
  }

  private parseName(token: Token): number {
    const name = token.text;
    const isCall = this.peek()?.text === "(";
    const constant = CONSTANTS.get(name);
    if (constant !== undefined) {
      if (isCall) throw new ExpressionError(`${name} is a constant, not a function`);
      return constant;
    }
    const fn = FUNCTIONS.get(name);
    if (fn === undefined) {
      throw new ExpressionError(
        `unknown name ${quote(name)} at position ${token.column}; known constants: ` +
          `${[...CONSTANTS.keys()].join(", ")}; known functions: ${[...FUNCTIONS.keys()].join(", ")}`,
      );
    }
    if (!isCall) throw new ExpressionError(`${name} is a function; call it like ${name}(2)`);
    this.position++;
    const args: number[] = [];
    if (this.peek()?.text !== ")") {
      args.push(this.parseExpression());
      while (this.peek()?.text === ",") {
        this.position++;
        args.push(this.parseExpression());
      }
    }
    this.expect(")", `to close the call to ${name}`);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      throw new ExpressionError(`${name} takes ${fn.usage}; it was given ${args.length}`);
    }
    const problem = fn.check?.(args);
    if (problem !== undefined) throw new ExpressionError(`${name}: ${problem}`);
    return checked(fn.apply(args), `${name}(${args.join(", ")})`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  /** Returns the current token's text if it is one of `ops`, without consuming it. */
  private peekOperator(...ops: string[]): string | undefined {
    const token = this.peek();
    return token?.kind === "operator" && ops.includes(token.text) ? token.text : undefined;
  }

  private next(expected: string): Token {
    const token = this.peek();
    if (token === undefined) {
      throw new ExpressionError(`the expression ends too early; expected ${expected}`);
    }
    this.position++;
    return token;
  }

  private expect(text: string, why: string): void {
    const token = this.peek();
    if (token?.text !== text) {
      const found =
        token === undefined ? "the end" : `${quote(token.text)} at position ${token.column}`;
      throw new ExpressionError(`expected ${JSON.stringify(text)} ${why}, found ${found}`);
    }
    this.position++;
  }
}
