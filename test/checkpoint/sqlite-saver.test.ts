/**
 * What LangGraph's conformance suite does not check of
 * {@link SqliteCheckpointSaver}: the order of pending writes by task path,
 * LangGraph's special writes (errors replace, ordinary writes keep their first
 * copy), and state files written by `@langchain/langgraph-checkpoint-sqlite`
 * (no `task_path` column, values inline) still resuming.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ERROR, emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { describe, expect, it, onTestFinished } from "vitest";
import { openSqliteDatabase } from "../../agents/checkpoint/sqlite-driver.js";
import { SqliteCheckpointSaver } from "../../agents/checkpoint/sqlite-saver.js";

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "smoa-saver-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "state.sqlite");
}

function saverOn(file: string): SqliteCheckpointSaver {
  const saver = new SqliteCheckpointSaver(openSqliteDatabase(file));
  onTestFinished(() => {
    if (saver.db.isOpen) saver.close();
  });
  return saver;
}

const META = { source: "loop" as const, step: 0, parents: {} };

describe("SqliteCheckpointSaver", () => {
  it("returns pending writes in writesSortKey order: task path, then task id, then index", async () => {
    const saver = saverOn(tempFile());
    const config = await saver.put(
      { configurable: { thread_id: "t" } },
      emptyCheckpoint(),
      META,
      {},
    );
    await saver.putWrites(config, [["ch", "z-b"]], "task-b", "~__pregel_pull, z");
    await saver.putWrites(config, [["ch", "a-d"]], "task-d", "~__pregel_pull, a");
    await saver.putWrites(
      config,
      [
        ["ch", "a-c0"],
        ["ch", "a-c1"],
      ],
      "task-c",
      "~__pregel_pull, a",
    );
    await saver.putWrites(config, [["ch", "input"]], "task-z");
    const tuple = await saver.getTuple(config);
    expect(tuple?.pendingWrites?.map(([, , value]) => value)).toEqual([
      "input",
      "a-c0",
      "a-c1",
      "a-d",
      "z-b",
    ]);
  });

  it("replaces a task's error write but keeps the first copy of an ordinary write", async () => {
    const saver = saverOn(tempFile());
    const config = await saver.put(
      { configurable: { thread_id: "t" } },
      emptyCheckpoint(),
      META,
      {},
    );
    await saver.putWrites(config, [["ch", "first"]], "task");
    await saver.putWrites(config, [["ch", "retried"]], "task");
    await saver.putWrites(config, [[ERROR, "boom 1"]], "task");
    await saver.putWrites(config, [[ERROR, "boom 2"]], "task");
    const tuple = await saver.getTuple(config);
    expect(tuple?.pendingWrites).toEqual([
      ["task", ERROR, "boom 2"],
      ["task", "ch", "first"],
    ]);
  });

  it("writes a changed channel's value once per version, not with every checkpoint", async () => {
    const file = tempFile();
    const saver = saverOn(file);
    const first = {
      ...emptyCheckpoint(),
      id: uuid6(0),
      channel_values: { task: "t", code: "v1" },
      channel_versions: { task: 1, code: 1 },
    };
    const c1 = await saver.put({ configurable: { thread_id: "t" } }, first, META, {
      task: 1,
      code: 1,
    });
    const second = {
      ...first,
      id: uuid6(0),
      channel_values: { task: "t", code: "v2" },
      channel_versions: { task: 1, code: 2 },
    };
    const c2 = await saver.put(c1, second, { ...META, step: 1 }, { code: 2 });
    const rows = saver.db
      .prepare("SELECT channel, version FROM checkpoint_blobs ORDER BY channel, version")
      .all();
    expect(rows).toEqual([
      { channel: "code", version: "1" },
      { channel: "code", version: "2" },
      { channel: "task", version: "1" },
    ]);
    expect((await saver.getTuple(c1))?.checkpoint.channel_values).toEqual({
      task: "t",
      code: "v1",
    });
    expect((await saver.getTuple(c2))?.checkpoint.channel_values).toEqual({
      task: "t",
      code: "v2",
    });
  });

  it("reads and extends a state file written by @langchain/langgraph-checkpoint-sqlite", async () => {
    const file = tempFile();
    // The older saver's tables, with one checkpoint holding its values inline and one write.
    const legacy = openSqliteDatabase(file);
    legacy.exec(`
      CREATE TABLE checkpoints (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL, parent_checkpoint_id TEXT, type TEXT, checkpoint BLOB, metadata BLOB,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id));
      CREATE TABLE writes (thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL, task_id TEXT NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL,
        type TEXT, value BLOB, PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx));`);
    const checkpoint = {
      ...emptyCheckpoint(),
      id: uuid6(0),
      channel_values: { task: "old task" },
      channel_versions: { task: 1 },
    };
    legacy
      .prepare("INSERT INTO checkpoints VALUES ('t', '', ?, NULL, 'json', ?, ?)")
      .run(checkpoint.id, JSON.stringify(checkpoint), JSON.stringify(META));
    legacy
      .prepare("INSERT INTO writes VALUES ('t', '', ?, 'coder-task', 0, 'code', 'json', ?)")
      .run(checkpoint.id, JSON.stringify("old code"));
    legacy.close();

    const saver = saverOn(file);
    const tuple = await saver.getTuple({ configurable: { thread_id: "t" } });
    expect(tuple?.checkpoint.channel_values).toEqual({ task: "old task" });
    expect(tuple?.pendingWrites).toEqual([["coder-task", "code", "old code"]]);
    await saver.putWrites(tuple?.config ?? {}, [["round", 1]], "next", "~__pregel_pull, coder");
    const columns = saver.db.prepare("PRAGMA table_info(writes)").all() as { name: string }[];
    expect(columns.map((c) => c.name)).toContain("task_path");
    expect((await saver.getTuple({ configurable: { thread_id: "t" } }))?.pendingWrites).toEqual([
      ["coder-task", "code", "old code"],
      ["next", "round", 1],
    ]);
  });
});
