/**
 * Turns what a vLLM container wrote into what a LangChain user expects:
 * hermes `<tool_call>` text in `content` becomes `tool_calls` (or
 * `tool_call_chunks` while streaming), an inline `<think>` block moves to
 * `additional_kwargs.reasoning_content`. The parsing itself lives in
 * `./hermes` and `./reasoning`; this module applies it to messages and chunks.
 */
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { parseHermesToolCalls } from "./hermes/parse.js";
import { createHermesStreamParser, type HermesStreamParser } from "./hermes/stream.js";
import type { HermesToolCallChunk } from "./hermes/types.js";
import type { ToolCallParserMode } from "./options.js";
import {
  createInlineReasoningStream,
  type InlineReasoningOptions,
  type InlineReasoningStream,
  splitInlineReasoning,
} from "./reasoning/inline.js";

/** How a model reads its output; fixed per model. */
export interface OutputSettings {
  toolCallParser: ToolCallParserMode;
  /** Set when inline `<think>` blocks are to be moved out of `content`. */
  inlineReasoning: InlineReasoningOptions | undefined;
}

/** The call options that decide whether hermes parsing applies. */
export interface ToolCallContext {
  tools?: unknown[] | undefined;
  tool_choice?: unknown;
}

/**
 * Whether to read hermes tool calls from `content`: always in `"hermes"` mode,
 * never in `"none"`, and in `"auto"` when tools were bound (with a tool choice
 * other than `"none"`) and the server returned no native tool calls.
 */
export function parsesHermes(
  mode: ToolCallParserMode,
  context: ToolCallContext,
  nativeToolCalls: boolean,
): boolean {
  if (mode === "none") return false;
  if (mode === "hermes") return true;
  const toolsBound = Array.isArray(context.tools) && context.tools.length > 0;
  return toolsBound && context.tool_choice !== "none" && !nativeToolCalls;
}

/** Whether `settings` can change a message at all (lets the plain path skip all work). */
export function transformsOutput(settings: OutputSettings, context: ToolCallContext): boolean {
  return (
    settings.inlineReasoning !== undefined || parsesHermes(settings.toolCallParser, context, false)
  );
}

function appendReasoning(
  kwargs: Record<string, unknown>,
  reasoning: string,
): Record<string, unknown> {
  if (reasoning === "") return kwargs;
  const before = kwargs.reasoning_content;
  return {
    ...kwargs,
    reasoning_content: typeof before === "string" ? before + reasoning : reasoning,
  };
}

/**
 * Applies the settings to a complete assistant message. Returns `undefined`
 * when nothing changes; else the new message and whether hermes calls were found.
 */
export function transformMessage(
  message: BaseMessage,
  settings: OutputSettings,
  context: ToolCallContext,
): { message: AIMessage; foundToolCalls: boolean } | undefined {
  if (!AIMessage.isInstance(message) || typeof message.content !== "string") return undefined;
  let content = message.content;
  let additional_kwargs = message.additional_kwargs;
  if (settings.inlineReasoning !== undefined) {
    const split = splitInlineReasoning(content, settings.inlineReasoning);
    content = split.content;
    additional_kwargs = appendReasoning(additional_kwargs, split.reasoning);
  }
  const native = message.tool_calls ?? [];
  const invalid = message.invalid_tool_calls ?? [];
  let foundToolCalls = false;
  let toolCalls = native;
  let invalidToolCalls = invalid;
  if (parsesHermes(settings.toolCallParser, context, native.length > 0 || invalid.length > 0)) {
    const parsed = parseHermesToolCalls(content);
    content = parsed.content;
    foundToolCalls = parsed.toolCalls.length > 0;
    toolCalls = [...native, ...parsed.toolCalls];
    invalidToolCalls = [...invalid, ...parsed.invalidToolCalls];
  }
  if (content === message.content && additional_kwargs === message.additional_kwargs) {
    return undefined;
  }
  return {
    message: new AIMessage({
      content,
      additional_kwargs,
      response_metadata: message.response_metadata,
      tool_calls: toolCalls,
      invalid_tool_calls: invalidToolCalls,
      ...(message.id === undefined ? {} : { id: message.id }),
      ...(message.name === undefined ? {} : { name: message.name }),
      ...(message.usage_metadata === undefined ? {} : { usage_metadata: message.usage_metadata }),
    }),
    foundToolCalls,
  };
}

/** Per-choice state of a streamed response. */
interface ChoiceState {
  think: InlineReasoningStream | undefined;
  hermes: HermesStreamParser | undefined;
  /** Hermes blocks are numbered after the native calls seen so far. */
  indexOffset: number;
  foundToolCalls: boolean;
  finished: boolean;
}

/** What one piece of streamed text turned into. */
interface Piece {
  content: string;
  reasoning: string;
  toolCallChunks: HermesToolCallChunk[];
}

/**
 * Applies the settings to a stream of chunks, one response at a time. Text
 * that might still turn out to be a tag is held back and released with a
 * later chunk; `finish()` releases what is left when the stream ends without
 * a `finish_reason`.
 */
