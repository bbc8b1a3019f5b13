/**
 * Splits a calculator expression into tokens. Linear in the input: each regular expression
 * is anchored at the current position (sticky) and has no nested quantifiers, so no input
 * can make it backtrack.
 */

/** One token of an expression; `column` is 1-based, in UTF-16 code units. */
export type Token =
  | { kind: "number"; text: string; value: number; column: number }
  | { kind: "name" | "operator" | "punctuation"; text: string; column: number };

/** The tokens of an expression, or a message naming the first character that is not allowed. */
export type LexResult = { ok: true; tokens: Token[] } | { ok: false; error: string };

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const WHITESPACE = /[ \t\r\n]+/y;
const OPERATOR = /\*\*|[-+*/%^]/y;
const PUNCTUATION = /[(),]/y;

/** Why common characters that are not part of the language are refused, said to the model. */
const HINTS: ReadonlyMap<string, string> = new Map([
  ["=", "assignments and comparisons are not supported"],
  ["[", "lists and matrices are not supported"],
  ["]", "lists and matrices are not supported"],
  ["{", "objects are not supported"],
  ['"', "strings are not supported"],
  ["'", "strings are not supported"],
  [".", "property access is not supported"],
  ["×", "write * for multiplication"],
  ["÷", "write / for division"],
  ["−", "write - (ASCII hyphen-minus) for subtraction"],
  ["!", "factorial is not supported"],
]);

/** Tokenizes `text`; never throws. */
export function lexExpression(text: string): LexResult {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const column = index + 1;
    const space = matchAt(WHITESPACE, text, index);
    if (space !== undefined) {
      index += space.length;
      continue;
    }
    const number = matchAt(NUMBER, text, index);
    if (number !== undefined) {
      tokens.push({ kind: "number", text: number, value: Number(number), column });
      index += number.length;
      continue;
    }
    const name = matchAt(NAME, text, index);
    if (name !== undefined) {
      tokens.push({ kind: "name", text: name, column });
      index += name.length;
      continue;
    }
    const operator = matchAt(OPERATOR, text, index);
    if (operator !== undefined) {
      tokens.push({ kind: "operator", text: operator, column });
      index += operator.length;
      continue;
    }
    const punctuation = matchAt(PUNCTUATION, text, index);
    if (punctuation !== undefined) {
      tokens.push({ kind: "punctuation", text: punctuation, column });
      index += punctuation.length;
      continue;
    }
    // A whole code point, so an emoji is quoted as itself rather than half a surrogate pair.
    const character = String.fromCodePoint(text.codePointAt(index) ?? 0);
    const hint = HINTS.get(character);
    return {
      ok: false,
      error:
        `unexpected character ${JSON.stringify(character)} at position ${column}` +
        (hint === undefined ? "" : `: ${hint}`),
    };
  }
  return { ok: true, tokens };
}

function matchAt(pattern: RegExp, text: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(text)?.[0];
}
