/**
 * The incremental scanner behind both hermes parsers. It splits model output into
 * content text and `<tool_call>` block bodies, deciding each character only once it
 * has seen enough of what follows, so that the same input gives the same segments
 * however it is cut into chunks. The one-shot parser feeds everything and ends; the
 * streaming parser feeds each delta as it arrives.
 *
 * The rules it applies are the "tool-call position" rules documented on
 * {@link parseHermesToolCalls}; this file is their single implementation.
 *
 * @internal
 */

/** The opening tag of a hermes tool call. */
export const OPEN_TAG = "<tool_call>";
/** The closing tag of a hermes tool call. */
export const CLOSE_TAG = "</tool_call>";

/** A decided piece of the output, in order. */
export type Segment =
  | { kind: "text"; text: string }
  | {
      kind: "call";
      /** Everything between `<tool_call>` and `</tool_call>` (or the end of the output). */
      body: string;
      /** False when the output ended before a closing tag. */
      terminated: boolean;
    };

type Mode =
  | { kind: "text" }
  | { kind: "span"; ticks: number }
  | { kind: "fence"; char: string; length: number; lineStart: boolean }
  | {
      kind: "call";
      bodyStart: number;
      scan: number;
      inString: boolean;
      escaped: boolean;
      raw: boolean;
    };

type Match = "yes" | "no" | "need";

/** JSON's whitespace; Unicode spaces are ordinary text to the scanner. */
function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits text into content and tool-call blocks incrementally. `feed` returns what
 * can be decided so far; `end` decides the rest (the output has ended).
 *
 * @internal
 */
export class HermesScanner {
  private buf = "";
  private pos = 0;
  private mode: Mode = { kind: "text" };
  private lineStart = true;
  private out: Segment[] = [];

  /** Adds text and returns the segments it completed. */
  feed(text: string): Segment[] {
    this.buf += text;
    return this.run(false);
  }

  /** Declares the end of the output and returns every remaining segment. */
  end(): Segment[] {
    return this.run(true);
  }

