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

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The password of a URL as written and as decoded (what the server gets); none when it has none. */
function passwordsOf(location: string): string[] {
  let raw: string;
  try {
    raw = new URL(location).password;
  } catch {
    return [];
  }
  return [...new Set([raw, safeDecode(raw)])].filter((secret) => secret !== "");
}

/**
 * What a password is replaced by: `****`, or four of another character when
 * the password holds `*`. A mask sharing no character with the password
 * cannot combine with the text around it into the password again.
 */
function maskFor(secrets: string[]): string {
  for (let code = 0x2a; ; code += 1) {
    const char = code === 0x2b ? "x" : String.fromCodePoint(code);
    if (!secrets.some((secret) => secret.includes(char))) return char.repeat(4);
  }
}

/** `text` with every occurrence of each secret replaced by `mask`, longest secret first. */
function hide(text: string, secrets: string[], mask: string): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(mask);
  }
  return out;
}

/** `location` as it may be shown: a URL's password replaced by `****` (wherever else it occurs, too). */
export function displayLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return "the PostgreSQL URL given (not shown: it does not parse)";
  }
  const secrets = passwordsOf(location);
  if (secrets.length === 0) return url.toString();
  const mask = maskFor(secrets);
  url.password = mask;
  return hide(url.toString(), secrets, mask);
}

/** `text` with `location` shown as {@link displayLocation} and its password, raw or decoded, masked. */
export function withoutPassword(text: string, location: string): string {
  const secrets = passwordsOf(location);
  const out = text.split(location).join(displayLocation(location));
  return secrets.length === 0 ? out : hide(out, secrets, maskFor(secrets));
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
