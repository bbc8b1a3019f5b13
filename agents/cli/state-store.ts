/**
 * Where `review` keeps its runs: a LangGraph SQLite checkpointer
 * ({@link SqliteCheckpointSaver}) in a file only the user can read. The file holds tasks, code and reviews, never a
 * token or credential (the graph's state has none).
 */
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { ConfigurationError } from "../../src/errors.js";
import { SqliteCheckpointSaver } from "../checkpoint/sqlite-saver.js";

/** Opens (creating if needed) the checkpoint database at `path`. */
export function openStateStore(path: string): SqliteCheckpointSaver {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const saver = new SqliteCheckpointSaver(new Database(path));
    // Tasks and code may be private; the file is nobody else's business.
    chmodSync(path, 0o600);
    return saver;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigurationError(
      "STATE_FILE_UNAVAILABLE",
      `Cannot open the run state file ${path} (${reason}). Pass --state FILE to keep runs elsewhere.`,
      { cause: error },
    );
  }
}
