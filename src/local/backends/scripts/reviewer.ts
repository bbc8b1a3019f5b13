/**
 * `reviewer`: the demo model behind the reviewer agent of the coder/reviewer graph.
 *
 * Contract (what the graph can rely on):
 *
 * - Input: the last user message holds the code to review in a fenced block
 *   (```python ... ```), usually after the task text.
 * - Verdict: `{ "approved": boolean, "comments": string[] }`.
 *   - The code contains `raise ValueError` (input validation, which the
 *     `coder` script's version 2 has): `approved: true`, one comment.
 *   - Otherwise: `approved: false` with exactly one concrete change to make
 *     (add input validation raising ValueError; worded for the demo programs
 *     `celsius_to_fahrenheit` and `format_duration`, generic for other code).
 *   - No fenced code at all: `approved: false`, asking for the code.
 * - How the verdict comes back, depending on the request:
 *   - `response_format: {type: "json_schema", ...}`: content is the verdict as
 *     JSON, fitted to the schema (use the property names `approved` and
 *     `comments` for the scripted values to come through);
 *   - `response_format: {type: "json_object"}`: content is the verdict JSON;
 *   - a named `tool_choice` (LangChain `withStructuredOutput`, method
 *     `functionCalling`): one call of that function whose arguments are the
 *     verdict fitted to its parameters schema; finish_reason `stop`;
 *   - neither: prose whose first line starts with `APPROVED: ` or
 *     `CHANGES REQUESTED: `, followed by the comment.
 * - Optional tool use: when a tool whose name contains `syntax` or `lint` is
 *   offered (tool_choice auto) and the last message is the user's, it first
 *   calls that tool once (its `code`/`source` argument gets the fenced code),
 *   then gives the verdict after the tool result. Other tools (the calculator)
 *   are not called.
 */
import type { Script, ScriptRule } from "../script-types.js";
import { demoPrograms } from "./programs.js";

const APPROVAL =
  "Input validation is in place; the function is correct, typed, documented and follows PEP 8.";
const GENERIC_CHANGE =
  "Validate the input: raise ValueError with a clear message for values the function cannot " +
  "handle, and document it in a Raises section of the docstring.";
const NO_CODE = "No code to review: include the code in a fenced ```python block in the message.";

function requestChanges(comment: string): ScriptRule["reply"] {
  return {
    json: { approved: false, comments: [comment] },
    text: `CHANGES REQUESTED: ${comment}`,
    reasoning:
      "The code works for valid input but does not validate its input. That is the one change to ask for.",
  };
}

const programReviews: ScriptRule[] = demoPrograms.map((program) => ({
  name: `request validation in ${program.functionName}`,
  when: { code: `def ${program.functionName}\\b` },
  reply: requestChanges(program.reviewComment),
}));

/** The reviewer's script: one requested change for version 1, approval for the validated version. */
export const reviewerScript: Script = {
  name: "reviewer",
  description: "Requests input validation once, approves code that raises ValueError.",
  rules: [
    {
      name: "check the syntax first",
      when: { lastRole: "user", code: "\\S", toolOffered: "syntax|lint" },
      reply: {
        tool: "syntax|lint",
        reasoning: "Before judging the code I will check that it parses.",
      },
    },
    {
      name: "approve validated code",
      when: { code: "raise ValueError" },
      reply: {
        json: { approved: true, comments: [APPROVAL] },
        text: `APPROVED: ${APPROVAL}`,
        reasoning: "The code validates its input now. It is correct, typed and documented.",
      },
    },
    ...programReviews,
    { name: "request validation", when: { code: "\\S" }, reply: requestChanges(GENERIC_CHANGE) },
    { name: "ask for the code", reply: requestChanges(NO_CODE) },
  ],
};
