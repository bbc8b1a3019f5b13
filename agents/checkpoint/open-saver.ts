/**
 * `openCheckpointSaver`: one call from "where the runs live" (a file path or a
 * PostgreSQL URL) to a LangGraph checkpoint saver, as the `review` CLI's
 * `--state` takes it.
 */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { displayLocation, isPostgresUrl, openPostgresCheckpointDatabase } from "./postgres.js";
import type { PostgresCheckpointOptions } from "./postgres-options.js";
import { openSqliteStateFile } from "./sqlite-file.js";
import { SqliteCheckpointSaver } from "./sqlite-saver.js";

/** An open checkpoint saver and how to close it. */
export interface OpenedCheckpointSaver {
  /** Pass it as `checkpointer` to `createCoderReviewerGraph` or any LangGraph `compile()`. */
  saver: BaseCheckpointSaver;
  kind: "sqlite" | "postgres";
  /** The location as it may be printed: a URL's password replaced by `****`. */
  location: string;
  /** Closes the file or ends the connection pool. */
  close(): Promise<void>;
}

/**
 * Opens a LangGraph checkpoint saver at `location`:
 *
 * - a `postgresql://` or `postgres://` URL: LangGraph's `PostgresSaver`
 *   (`@langchain/langgraph-checkpoint-postgres`), its tables created on first
 *   use, each checkpoint written in one round trip, on a pool of at most
 *   `options.maxConnections` connections (default 10; a `connection_limit`
 *   parameter in the URL takes precedence);
 * - anything else is a file path: {@link SqliteCheckpointSaver}, the file
 *   created with mode 0600 when missing. An existing path must be an SQLite
 *   database holding only checkpoint tables; a symlink, a directory or any
 *   other file is refused unchanged.
 *
 * @throws {@link ConfigurationError} `STATE_FILE_UNAVAILABLE` (file refused) or
 *   `STATE_DATABASE_UNAVAILABLE` (database unreachable, or a connection limit
 *   outside 1-100); messages never show a password.
 *
 * @example
 * ```ts
 * const { saver, close } = await openCheckpointSaver(process.env.DATABASE_URL ?? "runs.sqlite");
 * const graph = createCoderReviewerGraph({ coder, reviewer, checkpointer: saver });
 * await graph.invoke({ task }, { configurable: { thread_id: "run-1" } });
 * await close();
 * ```
 */
export async function openCheckpointSaver(
  location: string,
  options: PostgresCheckpointOptions = {},
): Promise<OpenedCheckpointSaver> {
  if (isPostgresUrl(location)) {
    const database = await openPostgresCheckpointDatabase(location, options);
    return {
      saver: database.saver,
      kind: "postgres",
      location: displayLocation(location),
      close: database.close,
    };
  }
  const saver = new SqliteCheckpointSaver(await openSqliteStateFile(location));
  return {
    saver,
    kind: "sqlite",
    location,
    close: async () => saver.close(),
  };
}
