/**
 * The loop behind {@link Agent}, the classic ReAct shape: the model answers; if it asks for
 * tools, every call is answered with a tool message and the model goes again; otherwise the
 * run ends. The `maxSteps`-th model call is made without tools, so a run makes at most
 * `maxSteps` model calls and always ends with an answer.
 *
 * Plain code rather than a graph of its own: a run is one traced chain run (the agent's)
 * with the model's and the tools' runs under it, and nothing per step beyond the model and
 * tool calls themselves. Events go straight to the caller's sink as they happen.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, SystemMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { AgentEvent, AgentStopReason } from "./events.js";
import { callModel, type ModelRunnable, type TokenListener } from "./model-call.js";
import { normalizeModelMessage, runToolCall, toolMessageText } from "./tool-calls.js";

/** What the loop is built from. */
export interface AgentLoopParts {
  name: string;
  model: BaseChatModel;
  systemPrompt: string | undefined;
  tools: readonly StructuredToolInterface[];
  maxSteps: number;
}

/** How a run ended: the conversation without the system prompt, the model calls, why. */
export interface AgentLoopResult {
  messages: BaseMessage[];
  steps: number;
  stopReason: AgentStopReason;
}

/** Receives a run's events, synchronously, as they happen. */
export type AgentEventSink = (event: Exclude<AgentEvent, { type: "final" }>) => void;

/** Runs the loop on a conversation; `onEvent` (when given) also turns on token streaming. */
export type AgentLoop = (
  input: BaseMessage[],
  config: RunnableConfig,
  onEvent?: AgentEventSink,
) => Promise<AgentLoopResult>;

function bindTools(parts: AgentLoopParts): ModelRunnable {
  const { model, tools } = parts;
  if (tools.length === 0) return model as unknown as ModelRunnable;
  // Checked by the Agent constructor; repeated here only to narrow the type.
  if (model.bindTools === undefined) throw new TypeError("model cannot bind tools");
  return model.bindTools([...tools]) as unknown as ModelRunnable;
}

/** Builds the loop once per agent: tools bound, system prompt made, tools indexed by name. */
export function createAgentLoop(parts: AgentLoopParts): AgentLoop {
  const withTools = bindTools(parts);
  const withoutTools = parts.model as unknown as ModelRunnable;
  const toolsByName = new Map(parts.tools.map((tool) => [tool.name, tool]));
  const system = parts.systemPrompt ? [new SystemMessage(parts.systemPrompt)] : [];
  const agent = parts.name;

  return async function run(input, config, onEvent) {
    const messages = [...input];
    for (let step = 1; ; step++) {
      config.signal?.throwIfAborted();
      const lastStep = step >= parts.maxSteps;
      const toolsOffered = parts.tools.length > 0 && !lastStep;
      onEvent?.({ type: "model_start", agent, step, toolsOffered });
      const listener: TokenListener | undefined =
        onEvent === undefined
          ? undefined
          : {
              text: (text) => onEvent({ type: "token", agent, step, text }),
              reasoning: (text) => onEvent({ type: "reasoning", agent, step, text }),
            };
      const answer = await callModel(
        toolsOffered ? withTools : withoutTools,
        [...system, ...messages],
        config,
        listener,
      );
      const message = normalizeModelMessage(answer);
      messages.push(message);
      // Without tools on offer a tool call cannot be answered (it can only be a model's slip): end here.
      const calls = toolsOffered ? (message.tool_calls ?? []) : [];
      if (calls.length === 0) {
        const stopReason = parts.tools.length > 0 && lastStep ? "max_steps" : "final";
        return { messages, steps: step, stopReason };
      }
      for (const call of calls) {
        onEvent?.({
          type: "tool_call",
          agent,
          step,
          id: call.id ?? "",
          name: call.name,
          args: call.args,
        });
      }
      config.signal?.throwIfAborted();
      const results = await Promise.all(
        calls.map(async (call) => {
          const result = await runToolCall(call, message, toolsByName, config);
          onEvent?.({
            type: "tool_result",
            agent,
            step,
            id: result.tool_call_id,
            name: call.name,
            content: toolMessageText(result),
            isError: result.status === "error",
          });
          return result;
        }),
      );
      messages.push(...results);
    }
  };
}
