/**
 * What a syntax check returns, and the limits every checker shares. Kept apart from the
 * checkers so the Python and TypeScript halves do not import each other.
 */

/** The languages the syntax check understands. */
export const SYNTAX_LANGUAGES = ["python", "typescript", "javascript"] as const;

/** One of {@link SYNTAX_LANGUAGES}. */
export type SyntaxLanguage = (typeof SYNTAX_LANGUAGES)[number];

/** Largest snippet accepted, in UTF-8 bytes (200 KiB). */
export const MAX_CODE_BYTES = 200 * 1024;

/** Default time one check may take before it is stopped, in milliseconds. */
export const DEFAULT_SYNTAX_TIMEOUT_MS = 5000;

/** Most errors listed in one answer; the rest are counted. */
export const MAX_LISTED_ERRORS = 20;

/** One syntax error. Positions are 1-based; `undefined` when the parser gave none. */
export interface SyntaxIssue {
  /** Line of the error, counting from 1. */
  line: number | undefined;
  /** Column of the error, counting from 1. */
  column: number | undefined;
  /** The parser's description of the problem. */
  message: string;
}

/**
 * The outcome of a syntax check:
 * - `ok`: the code parses;
 * - `errors`: it does not; `errors` lists the first few, `total` counts them all;
 * - `failed`: the check itself could not run (no interpreter, too large, timed out).
 */
export type SyntaxCheckResult =
  | { status: "ok" }
  | { status: "errors"; errors: SyntaxIssue[]; total: number }
  | { status: "failed"; reason: string };

/** The text a model gets for a result; one line per error, `line:column message`. */
export function formatSyntaxCheckResult(result: SyntaxCheckResult): string {
  if (result.status === "ok") return "OK: no syntax errors";
  if (result.status === "failed") return `Error: the syntax check could not run: ${result.reason}`;
  const lines = result.errors.map((issue) => {
    const where = issue.line === undefined ? "" : `${issue.line}:${issue.column ?? 1} `;
    return `${where}${issue.message}`;
  });
  const more = result.total - result.errors.length;
  if (more > 0) lines.push(`... and ${more} more`);
  const noun = result.total === 1 ? "syntax error" : "syntax errors";
  return [`Found ${result.total} ${noun}:`, ...lines].join("\n");
}
