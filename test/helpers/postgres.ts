/**
 * A real PostgreSQL for the durable-run tests. Reuses the server CI started
 * (`SMOA_TEST_POSTGRES_URL`, from `.ci/postgres.sh start`); otherwise starts
 * one with the same script for this test file and stops it afterwards. Each
 * test gets a database of its own (created and dropped here), so test files
 * sharing one server cannot see each other's runs.
 *
 * When no PostgreSQL can be started, the caller's tests are skipped on a
 * developer machine; under `CI=true` the set-up fails instead.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import pg from "pg";
import { afterAll, onTestFinished } from "vitest";

const SCRIPT = resolve(import.meta.dirname, "../../.ci/postgres.sh");

/** A PostgreSQL server the tests may create databases on. */
export interface TestPostgres {
  /** The server URL (a superuser, database `postgres`). */
  url: string;
  /** A new empty database for the current test (dropped when it finishes); its URL. */
  databaseForTest(): Promise<string>;
}

function startServer(): { url: string; dir: string } | { error: string } {
  const started = spawnSync("bash", [SCRIPT, "start"], {
    encoding: "utf8",
    env: { ...process.env, SMOA_PG_INSTALL: "no" },
    timeout: 120_000,
  });
  const url = /SMOA_TEST_POSTGRES_URL='([^']+)'/.exec(started.stdout ?? "")?.[1];
  const dir = /SMOA_PG_DIR='([^']+)'/.exec(started.stdout ?? "")?.[1];
  if (started.status !== 0 || url === undefined || dir === undefined) {
    return { error: `${SCRIPT} start failed (${started.status}): ${started.stderr}` };
  }
  return { url, dir };
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL for this test file, or undefined (tests skip) when none can
 * be had outside CI. Call at the top level of a test file.
 * @throws when none can be had and `CI` is `true`.
 */
export function postgresForTests(): TestPostgres | undefined {
  let url = process.env.SMOA_TEST_POSTGRES_URL;
  if (url === undefined || url === "") {
    const started = startServer();
    if ("error" in started) {
      if (process.env.CI === "true")
        throw new Error(`PostgreSQL is required under CI: ${started.error}`);
      process.stderr.write(`PostgreSQL tests skipped: ${started.error}\n`);
      return undefined;
    }
    url = started.url;
    afterAll(() => {
      spawnSync("bash", [SCRIPT, "stop", started.dir], { stdio: "ignore", timeout: 60_000 });
    });
  }
  const serverUrl = url;
  return {
    url: serverUrl,
    async databaseForTest(): Promise<string> {
      const name = `smoa_test_${randomBytes(6).toString("hex")}`;
      await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
      onTestFinished(async () => {
        await admin(serverUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
        );
      });
      const database = new URL(serverUrl);
      database.pathname = `/${name}`;
      return database.toString();
    },
  };
}
