/**
 * The one-shot hermes parser: a complete assistant message in, content and tool calls out.
 */
import { OPEN_TAG } from "./scanner.js";
import { createHermesStreamParser } from "./stream.js";
import type { HermesParseOptions, HermesParseResult } from "./types.js";

/**
 * Extracts hermes-format tool calls (`<tool_call>{"name": ..., "arguments": {...}}</tool_call>`)
 * from a model's text, as a vLLM container without a server-side tool parser returns them.
 *
 * **Tool-call position.** Scanning left to right, an opening tag `<tool_call>` starts a
 * tool-call block exactly when all of these hold:
 * 1. It is followed, after optional JSON whitespace (space, tab, CR, LF), by `{`.
 * 2. It is not inside a fenced code block: a line starting with up to three spaces and
 *    then three or more backticks (with no backtick later on that line) or tildes opens
 *    one; a line of up to three spaces, at least as many of the same character, and
 *    only spaces or tabs after them closes it. An unclosed fence runs to the end.
 * 3. It is not inside an inline code span: outside fences, a run of N backticks opens a
 *    span that ends after the next run of exactly N backticks, or at the end of the
 *    line. (CommonMark lets spans cross lines and treats an unmatched run as literal;
 *    ending at the line is the cautious middle ground, so a stray backtick hides tags
 *    for the rest of that line only.)
 * 4. It is not inside an earlier block.
 * Indented code blocks and HTML are not recognised; neither is a tag in other
 * letter case. A tag that fails these rules stays in `content` as written.
 *
 * **Block end.** A block ends at the first `</tool_call>` that is not inside a JSON
 * string literal, so arguments may contain the closing tag as text. If there is none,
 * the block is unterminated: when everything after the opening tag is valid JSON it runs
 * to the end of the output (vLLM accepts such a last call too). Otherwise, and whenever a
 * string literal in the block holds a raw line break (which JSON forbids, so the JSON is
 * broken anyway), the block ends at the first `</tool_call>` after the opening tag, as
 * vLLM's lazy match does, or at the end of the output if there is no closing tag at all.
 *
 * **Each block** becomes a {@link HermesToolCall} when its text is a JSON object with a
 * non-empty string `name` and an object `arguments` (or a string that decodes to a JSON
 * object); otherwise it becomes a {@link HermesInvalidToolCall} carrying the raw text
 * and the reason. One broken block does not affect the others (vLLM instead returns
 * the whole output as content).
 *
 * **Content.** Each block is removed together with the whitespace run right before it;
 * all other text, including text between and after blocks, is kept verbatim. (vLLM keeps
 * only the text before the first call; we keep the rest so nothing the model said is
 * lost.) Output with no block comes back unchanged.
 *
 * Never throws. Give `<think>` reasoning to {@link splitInlineReasoning} first: tool calls
 * are read from the text after the reasoning, as vLLM does.
 *
 * @example
 * ```ts
 * const { content, toolCalls } = parseHermesToolCalls(
 *   'Checking.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>',
 * );
 * // content === "Checking."
 * // toolCalls[0] → { name: "get_weather", args: { city: "Paris" }, id: "call_…", type: "tool_call" }
 * ```
 */
export function parseHermesToolCalls(
  content: string,
  options: HermesParseOptions = {},
): HermesParseResult {
  if (!content.includes(OPEN_TAG)) return { content, toolCalls: [], invalidToolCalls: [] };
  const parser = createHermesStreamParser(options);
  parser.push(content);
  return parser.finish().result;
}
