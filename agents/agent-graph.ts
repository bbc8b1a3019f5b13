/**
 * The LangGraph graph behind {@link Agent}: a `model` node and a `tools` node in
 * a loop, the classic ReAct shape, written out here (rather than LangGraph's
 * prebuilt agent) so the loop's bound, its events and its handling of a
 * model's mistakes are ours to define and document.
 *
 * The loop: `model` streams one answer; if it asks for tools, `tools` answers
 * every call with a tool message and control returns to `model`; otherwise the
 * run ends. The `maxSteps`-th model call is made without tools, so a run makes
 * at most `maxSteps` model calls and always ends with an answer.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type AIMessageChunk, type BaseMessage, SystemMessage } from "@langchain/core/messages";
import type { Runnable, RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import {
  Annotation,
  END,
  type LangGraphRunnableConfig,
  MessagesAnnotation,
  START,
  StateGraph,
} from "@langchain/langgraph";
import type { AgentEvent, AgentStopReason } from "./events.js";
import { normalizeModelMessage, runToolCall, toolMessageText } from "./tool-calls.js";

/** The agent loop's state: the conversation (without the system prompt) and the step count. */
export const AgentState = Annotation.Root({
  ...MessagesAnnotation.spec,
  steps: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
  stopReason: Annotation<AgentStopReason | null>({
    reducer: (_old, next) => next,
    default: () => null,
  }),
});

/** What the loop is built from. */
export interface AgentGraphParts {
  name: string;
  model: BaseChatModel;
  systemPrompt: string | undefined;
  tools: readonly StructuredToolInterface[];
  maxSteps: number;
}

type ModelRunnable = Runnable<BaseMessage[], AIMessageChunk>;

function emit(config: LangGraphRunnableConfig, event: AgentEvent): void {
  config.writer?.(event);
}

function reasoningDelta(chunk: AIMessageChunk): string {
  const value = chunk.additional_kwargs.reasoning_content;
  return typeof value === "string" ? value : "";
}

function bindTools(parts: AgentGraphParts): ModelRunnable {
  const { model, tools } = parts;
  if (tools.length === 0) return model as unknown as ModelRunnable;
  // Checked by the Agent constructor; repeated here only to narrow the type.
  if (model.bindTools === undefined) throw new TypeError("model cannot bind tools");
  return model.bindTools([...tools]) as unknown as ModelRunnable;
}

/** Builds and compiles the agent loop. Compiled without a checkpointer: the caller's graph persists. */
export function buildAgentGraph(parts: AgentGraphParts) {
  const withTools = bindTools(parts);
  const withoutTools = parts.model as unknown as ModelRunnable;
  const toolsByName = new Map(parts.tools.map((tool) => [tool.name, tool]));
  const system = parts.systemPrompt ? [new SystemMessage(parts.systemPrompt)] : [];

  async function callModel(state: typeof AgentState.State, config: LangGraphRunnableConfig) {
    const step = state.steps + 1;
    const lastStep = step >= parts.maxSteps;
    const toolsOffered = parts.tools.length > 0 && !lastStep;
    emit(config, { type: "model_start", agent: parts.name, step, toolsOffered });
    const runnable = toolsOffered ? withTools : withoutTools;
    let full: AIMessageChunk | undefined;
    for await (const chunk of await runnable.stream([...system, ...state.messages], config)) {
      const text = chunk.text;
      if (text !== "") emit(config, { type: "token", agent: parts.name, step, text });
      const reasoning = reasoningDelta(chunk);
      if (reasoning !== "")
        emit(config, { type: "reasoning", agent: parts.name, step, text: reasoning });
      full = full === undefined ? chunk : full.concat(chunk);
    }
    if (full === undefined) throw new Error(`The model of agent "${parts.name}" returned nothing.`);
    const message = normalizeModelMessage(full);
    // Without tools on offer a tool call cannot be answered (it can only be a model's slip): end here.
    const calls = toolsOffered ? (message.tool_calls ?? []) : [];
    for (const call of calls) {
      emit(config, {
        type: "tool_call",
        agent: parts.name,
        step,
        id: call.id ?? "",
        name: call.name,
        args: call.args,
      });
    }
    const stopReason: AgentStopReason | null =
      calls.length > 0 ? null : parts.tools.length > 0 && lastStep ? "max_steps" : "final";
    return { messages: [message], steps: step, stopReason };
  }

  async function callTools(state: typeof AgentState.State, config: LangGraphRunnableConfig) {
    const last = state.messages.at(-1);
    if (last === undefined || last.type !== "ai") return {};
    const message = last as ReturnType<typeof normalizeModelMessage>;
    const results = await Promise.all(
      (message.tool_calls ?? []).map(async (call) => {
        const result = await runToolCall(call, message, toolsByName, config as RunnableConfig);
        emit(config, {
          type: "tool_result",
          agent: parts.name,
          step: state.steps,
          id: result.tool_call_id,
          name: call.name,
          content: toolMessageText(result),
          isError: result.status === "error",
        });
        return result;
      }),
    );
    return { messages: results };
  }

  return new StateGraph(AgentState)
    .addNode("model", callModel)
    .addNode("tools", callTools)
    .addEdge(START, "model")
    .addConditionalEdges("model", (state) => (state.stopReason === null ? "tools" : END), {
      tools: "tools",
      [END]: END,
    })
    .addEdge("tools", "model")
    .compile({ checkpointer: false, name: parts.name });
}

/** The compiled agent loop. */
export type AgentGraph = ReturnType<typeof buildAgentGraph>;
