/**
 * What the CLI does to a terminal: colour when the stream is one (or the user
 * forces it), and a one-line, self-erasing status on stderr while something
 * slow runs. Both follow the usual switches: `FORCE_COLOR`, `NO_COLOR`
 * (no-color.org), `TERM=dumb`, and whether the stream is a TTY.
 */

/** Somewhere to write text (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** A stream the CLI writes to, with what a TTY tells about itself. */
export type TerminalStream = TextSink & { isTTY?: boolean; columns?: number };

/** ANSI styling, or none. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  red(text: string): string;
}

/**
 * Whether to colour what is written to `stream`. `FORCE_COLOR` decides when set,
 * as in Node itself (`""`, `1`, `2`, `3`, `true`: colour; anything else, such as
 * `0`: none); then `NO_COLOR` set to anything non-empty, or `TERM=dumb`, turns
 * colour off; otherwise colour only on a TTY.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ["", "1", "2", "3", "true"].includes(force);
  if (env.NO_COLOR) return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/**
 * Whether to draw a live status line on `stream`: only on a TTY that can move
 * the cursor (not `TERM=dumb`). Piped or redirected output never gets one, so
 * logs and captured output hold no carriage returns.
 */
export function progressEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** ANSI styles when `enabled`, identity functions otherwise. */
export function createStyle(enabled: boolean): Style {
  const sgr =
    (open: number, close: number) =>
    (text: string): string =>
      enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    cyan: sgr(36, 39),
    yellow: sgr(33, 39),
    green: sgr(32, 39),
    red: sgr(31, 39),
  };
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK_MS = 120;
const ERASE_LINE = "\r\u001b[2K";

/**
 * A status line on stderr for slow steps ("Round 1 · coder: waiting for the
 * model… 4s"): redrawn in place with a spinner and the seconds spent, erased
 * before anything else is printed and when the work ends. Disabled (every
 * method does nothing) unless {@link progressEnabled} says the stream can take it.
 */
export class StatusLine {
  private _text: string | undefined;
  private _since = 0;
  private _frame = 0;
  private _drawn = false;
  private _timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly _stream: TerminalStream,
    private readonly _enabled: boolean,
    private readonly _style: Style,
  ) {}

  /** Whether the line is drawn at all. */
  get enabled(): boolean {
    return this._enabled;
  }

  /**
   * Shows `text` (the timer restarts when the text changes). Called again with
   * the same text (once per streamed token, say), it draws nothing: the timer
   * keeps the spinner and the seconds moving.
   */
  show(text: string): void {
    // A shown text is already drawn: only hide() clears the text, and it clears the drawing too.
    if (!this._enabled || text === this._text) return;
    this._text = text;
    this._since = Date.now();
    this._draw();
    if (this._timer === undefined) {
      this._timer = setInterval(() => this._draw(), TICK_MS);
      // A status line must never keep the process alive.
      this._timer.unref();
    }
  }

  /** Erases the line and stops redrawing it, until the next {@link show}. */
  hide(): void {
    if (this._timer !== undefined) clearInterval(this._timer);
    this._timer = undefined;
    this._text = undefined;
    if (this._drawn) this._stream.write(ERASE_LINE);
    this._drawn = false;
  }

  private _draw(): void {
    if (this._text === undefined) return;
    this._frame = (this._frame + 1) % FRAMES.length;
    const seconds = Math.floor((Date.now() - this._since) / 1000);
    const line = `${FRAMES[this._frame]} ${this._text}${seconds >= 1 ? ` ${seconds}s` : ""}`;
    // Wider than the terminal would wrap, and the erase would then miss the first row.
    // A terminal that does not say its width (0 or unset) gets the usual 80.
    const width = Math.max(10, (this._stream.columns || 80) - 1);
    const fitted = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    this._stream.write(`${ERASE_LINE}${this._style.dim(fitted)}`);
    this._drawn = true;
  }
}
