/**
 * Turns the text inside one `<tool_call>` block into a tool call or an invalid tool
 * call. Never throws: every way the model can get it wrong becomes an error string.
 *
 * @internal
 */
import { randomUUID } from "node:crypto";
import type { HermesInvalidToolCall, HermesToolCall } from "./types.js";

/** The default id: OpenAI's `call_` prefix and 24 random hex digits. */
export function randomToolCallId(): string {
  return `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads `"name": "..."` out of text that is not valid JSON, so an error can name the tool. */
function salvageName(raw: string): string | undefined {
  const match = /"name"\s*:\s*("(?:[^"\\\n]|\\.)*")/.exec(raw);
  if (match?.[1] === undefined) return undefined;
  try {
    const name: unknown = JSON.parse(match[1]);
    return typeof name === "string" && name !== "" ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Interprets one block body.
 *
 * `arguments` must be an object; a JSON string that decodes to an object is accepted
 * too, because some models write the arguments pre-encoded (vLLM would pass those on
 * double-encoded). Extra keys next to `name` and `arguments` are ignored.
 */
export function interpretToolCallBody(
  body: string,
  id: string,
  index: number,
  terminated: boolean,
): HermesToolCall | HermesInvalidToolCall {
  const raw = body.trim();
  const invalid = (error: string, name?: string): HermesInvalidToolCall => ({
    ...(name === undefined ? {} : { name }),
    args: raw,
    id,
    error: terminated
      ? error
      : `${error} (the <tool_call> block has no closing </tool_call>; the output may have been cut off)`,
    index,
    type: "invalid_tool_call",
  });

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return invalid(`tool call is not valid JSON: ${errorText(error)}`, salvageName(raw));
  }
  // A block only opens before `{`, so anything that parsed is an object; this narrows the type.
  const call: Record<string, unknown> = isPlainObject(parsed) ? parsed : {};
  const { name } = call;
  if (typeof name !== "string" || name === "") {
    return invalid('tool call needs "name": a non-empty string naming the function');
  }
  if (!("arguments" in call)) {
    return invalid('tool call needs "arguments": a JSON object ({} for none)', name);
  }
  let args = call.arguments;
  if (typeof args === "string") {
    try {
      args = JSON.parse(args);
    } catch {
      return invalid('"arguments" is a string that does not hold a JSON object', name);
    }
  }
  if (!isPlainObject(args)) {
    return invalid('"arguments" must be a JSON object ({} for none)', name);
  }
  return { name, args, id, type: "tool_call" };
}
