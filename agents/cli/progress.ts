/**
 * The `review` command's terminal output while the graph runs: which agent is
 * working in which round, the streamed tokens, each tool call with its
 * arguments and result, the verdict (each reviewer comment once). While a
 * model or a tool is busy, a status line on a terminal's stderr says so.
 * Colour only on a terminal that wants it (`src/cli/terminal.ts`).
 */
import type { StatusLine, Style, TextSink } from "../../src/cli/terminal.js";
import type { CoderReviewerEvent, GraphAgent } from "../coder-reviewer/events.js";

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

/** Whitespace-insensitive form of printed text, to tell whether a comment was already shown. */
function normalised(text: string): string {
  return printable(text).replace(/\s+/g, " ").trim();
}

/**
 * Prints graph events as they arrive (human output), or with no `out`
 * (`--json`, `--quiet`) only keeps the status line up to date.
 */
export class ProgressPrinter {
  private _atLineStart = true;
  /** What the current agent turn streamed, to print a verdict's comments only if they were not in it. */
  private _turnText = "";
  private _printedVerdict = false;

  constructor(
    private readonly _out: TextSink | undefined,
    private readonly _style: Style,
    /** Where each agent's model runs, e.g. `agents / coder`. */
    private readonly _labels: Record<GraphAgent, string>,
    private readonly _status?: StatusLine,
  ) {}

  /** Whether a verdict and its comments were printed (so the final summary need not repeat them). */
  get printedVerdict(): boolean {
    return this._printedVerdict;
  }

  /** Writes `text`, remembering whether the cursor is at the start of a line. */
  private _write(text: string): void {
    if (text === "" || this._out === undefined) return;
    this._status?.hide();
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
    const label = this._labels[event.agent as GraphAgent] ?? event.agent;
    const who = `Round ${event.round} · ${event.agent} (${label})`;
    switch (event.type) {
      case "agent_start":
        this._turnText = "";
        if (!this._atLineStart) this._write("\n");
        this._write("\n");
        this._line(
          `${s.bold(s.cyan(`Round ${event.round} · ${event.agent}`))} ${s.dim(`(${this._labels[event.agent]})`)}`,
        );
        this._status?.show(`${who}: waiting for the model…`);
        break;
      case "token":
        this._turnText += event.text;
        this._write(printable(event.text));
        if (this._out === undefined) this._status?.show(`${who}: writing…`);
        break;
      case "reasoning":
        this._write(s.dim(printable(event.text)));
        if (this._out === undefined) this._status?.show(`${who}: thinking…`);
        break;
      case "tool_call":
        this._line(s.yellow(`  → ${event.name}(${formatArgs(event.args)})`));
        this._status?.show(`${who}: running ${event.name}…`);
        break;
      case "tool_result": {
        const text = `  ← ${oneLine(event.content, 160)}`;
        this._line(event.isError ? s.red(text) : s.dim(text));
        this._status?.show(`${who}: waiting for the model…`);
        break;
      }
      case "verdict": {
        const label = event.approved ? s.green("APPROVED") : s.red("CHANGES REQUESTED");
        const how =
          event.source === "structured" ? "" : s.dim(` (read from the ${event.source} review)`);
        this._line(`${s.bold("  Verdict:")} ${label}${how}`);
        // The reviewer usually wrote its comments in the text just streamed: print only the others.
        const shown = normalised(this._turnText);
        for (const comment of event.comments) {
          if (!shown.includes(normalised(comment))) this._line(`    - ${oneLine(comment, 400)}`);
        }
        this._printedVerdict = this._out !== undefined;
        break;
      }
      default:
        // model_start and code: the tokens already showed them.
        break;
    }
  }

  /** Ends the current line if output stopped mid-line, and erases the status line. */
  finish(): void {
    this._status?.hide();
    if (!this._atLineStart) this._write("\n");
  }
}
