/**
 * The streaming hermes parser: text deltas in, safe-to-show content and tool-call
 * chunks out, with the same final result as the one-shot parser however the text is
 * split.
 */
import { ParserFinishedError } from "./errors.js";
import { HermesScanner, type Segment } from "./scanner.js";
import { interpretToolCallBody, randomToolCallId } from "./tool-call.js";
import type {
  HermesInvalidToolCall,
  HermesParseOptions,
  HermesParseResult,
  HermesToolCall,
  HermesToolCallChunk,
} from "./types.js";

/** What one {@link HermesStreamParser.push} (or the last part of `finish`) yields. */
export interface HermesStreamUpdate {
  /** Content that is final and can be shown now (may be `""`). */
  content: string;
  /** One chunk per block completed by this delta; see {@link createHermesStreamParser}. */
  toolCallChunks: HermesToolCallChunk[];
  /** Well-formed calls completed by this delta. */
  toolCalls: HermesToolCall[];
  /** Broken blocks completed by this delta. */
  invalidToolCalls: HermesInvalidToolCall[];
}

/** What {@link HermesStreamParser.finish} yields: the last update plus the whole message. */
export interface HermesStreamFinish extends HermesStreamUpdate {
  /** Everything the stream produced, equal to `parseHermesToolCalls` on the joined text. */
  result: HermesParseResult;
}

/** An incremental hermes parser for one assistant message; create one per response. */
export interface HermesStreamParser {
  /** Feeds the next text delta. Throws {@link ParserFinishedError} after `finish()`. */
  push(delta: string): HermesStreamUpdate;
  /** Ends the message: releases held-back text and closes an unterminated last block. */
  finish(): HermesStreamFinish;
}

/**
 * Creates a streaming parser that applies exactly the rules of {@link parseHermesToolCalls}.
 *
 * **Holding back.** Text is released as soon as no later text can change its meaning.
 * Held are: a trailing prefix of `<tool_call>` (released if the next characters do not
 * complete it), a tag until the first non-whitespace character after it shows whether
 * it is followed by `{`, a trailing whitespace run (it is dropped if a block follows), a
 * backtick run or fence line until it is complete, and a whole block until its closing
 * tag. Tags and fences may be split across deltas at any character.
 *
 * **Chunks.** A block yields one {@link HermesToolCallChunk} when it closes (arguments
 * are not streamed piece by piece). A valid call's chunk carries `id`, `name`, `index`
 * and its arguments as compact JSON. An invalid block's chunk carries the raw text as
 * `args`, its salvaged `name` if any, and no `id`: LangChain's `AIMessageChunk` turns an
 * id-less chunk into an `invalid_tool_calls` entry, which is the only way an invalid
 * call survives its chunk merging. The exact error is in `invalidToolCalls`.
 *
 * Never throws on any input text.
 */
export function createHermesStreamParser(options: HermesParseOptions = {}): HermesStreamParser {
  const createId = options.createId ?? randomToolCallId;
  const scanner = new HermesScanner();
  const all: HermesParseResult = { content: "", toolCalls: [], invalidToolCalls: [] };
  let blocks = 0;
  let finished = false;

  const collect = (segments: Segment[]): HermesStreamUpdate => {
    const update: HermesStreamUpdate = {
      content: "",
      toolCallChunks: [],
      toolCalls: [],
      invalidToolCalls: [],
    };
    for (const segment of segments) {
      if (segment.kind === "text") {
        update.content += segment.text;
        continue;
      }
      const index = blocks++;
      const call = interpretToolCallBody(segment.body, createId(index), index, segment.terminated);
      if (call.type === "tool_call") {
        update.toolCalls.push(call);
        update.toolCallChunks.push({
          id: call.id,
          name: call.name,
          args: JSON.stringify(call.args),
          index,
          type: "tool_call_chunk",
        });
      } else {
        update.invalidToolCalls.push(call);
        update.toolCallChunks.push({
          ...(call.name === undefined ? {} : { name: call.name }),
          args: call.args,
          index,
          type: "tool_call_chunk",
        });
      }
    }
    all.content += update.content;
    all.toolCalls.push(...update.toolCalls);
    all.invalidToolCalls.push(...update.invalidToolCalls);
    return update;
  };

  const ensureOpen = (): void => {
    if (finished) {
      throw new ParserFinishedError("this hermes stream parser has finished; create a new one");
    }
  };

  return {
    push(delta: string): HermesStreamUpdate {
      ensureOpen();
      return collect(scanner.feed(delta));
    },
    finish(): HermesStreamFinish {
      ensureOpen();
      finished = true;
      return { ...collect(scanner.end()), result: all };
    },
  };
}
