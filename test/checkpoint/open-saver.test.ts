/**
 * `openCheckpointSaver`, the library's path-or-URL to saver helper: a new
 * SQLite file is created 0600 and resumes a graph's thread; a path that is not
 * its own is refused unchanged; a PostgreSQL URL gives LangGraph's
 * PostgresSaver with its tables set up (also by two processes' worth of
 * callers at once), and its password appears in no location or error; a
 * connection limit outside 1-100 is refused before connecting.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { openCheckpointSaver } from "../../agents/index.js";
import { agentsEndpointForTest, graphOn, DEMO_TASK as TASK } from "../agents/helpers.js";
import { postgresForTests } from "../helpers/postgres.js";

const postgres = postgresForTests();

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "open-saver-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the graph on `location` until the reviewer fails, then resumes it with a second saver. */
async function runAndResume(location: string): Promise<void> {
  const local = await agentsEndpointForTest();
  const thread = { configurable: { thread_id: randomUUID() } };
  const first = await openCheckpointSaver(location);
  local.injectFault({ endpoint: "agents", component: "reviewer", status: 503, count: "always" });
  const graph = (checkpointer: typeof first.saver) => graphOn(local, { checkpointer });
  await expect(graph(first.saver).invoke({ task: TASK }, thread)).rejects.toThrow();
  await first.close();
  local.clearFaults();
  const second = await openCheckpointSaver(location);
  try {
    const result = await graph(second.saver).invoke(null, thread);
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
  } finally {
    await second.close();
  }
}

describe("openCheckpointSaver", () => {
  it("creates an SQLite file 0600 that a second saver resumes from", async () => {
    const path = join(scratch(), "runs", "state.sqlite");
    await runAndResume(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
    const opened = await openCheckpointSaver(path);
    expect(opened).toMatchObject({ kind: "sqlite", location: path });
    await opened.close();
  });

  it("refuses a file that is not an SQLite database, unchanged", async () => {
    const path = join(scratch(), "notes.sqlite");
    writeFileSync(path, "not a database", { mode: 0o644 });
    await expect(openCheckpointSaver(path)).rejects.toMatchObject({
      code: "STATE_FILE_UNAVAILABLE",
      message: expect.stringContaining(path),
    });
    expect(readFileSync(path, "utf8")).toBe("not a database");
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it("refuses a PostgreSQL URL whose connection_limit is not 1-100, before connecting, password hidden", async () => {
    // Nothing listens on port 9: the refusal must come from the limit, not from a connection attempt.
    for (const limit of ["0", "101", "ten", ""]) {
      const url = `postgresql://runs:pw-5521@127.0.0.1:9/review?connection_limit=${limit}`;
      const refused = await openCheckpointSaver(url).catch((error: unknown) => error);
      expect(refused).toMatchObject({
        code: "STATE_DATABASE_UNAVAILABLE",
        message: expect.stringContaining(`connection_limit must be a whole number from 1 to 100`),
      });
      expect((refused as Error).message).not.toContain("pw-5521");
    }
    await expect(
      openCheckpointSaver("postgresql://runs@127.0.0.1:9/review", { maxConnections: 0 }),
    ).rejects.toMatchObject({ code: "STATE_DATABASE_UNAVAILABLE", message: /maxConnections/ });
  });

  it.skipIf(postgres === undefined)(
    "opens LangGraph's PostgresSaver on a postgresql:// URL, set up once even by concurrent callers",
    async () => {
      const url = await (postgres as NonNullable<typeof postgres>).databaseForTest();
      const password = new URL(url).password;
      const both = await Promise.all([openCheckpointSaver(url), openCheckpointSaver(url)]);
      for (const opened of both) {
        expect(opened.kind).toBe("postgres");
        expect(opened.saver).toBeInstanceOf(PostgresSaver);
        expect(opened.location).toContain(":****@");
        expect(opened.location).not.toContain(password);
        await opened.close();
      }
      await runAndResume(url);

      const wrong = new URL(url);
      wrong.password = "wrong-password-7319";
      const refused = await openCheckpointSaver(wrong.toString()).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: "STATE_DATABASE_UNAVAILABLE" });
      expect(JSON.stringify(refused)).not.toContain("wrong-password-7319");
      expect(String((refused as Error).message)).not.toContain("wrong-password-7319");
    },
  );
});
