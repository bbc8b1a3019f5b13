/**
 * SQLite from Node itself (`node:sqlite`), so keeping runs in a file installs
 * and compiles nothing: no native module, no prebuilt binary of 27 MB.
 *
 * Node 22 still calls the module experimental and prints a warning when it is
 * first loaded; the API we use (open, exec, prepare, run/get/all) is the same
 * on 22 and 24, so that one warning is filtered out while the module loads.
 * Every other warning goes through untouched.
 */
import { createRequire } from "node:module";
import type { DatabaseSync } from "node:sqlite";

/** A `node:sqlite` connection. */
export type SqliteDatabase = DatabaseSync;

type NodeSqlite = typeof import("node:sqlite");

let loaded: NodeSqlite | undefined;

function isSqliteExperimentalWarning(warning: unknown, rest: unknown[]): boolean {
  const text = warning instanceof Error ? warning.message : String(warning);
  const type = warning instanceof Error ? warning.name : rest[0];
  const typeName =
    typeof type === "object" && type !== null ? (type as { type?: unknown }).type : type;
  return typeName === "ExperimentalWarning" && text.startsWith("SQLite is an experimental feature");
}

/** Loads `node:sqlite` once, without its experimental-feature warning. */
function nodeSqlite(): NodeSqlite {
  if (loaded !== undefined) return loaded;
  const emitWarning = process.emitWarning;
  process.emitWarning = function filtered(
    this: NodeJS.Process,
    warning: unknown,
    ...rest: unknown[]
  ) {
    if (isSqliteExperimentalWarning(warning, rest)) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // Synchronous, so the filter is in place exactly while the module is evaluated.
    loaded = createRequire(import.meta.url)("node:sqlite") as NodeSqlite;
  } finally {
    process.emitWarning = emitWarning;
  }
  return loaded;
}

/** How long a statement waits for another connection's write lock before it fails, in ms. */
const BUSY_TIMEOUT_MS = 5_000;

/** Options of {@link openSqliteDatabase}. */
export interface OpenSqliteOptions {
  /** Open without the right to write (looking at a file changes nothing). Default false. */
  readOnly?: boolean;
}

/**
 * Opens the SQLite database at `path` (`":memory:"` for one in memory). A
 * missing file is created with the process's umask; callers that need other
 * permissions create the file first.
 */
export function openSqliteDatabase(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const { DatabaseSync } = nodeSqlite();
  const db = new DatabaseSync(path, { readOnly: options.readOnly ?? false });
  // Several processes may share one file (runs side by side, --list during a run): wait for
  // another writer's lock instead of failing at once with SQLITE_BUSY.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/**
 * Runs `work` in one transaction: all of its statements land, or none do.
 * `immediate` takes SQLite's write lock at the start, so a read followed by a
 * write in `work` cannot race another process doing the same.
 */
export function inTransaction<T>(
  db: SqliteDatabase,
  work: () => T,
  options: { immediate?: boolean } = {},
): T {
  db.exec(options.immediate === true ? "BEGIN IMMEDIATE" : "BEGIN");
  try {
    const result = work();
    // Inside the try: a COMMIT that fails (a deferred constraint, SQLITE_BUSY) leaves the transaction open.
    db.exec("COMMIT");
    return result;
  } catch (error) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // SQLite may have rolled back already (ON CONFLICT ROLLBACK, some I/O errors): then ROLLBACK
      // fails with "no transaction is active", and the error worth reporting is the first one.
    }
    throw error;
  }
}
