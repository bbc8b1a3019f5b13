/**
 * The calculator's whole vocabulary: a fixed table of constants and functions.
 *
 * Both tables are `Map`s so a lookup can only find what is listed here; a name such as
 * `constructor` or `__proto__` is not inherited from `Object.prototype` the way it would be
 * with a plain object. Angles are in radians.
 */

/** A function the calculator can call. */
export interface MathFunction {
  /** Fewest arguments accepted. */
  readonly minArgs: number;
  /** Most arguments accepted. */
  readonly maxArgs: number;
  /** How to call it, quoted in errors, e.g. `one argument, sqrt(x)`. */
  readonly usage: string;
  /** Returns why the arguments are outside the function's domain, or `undefined` if they fit. */
  readonly check?: (args: readonly number[]) => string | undefined;
  /** Computes the value; the caller rejects NaN and overflow afterwards. */
  readonly apply: (args: readonly number[]) => number;
}

/** The named constants. */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["pi", Math.PI],
  ["e", Math.E],
]);

/** Most arguments `min` and `max` take; the input length bounds them anyway. */
const VARIADIC_LIMIT = 100;
/** Most decimal places `round` keeps; beyond this a double has no more digits to round. */
const MAX_ROUND_DIGITS = 15;

function unary(
  name: string,
  fn: (x: number) => number,
  check?: (x: number) => string | undefined,
): MathFunction {
  return {
    minArgs: 1,
    maxArgs: 1,
    usage: `one argument, ${name}(x)`,
    ...(check === undefined ? {} : { check: (args) => check(first(args)) }),
    apply: (args) => fn(first(args)),
  };
}

function first(args: readonly number[]): number {
  return args[0] ?? Number.NaN;
}

function second(args: readonly number[]): number {
  return args[1] ?? Number.NaN;
}

const positive = (x: number): string | undefined =>
  x > 0 ? undefined : `the argument must be greater than 0, got ${x}`;

/** The functions, in the order they are listed to the model. */
export const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map<string, MathFunction>([
  [
    "sqrt",
    unary("sqrt", Math.sqrt, (x) =>
      x < 0 ? `the argument must be 0 or more, got ${x}` : undefined,
    ),
  ],
  ["cbrt", unary("cbrt", Math.cbrt)],
  ["abs", unary("abs", Math.abs)],
  ["sin", unary("sin", Math.sin)],
  ["cos", unary("cos", Math.cos)],
  ["tan", unary("tan", Math.tan)],
  ["asin", unary("asin", Math.asin, inUnitInterval)],
  ["acos", unary("acos", Math.acos, inUnitInterval)],
  ["atan", unary("atan", Math.atan)],
  [
    "log",
    {
      minArgs: 1,
      maxArgs: 2,
      usage: "one or two arguments, log(x) (natural) or log(x, base)",
      check: (args) => {
        if (args.length === 1) return positive(first(args));
        const base = second(args);
        if (base <= 0 || base === 1)
          return `the base must be greater than 0 and not 1, got ${base}`;
        return positive(first(args));
      },
      apply: (args) =>
        args.length === 1 ? Math.log(first(args)) : Math.log(first(args)) / Math.log(second(args)),
    },
  ],
  ["ln", unary("ln", Math.log, positive)],
  ["log10", unary("log10", Math.log10, positive)],
  ["log2", unary("log2", Math.log2, positive)],
  ["exp", unary("exp", Math.exp)],
  ["floor", unary("floor", Math.floor)],
  ["ceil", unary("ceil", Math.ceil)],
  [
    "round",
    {
      minArgs: 1,
      maxArgs: 2,
      usage: "one or two arguments, round(x) or round(x, digits)",
      check: (args) => {
        if (args.length === 1) return undefined;
        const digits = second(args);
        return Number.isInteger(digits) && digits >= 0 && digits <= MAX_ROUND_DIGITS
          ? undefined
          : `digits must be a whole number from 0 to ${MAX_ROUND_DIGITS}, got ${digits}`;
      },
      apply: (args) => roundHalfAwayFromZero(first(args), args.length === 1 ? 0 : second(args)),
    },
  ],
  [
    "min",
    {
      minArgs: 1,
      maxArgs: VARIADIC_LIMIT,
      usage: "one or more arguments, min(a, b, ...)",
      apply: (args) => Math.min(...args),
    },
  ],
  [
    "max",
    {
      minArgs: 1,
      maxArgs: VARIADIC_LIMIT,
      usage: "one or more arguments, max(a, b, ...)",
      apply: (args) => Math.max(...args),
    },
  ],
  [
    "pow",
    {
      minArgs: 2,
      maxArgs: 2,
      usage: "two arguments, pow(x, y)",
      check: (args) =>
        first(args) === 0 && second(args) < 0
          ? "0 raised to a negative power is a division by zero"
          : undefined,
      apply: (args) => first(args) ** second(args),
    },
  ],
]);

function inUnitInterval(x: number): string | undefined {
  return x >= -1 && x <= 1 ? undefined : `the argument must be between -1 and 1, got ${x}`;
}

/**
 * Rounds half away from zero (`round(2.5)` is 3, `round(-2.5)` is -3), as people and mathjs
 * do, unlike `Math.round` which rounds -2.5 to -2.
 */
function roundHalfAwayFromZero(x: number, digits: number): number {
  const scale = 10 ** digits;
  const scaled = Math.abs(x) * scale;
  // Past 2^53 a double has no fractional part left to round, and scaling could overflow.
  if (scaled >= Number.MAX_SAFE_INTEGER) return x;
  return (Math.sign(x) * Math.round(scaled)) / scale;
}

/**
 * The floored modulo: the result has the sign of the divisor (`-7 % 3` is 2), as in Python
 * and mathjs. A zero remainder is always `+0`. `b` must not be 0.
 */
export function floorMod(a: number, b: number): number {
  const remainder = a % b;
  // JS gives -0 for -4 % 2; a calculator answers 0.
  if (remainder === 0) return 0;
  return remainder < 0 !== b < 0 ? remainder + b : remainder;
}
