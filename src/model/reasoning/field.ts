/**
 * Reads the reasoning text vLLM puts next to `content` when it runs a reasoning parser.
 */

/**
 * Returns the reasoning text of a chat-completion `message` or streamed `delta`: the
 * `reasoning` field (current vLLM) or else `reasoning_content` (vLLM before PR #33402,
 * and servers copying DeepSeek's name). Versions that send both send the same text, so
 * only one is read. Returns `undefined` when neither holds a string, including for a
 * value that is not an object.
 */
export function readReasoningField(messageOrDelta: unknown): string | undefined {
  if (typeof messageOrDelta !== "object" || messageOrDelta === null) return undefined;
  const { reasoning, reasoning_content: reasoningContent } = messageOrDelta as Record<
    string,
    unknown
  >;
  if (typeof reasoning === "string") return reasoning;
  if (typeof reasoningContent === "string") return reasoningContent;
  return undefined;
}