  private run(final: boolean): Segment[] {
    while (this.pos < this.buf.length && this.step(final)) {
      // Each step consumes input or changes mode; false means it must see more text.
      // With `final` set every step decides, and a block left open runs to the end.
    }
    this.compact();
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Drops consumed text so a long stream does not grow the buffer without bound. */
  private compact(): void {
    const drop = this.pos;
    if (drop === 0) return;
    this.buf = this.buf.slice(drop);
    this.pos = 0;
    if (this.mode.kind === "call") {
      this.mode.bodyStart -= drop;
      this.mode.scan -= drop;
    }
  }

  private emit(from: number, to: number): void {
    if (to <= from) return;
    const text = this.buf.slice(from, to);
    const last = this.out[this.out.length - 1];
    if (last?.kind === "text") last.text += text;
    else this.out.push({ kind: "text", text });
  }

  private step(final: boolean): boolean {
    switch (this.mode.kind) {
      case "text":
        return this.stepText(final);
      case "span":
        return this.stepSpan(this.mode.ticks, final);
      case "fence":
        return this.stepFence(this.mode, final);
      case "call":
        return this.stepCall(this.mode, final);
    }
  }

  private stepText(final: boolean): boolean {
    const { buf } = this;
    const i = this.pos;
    if (this.lineStart) {
      const fence = this.matchFenceOpen(i, final);
      if (fence === "need") return false;
      if (fence !== undefined) {
        this.emit(i, fence.end);
        this.pos = fence.end;
        this.mode = {
          kind: "fence",
          char: fence.char,
          length: fence.length,
          lineStart: fence.lineStart,
        };
        return true;
      }
      this.lineStart = false;
    }
    const ch = buf[i];
    if (isSpace(ch)) {
      let j = i + 1;
      while (j < buf.length && isSpace(buf[j])) j++;
      if (j === buf.length && !final) return false;
      const tag = j < buf.length ? this.matchOpenTag(j, final) : "no";
      if (tag === "need") return false;
      if (tag === "yes") {
        // The separator before a block goes with the block (see parseHermesToolCalls).
        this.pos = j;
        this.enterCall();
        return true;
      }
      // Stop after the run's last newline so the next line gets its fence check.
      const newline = buf.lastIndexOf("\n", j - 1);
      const end = newline >= i ? newline + 1 : j;
      this.emit(i, end);
      this.pos = end;
      this.lineStart = newline >= i;
      return true;
    }
    if (ch === "`") {
      const j = this.runEnd(i, "`");
      if (j === buf.length && !final) return false;
      this.emit(i, j);
      this.pos = j;
      this.mode = { kind: "span", ticks: j - i };
      return true;
    }
    if (ch === "<") {
      const tag = this.matchOpenTag(i, final);
      if (tag === "need") return false;
      if (tag === "yes") {
        this.enterCall();
        return true;
      }
      this.emit(i, i + 1);
      this.pos = i + 1;
      return true;
    }
    let j = i + 1;
    while (j < buf.length) {
      const c = buf[j];
      if (c === "`" || c === "<" || isSpace(c)) break;
      j++;
    }
    this.emit(i, j);
    this.pos = j;
    return true;
  }

  /** Inline code: ends at a backtick run of the opening length, or at the line's end. */
  private stepSpan(ticks: number, final: boolean): boolean {
    const { buf } = this;
    const i = this.pos;
    const ch = buf[i];
    if (ch === "\n") {
      // The newline itself is handled in text mode, where it may precede a block.
      this.mode = { kind: "text" };
      return true;
    }
    if (ch === "`") {
      const j = this.runEnd(i, "`");
      if (j === buf.length && !final) return false;
      if (j - i === ticks) this.mode = { kind: "text" };
      this.emit(i, j);
      this.pos = j;
      return true;
    }
    let j = i + 1;
    while (j < buf.length && buf[j] !== "`" && buf[j] !== "\n") j++;
    this.emit(i, j);
    this.pos = j;
    return true;
  }

  private stepFence(
    mode: { kind: "fence"; char: string; length: number; lineStart: boolean },
    final: boolean,
  ): boolean {
    const { buf } = this;
    const i = this.pos;
    if (!mode.lineStart) {
      const newline = buf.indexOf("\n", i);
      const end = newline === -1 ? buf.length : newline + 1;
      this.emit(i, end);
      this.pos = end;
      mode.lineStart = newline !== -1;
      return true;
    }
    const close = this.matchFenceClose(i, mode.char, mode.length, final);
    if (close === "need") return false;
    if (close === undefined) {
      mode.lineStart = false;
      return true;
    }
    this.emit(i, close);
    this.pos = close;
    this.mode = { kind: "text" };
    this.lineStart = true;
    return true;
  }

  private stepCall(mode: Extract<Mode, { kind: "call" }>, final: boolean): boolean {
    const { buf } = this;
    if (!mode.raw) {
      let k = mode.scan;
      for (; k < buf.length; k++) {
        const ch = buf[k];
        if (mode.inString) {
          if (mode.escaped) mode.escaped = false;
          else if (ch === "\\") mode.escaped = true;
          else if (ch === '"') mode.inString = false;
          else if (ch === "\n" || ch === "\r") {
            // A JSON string cannot hold a raw line break: this JSON is broken, so the
            // block ends at the first closing tag after all (vLLM's lazy match).
            mode.raw = true;
            break;
          }
        } else if (ch === '"') {
          mode.inString = true;
        } else if (ch === "<") {
          if (buf.startsWith(CLOSE_TAG, k)) {
            this.finishCall(k, k + CLOSE_TAG.length, true);
            return true;
          }
          if (!final && buf.length - k < CLOSE_TAG.length && CLOSE_TAG.startsWith(buf.slice(k))) {
            mode.scan = k;
            return false;
          }
        }
      }
      if (!mode.raw) {
        mode.scan = k;
        if (!final) return false;
        if (isJson(buf.slice(mode.bodyStart))) {
          this.finishCall(buf.length, buf.length, false);
          return true;
        }
        mode.raw = true;
      }
      mode.scan = mode.bodyStart;
    }
    const close = buf.indexOf(CLOSE_TAG, mode.scan);
    if (close !== -1) {
      this.finishCall(close, close + CLOSE_TAG.length, true);
      return true;
    }
    if (!final) {
      mode.scan = Math.max(mode.bodyStart, buf.length - CLOSE_TAG.length + 1);
      return false;
    }
    this.finishCall(buf.length, buf.length, false);
    return true;
  }

  private enterCall(): void {
    const bodyStart = this.pos + OPEN_TAG.length;
    this.mode = {
      kind: "call",
      bodyStart,
      scan: bodyStart,
      inString: false,
      escaped: false,
      raw: false,
    };
    this.lineStart = false;
  }

  private finishCall(bodyEnd: number, next: number, terminated: boolean): void {
    if (this.mode.kind !== "call") return;
    this.out.push({
      kind: "call",
      body: this.buf.slice(this.mode.bodyStart, bodyEnd),
      terminated,
    });
    this.pos = next;
    this.mode = { kind: "text" };
    this.lineStart = false;
  }

  private runEnd(i: number, ch: string): number {
    let j = i;
    while (j < this.buf.length && this.buf[j] === ch) j++;
    return j;
  }

  /** `<tool_call>`, optional whitespace, then `{`. */
  private matchOpenTag(i: number, final: boolean): Match {
    const { buf } = this;
    if (buf.length - i < OPEN_TAG.length) {
      return OPEN_TAG.startsWith(buf.slice(i)) && !final ? "need" : "no";
    }
    if (!buf.startsWith(OPEN_TAG, i)) return "no";
    let k = i + OPEN_TAG.length;
    while (k < buf.length && isSpace(buf[k])) k++;
    if (k === buf.length) return final ? "no" : "need";
    return buf[k] === "{" ? "yes" : "no";
  }

  /**
   * A CommonMark fence opener at line start: up to three spaces, then three or more
   * backticks (with no backtick later on the line) or tildes.
   */
  private matchFenceOpen(
    i: number,
    final: boolean,
  ): { end: number; char: string; length: number; lineStart: boolean } | undefined | "need" {
    const { buf } = this;
    let k = i;
    while (k < buf.length && k - i < 3 && buf[k] === " ") k++;
    if (k === buf.length) return final ? undefined : "need";
    const char = buf[k];
    if (char !== "`" && char !== "~") return undefined;
    const runEnd = this.runEnd(k, char);
    if (runEnd === buf.length && !final) return "need";
    const length = runEnd - k;
    if (length < 3) return undefined;
    if (char === "~") return { end: runEnd, char, length, lineStart: false };
    const newline = buf.indexOf("\n", runEnd);
    const lineEnd = newline === -1 ? buf.length : newline;
    if (buf.slice(runEnd, lineEnd).includes("`")) return undefined;
    if (newline === -1) {
      return final ? { end: buf.length, char, length, lineStart: false } : "need";
    }
    return { end: newline + 1, char, length, lineStart: true };
  }

  /**
   * A closing fence: up to three spaces, at least `length` of `char`, then only
   * spaces or tabs to the end of the line. Returns the index after the line.
   */
  private matchFenceClose(
    i: number,
    char: string,
    length: number,
    final: boolean,
  ): number | undefined | "need" {
    const { buf } = this;
    let k = i;
    while (k < buf.length && k - i < 3 && buf[k] === " ") k++;
    if (k === buf.length) return final ? undefined : "need";
    if (buf[k] !== char) return undefined;
    const runEnd = this.runEnd(k, char);
    if (runEnd === buf.length && !final) return "need";
    if (runEnd - k < length) return undefined;
    let m = runEnd;
    while (m < buf.length && (buf[m] === " " || buf[m] === "\t" || buf[m] === "\r")) m++;
    if (m === buf.length) return final ? m : "need";
    return buf[m] === "\n" ? m + 1 : undefined;
  }
}
