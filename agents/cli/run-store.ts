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
import { isPostgresUrl } from "../checkpoint/postgres.js";
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

/**
 * Opens the run store at `location`: a `postgresql://` URL or a file path.
 * @throws {@link ConfigurationError} `STATE_FILE_UNAVAILABLE` / `STATE_DATABASE_UNAVAILABLE`.
 */
export async function openRunStore(location: string): Promise<RunStore> {
  if (isPostgresUrl(location)) {
    const { openPostgresRunStore } = await import("./run-store-postgres.js");
    return openPostgresRunStore(location);
  }
  const { openSqliteRunStore } = await import("./run-store-sqlite.js");
  return openSqliteRunStore(location);
}
