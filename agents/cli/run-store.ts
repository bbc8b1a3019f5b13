/**
 * Where `review` keeps its runs (`--state`): the LangGraph checkpoints, and
 * beside them a registry of the runs it started (thread id, start time, task,
 * where the models were, how the last process ended) and a lock per thread,
 * so one run is never driven by two processes at once. An SQLite file
 * (`run-store-sqlite.ts`) or a PostgreSQL database (`run-store-postgres.ts`).
 *
 * Nothing stored is a secret: tasks, code, reviews, endpoint names. The
 * models' tokens and credentials never enter the graph's state.
 */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { SageMakerOpenAIError } from "../../src/errors.js";
import { parseTargetRecord, targetRecord } from "./run-target-store.js";
import type { ReviewTarget } from "./settings.js";

/**
 * A run that cannot be driven from here now: `THREAD_BUSY` (another process
 * drives it) or `THREAD_EXISTS` (`--thread` names a run that already exists).
 */
export class RunStoreError extends SageMakerOpenAIError {}

/** The `THREAD_BUSY` error for `threadId`, held by `holder` (e.g. "process 123 on host a"). */
export function threadBusy(threadId: string, holder: string): RunStoreError {
  return new RunStoreError(
    "THREAD_BUSY",
    `Run ${threadId} is being run by another process (${holder}); wait for it to end ` +
      "(or stop it) and then resume it.",
  );
}

/** How the last process that drove a run left it (`running` while one does). */
export type RunOutcome = "running" | "finished" | "failed" | "interrupted";

/** A run as the registry knows it. */
export interface RunRecord {
  threadId: string;
  /** ISO 8601. */
  startedAt: string;
  /** The task; undefined for a run recorded by an older version (its checkpoints hold it). */
  task: string | undefined;
  /** Where its models were; undefined for a run saved before targets were recorded. */
  target: ReviewTarget | undefined;
  outcome: RunOutcome;
}

/** A `review_runs` row, as both stores keep it. */
export interface RunRow {
  thread_id: string;
  started_at: string;
  task: string | null;
  target: string | null;
  outcome: string;
}

/** The registry table, in SQL both SQLite and PostgreSQL take. */
export const RUNS_TABLE = `
CREATE TABLE IF NOT EXISTS review_runs (
  thread_id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  task TEXT,
  target TEXT,
  outcome TEXT NOT NULL
)`;

/** The record of a registry row. @throws `STATE_TARGET_UNREADABLE` for a damaged target. */
function recordOf(row: RunRow): RunRecord {
  return {
    threadId: row.thread_id,
    startedAt: row.started_at,
    task: row.task ?? undefined,
    target: row.target === null ? undefined : parseTargetRecord(row.target, row.thread_id),
    outcome: row.outcome as RunOutcome,
  };
}

/** The registry's values for a new run (`target` as its stored names). */
function rowValues(
  record: Omit<RunRecord, "outcome">,
): [string, string, string | null, string | null] {
  return [
    record.threadId,
    record.startedAt,
    record.task ?? null,
    record.target === undefined ? null : targetRecord(record.target),
  ];
}

/**
 * One store's database as the registry uses it. The registry's SQL is written
 * once, for both stores; `param` spells its parameters for the driver.
 */
export interface RegistryDatabase {
  /** The `n`-th (1-based) parameter of a statement: `?` in SQLite, `$n` in PostgreSQL. */
  param(n: number): string;
  /** The rows `sql` selects. */
  rows(sql: string, values: ReadonlyArray<string | null>): Promise<RunRow[]>;
  /** Runs `sql`; how many rows it changed. */
  run(sql: string, values: ReadonlyArray<string | null>): Promise<number>;
}

/** The registry's part of a {@link RunStore}, plus every record it holds. */
export type RunRegistry = Pick<RunStore, "findRun" | "addRun" | "removeRun" | "setOutcome"> & {
  records(): Promise<RunRecord[]>;
};

/** The registry (`review_runs`) on `db`, the same statements for both stores. */
export function runRegistry(db: RegistryDatabase): RunRegistry {
  const p = db.param;
  return {
    async findRun(threadId) {
      const [row] = await db.rows(`SELECT * FROM review_runs WHERE thread_id = ${p(1)}`, [
        threadId,
      ]);
      return row === undefined ? undefined : recordOf(row);
    },
    async addRun(record) {
      const changed = await db.run(
        `INSERT INTO review_runs (thread_id, started_at, task, target, outcome)
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, 'running') ON CONFLICT (thread_id) DO NOTHING`,
        rowValues(record),
      );
      return changed === 1;
    },
    async removeRun(threadId) {
      await db.run(`DELETE FROM review_runs WHERE thread_id = ${p(1)}`, [threadId]);
    },
    async setOutcome(threadId, outcome) {
      await db.run(`UPDATE review_runs SET outcome = ${p(1)} WHERE thread_id = ${p(2)}`, [
        outcome,
        threadId,
      ]);
    },
    async records() {
      return (await db.rows("SELECT * FROM review_runs", [])).map(recordOf);
    },
  };
}

/**
 * `records` plus the threads that have checkpoints but no record (saved by
 * an older version, or by other LangGraph code), as interrupted runs.
 */
export function withUnrecorded(
  records: RunRecord[],
  threads: Array<{ threadId: string; startedAt: string }>,
): RunRecord[] {
  const known = new Set(records.map((r) => r.threadId));
  const others = threads
    .filter((t) => !known.has(t.threadId))
    .map((t): RunRecord => ({ ...t, task: undefined, target: undefined, outcome: "interrupted" }));
  return [...records, ...others];
}

/** A thread this process drives; release it when done. */
export interface ThreadLock {
  release(): Promise<void>;
}

/** The checkpoints and the run registry behind `--state`. */
export interface RunStore {
  readonly kind: "sqlite" | "postgres";
  /** The location as it may be printed (a URL's password replaced by `****`). */
  readonly location: string;
  readonly saver: BaseCheckpointSaver;
  /**
   * Takes the thread for this process.
   * @throws {@link RunStoreError} `THREAD_BUSY` when another live process holds it.
   */
  lock(threadId: string): Promise<ThreadLock>;
  /** Whether a live process (this one excluded) holds the thread. */
  isLocked(threadId: string): Promise<boolean>;
  /** The registry's record of the run, if any. */
  findRun(threadId: string): Promise<RunRecord | undefined>;
  /** Records a new run; false when the thread id is already in the registry. */
  addRun(record: Omit<RunRecord, "outcome">): Promise<boolean>;
  /** Forgets a run that never wrote a checkpoint. */
  removeRun(threadId: string): Promise<void>;
  setOutcome(threadId: string, outcome: RunOutcome): Promise<void>;
  /**
   * Every run the store holds: the registry's, and threads with checkpoints but
   * no record (saved by an older version, or by other LangGraph code), with
   * the time of their first checkpoint.
   */
  runs(): Promise<RunRecord[]>;
  close(): Promise<void>;
}
