/**
 * Opens `review`'s run store (`run-store.ts`) for a `--state` value: the
 * PostgreSQL one for a `postgresql://` URL (loaded only then), else the
 * SQLite file.
 */
import { isPostgresUrl } from "../checkpoint/postgres.js";
import type { RunStore } from "./run-store.js";

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
