/**
 * The PostgreSQL saver the package opens (`BatchedPostgresSaver` on a pool of
 * `maxConnections`), on a real server: many concurrent coder/reviewer runs on
 * a two-connection pool keep every checkpoint and write that one run through
 * upstream's `PostgresSaver` keeps, and never open a third connection; repeated write indices
 * end as upstream's row-by-row `PostgresSaver` leaves them; `close()` ends
 * the pool.
 */
import { randomUUID } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver, PendingWrite } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { openPostgresCheckpointDatabase } from "../../agents/checkpoint/postgres.js";
import { BatchedPostgresSaver } from "../../agents/checkpoint/postgres-saver.js";
import { agentsEndpointForTest, DEMO_TASK, graphOn } from "../agents/helpers.js";
import { postgresForTests } from "../helpers/postgres.js";

const postgres = postgresForTests();

/** A thread's checkpoints as comparable data: step, source, channels stored and writes pending, newest first. */
async function history(saver: BaseCheckpointSaver, threadId: string) {
  const out: unknown[] = [];
  for await (const tuple of saver.list({ configurable: { thread_id: threadId } })) {
    out.push({
      step: tuple.metadata?.step,
      source: tuple.metadata?.source,
      channels: Object.keys(tuple.checkpoint.channel_values).sort(),
      writes: (tuple.pendingWrites ?? []).map(([, channel]) => channel).sort(),
    });
  }
  return out;
}

async function openForTest(maxConnections?: number) {
  const url = await (postgres as NonNullable<typeof postgres>).databaseForTest();
  const database = await openPostgresCheckpointDatabase(url, { maxConnections });
  onTestFinished(() => database.close().catch(() => {}));
  return database;
}

describe.skipIf(postgres === undefined)("the PostgreSQL checkpoint saver", () => {
  it("keeps every checkpoint and write of 16 concurrent runs on a 2-connection pool", async () => {
    const database = await openForTest(2);
    // Upstream's class, so code that checks for LangGraph's PostgresSaver still accepts it.
    expect(database.saver).toBeInstanceOf(BatchedPostgresSaver);
    expect(database.saver).toBeInstanceOf(PostgresSaver);
    let peak = 0;
    database.pool.on("acquire", () => {
      peak = Math.max(peak, database.pool.totalCount);
    });
    const local = await agentsEndpointForTest();

    // The reference: one run through upstream's row-by-row saver on the same database.
    const reference = new PostgresSaver(database.pool);
    const referenceThread = randomUUID();
    const expected = await graphOn(local, { checkpointer: reference }).invoke(
      { task: DEMO_TASK },
      { configurable: { thread_id: referenceThread } },
    );
    const expectedHistory = await history(reference, referenceThread);
    expect(expectedHistory.length).toBeGreaterThan(3);

    const graph = graphOn(local, { checkpointer: database.saver });
    const threads = Array.from({ length: 16 }, () => randomUUID());
    const results = await Promise.all(
      threads.map((thread_id) =>
        graph.invoke({ task: DEMO_TASK }, { configurable: { thread_id } }),
      ),
    );
    for (const [i, thread_id] of threads.entries()) {
      expect(results[i]).toEqual(expected);
      expect(await history(database.saver, thread_id)).toEqual(expectedHistory);
      const state = await graph.getState({ configurable: { thread_id } });
      expect(state.values).toEqual(expected);
    }
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it("leaves repeated write indices as upstream's row-by-row saver does", async () => {
    const database = await openForTest();
    const upstream = new PostgresSaver(database.pool);
    const cases: PendingWrite[][] = [
      // Only special channels: a repeated index replaces the stored write (the last wins).
      [
        ["__error__", "first"],
        ["__error__", "second"],
      ],
      // Mixed: the first write at an index stays.
      [
        ["__error__", "first"],
        ["__error__", "second"],
        ["answer", 42],
        ["answer", 43],
      ],
      [],
    ];
    for (const writes of cases) {
      const stored: unknown[] = [];
      for (const saver of [upstream, database.saver]) {
        const thread = randomUUID();
        const config: RunnableConfig = {
          configurable: { thread_id: thread, checkpoint_ns: "" },
        };
        const { emptyCheckpoint } = await import("@langchain/langgraph-checkpoint");
        const saved = await saver.put(
          config,
          { ...emptyCheckpoint(), id: randomUUID() },
          { source: "input", step: -1, parents: {} },
          {},
        );
        await saver.putWrites(saved, writes, "task-1");
        // Written twice: a retried task must not duplicate or fail.
        await saver.putWrites(saved, writes, "task-1");
        stored.push((await saver.getTuple(saved))?.pendingWrites);
      }
      expect(stored[1]).toEqual(stored[0]);
    }
  });

  it("ends its pool on close()", async () => {
    const database = await openForTest();
    const thread = { configurable: { thread_id: randomUUID() } };
    expect(await database.saver.getTuple(thread)).toBeUndefined();
    expect(database.pool.totalCount).toBeGreaterThan(0);
    await database.close();
    expect(database.pool.totalCount).toBe(0);
    expect(database.pool.ended).toBe(true);
    await expect(database.saver.getTuple(thread)).rejects.toThrow(/end/i);
  });
});
