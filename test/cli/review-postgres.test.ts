/**
 * `review --state postgresql://…` against a real PostgreSQL: the runs live in
 * the database (tables created on first use), a run that failed continues
 * from another process, the URL's password appears in no output (header,
 * hints, errors, `--list`), and an unusable database is refused with
 * `STATE_DATABASE_UNAVAILABLE`, exit 2. The database holds no token or key.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { agentsEndpointForTest, FROM_FIRST_REVIEW } from "../agents/helpers.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import { postgresForTests } from "../helpers/postgres.js";
import { cliEnv, REVIEW_TASK, runReviewCli, tempHomeForTest } from "./review-helpers.js";
import { at } from "./state-helpers.js";

const postgres = postgresForTests();

async function databaseText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
    );
    let text = "";
    for (const { name } of tables.rows) {
      const rows = await client.query(`SELECT * FROM "${name}"`);
      text += JSON.stringify(rows.rows, (_key, value) =>
        value?.type === "Buffer" ? Buffer.from(value.data).toString("latin1") : value,
      );
    }
    return text;
  } finally {
    await client.end();
  }
}

describe.skipIf(postgres === undefined)("review --state postgresql://", () => {
  it("keeps runs in the database, resumes from another process, and never prints the password", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const url = await (postgres as NonNullable<typeof postgres>).databaseForTest();
    const password = decodeURIComponent(new URL(url).password);
    expect(password.length).toBeGreaterThan(8);
    const shown = url.replace(`:${new URL(url).password}@`, ":****@");
    const env = cliEnv(home);
    const outputs: string[] = [];

    local.injectFault({ endpoint: "agents", component: "reviewer", status: 503, count: "always" });
    const failed = await runReviewCli(
      [REVIEW_TASK, ...at(local, url), "--thread", "pg-run", "--max-retries", "0"],
      env,
    );
    outputs.push(failed.stdout, failed.stderr);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`Thread pg-run, saved in ${shown}`);
    expect(failed.stderr).toContain(
      `The run is saved: continue it with sagemaker-openai-agents review --resume pg-run --state '${shown}'`,
    );

    local.clearFaults();
    const before = local.requests.length;
    // The hint as printed, with the password put back (as a user would, or with PGPASSWORD).
    const resumed = await runReviewCli(["--resume", "pg-run", "--state", url, "--json"], env);
    outputs.push(resumed.stdout, resumed.stderr);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      threadId: "pg-run",
      approved: true,
      rounds: 2,
    });
    expect(local.requests.slice(before).map((r) => r.component)).toEqual([...FROM_FIRST_REVIEW]);

    const again = await runReviewCli([REVIEW_TASK, ...at(local, url), "--thread", "pg-run"], env);
    outputs.push(again.stdout, again.stderr);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`error [THREAD_EXISTS]: ${shown} already holds a run`);

    const listed = await runReviewCli(["--list", "--state", url], env);
    outputs.push(listed.stdout, listed.stderr);
    expect(listed.stdout).toMatch(/^pg-run\s+\S+\s+approved\s+2\s+Write a function/m);

    // A password given in PGPASSWORD instead of the URL works the same.
    const withoutPassword = new URL(url);
    withoutPassword.password = "";
    const viaEnv = await runReviewCli(
      ["--list", "--json", "--state", withoutPassword.toString()],
      cliEnv(home, { PGPASSWORD: password }),
    );
    expect(JSON.parse(viaEnv.stdout)).toEqual([expect.objectContaining({ threadId: "pg-run" })]);

    for (const output of outputs) expect(output).not.toContain(password);
    const stored = await databaseText(url);
    expect(stored).toContain("celsius_to_fahrenheit");
    expect(stored).not.toContain("sagemaker-api-key-");
    expect(stored).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(stored).not.toContain(password);
  });

  it("refuses a database it cannot use with STATE_DATABASE_UNAVAILABLE, exit 2, password hidden", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const url = new URL((postgres as NonNullable<typeof postgres>).url);
    url.password = "not-the-password-4242";
    const wrong = await runReviewCli([REVIEW_TASK, ...at(local, url.toString())], cliEnv(home));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /^error \[STATE_DATABASE_UNAVAILABLE\]: Cannot use the PostgreSQL database postgresql:\/\/smoa:\*\*\*\*@.*password authentication failed/,
    );
    expect(wrong.stderr + wrong.stdout).not.toContain("not-the-password-4242");
    expect(local.requests).toHaveLength(0);

    url.port = "1";
    const closed = await runReviewCli(["--list", "--state", url.toString()], cliEnv(home));
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(/^error \[STATE_DATABASE_UNAVAILABLE\]: .*ECONNREFUSED/);
    expect(closed.stderr).not.toContain("not-the-password-4242");
  });
});
