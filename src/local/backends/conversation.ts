/**
 * A read-only view of the parts of a chat request that scripts match on. It
 * reads untrusted message objects defensively: any field may be missing or of
 * the wrong type, and nothing here throws.
 */

/** The most text of one message that rules look at; longer texts are cut, which bounds regex work. */
const MAX_MATCH_CHARS = 100_000;

/** A tool the request offers, as the demo model sees it. */
export interface OfferedTool {
  name: string;
  description: string;
  /** The JSON schema of the arguments (`{}` when absent). */
  parameters: Record<string, unknown>;
}

/** What scripts match on and fill placeholders from. */
export interface ConversationView {
  /** Role of the last message, if any. */
  lastRole: string | undefined;
  /** Text of the last `user` message ("" when there is none). */
  lastUser: string;
  /** The bodies of the fenced code blocks in the last user message, joined by a blank line. */
  code: string;
  /** All system (and developer) messages joined. */
  system: string;
  /** The latest tool result after the last user message, if any. */
  toolResult: string | undefined;
  /** The name of the tool that produced {@link toolResult}, when it can be told. */
  toolResultName: string | undefined;
  /** The characters of the whole prompt (messages and tool definitions), for usage counts. */
  promptChars: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The text of a message `content`: a string, or the `text` of each part of an array. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === "string") texts.push(part);
    else if (isRecord(part) && typeof part.text === "string") texts.push(part.text);
  }
  return texts.join("\n");
}

/** The bodies of all fenced code blocks (```lang ... ```) in `text`. */
export function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  const fence = /```[^\n`]*\n([\s\S]*?)```/g;
  // The newline before the closing fence belongs to the fence, not to the code.
  for (const match of text.matchAll(fence)) blocks.push((match[1] ?? "").replace(/\r?\n$/, ""));
  return blocks;
}

/** The name of the tool an assistant message called with `id`, searching backwards from `before`. */
function toolNameForCall(messages: unknown[], before: number, id: unknown): string | undefined {
  for (let i = before - 1; i >= 0; i--) {
    const message = messages[i];
    if (!isRecord(message) || message.role !== "assistant" || !Array.isArray(message.tool_calls)) {
      continue;
    }
    for (const call of message.tool_calls) {
      if (!isRecord(call) || !isRecord(call.function)) continue;
      if ((id === undefined || call.id === id) && typeof call.function.name === "string") {
        return call.function.name;
      }
    }
  }
  return undefined;
}

/** Tools offered by the request that have a usable function name; others are skipped. */
export function offeredTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  const result: OfferedTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || !isRecord(tool.function)) continue;
    const fn = tool.function;
    if (typeof fn.name !== "string" || fn.name === "") continue;
    result.push({
      name: fn.name,
      description: typeof fn.description === "string" ? fn.description : "",
      parameters: isRecord(fn.parameters) ? fn.parameters : {},
    });
  }
  return result;
}

/** Builds the {@link ConversationView} of a request's `messages` and `tools`. */
export function viewConversation(messages: unknown, tools: unknown): ConversationView {
  const list = Array.isArray(messages) ? messages : [];
  let lastUserIndex = -1;
  let promptChars = 0;
  const system: string[] = [];
  for (const [index, message] of list.entries()) {
    if (!isRecord(message)) continue;
    const text = contentText(message.content);
    promptChars += text.length;
    if (message.role === "user") lastUserIndex = index;
    if (message.role === "system" || message.role === "developer") system.push(text);
  }
  if (Array.isArray(tools)) promptChars += JSON.stringify(tools).length;

  const lastUserMessage = list[lastUserIndex];
  const lastUser = isRecord(lastUserMessage)
    ? contentText(lastUserMessage.content).slice(0, MAX_MATCH_CHARS)
    : "";

  let toolResult: string | undefined;
  let toolResultName: string | undefined;
  for (let i = list.length - 1; i > lastUserIndex; i--) {
    const message = list[i];
    if (!isRecord(message) || message.role !== "tool") continue;
    toolResult = contentText(message.content).slice(0, MAX_MATCH_CHARS);
    toolResultName =
      typeof message.name === "string"
        ? message.name
        : toolNameForCall(list, i, message.tool_call_id);
    break;
  }

  const last = list.at(-1);
  return {
    lastRole: isRecord(last) && typeof last.role === "string" ? last.role : undefined,
    lastUser,
    code: fencedBlocks(lastUser).join("\n\n"),
    system: system.join("\n").slice(0, MAX_MATCH_CHARS),
    toolResult,
    toolResultName,
    promptChars,
  };
}
