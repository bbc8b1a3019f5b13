/**
 * The run store in PostgreSQL: LangGraph's `PostgresSaver` tables plus
 * `review_runs` (the registry). A thread's lock is a session advisory lock
 * held on a connection of its own for as long as the run goes: the server
 * drops it the moment that connection ends, however the process ended.
 */
import type pg from "pg";
import {
  databaseUnavailable,
  displayLocation,
  openPostgresCheckpointDatabase,
} from "../checkpoint/postgres.js";
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

/** The advisory lock key text of a thread (hashed to 64 bits by the server). */
function lockKey(threadId: string): string {
  return `sagemaker-openai-agents review thread ${threadId}`;
}

/**
 * Opens the run store in the database at `url` (tables created on first use).
 * @throws {@link ConfigurationError} `STATE_DATABASE_UNAVAILABLE`.
 */
export async function openPostgresRunStore(url: string): Promise<RunStore> {
  const database = await openPostgresCheckpointDatabase(url, {
    setupMore: async (client) => {
      await client.query(RUNS_TABLE);
    },
  });
  const { pool } = database;
  const { default: pgModule } = await import("pg");
  /** The connections holding this process's thread locks. */
  const held = new Map<string, pg.Client>();
  const registry = runRegistry({
    param: (n) => `$${n}`,
    rows: async (sql, values) => (await pool.query<RunRow>(sql, [...values])).rows,
    run: async (sql, values) => (await pool.query(sql, [...values])).rowCount ?? 0,
  });

  const store: RunStore = {
    kind: "postgres",
    location: displayLocation(url),
    saver: database.saver,

    async lock(threadId: string): Promise<ThreadLock> {
      const client = new pgModule.Client({ connectionString: url });
      client.on("error", () => {});
      let rows: { ok: boolean }[];
      try {
        await client.connect();
        ({ rows } = await client.query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
          [lockKey(threadId)],
        ));
      } catch (error) {
        await client.end().catch(() => {});
        throw databaseUnavailable(url, error);
      }
      if (rows[0]?.ok !== true) {
        await client.end();
        throw threadBusy(threadId, "another session of this database");
      }
      held.set(threadId, client);
      return {
        async release() {
          if (held.get(threadId) !== client) return;
          held.delete(threadId);
          // Ending the session releases its advisory locks.
          await client.end().catch(() => {});
        },
      };
    },

    async isLocked(threadId: string): Promise<boolean> {
      if (held.has(threadId)) return false;
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
          [lockKey(threadId)],
        );
        if (rows[0]?.ok !== true) return true;
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [
          lockKey(threadId),
        ]);
        return false;
      } finally {
        client.release();
      }
    },

    findRun: registry.findRun,
    addRun: registry.addRun,
    removeRun: registry.removeRun,
    setOutcome: registry.setOutcome,

    async runs(): Promise<RunRecord[]> {
      const records = await registry.records();
      const { rows } = await pool.query<{ thread_id: string; first_ts: string | null }>(
        `SELECT DISTINCT ON (thread_id) thread_id, checkpoint->>'ts' AS first_ts
         FROM checkpoints WHERE checkpoint_ns = '' ORDER BY thread_id, checkpoint_id ASC`,
      );
      return withUnrecorded(
        records,
        rows.map((row) => ({ threadId: row.thread_id, startedAt: row.first_ts ?? "" })),
      );
    },

    async close(): Promise<void> {
      for (const client of held.values()) await client.end().catch(() => {});
      held.clear();
      await database.close();
    },
  };
  return store;
}
