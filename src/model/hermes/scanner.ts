/**
 * The incremental scanner behind both hermes parsers. It splits model output into
 * content text and `<tool_call>` block bodies. It is a character-level state machine:
 * text whose meaning depends on what follows (a partial tag, a whitespace run, a fence
 * line, a block) is held in the state until a later character or the end decides it, so
 * the same input gives the same segments however it is cut into chunks, and each
 * character is looked at a bounded number of times (linear time for any chunking).
 *
 * The rules it applies are the "tool-call position" rules documented on
 * `parseHermesToolCalls`; this file is their single implementation.
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

/** Fence closer progress: indentation, the run of fence characters, then trailing blanks. */
type ClosePhase = "indent" | "run" | "trailing";

type State =
  | { kind: "text" }
  | { kind: "ws"; run: string }
  | { kind: "tag"; ws: string; matched: number }
  | { kind: "tagWs"; ws: string; after: string }
  | { kind: "ticks"; char: string; count: number; atLineStart: boolean }
  | { kind: "fenceInfo"; count: number; info: string }
  | { kind: "span"; ticks: number }
  | { kind: "spanTicks"; ticks: number; count: number }
  | { kind: "fence"; char: string; count: number; lineStart: boolean }
  | {
      kind: "fenceClose";
      char: string;
      count: number;
      held: string;
      phase: ClosePhase;
      width: number;
    }
  | {
      kind: "call";
      body: string;
      inString: boolean;
      escaped: boolean;
      /** How many characters of `</tool_call>` have just been seen. */
      closing: number;
      /** Set once the JSON is known broken: the next closing tag ends the block. */
      raw: boolean;
    };

/** JSON's whitespace; Unicode spaces are ordinary text to the scanner. */
function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
}

