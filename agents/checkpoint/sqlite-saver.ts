/**
 * A LangGraph checkpoint saver on Node's own SQLite (`node:sqlite`), so
 * keeping runs in a file installs and compiles nothing.
 *
 * Layout: the `checkpoints` and `writes` tables of LangGraph's own SQLite
 * saver (so a state file written by `@langchain/langgraph-checkpoint-sqlite`
 * keeps resuming), `writes.task_path` added in place when missing, and one
 * table more, `checkpoint_blobs`: each channel value is stored once per
 * version, as LangGraph's PostgreSQL saver does, so a step that changes one
 * channel writes that channel only. Rows of the older saver carry their values
 * inline and are read as they are.
 *
 * Every call is one SQLite transaction, so a checkpoint and its values land
 * together or not at all; with `synchronous = FULL` in WAL mode a committed
 * checkpoint survives a killed process (tested) and should survive a power cut (not tested).
 */
import type { StatementSync } from "node:sqlite";
import { isDeepStrictEqual } from "node:util";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  compareWritesSortKeys,
  copyCheckpoint,
  maxChannelVersion,
  type PendingWrite,
  type SerializerProtocol,
  TASKS,
  WRITES_IDX_MAP,
  writesSortKey,
} from "@langchain/langgraph-checkpoint";
import { inTransaction, type SqliteDatabase } from "./sqlite-driver.js";

