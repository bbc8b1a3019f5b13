/**
 * LangGraph's PostgreSQL saver (`@langchain/langgraph-checkpoint-postgres`)
 * on a `postgresql://` URL: loaded only when such a URL is given, its schema
 * set up on first use under an advisory lock (so two processes starting at
 * once do not race through the migrations), its connection pool sized for
 * many concurrent runs, and the URL's password kept out of every message.
 */
import type pg from "pg";
import { ConfigurationError } from "../../src/errors.js";
import {
  DEFAULT_POSTGRES_MAX_CONNECTIONS,
  type PostgresCheckpointOptions,
} from "./postgres-options.js";
import type { BatchedPostgresSaver } from "./postgres-saver.js";

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

/** `location` masked once, for both exports below (one URL parse). */
interface MaskedLocation {
  /** What {@link displayLocation} returns. */
  shown: string;
  /** The URL's password as written and as decoded (what the server gets); none when it has none. */
  secrets: string[];
  mask: string;
}

function maskLocation(location: string): MaskedLocation {
  let url: URL | undefined;
  try {
    url = new URL(location);
  } catch {
    // Not a URL (a file path), or one that does not parse: no password to find.
  }
  const raw = url?.password ?? "";
  const secrets = [...new Set([raw, safeDecode(raw)])].filter((secret) => secret !== "");
  const mask = maskFor(secrets);
  let shown: string;
  if (!isPostgresUrl(location)) shown = location;
  else if (url === undefined) shown = "the PostgreSQL URL given (not shown: it does not parse)";
  else if (secrets.length === 0) shown = url.toString();
  else {
    url.password = mask;
    shown = hide(url.toString(), secrets, mask);
  }
  return { shown, secrets, mask };
}

/** `location` as it may be shown: a URL's password replaced by `****` (wherever else it occurs, too). */
export function displayLocation(location: string): string {
  return maskLocation(location).shown;
}

/** `text` with `location` shown as {@link displayLocation} and its password, raw or decoded, masked. */
export function withoutPassword(text: string, location: string): string {
  const { shown, secrets, mask } = maskLocation(location);
  const out = text.split(location).join(shown);
  return secrets.length === 0 ? out : hide(out, secrets, mask);
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

/** The highest connection limit accepted: PostgreSQL's default `max_connections`. */
const MAX_CONNECTIONS_LIMIT = 100;

/** The URL query parameter that sets the pool size (the name Prisma uses for the same setting). */
const CONNECTION_LIMIT_PARAMETER = "connection_limit";

/** `value` as a connection limit, or a message saying what is wrong with it. */
function checkedLimit(value: unknown): number | string {
  const limit = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof limit === "number" && Number.isInteger(limit) && limit >= 1) {
    if (limit <= MAX_CONNECTIONS_LIMIT) return limit;
  }
  return `must be a whole number from 1 to ${MAX_CONNECTIONS_LIMIT}, got ${JSON.stringify(String(value))}`;
}

/**
 * The pool size for `url`: its `connection_limit` parameter, else
 * `options.maxConnections`, else {@link DEFAULT_POSTGRES_MAX_CONNECTIONS}.
 * @throws {@link ConfigurationError} `STATE_DATABASE_UNAVAILABLE` when the value is not 1-100.
 */
export function postgresMaxConnections(
  url: string,
  options: PostgresCheckpointOptions = {},
): number {
  let fromUrl: string | null = null;
  try {
    fromUrl = new URL(url).searchParams.get(CONNECTION_LIMIT_PARAMETER);
  } catch {
    // pg reports an unparsable URL when it connects.
  }
  const [value, source] =
    fromUrl !== null
      ? [fromUrl, `The URL's ${CONNECTION_LIMIT_PARAMETER}`]
      : [options.maxConnections ?? DEFAULT_POSTGRES_MAX_CONNECTIONS, "maxConnections"];
  const limit = checkedLimit(value);
  if (typeof limit === "number") return limit;
  throw new ConfigurationError(
    "STATE_DATABASE_UNAVAILABLE",
    withoutPassword(
      `Cannot use the PostgreSQL database ${displayLocation(url)} for run state: ${source} ${limit}.`,
      url,
    ),
  );
}

/** A PostgreSQL checkpoint database: LangGraph's saver and the pool it uses. */
export interface PostgresCheckpointDatabase {
  /** LangGraph's `PostgresSaver`, writing each checkpoint in one round trip. */
  saver: BatchedPostgresSaver;
  /** The saver's connection pool, for callers that keep their own tables beside the checkpoints. */
  pool: pg.Pool;
  /** Ends the pool (waits for queries under way). */
  close(): Promise<void>;
}

/** Options of {@link openPostgresCheckpointDatabase}. */
export interface OpenPostgresCheckpointOptions extends PostgresCheckpointOptions {
  /** Creates the caller's own tables, under the same advisory lock as the checkpoint tables. */
  setupMore?: (client: pg.PoolClient) => Promise<void>;
}

/** Serializes schema set-up across processes: one fixed advisory lock key. */
const SETUP_LOCK = "sagemaker-openai-agents: checkpoint schema setup";

/**
 * Connects to `url`, creates LangGraph's checkpoint tables when missing, runs
 * `options.setupMore` (for the caller's own tables) under the same lock, and returns the saver.
 * The pool opens connections as runs need them, up to {@link postgresMaxConnections};
 * runs beyond that wait for a free connection (they queue, they do not fail).
 *
 * @throws {@link ConfigurationError} `STATE_DATABASE_UNAVAILABLE` when the
 *   database cannot be reached or set up, or the connection limit is not 1-100
 *   (the message never holds the password).
 */
export async function openPostgresCheckpointDatabase(
  url: string,
  options: OpenPostgresCheckpointOptions = {},
): Promise<PostgresCheckpointDatabase> {
  const max = postgresMaxConnections(url, options);
  const [{ BatchedPostgresSaver }, { default: pgModule }] = await Promise.all([
    import("./postgres-saver.js"),
    import("pg"),
  ]);
  const pool = new pgModule.Pool({ connectionString: url, max });
  // An idle client's error (a restarted server) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const saver = new BatchedPostgresSaver(pool);
  try {
    const client = await pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [SETUP_LOCK]);
      try {
        await saver.setup();
        await options.setupMore?.(client);
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
