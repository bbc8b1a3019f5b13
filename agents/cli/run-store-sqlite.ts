/**
 * The run store in an SQLite file: {@link SqliteCheckpointSaver}'s tables plus
 * `review_runs` (the registry) and `review_run_locks` (which process drives
 * which thread). SQLite has no lock that dies with its owner, so a lock row
 * names its process (pid, host, and on Linux its start time): a row whose
 * process is gone (killed, crashed, a zombie, its pid reused) is taken over,
 * one whose process lives is `THREAD_BUSY`.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { inTransaction } from "../checkpoint/sqlite-driver.js";
import { openSqliteStateFile } from "../checkpoint/sqlite-file.js";
import { SqliteCheckpointSaver } from "../checkpoint/sqlite-saver.js";
import {
  RUNS_TABLE,
  type RunRecord,
  type RunRow,
  type RunStore,
  runRegistry,
  type ThreadLock,
  threadBusy,
  withUnrecorded,
} from "./run-store.js";
import { parseTargetRecord } from "./run-target-store.js";

const LOCKS_TABLE = `
CREATE TABLE IF NOT EXISTS review_run_locks (
  thread_id TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  token TEXT NOT NULL,
  started TEXT NOT NULL DEFAULT ''
)`;

interface LockRow {
  pid: number;
  host: string;
  token: string;
  started: string;
}

/**
 * When process `pid` started (Linux: /proc/PID/stat's start time, in clock
 * ticks since boot) and whether it is a zombie; undefined where /proc is not.
 */
function procStat(pid: number): { started: string; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { started: fields[19] ?? "", zombie: fields[0] === "Z" };
  } catch {
    return undefined;
  }
}

/** This process's start time as {@link procStat} reads it ("" where /proc is not). */
const OWN_START = procStat(process.pid)?.started ?? "";

/**
 * Whether the process that took a lock is still running. A dead process, a
 * zombie (a killed process nobody reaped, as in a container without an init),
 * or another process that got the same pid since (its start time differs)
 * holds nothing. A process on another host cannot be checked: its lock stands.
 */
function holderAlive(row: LockRow): boolean {
  if (row.host !== hostname()) return true;
  try {
    process.kill(row.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(row.pid);
  if (stat === undefined) return true;
  return !stat.zombie && (row.started === "" || stat.started === row.started);
}

/**
 * Opens (creating, 0600) the run store at `path`.
 * @throws {@link ConfigurationError} `STATE_FILE_UNAVAILABLE` (see `openSqliteStateFile`).
 */
export async function openSqliteRunStore(path: string): Promise<RunStore> {
  const saver = new SqliteCheckpointSaver(await openSqliteStateFile(path));
  const db = saver.db;
  // The saver's tables first (it also turns on WAL), then ours, so a new file holds them all at once.
  saver.setup();
  db.exec(RUNS_TABLE);
  db.exec(LOCKS_TABLE);
  const legacyTargets =
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_run_targets'")
      .get() !== undefined;

  const registry = runRegistry({
    param: () => "?",
    rows: async (sql, values) => db.prepare(sql).all(...values) as unknown as RunRow[],
    run: async (sql, values) => Number(db.prepare(sql).run(...values).changes),
  });

  const lockRow = (threadId: string) =>
    db
      .prepare("SELECT pid, host, token, started FROM review_run_locks WHERE thread_id = ?")
      .get(threadId) as LockRow | undefined;

  const store: RunStore = {
    kind: "sqlite",
    location: path,
    saver,

    async lock(threadId: string): Promise<ThreadLock> {
      const token = randomUUID();
      // IMMEDIATE: the check and the insert happen under SQLite's write lock, so two processes cannot both pass.
      inTransaction(
        db,
        () => {
          const held = lockRow(threadId);
          if (held !== undefined && holderAlive(held)) {
            throw threadBusy(threadId, `process ${held.pid} on host ${held.host}`);
          }
          db.prepare(
            "INSERT OR REPLACE INTO review_run_locks (thread_id, pid, host, token, started) VALUES (?, ?, ?, ?, ?)",
          ).run(threadId, process.pid, hostname(), token, OWN_START);
        },
        { immediate: true },
      );
      return {
        async release() {
          if (!db.isOpen) return;
          db.prepare("DELETE FROM review_run_locks WHERE thread_id = ? AND token = ?").run(
            threadId,
            token,
          );
        },
      };
    },

    async isLocked(threadId: string): Promise<boolean> {
      const held = lockRow(threadId);
      return (
        held !== undefined &&
        holderAlive(held) &&
        !(held.pid === process.pid && held.host === hostname())
      );
    },

    async findRun(threadId: string): Promise<RunRecord | undefined> {
      const found = await registry.findRun(threadId);
      if (found !== undefined || !legacyTargets) return found;
      // Runs saved before the registry existed recorded only their target.
      const legacy = db
        .prepare("SELECT target FROM review_run_targets WHERE thread_id = ?")
        .get(threadId) as { target: string } | undefined;
      if (legacy === undefined) return undefined;
      return {
        threadId,
        startedAt: "",
        task: undefined,
        target: parseTargetRecord(legacy.target, threadId),
        outcome: "interrupted",
      };
    },

    addRun: registry.addRun,
    removeRun: registry.removeRun,
    setOutcome: registry.setOutcome,

    async runs(): Promise<RunRecord[]> {
      const records = await registry.records();
      const firsts = db
        .prepare(
          "SELECT thread_id, MIN(checkpoint_id) AS first FROM checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id",
        )
        .all() as { thread_id: string; first: string }[];
      // Recorded runs are skipped before getTuple: each call decodes a whole checkpoint.
      const known = new Set(records.map((r) => r.threadId));
      const threads: Array<{ threadId: string; startedAt: string }> = [];
      for (const { thread_id, first } of firsts) {
        if (known.has(thread_id)) continue;
        const tuple = await saver.getTuple({
          configurable: { thread_id, checkpoint_ns: "", checkpoint_id: first },
        });
        threads.push({ threadId: thread_id, startedAt: tuple?.checkpoint.ts ?? "" });
      }
      return withUnrecorded(records, threads);
    },

    async close(): Promise<void> {
      if (db.isOpen) saver.close();
    },
  };
  return store;
}
