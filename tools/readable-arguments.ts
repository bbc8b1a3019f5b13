/**
 * Makes a LangChain tool answer malformed arguments with a message instead of an exception.
 *
 * `tool()` from `@langchain/core/tools` validates arguments against the zod schema and, when
 * they do not match, throws `ToolInputParsingException` before the tool's function runs.
 * Whether a model ever sees that depends on the agent loop around it (LangGraph's `ToolNode`
 * turns it into a message; a hand-written loop may crash). Tools in this folder catch it
 * themselves, so a model that sends `{"expr": "1+1"}` gets a tool message saying which field
 * is wrong and how a correct call looks, whatever loop runs it.
 */

import { ToolMessage } from "@langchain/core/messages";
import {
  type DynamicStructuredTool,
  ToolInputParsingException,
  type ToolRunnableConfig,
} from "@langchain/core/tools";
import { z } from "zod";

/** The signature every `call` override below has; LangChain's own is generic over the schema. */
type ToolCallFunction = (
  arg: unknown,
  config?: ToolRunnableConfig,
  tags?: string[],
) => Promise<unknown>;

/**
 * Wraps `built.call` (which `invoke` goes through) so that argument validation failures
 * resolve to a readable error instead of rejecting.
 *
 * The result is a `ToolMessage` with `status: "error"` when the tool was invoked with a tool
 * call (the way agents call tools), otherwise the plain error string. Other errors, such as
 * an aborted signal, still reject.
 *
 * @param built - a tool made with `tool()`; it is modified in place and returned.
 * @param schema - the zod schema the tool was built with, used to describe what is wrong.
 * @param example - a correct call, shown to the model, e.g. `{"expression": "2 * (3 + 4)"}`.
 */
export function withReadableArgumentErrors<T extends DynamicStructuredTool>(
  built: T,
  schema: z.ZodType,
  example: string,
): T {
  const call = built.call.bind(built) as ToolCallFunction;
  const guarded: ToolCallFunction = async (arg, config, tags) => {
    try {
      return await call(arg, config, tags);
    } catch (error) {
      if (!(error instanceof ToolInputParsingException)) throw error;
      const content = describeInvalidArguments(built.name, schema, argsOf(arg), example);
      const toolCallId = toolCallIdOf(arg) ?? config?.toolCall?.id;
      return toolCallId === undefined
        ? content
        : new ToolMessage({ content, tool_call_id: toolCallId, name: built.name, status: "error" });
    }
  };
  // An own property shadows the prototype method; `invoke` calls `this.call`, so both paths
  // are covered without subclassing what `tool()` returns.
  Object.defineProperty(built, "call", { value: guarded, writable: true, configurable: true });
  return built;
}

/**
 * The message a model gets for arguments that do not match `schema`: the tool name, each
 * problem with the field it concerns, and a correct example.
 */
export function describeInvalidArguments(
  toolName: string,
  schema: z.ZodType,
  args: unknown,
  example: string,
): string {
  const parsed = schema.safeParse(args);
  const problems = parsed.success
    ? "the arguments could not be read"
    : z
        .prettifyError(parsed.error)
        .split("\n")
        .map((line) => line.trim())
        .join(" ");
  return `Error: invalid arguments for ${toolName}: ${problems}. Call it like this: ${example}`;
}

function isToolCall(arg: unknown): arg is { type: "tool_call"; args: unknown; id?: unknown } {
  return typeof arg === "object" && arg !== null && "type" in arg && arg.type === "tool_call";
}

function argsOf(arg: unknown): unknown {
  return isToolCall(arg) ? arg.args : arg;
}

function toolCallIdOf(arg: unknown): string | undefined {
  return isToolCall(arg) && typeof arg.id === "string" ? arg.id : undefined;
}
