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

/** `\s` as `String.prototype.trim` understands it, so trimming and holding agree. */
function isSpace(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code > 32 && code < 127) return false;
  return /\s/.test(ch);
}

/**
 * The character-level state machine behind both entry points. Held text lives in the
 * state (never in a growing buffer that is searched again), so any chunking costs time
 * linear in the text.
 */
class ReasoningSplitter {
  /** start: before the first non-blank; undecided: auto mode waiting for a tag. */
  private phase: "start" | "undecided" | "reasoning" | "afterThink" | "content" = "start";
  /** Blanks and a `<think>` prefix seen in "start"; everything held in "undecided". */
  private held = "";
  /** Characters of `<think>` matched (in "start" and "undecided"). */
  private openMatched = 0;
  /** Characters of `</think>` matched (in "undecided" and "reasoning"). */
  private closeMatched = 0;
  /** Whether reasoning text has begun (leading blanks are dropped before it). */
  private started = false;
  /** Blanks inside the reasoning, held in case `</think>` or the end follows. */
  private blanks = "";
  private out: InlineReasoningSplit = { reasoning: "", content: "" };

  constructor(private readonly mode: boolean | "auto") {}

  feed(text: string, final: boolean): InlineReasoningSplit {
    this.process(text);
    if (final) this.finish();
    const out = this.out;
    this.out = { reasoning: "", content: "" };
    return out;
  }

  private process(text: string): void {
    let i = 0;
    while (i < text.length) {
      switch (this.phase) {
        case "start":
          i = this.start(text, i);
          break;
        case "undecided":
          i = this.undecided(text, i);
          break;
        case "reasoning":
          i = this.reasoning(text, i);
          break;
        case "afterThink":
          while (i < text.length && isSpace(text.charAt(i))) i++;
          if (i < text.length) this.phase = "content";
          break;
        case "content":
          this.out.content += text.slice(i);
          i = text.length;
          break;
      }
    }
  }

  private start(text: string, from: number): number {
    let i = from;
    for (; i < text.length; i++) {
      const c = text.charAt(i);
      if (this.openMatched === 0 && isSpace(c)) {
        this.held += c;
      } else if (c === OPEN[this.openMatched]) {
        if (++this.openMatched === OPEN.length) {
          this.held = "";
          this.phase = "reasoning";
          return i + 1;
        }
      } else {
        this.leaveStart();
        return i;
      }
    }
    return i;
  }

  /** The output does not open with `<think>`: decide by mode what the held text is. */
  private leaveStart(): void {
    const prefix = OPEN.slice(0, this.openMatched);
    this.openMatched = 0;
    if (this.mode === true) {
      // Leading blanks are trimmed from reasoning anyway; a tag prefix is reasoning text.
      this.held = "";
      this.phase = "reasoning";
      this.process(prefix);
    } else if (this.mode === false) {
      this.out.content += this.held + prefix;
      this.held = "";
      this.phase = "content";
    } else {
      this.phase = "undecided";
      const held = this.held;
      this.held = "";
      this.process(held + prefix);
    }
  }

  private undecided(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charAt(i);
      this.openMatched = c === OPEN[this.openMatched] ? this.openMatched + 1 : c === "<" ? 1 : 0;
      this.closeMatched =
        c === CLOSE[this.closeMatched] ? this.closeMatched + 1 : c === "<" ? 1 : 0;
      if (this.closeMatched === CLOSE.length) {
        // Text before a lone `</think>` was reasoning begun in the prompt: run it, tag
        // included, through the reasoning phase, which ends at this same first tag.
        const held = this.held + text.slice(from, i + 1);
        this.held = "";
        this.openMatched = 0;
        this.closeMatched = 0;
        this.phase = "reasoning";
        this.process(held);
        return i + 1;
      }
      if (this.openMatched === OPEN.length) {
        this.out.content += this.held + text.slice(from, i + 1);
        this.held = "";
        this.phase = "content";
        return i + 1;
      }
    }
    this.held += text.slice(from);
    return text.length;
  }

  private reasoning(text: string, from: number): number {
    let i = from;
    while (i < text.length) {
      const c = text.charAt(i);
      if (this.closeMatched > 0) {
        if (c === CLOSE[this.closeMatched]) {
          i++;
          if (++this.closeMatched === CLOSE.length) {
            this.closeReasoning();
            return i;
          }
          continue;
        }
        this.addReasoning(CLOSE.slice(0, this.closeMatched));
        this.closeMatched = 0;
      }
      if (c === "<") {
        this.closeMatched = 1;
        i++;
      } else if (isSpace(c)) {
        if (this.started) this.blanks += c;
        i++;
      } else {
        let j = i + 1;
        while (j < text.length && text.charAt(j) !== "<" && !isSpace(text.charAt(j))) j++;
        this.addReasoning(text.slice(i, j));
        i = j;
      }
    }
    return i;
  }

  private addReasoning(text: string): void {
    this.out.reasoning += this.blanks + text;
    this.blanks = "";
    this.started = true;
  }

  private closeReasoning(): void {
    this.blanks = "";
    this.closeMatched = 0;
    this.phase = "afterThink";
  }

  /** The end of the output decides whatever is still held. */
  private finish(): void {
    if (this.phase === "start") {
      if (this.mode === true || this.openMatched > 0) this.leaveStart();
      else this.out.content += this.held;
    }
    if (this.phase === "undecided") {
      this.out.content += this.held;
    } else if (this.phase === "reasoning" && this.closeMatched > 0) {
      this.addReasoning(CLOSE.slice(0, this.closeMatched));
    }
    this.held = "";
    this.closeMatched = 0;
    this.blanks = "";
  }
}
