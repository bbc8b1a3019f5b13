/**
 * What a syntax check returns, and the limits every checker shares. Kept apart from the
 * checkers so the Python and TypeScript halves do not import each other.
 */

/** The languages the syntax check understands. */
export const SYNTAX_LANGUAGES = ["python", "typescript", "javascript"] as const;

/** One of `SYNTAX_LANGUAGES`: `"python"`, `"typescript"` or `"javascript"`. */
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
 * Why a check could not run, when the application can act on it:
 * `MISSING_PEER` means the optional peer `typescript` (in a supported version) is not
 * installed, so TypeScript and JavaScript cannot be checked; Python still can.
 */
export type SyntaxFailureCode = "MISSING_PEER";

/**
 * The outcome of a syntax check:
 * - `ok`: the code parses;
 * - `errors`: it does not; `errors` lists the first few, `total` counts them all;
 * - `failed`: the check itself could not run (no interpreter, too large, timed out); `code`
 *   is set when the reason is one the application can fix (`MISSING_PEER`).
 */
export type SyntaxCheckResult =
  | { status: "ok" }
  | { status: "errors"; errors: SyntaxIssue[]; total: number }
  | { status: "failed"; reason: string; code?: SyntaxFailureCode };

/** The text a model gets for a result; one line per error, `line:column message`. */
export function formatSyntaxCheckResult(result: SyntaxCheckResult): string {
  if (result.status === "ok") return "OK: no syntax errors";
  if (result.status === "failed") {
    const code = result.code === undefined ? "" : ` (${result.code})`;
    return `Error: the syntax check could not run${code}: ${result.reason}`;
  }
  const lines = result.errors.map((issue) => {
    const where = issue.line === undefined ? "" : `${issue.line}:${issue.column ?? 1} `;
    return `${where}${issue.message}`;
  });
  const more = result.total - result.errors.length;
  if (more > 0) lines.push(`... and ${more} more`);
  const noun = result.total === 1 ? "syntax error" : "syntax errors";
  return [`Found ${result.total} ${noun}:`, ...lines].join("\n");
}
