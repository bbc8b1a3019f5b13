/**
 * Runs the streaming inline-reasoning splitter over `pieces` and joins what it
 * emitted, so tests can compare streaming with the one-shot split.
 */
import {
  createInlineReasoningStream,
  type InlineReasoningOptions,
  type InlineReasoningSplit,
} from "../../src/model/reasoning/index.js";

export function streamReasoning(
  pieces: string[],
  options?: InlineReasoningOptions,
): InlineReasoningSplit {
  const splitter = createInlineReasoningStream(options);
  const out = { reasoning: "", content: "" };
  for (const part of [...pieces.map((piece) => splitter.push(piece)), splitter.finish()]) {
    out.reasoning += part.reasoning;
    out.content += part.content;
  }
  return out;
}
