/**
 * The `review` command's terminal output while the graph runs: which agent is
 * working in which round, the streamed tokens, each tool call with its
 * arguments and result, the verdict. Colour only on a terminal that wants it.
 */
import type { CoderReviewerEvent, GraphAgent } from "../coder-reviewer/events.js";

/** Somewhere to write text (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

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
 * Whether to colour output written to `stream`: only on a TTY, and not when
 * `NO_COLOR` is set to anything (no-color.org) or the terminal is `dumb`.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
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

/**
 * Model and tool text with terminal control characters removed (tabs and
 * newlines stay): a model must not be able to move the cursor, retitle the
 * window or hide text by printing escape sequences.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

function oneLine(text: string, max: number): string {
  const line = printable(text).replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Tool arguments for one line: short values as JSON, long or multi-line strings summarised. */
export function formatArgs(args: Record<string, unknown>): string {
  return Object.entries(args)
    .map(([key, value]) => {
      if (typeof value === "string" && (value.includes("\n") || value.length > 60)) {
        const lines = value.split("\n").length;
        return `${key}=<${lines} line${lines === 1 ? "" : "s"}, ${value.length} chars>`;
      }
      return `${key}=${oneLine(JSON.stringify(value) ?? "undefined", 80)}`;
    })
    .join(", ");
}

/** Prints graph events as they arrive. */
export class ProgressPrinter {
  private _atLineStart = true;

  constructor(
    private readonly _out: TextSink,
    private readonly _style: Style,
    /** Where each agent's model runs, e.g. `agents / coder`. */
    private readonly _labels: Record<GraphAgent, string>,
  ) {}

  /** Writes `text`, remembering whether the cursor is at the start of a line. */
  private _write(text: string): void {
    if (text === "") return;
    this._out.write(text);
    this._atLineStart = text.endsWith("\n");
  }

  private _line(text: string): void {
    if (!this._atLineStart) this._write("\n");
    this._write(`${text}\n`);
  }

  /** Handles one event of the graph's custom stream. */
  handle(event: CoderReviewerEvent): void {
    const s = this._style;
    switch (event.type) {
      case "agent_start":
        if (!this._atLineStart) this._write("\n");
        this._write("\n");
        this._line(
          `${s.bold(s.cyan(`Round ${event.round} · ${event.agent}`))} ${s.dim(`(${this._labels[event.agent]})`)}`,
        );
        break;
      case "token":
        this._write(printable(event.text));
        break;
      case "reasoning":
        this._write(s.dim(printable(event.text)));
        break;
      case "tool_call":
        this._line(s.yellow(`  → ${event.name}(${formatArgs(event.args)})`));
        break;
      case "tool_result": {
        const text = `  ← ${oneLine(event.content, 160)}`;
        this._line(event.isError ? s.red(text) : s.dim(text));
        break;
      }
      case "verdict": {
        const label = event.approved ? s.green("APPROVED") : s.red("CHANGES REQUESTED");
        const how =
          event.source === "structured" ? "" : s.dim(` (read from the ${event.source} review)`);
        this._line(`${s.bold("  Verdict:")} ${label}${how}`);
        for (const comment of event.comments) this._line(`    - ${oneLine(comment, 400)}`);
        break;
      }
      default:
        // model_start and code: the tokens already showed them.
        break;
    }
  }

  /** Ends the current line if output stopped mid-line. */
  finish(): void {
    if (!this._atLineStart) this._write("\n");
  }
}
