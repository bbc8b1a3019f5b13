/**
 * `review --list`: the runs a store holds, oldest first: thread id, start
 * time, the task's first line, rounds, and status (running, approved, not
 * approved, failed, interrupted), as a table or (`--json`) a JSON array.
 * The status comes from the run's own state where it can (a run is finished
 * only when its state says why it stopped), else from how its last process
 * ended and whether one still holds it.
 */
import type { CoderReviewerStopReason } from "../coder-reviewer/state.js";
import type { RunRecord, RunStore } from "./run-store.js";

/** A run's status in `--list`. */
export type RunStatus = "running" | "approved" | "not approved" | "failed" | "interrupted";

/** One row of `review --list --json`. */
export interface ListedRun {
  threadId: string;
  /** ISO 8601, or "" when unknown. */
  startedAt: string;
  /** The task's first line. */
  task: string;
  /** Rounds the coder worked. */
  rounds: number;
  status: RunStatus;
}

/** The first line of `text`, without control characters (a task is user text printed to a terminal). */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();
}

async function describeRun(store: RunStore, record: RunRecord): Promise<ListedRun> {
  const tuple = await store.saver.getTuple({
    configurable: { thread_id: record.threadId, checkpoint_ns: "" },
  });
  const values = (tuple?.checkpoint.channel_values ?? {}) as {
    task?: string;
    round?: number;
    stopReason?: CoderReviewerStopReason | null;
  };
  let status: RunStatus;
  if (values.stopReason === "approved") status = "approved";
  else if (values.stopReason === "max_rounds") status = "not approved";
  else if (record.outcome === "running")
    status = (await store.isLocked(record.threadId)) ? "running" : "interrupted";
  else status = record.outcome === "failed" ? "failed" : "interrupted";
  return {
    threadId: record.threadId,
    startedAt: record.startedAt,
    task: firstLine(values.task ?? record.task ?? ""),
    rounds: typeof values.round === "number" ? values.round : 0,
    status,
  };
}

/** Every run in `store`, oldest first. */
export async function listedRuns(store: RunStore): Promise<ListedRun[]> {
  const runs: ListedRun[] = [];
  for (const record of await store.runs()) runs.push(await describeRun(store, record));
  return runs.sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.threadId.localeCompare(b.threadId),
  );
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The runs as `--list` prints them: a JSON array, or a table (a sentence when there are none). */
export function formatRuns(runs: ListedRun[], json: boolean, location: string): string {
  if (json) return `${JSON.stringify(runs)}\n`;
  if (runs.length === 0) return `No saved runs in ${location}.\n`;
  const rows = [
    ["THREAD", "STARTED", "STATUS", "ROUNDS", "TASK"],
    ...runs.map((run) => [
      run.threadId,
      run.startedAt === "" ? "-" : run.startedAt.replace(/\.\d+Z$/, "Z"),
      run.status,
      String(run.rounds),
      cut(run.task, 60),
    ]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] ?? 0) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