/** Characters that can change the scanner's state in text: whitespace, `<`, `` ` ``, `~`. */
function isSpecial(code: number): boolean {
  return (
    code === 32 ||
    code === 9 ||
    code === 10 ||
    code === 13 ||
    code === 60 ||
    code === 96 ||
    code === 126
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of the closing tag. */
function partialClose(text: string): number {
  for (let length = Math.min(CLOSE_TAG.length - 1, text.length); length > 0; length--) {
    if (CLOSE_TAG.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/**
 * Splits text into content and tool-call blocks incrementally. `feed` returns what
 * can be decided so far; `end` decides the rest (the output has ended).
 *
 * @internal
 */
export class HermesScanner {
  private state: State = { kind: "text" };
  private input = "";
  private at = 0;
  /** Spaces since the last line start (0–3), or -1 when a fence cannot open here. */
  private indent = 0;
  private out: Segment[] = [];

  /** Adds text and returns the segments it completed. */
  feed(text: string): Segment[] {
    this.process(text);
    return this.take();
  }

  /** Declares the end of the output and returns every remaining segment. */
  end(): Segment[] {
    for (let rest = this.flush(); rest !== undefined; rest = this.flush()) this.process(rest);
    return this.take();
  }

  private take(): Segment[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private emit(text: string): void {
    if (text === "") return;
    const last = this.out[this.out.length - 1];
    if (last?.kind === "text") last.text += text;
    else this.out.push({ kind: "text", text });
  }

  private emitCall(body: string, terminated: boolean): void {
    this.out.push({ kind: "call", body, terminated });
    this.state = { kind: "text" };
    this.indent = -1;
  }

  private process(text: string): void {
    this.input = text;
    this.at = 0;
    while (this.at < this.input.length) this.step();
  }

  /** Handles input from `this.at` in the current state; consumes or changes state. */
  private step(): void {
    const state = this.state;
    const s = this.input;
    switch (state.kind) {
      case "text": {
        // Hot path: plain text and whitespace runs that are not followed by `<` go out in
        // one slice; only a construct that needs holding switches state.
        let j = this.at;
        while (j < s.length) {
          const code = s.charCodeAt(j);
          if (!isSpecial(code) || (code === 126 && this.indent < 0)) {
            if (this.indent >= 0) this.indent = -1;
            j++;
          } else if (isSpace(s[j])) {
            const runEnd = this.scanBlanks(s, j);
            if (runEnd === s.length || s[runEnd] === "<") {
              this.emit(s.slice(this.at, j));
              this.state = { kind: "ws", run: s.slice(j, runEnd) };
              this.at = runEnd;
              return;
            }
            j = runEnd;
          } else break;
        }
        this.emit(s.slice(this.at, j));
        this.at = j;
        if (j === s.length) return;
        const ch = s.charAt(j);
        this.state =
          ch === "<"
            ? { kind: "tag", ws: "", matched: 0 }
            : { kind: "ticks", char: ch, count: 0, atLineStart: this.indent >= 0 };
        return;
      }
      case "ws": {
        const j = this.scanBlanks(s, this.at);
        state.run += s.slice(this.at, j);
        this.at = j;
        if (j === s.length) return;
        if (s[j] === "<") {
          // The whitespace before a block goes with the block (see parseHermesToolCalls).
          this.state = { kind: "tag", ws: state.run, matched: 0 };
        } else {
          this.emit(state.run);
          this.state = { kind: "text" };
        }
        return;
      }
      case "tag": {
        let j = this.at;
        while (
          j < s.length &&
          state.matched < OPEN_TAG.length &&
          s[j] === OPEN_TAG[state.matched]
        ) {
          state.matched++;
          j++;
        }
        this.at = j;
        this.indent = -1;
        if (state.matched === OPEN_TAG.length) {
          this.state = { kind: "tagWs", ws: state.ws, after: "" };
        } else if (j < s.length) {
          // No proper suffix of a prefix of the tag starts it again, so resume at `j`.
          this.emit(state.ws + OPEN_TAG.slice(0, state.matched));
          this.state = { kind: "text" };
        }
        return;
      }
      case "tagWs": {
        let j = this.at;
        while (j < s.length && isSpace(s[j])) j++;
        state.after += s.slice(this.at, j);
        this.at = j;
        if (j === s.length) return;
        if (s[j] === "{") {
          this.state = {
            kind: "call",
            body: state.after,
            inString: false,
            escaped: false,
            closing: 0,
            raw: false,
          };
        } else {
          // Not a block: the tag is text, and the blanks after it are scanned again as a run.
          this.emit(state.ws + OPEN_TAG);
          this.state = { kind: "text" };
          this.unread(state.after);
        }
        return;
      }
      case "ticks": {
        let j = this.at;
        while (j < s.length && s[j] === state.char) j++;
        state.count += j - this.at;
        this.at = j;
        if (j === s.length) return;
        this.indent = -1;
        const run = state.char.repeat(state.count);
        const fence = state.atLineStart && state.count >= 3;
        if (state.char === "~") {
          this.emit(run);
          this.state = fence
            ? { kind: "fence", char: "~", count: state.count, lineStart: false }
            : { kind: "text" };
        } else if (fence) {
          this.state = { kind: "fenceInfo", count: state.count, info: "" };
        } else {
          this.emit(run);
          this.state = { kind: "span", ticks: state.count };
        }
        return;
      }
      case "fenceInfo": {
        let j = this.at;
        while (j < s.length && s[j] !== "\n" && s[j] !== "`") j++;
        state.info += s.slice(this.at, j);
        this.at = j;
        if (j === s.length) return;
        const run = "`".repeat(state.count);
        if (s[j] === "\n") {
          this.emit(`${run}${state.info}\n`);
          this.at = j + 1;
          this.state = { kind: "fence", char: "`", count: state.count, lineStart: true };
        } else {
          // A backtick later on the line: CommonMark reads the run as an inline code span.
          this.emit(run + state.info);
          this.state = { kind: "span", ticks: state.count };
        }
        return;
      }
      case "span": {
        const c = s.charAt(this.at);
        if (c === "\n") this.state = { kind: "text" };
        else if (c === "`") this.state = { kind: "spanTicks", ticks: state.ticks, count: 0 };
        else {
          let j = this.at + 1;
          while (j < s.length && s[j] !== "`" && s[j] !== "\n") j++;
          this.emit(s.slice(this.at, j));
          this.at = j;
        }
        return;
      }
      case "spanTicks": {
        let j = this.at;
        while (j < s.length && s[j] === "`") j++;
        state.count += j - this.at;
        this.at = j;
        if (j === s.length) return;
        this.emit("`".repeat(state.count));
        this.state =
          state.count === state.ticks ? { kind: "text" } : { kind: "span", ticks: state.ticks };
        return;
      }
      case "fence": {
        if (state.lineStart) {
          this.state = { ...state, kind: "fenceClose", held: "", phase: "indent", width: 0 };
          return;
        }
        const newline = s.indexOf("\n", this.at);
        const end = newline === -1 ? s.length : newline + 1;
        this.emit(s.slice(this.at, end));
        this.at = end;
        state.lineStart = newline !== -1;
        return;
      }
      case "fenceClose":
        this.stepFenceClose(state, s.charAt(this.at));
        return;
      case "call":
        this.stepCall(state);
        return;
    }
  }

  /** Returns the end of the whitespace run at `from`, tracking fence indentation. */
  private scanBlanks(s: string, from: number): number {
    let j = from;
    for (; j < s.length && isSpace(s[j]); j++) {
      const ch = s[j];
      if (ch === "\n") this.indent = 0;
      else if (ch === " " && this.indent >= 0 && this.indent < 3) this.indent++;
      else this.indent = -1;
    }
    return j;
  }

  /** A closing fence line: up to three spaces, enough fence characters, then blanks. */
  private stepFenceClose(state: Extract<State, { kind: "fenceClose" }>, c: string): void {
    const blank = c === " " || c === "\t" || c === "\r";
    const longEnough = state.width >= state.count;
    let hold = false;
    if (state.phase === "indent") {
      hold = (c === " " && state.held.length < 3) || c === state.char;
      if (c === state.char) state.phase = "run";
    } else if (state.phase === "run" && c === state.char) {
      hold = true;
    } else if (c === "\n" && longEnough) {
      this.emit(`${state.held}\n`);
      this.at++;
      this.state = { kind: "text" };
      this.indent = 0;
      return;
    } else if (blank && longEnough) {
      state.phase = "trailing";
      hold = true;
    }
    if (!hold) {
      this.emit(state.held);
      this.state = { kind: "fence", char: state.char, count: state.count, lineStart: false };
      return;
    }
    if (state.phase === "run") state.width++;
    state.held += c;
    this.at++;
  }

  private stepCall(state: Extract<State, { kind: "call" }>): void {
    const s = this.input;
    const from = this.at;
    // Locals instead of state fields in the per-character loop; written back on exit.
    let { closing, inString, escaped } = state;
    const { raw } = state;
    for (let j = from; j < s.length; j++) {
      const c = s[j];
      if (closing > 0) {
        if (c === CLOSE_TAG[closing]) {
          if (++closing === CLOSE_TAG.length) {
            const body = state.body + s.slice(from, j + 1);
            this.at = j + 1;
            this.emitCall(body.slice(0, body.length - CLOSE_TAG.length), true);
            return;
          }
          continue;
        }
        closing = 0;
      }
      if (raw) {
        if (c === "<") closing = 1;
      } else if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
        else if (c === "\n" || c === "\r") {
          // A JSON string cannot hold a raw line break: the JSON is broken, so the block
          // ends at the first closing tag after all (vLLM's lazy match).
          state.body += s.slice(from, j + 1);
          this.at = j + 1;
          this.breakCall(state);
          return;
        }
      } else if (c === '"') inString = true;
      else if (c === "<") closing = 1;
    }
    state.closing = closing;
    state.inString = inString;
    state.escaped = escaped;
    state.body += s.slice(from);
    this.at = s.length;
  }

  /** Ends a block whose JSON is broken at its first closing tag, or keeps looking for one. */
  private breakCall(state: Extract<State, { kind: "call" }>): void {
    const close = state.body.indexOf(CLOSE_TAG);
    if (close === -1) {
      state.raw = true;
      state.closing = partialClose(state.body);
      return;
    }
    this.emitCall(state.body.slice(0, close), true);
    this.unread(state.body.slice(close + CLOSE_TAG.length));
  }

  /** Puts text back in front of the unread input, to be scanned in the current state. */
  private unread(text: string): void {
    this.input = text + this.input.slice(this.at);
    this.at = 0;
  }

  /**
   * Resolves the held state as the end of the output. Returns text that must be scanned
   * again (what followed a broken block's closing tag), or undefined when done.
   */
  private flush(): string | undefined {
    const state = this.state;
    this.state = { kind: "text" };
    switch (state.kind) {
      case "ws":
        this.emit(state.run);
        return undefined;
      case "tag":
        this.emit(state.ws + OPEN_TAG.slice(0, state.matched));
        return undefined;
      case "tagWs":
        this.emit(state.ws + OPEN_TAG + state.after);
        return undefined;
      case "ticks":
        this.emit(state.char.repeat(state.count));
        return undefined;
      case "fenceInfo":
        this.emit("`".repeat(state.count) + state.info);
        return undefined;
      case "spanTicks":
        this.emit("`".repeat(state.count));
        return undefined;
      case "fenceClose":
        this.emit(state.held);
        return undefined;
      case "call": {
        const close = state.raw || isJson(state.body) ? -1 : state.body.indexOf(CLOSE_TAG);
        if (close === -1) {
          this.emitCall(state.body, false);
          return undefined;
        }
        this.emitCall(state.body.slice(0, close), true);
        return state.body.slice(close + CLOSE_TAG.length);
      }
      default:
        return undefined;
    }
  }
}
