/**
 * A `CheckpointerTestInitializer` for LangGraph's conformance suite that tests
 * the saver `openPostgresCheckpointDatabase` gives (one statement per
 * `put`/`putWrites`) on a real PostgreSQL: each checkpointer gets a new
 * database of its own, dropped when the suite destroys it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  openPostgresCheckpointDatabase,
  type PostgresCheckpointDatabase,
} from "../../agents/checkpoint/postgres.js";
import type { BatchedPostgresSaver } from "../../agents/checkpoint/postgres-saver.js";

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The initializer for the server at `serverUrl` (a user who may create databases). */
export function postgresInitializer(serverUrl: string) {
  const opened = new WeakMap<
    BatchedPostgresSaver,
    { database: PostgresCheckpointDatabase; name: string }
  >();
  return {
    checkpointerName: "sagemaker-openai-agents BatchedPostgresSaver",
    async createCheckpointer(): Promise<BatchedPostgresSaver> {
      const name = `smoa_conformance_${randomBytes(6).toString("hex")}`;
      await onServer(serverUrl, `CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const database = await openPostgresCheckpointDatabase(url.toString());
      opened.set(database.saver, { database, name });
      return database.saver;
    },
    async destroyCheckpointer(saver: BatchedPostgresSaver): Promise<void> {
      const entry = opened.get(saver);
      if (entry === undefined) return;
      await entry.database.close();
      await onServer(serverUrl, `DROP DATABASE IF EXISTS ${entry.name} WITH (FORCE)`);
    },
  };
}
