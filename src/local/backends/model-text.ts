/**
 * The demo model's raw output, as a Qwen3 model served by vLLM would generate
 * it: an optional `<think>` block, then either the answer, a hermes
 * `<tool_call>` block, or bare JSON (for a named tool choice). The text is cut
 * into token-sized pieces, deterministically, so a stream has many chunks and
 * tags are split at varying places, the way the client's parsers meet them.
 */

import { pythonJsonDumps } from "./python-json.js";
import type { Decision } from "./script-engine.js";

/** Qwen3's reasoning delimiters: single special tokens, never split. */
export const THINK_START = "<think>";
export const THINK_END = "</think>";

/** The model's raw text cut into the pieces (tokens) it is generated in. */
export interface ModelText {
  /** The pieces, in order; joined, they are the generated text. */
  pieces: string[];
  /** "length" when `max_tokens` cut the output short, else "stop" (end of sequence). */
  finishReason: "stop" | "length";
}

/** 32-bit FNV-1a, to seed the chunking from the text itself (same text, same pieces). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny deterministic generator; quality is irrelevant here, repeatability is not. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Where the next think tag starts at or after `from` (Infinity when none). */
function nextTagAt(text: string, from: number): number {
  const starts = [THINK_START, THINK_END].map((tag) => text.indexOf(tag, from));
  return Math.min(...starts.map((at) => (at < 0 ? Number.POSITIVE_INFINITY : at)));
}

/** Cuts `text` into pieces of 1 to 8 characters; think tags stay whole, surrogate pairs are not split. */
export function cutIntoPieces(text: string): string[] {
  const next = generator(hash(text));
  const pieces: string[] = [];
  let tagAt = nextTagAt(text, 0);
  let i = 0;
  while (i < text.length) {
    if (i === tagAt) {
      const tag = text.startsWith(THINK_START, i) ? THINK_START : THINK_END;
      pieces.push(tag);
      i += tag.length;
      tagAt = nextTagAt(text, i);
      continue;
    }
    let end = Math.min(text.length, i + 1 + Math.floor(next() * 8), tagAt);
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff && end < text.length && end !== tagAt) end += 1;
    pieces.push(text.slice(i, end));
    i = end;
  }
  return pieces;
}

/** The hermes text Qwen3 is taught to write for a call: tag, newline, JSON, newline, tag. */
export function hermesToolCallText(name: string, args: unknown): string {
  return `<tool_call>\n${pythonJsonDumps({ name, arguments: args })}\n</tool_call>`;
}

/** How the decision is written as model text (`think`: with a think block first). */
export function modelText(
  decision: Decision,
  options: { think: boolean; namedChoice: boolean; maxTokens: number | undefined },
): ModelText {
  let answer: string;
  switch (decision.kind) {
    case "tool":
      // A named choice is guided decoding of the arguments alone; otherwise the model writes hermes.
      answer = options.namedChoice
        ? pythonJsonDumps(decision.args)
        : hermesToolCallText(decision.name, decision.args);
      break;
    case "json":
      answer = pythonJsonDumps(decision.value);
      break;
    default:
      answer = decision.text;
  }
  // Under guided decoding (JSON, a named function) the constrained output starts right after the think block.
  const gap = decision.kind === "json" || options.namedChoice ? "" : "\n\n";
  const text = options.think
    ? `${THINK_START}\n${decision.reasoning}\n${THINK_END}${gap}${answer}`
    : answer;
  const pieces = cutIntoPieces(text);
  if (options.maxTokens !== undefined && pieces.length > options.maxTokens) {
    return { pieces: pieces.slice(0, options.maxTokens), finishReason: "length" };
  }
  return { pieces, finishReason: "stop" };
}
