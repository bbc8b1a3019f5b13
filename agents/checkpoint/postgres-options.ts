/**
 * How a PostgreSQL checkpoint database is opened, in a file of its own so
 * that the public types (and `openCheckpointSaver`'s declaration) do not pull
 * in `pg`'s types, which a user's app may not have.
 */

/**
 * Connections a process opens to a checkpoint database at most, unless told
 * otherwise. Concurrent runs share them: each checkpoint write holds one for
 * one round trip, so 10 keep a thousand runs in one process flowing, while a
 * few such processes together stay well under PostgreSQL's default
 * `max_connections` of 100 (and a laptop's database is not crowded).
 */
export const DEFAULT_POSTGRES_MAX_CONNECTIONS = 10;

/** How a PostgreSQL checkpoint database is opened. */
export interface PostgresCheckpointOptions {
  /**
   * Connections the saver's pool opens at most (1-100; default 10,
   * `DEFAULT_POSTGRES_MAX_CONNECTIONS`). A `connection_limit` parameter
   * in the URL takes precedence, so whoever writes the URL can fit the pool to
   * the server's `max_connections` without a code change.
   */
  maxConnections?: number;
}
