/**
 * The tool half of the agent loop: turning a model message into tool calls the
 * loop can answer, and answering every one of them with a `ToolMessage`, even
 * when the tool does not exist, the arguments could not be parsed, or the tool
 * throws. The model then reads what went wrong and can try again; the run does
 * not crash on a model's mistake.
 */
import { randomUUID } from "node:crypto";
import { AIMessage, type AIMessageChunk, ToolMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { redactTokens } from "../src/errors.js";

/** Where `normalizeModelMessage` records calls whose arguments could not be parsed. */
const UNPARSED_KEY = "unparsed_tool_calls";

/** A tool call whose arguments the model sent in a form that could not be read. */
interface UnparsedCall {
  id: string;
  args: string;
  error: string;
}

function newCallId(): string {
  return `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

/**
 * Makes the model's message (streamed or not) a plain `AIMessage` whose `tool_calls` are
 * the complete list of calls to answer: every call gets an id, and calls whose
 * arguments were invalid (malformed JSON, natively or in hermes `<tool_call>`
 * text) become calls with empty arguments, so the conversation sent back to the
 * server pairs each call with exactly one tool message.
 */
export function normalizeModelMessage(chunk: AIMessageChunk | AIMessage): AIMessage {
  const raw = rawArguments(chunk);
  const calls: ToolCall[] = [];
  const unparsed: UnparsedCall[] = [];
  for (const call of chunk.tool_calls ?? []) {
    const id = call.id || newCallId();
    const text = call.id ? raw.get(call.id) : undefined;
    const error = text === undefined ? undefined : jsonError(text);
    if (error === undefined) calls.push({ ...call, id, type: "tool_call" });
    else {
      calls.push({ id, name: call.name, args: {}, type: "tool_call" });
      unparsed.push({ id, args: text ?? "", error });
    }
  }
  for (const invalid of chunk.invalid_tool_calls ?? []) {
    const id = invalid.id || newCallId();
    calls.push({ id, name: invalid.name ?? "", args: {}, type: "tool_call" });
    unparsed.push({ id, args: invalid.args ?? "", error: invalid.error ?? "invalid arguments" });
  }
  const { tool_calls: _raw, ...additional } = chunk.additional_kwargs;
  // No `id`: servers and proxies may reuse completion ids, and LangGraph's message
  // reducer would then replace an earlier message with a later one.
  return new AIMessage({
    content: chunk.content,
    tool_calls: calls,
    additional_kwargs:
      unparsed.length > 0 ? { ...additional, [UNPARSED_KEY]: unparsed } : additional,
    response_metadata: chunk.response_metadata,
    ...(chunk.usage_metadata === undefined ? {} : { usage_metadata: chunk.usage_metadata }),
  });
}

/**
 * The argument text of each streamed tool call, by id. LangChain reads streamed
 * arguments with a partial-JSON parser (`{"a": "1 +` becomes `{a: "1 +"}`), which
 * suits a live preview but would run a tool on arguments the model never finished.
 */
function rawArguments(chunk: AIMessageChunk | AIMessage): Map<string, string> {
  const texts = new Map<string, string>();
  for (const part of (chunk as Partial<AIMessageChunk>).tool_call_chunks ?? []) {
    if (part.id && typeof part.args === "string") texts.set(part.id, part.args);
  }
  return texts;
}

function jsonError(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : "not JSON";
  }
}

function unparsedCalls(message: AIMessage): Map<string, UnparsedCall> {
  const raw = message.additional_kwargs[UNPARSED_KEY];
  const list = Array.isArray(raw) ? (raw as UnparsedCall[]) : [];
  return new Map(list.map((call) => [call.id, call]));
}

/** A tool message's content as text, for events and error checks. */
export function toolMessageText(message: ToolMessage): string {
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content);
}

function errorMessage(call: ToolCall, id: string, content: string): ToolMessage {
  return new ToolMessage({
    content: redactTokens(content),
    tool_call_id: id,
    name: call.name,
    status: "error",
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Runs one tool call and always resolves to its `ToolMessage`, except when the
 * run was aborted (then the abort propagates, since nobody will read the answer).
 */
export async function runToolCall(
  call: ToolCall,
  message: AIMessage,
  tools: ReadonlyMap<string, StructuredToolInterface>,
  config: RunnableConfig,
): Promise<ToolMessage> {
  const id = call.id ?? newCallId();
  const unparsed = unparsedCalls(message).get(id);
  if (unparsed !== undefined) {
    return errorMessage(
      call,
      id,
      `Error: the arguments of this ${call.name ? `"${call.name}" ` : ""}tool call are not valid JSON ` +
        `(${unparsed.error}); received: ${unparsed.args.slice(0, 500)}. Send the arguments as one JSON object.`,
    );
  }
  const tool = tools.get(call.name);
  if (tool === undefined) {
    const names = [...tools.keys()];
    return errorMessage(
      call,
      id,
      `Error: there is no tool named "${call.name.slice(0, 100)}". ` +
        (names.length > 0 ? `Available tools: ${names.join(", ")}.` : "No tools are available."),
    );
  }
  try {
    const output: unknown = await tool.invoke({ ...call, id, type: "tool_call" }, config);
    if (ToolMessage.isInstance(output)) return output;
    // A tool that returns something else than a message (a custom StructuredTool): wrap it.
    return new ToolMessage({
      content: typeof output === "string" ? output : JSON.stringify(output),
      tool_call_id: id,
      name: call.name,
    });
  } catch (error) {
    if (config.signal?.aborted) throw error;
    return errorMessage(call, id, `Error: the tool "${call.name}" failed: ${describeError(error)}`);
  }
}
