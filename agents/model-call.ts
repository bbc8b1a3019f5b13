/**
 * One model call of the agent loop. When someone listens for tokens, the call streams
 * and each piece of text (and of reasoning) is handed over as it arrives; otherwise it is
 * a plain `invoke`, and the model decides whether to stream, as LangChain models do (a
 * model built with `streaming: true`, or a callback that prefers streaming, still streams).
 *
 * Streaming goes through `invoke` with a callback that prefers streaming (how LangGraph's
 * `messages` mode streams a model) rather than through `model.stream()`: LangChain then
 * iterates the model's chunks directly and merges them once, where `stream()` would wrap
 * them in a web stream and the caller would merge them a second time. Re-measured on Node 24
 * (one agent turn, CPU): cheaper than `stream()` and than iterating the model's
 * `_streamIterator` directly once a callback manager is present (as in every graph run);
 * the handler itself costs about 0.25 µs a token.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import type { AIMessage, AIMessageChunk, BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk } from "@langchain/core/outputs";
import type { Runnable, RunnableConfig } from "@langchain/core/runnables";

/** A chat model, possibly with tools bound, as the loop calls it. */
export type ModelRunnable = Runnable<BaseMessage[], AIMessageChunk | AIMessage>;

/** Receives the pieces of a streamed answer, in order. */
export interface TokenListener {
  text(piece: string): void;
  reasoning(piece: string): void;
}

/** The reasoning a message (or chunk) carries, as servers split it out of Qwen3's think block. */
function reasoningOf(message: BaseMessage | undefined): string {
  const value = message?.additional_kwargs?.reasoning_content;
  return typeof value === "string" ? value : "";
}

/** A message's text, read from its content (cheaper than `.text`, which builds content blocks). */
function contentText(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  let text = "";
  for (const block of content) {
    if (typeof block === "object" && block !== null && block.type === "text") {
      text += typeof block.text === "string" ? block.text : "";
    }
  }
  return text;
}

/** Hands each streamed piece to a listener; an error the listener throws is kept for later. */
class TokenForwarder extends BaseCallbackHandler {
  name = "agent-token-forwarder";
  /** Asks the model to stream even though it is called with `invoke`. */
  lc_prefer_streaming = true;
  /**
   * Pieces are handed over in order, before the next chunk is read. (Without it LangChain
   * would queue every token on its global callback queue: more work per token, and pieces
   * could arrive after the call has returned.)
   */
  override awaitHandlers = true;
  streamed = false;
  failure: { error: unknown } | undefined;

  constructor(private readonly listener: TokenListener) {
    super();
  }

  override handleLLMNewToken(
    token: string,
    _index: unknown,
    _runId: string,
    _parentRunId?: string,
    _tags?: string[],
    fields?: { chunk?: ChatGenerationChunk },
  ): void {
    this.streamed = true;
    if (this.failure !== undefined) return;
    try {
      if (token !== "") this.listener.text(token);
      const reasoning = reasoningOf(fields?.chunk?.message);
      if (reasoning !== "") this.listener.reasoning(reasoning);
    } catch (error) {
      this.failure = { error };
    }
  }
}

function withHandler(callbacks: Callbacks | undefined, handler: BaseCallbackHandler): Callbacks {
  if (callbacks === undefined) return [handler];
  if (Array.isArray(callbacks)) return [...callbacks, handler];
  const copy = callbacks.copy();
  copy.addHandler(handler, true);
  return copy;
}

/**
 * Calls `model` on `messages` once. With a `listener`, the answer streams into it piece by
 * piece (a model that cannot stream hands over its whole answer at once); an error the
 * listener throws is rethrown once the call has finished.
 */
export async function callModel(
  model: ModelRunnable,
  messages: BaseMessage[],
  config: RunnableConfig,
  listener?: TokenListener,
): Promise<AIMessageChunk | AIMessage> {
  if (listener === undefined) return model.invoke(messages, config);
  const forwarder = new TokenForwarder(listener);
  const message = await model.invoke(messages, {
    ...config,
    callbacks: withHandler(config.callbacks, forwarder),
  });
  if (forwarder.failure !== undefined) throw forwarder.failure.error;
  if (!forwarder.streamed) {
    const text = contentText(message);
    if (text !== "") listener.text(text);
    const reasoning = reasoningOf(message);
    if (reasoning !== "") listener.reasoning(reasoning);
  }
  return message;
}
