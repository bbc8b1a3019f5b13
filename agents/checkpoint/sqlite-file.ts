/**
 * Opening a SQLite file as a checkpoint database without harming anything
 * else on the disk: a path that is a symlink, a directory, or anything other
 * than an SQLite database of ours is refused before a byte or a permission
 * changes; a new file is created 0600 (and its directory 0700) from the
 * start, so no other user can read it even for a moment. SQLite gives its
 * write-ahead log and shared-memory files the database file's permissions.
 */
import { randomUUID } from "node:crypto";
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  type Stats,
} from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError } from "../../src/errors.js";
import { openSqliteDatabase, type SqliteDatabase } from "./sqlite-driver.js";

/** The tables a database may already hold and still be ours: LangGraph's SQLite savers' and the review CLI's. */
const OUR_TABLES = new Set([
  "checkpoints",
  "writes",
  "checkpoint_blobs",
  "review_runs",
  "review_run_locks",
  "review_run_targets",
]);

const SQLITE_HEADER = "SQLite format 3\0";

/** The `STATE_FILE_UNAVAILABLE` error: what is wrong with `path` and what to do. */
function unavailable(path: string, why: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError(
    "STATE_FILE_UNAVAILABLE",
    `Cannot use ${path} as the run state database: ${why}. Nothing was changed; pass --state with ` +
      "another file (a new one is created) or a postgresql:// URL.",
    cause === undefined ? {} : { cause },
  );
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR")
      throw unavailable(path, "part of its directory path is a file (ENOTDIR)", error);
    throw unavailable(path, `it cannot be read (${code})`, error);
  }
}

function startsLikeSqlite(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.toString("latin1") === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** Refuses `path` unless it is a regular SQLite file holding only our tables (or none). */
function checkExisting(path: string, stats: Stats): void {
  if (stats.isSymbolicLink()) throw unavailable(path, "it is a symbolic link");
  if (stats.isDirectory()) throw unavailable(path, "it is a directory");
  if (!stats.isFile()) throw unavailable(path, "it is not a regular file");
  let sqlite: boolean;
  try {
    sqlite = startsLikeSqlite(path);
  } catch (error) {
    throw unavailable(path, `it cannot be read (${(error as NodeJS.ErrnoException).code})`, error);
  }
  if (!sqlite) throw unavailable(path, "it is not an SQLite database");
  let tables: string[];
  try {
    // Read-only: looking does not create a journal or change the file.
    const db = openSqliteDatabase(path, { readOnly: true });
    try {
      tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as unknown as {
          name: string;
        }[]
      ).map((row) => row.name);
    } finally {
      db.close();
    }
  } catch (error) {
    throw unavailable(
      path,
      `it cannot be opened as an SQLite database (${(error as Error).message})`,
      error,
    );
  }
  const foreign = tables.filter((name) => !OUR_TABLES.has(name) && !name.startsWith("sqlite_"));
  if (foreign.length > 0) {
    throw unavailable(
      path,
      `it is the SQLite database of something else (tables ${foreign.slice(0, 3).join(", ")})`,
    );
  }
}

/**
 * Creates `path` as an empty SQLite database with mode 0600 (its missing
 * directories 0700). The database is built under a temporary name and then
 * hard-linked into place, so `path` appears complete or not at all: another
 * process starting at the same moment never sees a half-made (empty) file.
 *
 * @returns false when another process created `path` first.
 */
function createPrivate(path: string): boolean {
  const temp = `${path}.${process.pid}-${randomUUID()}.new`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(temp, "wx", 0o600));
    const db = openSqliteDatabase(temp);
    try {
      // Writes the header (and the WAL flag the saver uses), so the file is a database from its first byte.
      db.exec("PRAGMA journal_mode = WAL");
    } finally {
      db.close();
    }
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    throw unavailable(path, `it cannot be created (${code ?? (error as Error).message})`, error);
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${temp}${suffix}`, { force: true });
  }
}

/**
 * Opens the checkpoint database at `path`, creating it (0600) when it does not exist.
 *
 * @throws {@link ConfigurationError} `STATE_FILE_UNAVAILABLE` when `path` is a
 *   symlink, a directory, not a regular file, not an SQLite database, another
 *   program's database, or cannot be created or opened; the path is then left as it was.
 */
export async function openSqliteStateFile(path: string): Promise<SqliteDatabase> {
  const stats = statOrUndefined(path);
  const created = stats === undefined && createPrivate(path);
  if (!created) {
    // It existed, or another process has just made it: check it like any existing file.
    const existing = stats ?? statOrUndefined(path);
    if (existing === undefined) throw unavailable(path, "it disappeared while being opened");
    checkExisting(path, existing);
  }
  try {
    return openSqliteDatabase(path);
  } catch (error) {
    throw unavailable(path, `it cannot be opened (${(error as Error).message})`, error);
  }
}