export class StreamOutputTransformer {
  private readonly choices = new Map<number, ChoiceState>();

  constructor(
    private readonly settings: OutputSettings,
    private readonly context: ToolCallContext,
  ) {}

  private state(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (state === undefined) {
      const inline = this.settings.inlineReasoning;
      state = {
        think: inline === undefined ? undefined : createInlineReasoningStream(inline),
        hermes: parsesHermes(this.settings.toolCallParser, this.context, false)
          ? createHermesStreamParser()
          : undefined,
        indexOffset: 0,
        foundToolCalls: false,
        finished: false,
      };
      this.choices.set(index, state);
    }
    return state;
  }

  private feed(state: ChoiceState, text: string, end: boolean): Piece {
    const piece: Piece = { content: "", reasoning: "", toolCallChunks: [] };
    let content = text;
    if (state.think !== undefined) {
      const split = end ? finishThink(state.think, text) : state.think.push(text);
      piece.reasoning = split.reasoning;
      content = split.content;
    }
    if (state.hermes !== undefined) {
      const update = state.hermes.push(content);
      const last = end ? state.hermes.finish() : undefined;
      piece.content = update.content + (last?.content ?? "");
      const chunks = [...update.toolCallChunks, ...(last?.toolCallChunks ?? [])];
      piece.toolCallChunks = chunks.map((c) => ({ ...c, index: c.index + state.indexOffset }));
      if (update.toolCalls.length > 0 || (last?.toolCalls.length ?? 0) > 0)
        state.foundToolCalls = true;
      if (end) state.hermes = undefined;
    } else {
      piece.content = content;
    }
    if (end) state.think = undefined;
    return piece;
  }

  /** Transforms one chunk (returns it unchanged when there is nothing to do). */
  push(chunk: ChatGenerationChunk): ChatGenerationChunk {
    const message = chunk.message;
    if (!AIMessageChunk.isInstance(message) || typeof message.content !== "string") return chunk;
    const info = chunk.generationInfo ?? {};
    if (typeof info.completion !== "number") return chunk;
    const state = this.state(info.completion);
    if (state.finished) return chunk;
    const native = message.tool_call_chunks ?? [];
    if (native.length > 0) {
      const highest = Math.max(...native.map((c) => c.index ?? 0));
      state.indexOffset = Math.max(state.indexOffset, highest + 1);
    }
    let pre: Piece | undefined;
    if (
      native.length > 0 &&
      state.hermes !== undefined &&
      this.settings.toolCallParser === "auto"
    ) {
      // The server parses tool calls itself: release what the hermes parser held and stop parsing.
      const held = state.hermes.finish();
      state.hermes = undefined;
      pre = { content: held.content, reasoning: "", toolCallChunks: held.toolCallChunks };
    }
    const end = info.finish_reason !== undefined && info.finish_reason !== null;
    const piece = this.feed(state, message.content, end);
    if (end) state.finished = true;
    const content = (pre?.content ?? "") + piece.content;
    const hermesChunks = [...(pre?.toolCallChunks ?? []), ...piece.toolCallChunks];
    const generationInfo =
      end && state.foundToolCalls && info.finish_reason === "stop"
        ? { ...info, finish_reason: "tool_calls" }
        : info;
    if (
      content === message.content &&
      piece.reasoning === "" &&
      hermesChunks.length === 0 &&
      generationInfo === info
    ) {
      return chunk;
    }
    return rebuild(message, content, piece.reasoning, hermesChunks, generationInfo);
  }

  /** Releases held text of responses that ended without a `finish_reason`. */
  finish(): ChatGenerationChunk[] {
    const out: ChatGenerationChunk[] = [];
    for (const [index, state] of this.choices) {
      if (state.finished) continue;
      state.finished = true;
      const piece = this.feed(state, "", true);
      if (piece.content === "" && piece.reasoning === "" && piece.toolCallChunks.length === 0) {
        continue;
      }
      const message = new AIMessageChunk({ content: "" });
      const info = { prompt: 0, completion: index };
      out.push(rebuild(message, piece.content, piece.reasoning, piece.toolCallChunks, info));
    }
    return out;
  }
}

function finishThink(
  stream: InlineReasoningStream,
  text: string,
): { reasoning: string; content: string } {
  const pushed = stream.push(text);
  const last = stream.finish();
  return { reasoning: pushed.reasoning + last.reasoning, content: pushed.content + last.content };
}

function rebuild(
  message: AIMessageChunk,
  content: string,
  reasoning: string,
  hermesChunks: HermesToolCallChunk[],
  generationInfo: Record<string, unknown>,
): ChatGenerationChunk {
  const next = new AIMessageChunk({
    content,
    additional_kwargs: appendReasoning(message.additional_kwargs, reasoning),
    response_metadata: message.response_metadata,
    tool_call_chunks: [...(message.tool_call_chunks ?? []), ...hermesChunks],
    ...(message.id === undefined ? {} : { id: message.id }),
    ...(message.usage_metadata === undefined ? {} : { usage_metadata: message.usage_metadata }),
  });
  return new ChatGenerationChunk({ message: next, text: content, generationInfo });
}