export type { SqliteDatabase } from "./sqlite-driver.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (
  thread_id TEXT NOT NULL,
  checkpoint_ns TEXT NOT NULL DEFAULT '',
  checkpoint_id TEXT NOT NULL,
  parent_checkpoint_id TEXT,
  type TEXT,
  checkpoint BLOB,
  metadata BLOB,
  PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
);
CREATE TABLE IF NOT EXISTS writes (
  thread_id TEXT NOT NULL,
  checkpoint_ns TEXT NOT NULL DEFAULT '',
  checkpoint_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  channel TEXT NOT NULL,
  type TEXT,
  value BLOB,
  task_path TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
);
CREATE TABLE IF NOT EXISTS checkpoint_blobs (
  thread_id TEXT NOT NULL,
  checkpoint_ns TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  version TEXT NOT NULL,
  type TEXT NOT NULL,
  blob BLOB,
  PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
);`;

interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string | null;
  checkpoint: Uint8Array | string;
  metadata: Uint8Array | string;
}

interface WriteRow {
  task_id: string;
  idx: number;
  channel: string;
  type: string | null;
  value: Uint8Array | string | null;
  task_path: string;
}

interface BlobRow {
  channel: string;
  version: string;
  type: string;
  blob: Uint8Array | string | null;
}

const CHECKPOINT_COLUMNS =
  "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata";

const WRITE_COLUMNS =
  "thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path";

/** The statements every step runs, prepared once per saver (preparing compiles the SQL each time). */
function prepareStatements(db: SqliteDatabase) {
  return {
    writesOf: db.prepare(
      `SELECT task_id, idx, channel, type, value, task_path FROM writes
       WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
    ),
    blobsOf: db.prepare(
      // Only the version each channel is at (one key lookup per channel), not every version it
      // had; CROSS JOIN keeps that loop order, which the planner would otherwise turn around.
      `SELECT b.channel, b.version, b.type, b.blob FROM json_each(?) AS wanted
       CROSS JOIN checkpoint_blobs AS b
       WHERE b.thread_id = ? AND b.checkpoint_ns = ? AND b.channel = wanted.key AND b.version = wanted.value`,
    ),
    checkpointById: db.prepare(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints
       WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
    ),
    latestCheckpoint: db.prepare(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints
       WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`,
    ),
    putBlob: db.prepare(
      `INSERT OR REPLACE INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    putCheckpoint: db.prepare(
      `INSERT OR REPLACE INTO checkpoints (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    replaceWrite: db.prepare(
      `INSERT OR REPLACE INTO writes (${WRITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    keepWrite: db.prepare(
      `INSERT OR IGNORE INTO writes (${WRITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  } satisfies Record<string, StatementSync>;
}

function requireConfigurable(config: RunnableConfig, what: string): Record<string, unknown> {
  const configurable = config.configurable;
  if (configurable === undefined || configurable === null) {
    throw new Error(`${what}: the config has no "configurable" (it needs at least a thread_id).`);
  }
  return configurable;
}

function requireString(value: unknown, key: string, what: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  throw new Error(`${what}: config.configurable.${key} is missing.`);
}

/**
 * LangGraph checkpointer on a `node:sqlite` database.
 *
 * Passes LangGraph's own conformance suite (`@langchain/langgraph-checkpoint-validation`).
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * const saver = new SqliteCheckpointSaver(new DatabaseSync("runs.sqlite"));
 * const graph = createCoderReviewerGraph({ coder, reviewer, checkpointer: saver });
 * ```
 */
export class SqliteCheckpointSaver extends BaseCheckpointSaver {
  /** The connection: open until {@link SqliteCheckpointSaver.close}; callers may keep their own tables in it. */
  readonly db: SqliteDatabase;

  private prepared: ReturnType<typeof prepareStatements> | undefined;

  /**
   * @param db An open, writable connection; the saver creates its tables on first use.
   * @param serde How values are serialized (LangGraph's JSON serializer by default).
   */
  constructor(db: SqliteDatabase, serde?: SerializerProtocol) {
    super(serde);
    this.db = db;
  }

  /**
   * Creates the tables (and the `task_path` column of a file written by the
   * older saver) now; every method also does it on first use.
   */
  setup(): void {
    this.statements();
  }

  /** The prepared statements, after creating the tables they need. */
  private statements(): ReturnType<typeof prepareStatements> {
    if (this.prepared !== undefined) return this.prepared;
    this.db.exec("PRAGMA journal_mode = WAL");
    // FULL: a commit reaches the disk before it returns, so a finished step should survive a power cut too.
    this.db.exec("PRAGMA synchronous = FULL");
    this.db.exec(SCHEMA);
    const columns = this.db.prepare("PRAGMA table_info(writes)").all() as unknown as {
      name: string;
    }[];
    if (!columns.some((c) => c.name === "task_path")) {
      this.db.exec("ALTER TABLE writes ADD COLUMN task_path TEXT NOT NULL DEFAULT ''");
    }
    this.prepared = prepareStatements(this.db);
    return this.prepared;
  }

  /** Closes the connection. */
  close(): void {
    this.db.close();
  }

  /** The stored writes of one checkpoint, in LangGraph's `writesSortKey` order. */
  private async pendingWrites(
    threadId: string,
    ns: string,
    checkpointId: string,
  ): Promise<CheckpointPendingWrite[]> {
    const rows = this.statements().writesOf.all(
      threadId,
      ns,
      checkpointId,
    ) as unknown as WriteRow[];
    // Sorted here with LangGraph's comparator, not SQL's collation: live execution applies writes in this order.
    rows.sort((a, b) =>
      compareWritesSortKeys(
        writesSortKey(a.task_path, a.task_id, a.idx),
        writesSortKey(b.task_path, b.task_id, b.idx),
      ),
    );
    return Promise.all(
      rows.map(
        async (row): Promise<CheckpointPendingWrite> => [
          row.task_id,
          row.channel,
          await this.serde.loadsTyped(row.type ?? "json", row.value ?? ""),
        ],
      ),
    );
  }

  /** The checkpoint of `row` with its channel values put back from their blobs. */
  private async loadCheckpoint(row: CheckpointRow): Promise<Checkpoint> {
    const checkpoint = (await this.serde.loadsTyped(
      row.type ?? "json",
      row.checkpoint,
    )) as Checkpoint;
    const versions = Object.entries(checkpoint.channel_versions ?? {});
    if (versions.length > 0) {
      // The query joins on each channel's version, so every row it returns is wanted.
      const wanted = Object.fromEntries(
        versions.map(([channel, version]) => [channel, String(version)]),
      );
      const blobs = this.statements().blobsOf.all(
        JSON.stringify(wanted),
        row.thread_id,
        row.checkpoint_ns,
      ) as unknown as BlobRow[];
      // Rows of the older saver hold their values inline; blobs add the rest.
      checkpoint.channel_values ??= {};
      for (const blob of blobs) {
        checkpoint.channel_values[blob.channel] = await this.serde.loadsTyped(
          blob.type,
          blob.blob ?? "",
        );
      }
    }
    if (checkpoint.v < 4 && row.parent_checkpoint_id !== null) {
      await this.migratePendingSends(checkpoint, row);
    }
    return checkpoint;
  }

  /**
   * Checkpoints of format < 4 kept pending `Send`s as writes of their parent;
   * LangGraph now expects them in the `__pregel_tasks` channel.
   */
  private async migratePendingSends(checkpoint: Checkpoint, row: CheckpointRow): Promise<void> {
    const parentWrites = await this.pendingWrites(
      row.thread_id,
      row.checkpoint_ns,
      row.parent_checkpoint_id as string,
    );
    checkpoint.channel_values[TASKS] = parentWrites
      .filter(([, channel]) => channel === TASKS)
      .map(([, , value]) => value);
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] =
      versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  private async toTuple(row: CheckpointRow): Promise<CheckpointTuple> {
    const where = {
      thread_id: row.thread_id,
      checkpoint_ns: row.checkpoint_ns,
    };
    return {
      config: { configurable: { ...where, checkpoint_id: row.checkpoint_id } },
      checkpoint: await this.loadCheckpoint(row),
      metadata: (await this.serde.loadsTyped(
        row.type ?? "json",
        row.metadata,
      )) as CheckpointMetadata,
      ...(row.parent_checkpoint_id === null
        ? {}
        : {
            parentConfig: {
              configurable: { ...where, checkpoint_id: row.parent_checkpoint_id },
            },
          }),
      pendingWrites: await this.pendingWrites(row.thread_id, row.checkpoint_ns, row.checkpoint_id),
    };
  }

  /** The checkpoint `config` names, or the thread's latest one when it names none. */
  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const statements = this.statements();
    const configurable = config.configurable ?? {};
    const threadId = configurable.thread_id;
    if (threadId === undefined || threadId === null) return undefined;
    const ns = (configurable.checkpoint_ns as string | undefined) ?? "";
    const checkpointId = configurable.checkpoint_id as string | undefined;
    const row = (
      checkpointId
        ? statements.checkpointById.get(String(threadId), ns, checkpointId)
        : statements.latestCheckpoint.get(String(threadId), ns)
    ) as CheckpointRow | undefined;
    return row === undefined ? undefined : this.toTuple(row);
  }

  /**
   * Checkpoints, newest first: of one thread (and namespace) when `config`
   * names them, else of all; `before` a checkpoint id, matching every key of
   * `filter` in their metadata, at most `limit`.
   */
  async *list(
    config: RunnableConfig,
    options?: CheckpointListOptions,
  ): AsyncGenerator<CheckpointTuple> {
    this.setup();
    const { limit, before, filter } = options ?? {};
    const where: string[] = [];
    const args: string[] = [];
    const threadId = config.configurable?.thread_id;
    const ns = config.configurable?.checkpoint_ns;
    const checkpointId = config.configurable?.checkpoint_id;
    const beforeId = before?.configurable?.checkpoint_id;
    if (threadId !== undefined && threadId !== null) {
      where.push("thread_id = ?");
      args.push(String(threadId));
    }
    if (ns !== undefined && ns !== null) {
      where.push("checkpoint_ns = ?");
      args.push(String(ns));
    }
    if (checkpointId) {
      where.push("checkpoint_id = ?");
      args.push(String(checkpointId));
    }
    if (beforeId) {
      where.push("checkpoint_id < ?");
      args.push(String(beforeId));
    }
    const conditions = Object.entries(filter ?? {}).filter(([, value]) => value !== undefined);
    const max = limit === undefined ? undefined : Math.max(0, Math.floor(Number(limit)));
    // A metadata filter is checked on the decoded metadata, so the limit is applied after it.
    const sqlLimit = conditions.length === 0 && max !== undefined ? ` LIMIT ${max}` : "";
    const rows = this.db
      .prepare(
        `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY checkpoint_id DESC${sqlLimit}`,
      )
      .all(...args) as unknown as CheckpointRow[];
    let yielded = 0;
    for (const row of rows) {
      if (max !== undefined && yielded >= max) return;
      if (conditions.length > 0) {
        const metadata = (await this.serde.loadsTyped(row.type ?? "json", row.metadata)) as Record<
          string,
          unknown
        >;
        if (!conditions.every(([key, value]) => isDeepStrictEqual(metadata[key], value))) continue;
      }
      yielded += 1;
      yield await this.toTuple(row);
    }
  }

  /** Saves a checkpoint; only the channels in `newVersions` get their values written. */
  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const { putBlob, putCheckpoint } = this.statements();
    const configurable = requireConfigurable(config, "put");
    const threadId = requireString(configurable.thread_id, "thread_id", "put");
    const ns = (configurable.checkpoint_ns as string | undefined) ?? "";
    const parentId = (configurable.checkpoint_id as string | undefined) || null;
    const copy = copyCheckpoint(checkpoint);
    const blobs: [string, string, string, Uint8Array][] = [];
    for (const [channel, version] of Object.entries(newVersions ?? {})) {
      if (!(channel in copy.channel_values)) continue;
      const [type, bytes] = await this.serde.dumpsTyped(copy.channel_values[channel]);
      blobs.push([channel, String(version), type, bytes]);
    }
    const stored = { ...copy, channel_values: {} };
    const [type, serializedCheckpoint] = await this.serde.dumpsTyped(stored);
    const [, serializedMetadata] = await this.serde.dumpsTyped(metadata);
    inTransaction(this.db, () => {
      for (const [channel, version, blobType, bytes] of blobs) {
        putBlob.run(threadId, ns, channel, version, blobType, bytes);
      }
      putCheckpoint.run(
        threadId,
        ns,
        checkpoint.id,
        parentId,
        type,
        serializedCheckpoint,
        serializedMetadata,
      );
    });
    return {
      configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id },
    };
  }

  /**
   * Saves a task's writes against a checkpoint. Special writes (errors,
   * interrupts: LangGraph's `WRITES_IDX_MAP`) take their fixed negative index
   * and replace an earlier one; ordinary writes keep the first copy, so a
   * retried task cannot duplicate them.
   */
  async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
    taskPath?: string,
  ): Promise<void> {
    const { replaceWrite, keepWrite } = this.statements();
    const configurable = requireConfigurable(config, "putWrites");
    const threadId = requireString(configurable.thread_id, "thread_id", "putWrites");
    const checkpointId = requireString(configurable.checkpoint_id, "checkpoint_id", "putWrites");
    const ns = (configurable.checkpoint_ns as string | undefined) ?? "";
    const rows = await Promise.all(
      writes.map(async ([channel, value], index) => {
        const [type, bytes] = await this.serde.dumpsTyped(value);
        const idx = WRITES_IDX_MAP[channel] ?? index;
        return { channel, idx, type, bytes };
      }),
    );
    inTransaction(this.db, () => {
      for (const row of rows) {
        (row.idx < 0 ? replaceWrite : keepWrite).run(
          threadId,
          ns,
          checkpointId,
          taskId,
          row.idx,
          row.channel,
          row.type,
          row.bytes,
          taskPath ?? "",
        );
      }
    });
  }

  /** Deletes every checkpoint, write and value of `threadId`. */
  async deleteThread(threadId: string): Promise<void> {
    this.setup();
    inTransaction(this.db, () => {
      for (const table of ["checkpoints", "writes", "checkpoint_blobs"]) {
        this.db.prepare(`DELETE FROM ${table} WHERE thread_id = ?`).run(threadId);
      }
    });
  }
}
