/**
 * LangGraph's PostgreSQL saver (`@langchain/langgraph-checkpoint-postgres`)
 * on a `postgresql://` URL: loaded only when such a URL is given, its schema
 * set up on first use under an advisory lock (so two processes starting at
 * once do not race through the migrations), and the URL's password kept out
 * of every message.
 */
import type { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";
import { ConfigurationError } from "../../src/errors.js";

/** Whether `location` is a PostgreSQL connection URL (`postgresql://` or `postgres://`). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** `location` as it may be shown: a URL's password replaced by `****`. */
export function displayLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password !== "") url.password = "****";
    return url.toString();
  } catch {
    return "the PostgreSQL URL given (not shown: it does not parse)";
  }
}

/** `text` with the URL's password (raw and percent-decoded) replaced by `****`. */
export function withoutPassword(text: string, location: string): string {
  let password = "";
  try {
    password = new URL(location).password;
  } catch {
    return text.split(location).join(displayLocation(location));
  }
  if (password === "") return text;
  let out = text.split(location).join(displayLocation(location));
  for (const secret of new Set([password, safeDecode(password)])) {
    if (secret !== "") out = out.split(secret).join("****");
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The `STATE_DATABASE_UNAVAILABLE` error for `url`: what failed, without the password.
 */
export function databaseUnavailable(url: string, error: unknown): ConfigurationError {
  return new ConfigurationError(
    "STATE_DATABASE_UNAVAILABLE",
    withoutPassword(
      `Cannot use the PostgreSQL database ${displayLocation(url)} for run state: ` +
        `${(error as Error)?.message || String(error)}. Check the URL, that the server is reachable, ` +
        "and that the user may create tables.",
      url,
    ),
    { cause: error },
  );
}

/** A PostgreSQL checkpoint database: LangGraph's saver and the pool it uses. */
export interface PostgresCheckpointDatabase {
  saver: PostgresSaver;
  /** The saver's connection pool, for callers that keep their own tables beside the checkpoints. */
  pool: pg.Pool;
  /** Ends the pool. */
  close(): Promise<void>;
}

/** Serializes schema set-up across processes: one fixed advisory lock key. */
const SETUP_LOCK = "sagemaker-openai-agents: checkpoint schema setup";

/**
 * Connects to `url`, creates LangGraph's checkpoint tables when missing, runs
 * `setupMore` (for the caller's own tables) under the same lock, and returns the saver.
 *
 * @throws {@link ConfigurationError} `STATE_DATABASE_UNAVAILABLE` when the
 *   database cannot be reached or set up (the message never holds the password).
 */
export async function openPostgresCheckpointDatabase(
  url: string,
  setupMore?: (client: pg.PoolClient) => Promise<void>,
): Promise<PostgresCheckpointDatabase> {
  const [{ PostgresSaver }, { default: pgModule }] = await Promise.all([
    import("@langchain/langgraph-checkpoint-postgres"),
    import("pg"),
  ]);
  const pool = new pgModule.Pool({ connectionString: url, max: 4 });
  // An idle client's error (a restarted server) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const saver = new PostgresSaver(pool);
  try {
    const client = await pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [SETUP_LOCK]);
      try {
        await saver.setup();
        await setupMore?.(client);
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [SETUP_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw databaseUnavailable(url, error);
  }
  return { saver, pool, close: () => pool.end() };
}
