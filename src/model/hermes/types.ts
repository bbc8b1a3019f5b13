/**
 * Plain result shapes of the hermes parsers. Each one is assignable to the matching
 * `@langchain/core/messages` type (`ToolCall`, `InvalidToolCall`, `ToolCallChunk`),
 * so a chat model can hand them to an `AIMessage` / `AIMessageChunk` unchanged, but
 * this module imports nothing from LangChain.
 */

/** A tool call recovered from a well-formed `<tool_call>` block (LangChain `ToolCall`). */
export interface HermesToolCall {
  /** The function name the model asked for. */
  name: string;
  /** The decoded `arguments` object. */
  args: Record<string, unknown>;
  /** A generated id (the model does not write one); see {@link HermesParseOptions.createId}. */
  id: string;
  type: "tool_call";
}

/**
 * A `<tool_call>` block that could not be turned into a call (LangChain `InvalidToolCall`).
 * Handing these back to the model as errors lets it correct itself.
 */
export interface HermesInvalidToolCall {
  /** The name, when one could still be read from the broken text. */
  name?: string;
  /** The raw text between the tags, trimmed of surrounding whitespace. */
  args: string;
  /** A generated id, from the same sequence as valid calls. */
  id: string;
  /** What is wrong, phrased for the model or a developer to act on. */
  error: string;
  /** Position of the block among all blocks in the message, valid or not (0-based). */
  index: number;
  type: "invalid_tool_call";
}

/** A streamed piece of a tool call (LangChain `ToolCallChunk`). */
export interface HermesToolCallChunk {
  /** Present in a call's first chunk. */
  name?: string;
  /** JSON text of the arguments (LangChain concatenates a call's `args` pieces). */
  args?: string;
  /** Present in a valid call's first chunk; absent for an invalid call (see the stream parser). */
  id?: string;
  /** Position of the block among all blocks in the message; chunks of one call share it. */
  index: number;
  type: "tool_call_chunk";
}

/** What the one-shot parser returns, and what a finished stream adds up to. */
export interface HermesParseResult {
  /** The text with every tool-call block removed; text around the blocks is kept. */
  content: string;
  /** Well-formed calls, in the order they appear. */
  toolCalls: HermesToolCall[];
  /** Broken blocks, in the order they appear. */
  invalidToolCalls: HermesInvalidToolCall[];
}

/** Options shared by {@link parseHermesToolCalls} and {@link createHermesStreamParser}. */
export interface HermesParseOptions {
  /**
   * Makes the id of the block at `index` (0-based, counting valid and invalid blocks).
   * Pass a deterministic function in tests or when ids must be reproducible.
   * @default `call_` followed by 24 random hex digits
   */
  createId?: (index: number) => string;
}
