/**
 * A syntax check a code reviewer can call on a snippet without running it: Python through
 * `python3`'s own parser in a separate process, TypeScript and JavaScript through the
 * `typescript` compiler's parser in a worker thread. Both are parse-only and time-limited;
 * see `python-syntax.ts` and `typescript-syntax.ts` for how each keeps the code inert.
 */

import { type DynamicStructuredTool, tool } from "@langchain/core/tools";
import { z } from "zod";
import { checkPythonSyntax } from "./python-syntax.js";
import { withReadableArgumentErrors } from "./readable-arguments.js";
import {
  DEFAULT_SYNTAX_TIMEOUT_MS,
  formatSyntaxCheckResult,
  MAX_CODE_BYTES,
  SYNTAX_LANGUAGES,
  type SyntaxCheckResult,
  type SyntaxLanguage,
} from "./syntax-result.js";
import { checkTypeScriptSyntax } from "./typescript-syntax.js";

export {
  formatSyntaxCheckResult,
  MAX_CODE_BYTES,
  SYNTAX_LANGUAGES,
  type SyntaxCheckResult,
  type SyntaxFailureCode,
  type SyntaxIssue,
  type SyntaxLanguage,
} from "./syntax-result.js";
export { TYPESCRIPT_PEER_RANGE } from "./typescript-syntax.js";

/** Settings for the syntax check, chosen by the application, never by the model. */
export interface SyntaxCheckOptions {
  /**
   * Longest a single check may take before it is stopped, in milliseconds.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * The Python 3 interpreter used for Python code, looked up on `PATH`.
   * @default "python3"
   */
  pythonCommand?: string;
}

/**
 * Checks that `code` parses as `language`, without executing, importing or type-checking it.
 *
 * Never rejects. Code over `MAX_CODE_BYTES` (200 KiB), an unknown language, a missing `python3`
 * or a parse that runs past the time limit give `{ status: "failed", reason }`. TypeScript and
 * JavaScript need the optional peer `typescript` (`TYPESCRIPT_PEER_RANGE`, `^5.0.0 || ^6.0.0`);
 * without it they give `{ status: "failed", code: "MISSING_PEER", reason }` naming the install
 * command.
 */
export async function checkSyntax(
  language: SyntaxLanguage,
  code: string,
  options: SyntaxCheckOptions = {},
): Promise<SyntaxCheckResult> {
  if (typeof code !== "string") return { status: "failed", reason: "the code must be a string" };
  const bytes = Buffer.byteLength(code, "utf8");
  if (bytes > MAX_CODE_BYTES) {
    return {
      status: "failed",
      reason: `the code is ${Math.ceil(bytes / 1024)} KiB; the limit is ${MAX_CODE_BYTES / 1024} KiB, so check a smaller part`,
    };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_SYNTAX_TIMEOUT_MS;
  switch (language) {
    case "python":
      return checkPythonSyntax(code, {
        pythonCommand: options.pythonCommand ?? "python3",
        timeoutMs,
      });
    case "typescript":
    case "javascript":
      return checkTypeScriptSyntax(code, language, timeoutMs);
    default:
      return {
        status: "failed",
        reason: `unknown language ${JSON.stringify(String(language)).slice(0, 60)}; use one of ${SYNTAX_LANGUAGES.join(", ")}`,
      };
  }
}

/** The zod schema of the `syntax_check` tool's arguments ({@link SyntaxCheckArgs}). */
export const syntaxCheckSchema = z.object({
  language: z.enum(SYNTAX_LANGUAGES).describe("The language the code is written in."),
  code: z
    .string()
    .describe(`The complete source code to check, at most ${MAX_CODE_BYTES / 1024} KiB.`),
});

const SYNTAX_CHECK_DESCRIPTION = [
  "Check a code snippet for syntax errors without running it.",
  `language is one of ${SYNTAX_LANGUAGES.join(", ")}; code is the source text.`,
  'Returns "OK: no syntax errors", or "Found N syntax errors:" followed by one line per error',
  "as line:column message (Python reports only its first error).",
  "It only parses: it does not run, import, type-check or lint the code, so it cannot find",
  "logic or type errors. TypeScript may use TSX; JavaScript may use JSX.",
].join(" ");

/**
 * Builds the `syntax_check` tool with application-chosen settings, e.g. a different
 * interpreter path or time limit.
 */
export function createSyntaxCheckTool(options: SyntaxCheckOptions = {}): SyntaxCheckTool {
  return withReadableArgumentErrors(
    tool(
      async ({ language, code }: SyntaxCheckArgs): Promise<string> =>
        formatSyntaxCheckResult(await checkSyntax(language, code, options)),
      { name: "syntax_check", description: SYNTAX_CHECK_DESCRIPTION, schema: syntaxCheckSchema },
    ),
    syntaxCheckSchema,
    '{"language": "python", "code": "def add(a: int, b: int) -> int:\\n    return a + b\\n"}',
  );
}

/** The arguments of {@link syntaxCheckTool}. */
export type SyntaxCheckArgs = z.infer<typeof syntaxCheckSchema>;

/** The type of {@link syntaxCheckTool}: a LangChain structured tool answering with text. */
export type SyntaxCheckTool = DynamicStructuredTool<
  typeof syntaxCheckSchema,
  SyntaxCheckArgs,
  SyntaxCheckArgs,
  string
>;

/**
 * A LangChain tool named `syntax_check`: `{ language: "python" | "typescript" |
 * "javascript", code: string }` in, `"OK: no syntax errors"` or a list of
 * `line:column message` errors out. The code is parsed, never executed; the answer is
 * always a string, starting with `Error:` when the check could not run.
 *
 * @example
 * ```ts
 * await syntaxCheckTool.invoke({ language: "python", code: "def f(:\n  pass" });
 * // "Found 1 syntax error:\n1:7 invalid syntax"
 * ```
 */
export const syntaxCheckTool: SyntaxCheckTool = createSyntaxCheckTool();
