/**
 * Qwen3-style `<think>…</think>` reasoning written inline in `content`, as it arrives
 * when the server runs no reasoning parser: split into reasoning and answer, in one go
 * or while streaming, with the same result however the text is split.
 */
import { ParserFinishedError } from "../hermes/errors.js";

const OPEN = "<think>";
const CLOSE = "</think>";

/** Reasoning and answer text separated. */
export interface InlineReasoningSplit {
  /** The reasoning, trimmed; `""` when there was none. */
  reasoning: string;
  /** The answer: verbatim when there was no reasoning, left-trimmed after `</think>`. */
  content: string;
}

/** How to read the start of the output. */
export interface InlineReasoningOptions {
  /**
   * Whether the output begins inside a think block because the chat template already
   * put `<think>` in the prompt (Qwen3.5, Qwen3-*-Thinking-2507).
   * - `true`: everything up to the first `</think>` is reasoning; with no `</think>`
   *   the output was cut off mid-thought and all of it is reasoning.
   * - `false`: only output that opens with `<think>` (after optional whitespace) has
   *   reasoning, up to the first `</think>` or the end; anything else is all content.
   * - `"auto"`: as `false`, and also text before a `</think>` with no `<think>` before it
   *   is reasoning. While streaming, text that does not open with `<think>` is then held
   *   back until a `</think>` or `<think>` or the end decides it, which can delay all of a
   *   non-thinking answer to the end: set `true` or `false` when you know the template.
   * @default "auto"
   */
  startsInReasoning?: boolean | "auto";
}

/** An incremental splitter for one response; create one per response. */
export interface InlineReasoningStream {
  /** Feeds the next content delta; returns the reasoning and content decided so far. */
  push(delta: string): InlineReasoningSplit;
  /** Ends the response; returns the rest and, in `result`, the whole split. */
  finish(): InlineReasoningSplit & { result: InlineReasoningSplit };
}

/**
 * Splits inline `<think>` reasoning from the answer. Rules are those of
 * {@link InlineReasoningOptions.startsInReasoning}; a `<think>` that does not open the
 * output is ordinary content, and so is everything after the first `</think>`.
 * Never throws.
 *
 * @example
 * ```ts
 * splitInlineReasoning("<think>\nUser wants a greeting.\n</think>\n\nHello!");
 * // → { reasoning: "User wants a greeting.", content: "Hello!" }
 * ```
 */
export function splitInlineReasoning(
  text: string,
  options: InlineReasoningOptions = {},
): InlineReasoningSplit {
  if (options.startsInReasoning !== true && !text.includes("think>")) {
    return { reasoning: "", content: text };
  }
  const stream = createInlineReasoningStream(options);
  stream.push(text);
  return stream.finish().result;
}

/**
 * Creates the streaming counterpart of {@link splitInlineReasoning}. Held back until the
 * next text decides them: a trailing prefix of a tag, trailing whitespace inside the
 * reasoning (it is trimmed if `</think>` follows), whitespace right after `</think>`, and
 * in `"auto"` mode possibly everything (see {@link InlineReasoningOptions}).
 */
export function createInlineReasoningStream(
  options: InlineReasoningOptions = {},
): InlineReasoningStream {
  const splitter = new ReasoningSplitter(options.startsInReasoning ?? "auto");
  const all: InlineReasoningSplit = { reasoning: "", content: "" };
  let finished = false;
  const collect = (part: InlineReasoningSplit): InlineReasoningSplit => {
    all.reasoning += part.reasoning;
    all.content += part.content;
    return part;
  };
  const ensureOpen = (): void => {
    if (finished) {
      throw new ParserFinishedError("this reasoning stream has finished; create a new one");
    }
  };
  return {
    push(delta: string): InlineReasoningSplit {
      ensureOpen();
      return collect(splitter.feed(delta, false));
    },
    finish(): InlineReasoningSplit & { result: InlineReasoningSplit } {
      ensureOpen();
      finished = true;
      return { ...collect(splitter.feed("", true)), result: all };
    },
  };
}

type Phase = "start" | "undecided" | "reasoning" | "afterThink" | "content";

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

class ReasoningSplitter {
  private buf = "";
  private pos = 0;
  private phase: Phase = "start";
  private reasoningStarted = false;
  /** In "undecided", where to resume looking for a tag. */
  private searchFrom = 0;

  constructor(private readonly mode: boolean | "auto") {}

  feed(text: string, final: boolean): InlineReasoningSplit {
    this.buf += text;
    const out: InlineReasoningSplit = { reasoning: "", content: "" };
    while (this.step(out, final)) {
      // Each step consumes input or changes phase; false means it must see more text.
    }
    this.searchFrom = Math.max(0, this.searchFrom - this.pos);
    this.buf = this.buf.slice(this.pos);
    this.pos = 0;
    return out;
  }

  private step(out: InlineReasoningSplit, final: boolean): boolean {
    const { buf } = this;
    switch (this.phase) {
      case "start": {
        let k = this.pos;
        while (isSpace(buf[k])) k++;
        const rest = buf.slice(k);
        if (rest.startsWith(OPEN)) {
          this.pos = k + OPEN.length;
          this.phase = "reasoning";
          return true;
        }
        if (!final && OPEN.startsWith(rest)) return false;
        this.phase =
          this.mode === true ? "reasoning" : this.mode === false ? "content" : "undecided";
        this.searchFrom = this.pos;
        return true;
      }
      case "undecided": {
        const open = buf.indexOf(OPEN, this.searchFrom);
        const close = buf.indexOf(CLOSE, this.searchFrom);
        if (close !== -1 && (open === -1 || close < open)) this.phase = "reasoning";
        else if (open !== -1 || final) this.phase = "content";
        else {
          this.searchFrom = Math.max(this.pos, buf.length - (CLOSE.length - 1));
          return false;
        }
        return true;
      }
      case "reasoning": {
        if (!this.reasoningStarted) {
          while (isSpace(buf[this.pos])) this.pos++;
          if (this.pos === buf.length && !final) return false;
          this.reasoningStarted = true;
        }
        const close = buf.indexOf(CLOSE, this.pos);
        if (close !== -1) {
          out.reasoning += buf.slice(this.pos, close).trimEnd();
          this.pos = close + CLOSE.length;
          this.phase = "afterThink";
          return true;
        }
        const held = final ? 0 : partialTagLength(buf.slice(this.pos), CLOSE);
        let end = buf.length - held;
        while (end > this.pos && isSpace(buf[end - 1])) end--;
        out.reasoning += buf.slice(this.pos, end);
        this.pos = end;
        return false;
      }
      case "afterThink": {
        while (isSpace(buf[this.pos])) this.pos++;
        if (this.pos === buf.length) return false;
        this.phase = "content";
        return true;
      }
      case "content": {
        out.content += buf.slice(this.pos);
        this.pos = buf.length;
        return false;
      }
    }
  }
}
