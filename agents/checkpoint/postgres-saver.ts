/**
 * LangGraph's PostgreSQL saver with each checkpoint write in one round trip.
 *
 * Upstream `PostgresSaver.put` runs `BEGIN`, one `INSERT` per changed channel
 * blob, the checkpoint `INSERT` and `COMMIT` one after another on a pooled
 * connection (3 + channels round trips, about 6-8 per graph step), and
 * `putWrites` `BEGIN`, one `INSERT` per write and `COMMIT` (2 + writes). With
 * durability "sync" a run waits for each of them, and the connection is held
 * for all of them, so many concurrent runs queue on the pool. Here each is a
 * single statement (blobs and checkpoint in one `INSERT` with a data-modifying
 * `WITH`): one round trip, atomic on its own and committed when it returns,
 * so what a crash keeps is unchanged. Reads, listing, set-up and deletion are
 * upstream's.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type PendingWrite,
  WRITES_IDX_MAP,
} from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";

/** PostgreSQL's limit on bind parameters in one statement; larger batches take upstream's path. */
const MAX_PARAMETERS = 65_535;

/**
 * `($1, ..., $shared, $k, ...)` rows of bind-parameter placeholders: the same
 * `shared` leading parameters in every row, then `width` of its own per row,
 * numbered from `start`.
 */
function valuesList(rows: number, shared: number, start: number, width: number): string {
  const leading = Array.from({ length: shared }, (_, i) => `$${i + 1}`);
  const out: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const columns = [...leading];
    const first = start + row * width;
    for (let column = 0; column < width; column += 1) columns.push(`$${first + column}`);
    out.push(`(${columns.join(", ")})`);
  }
  return out.join(", ");
}

/**
 * `PostgresSaver` whose `put` and `putWrites` are one statement each (one
 * round trip, one implicit transaction) instead of a transaction of one
 * statement per row. Stores the same rows in the same tables as upstream,
 * so either saver reads what the other wrote.
 */
export class BatchedPostgresSaver extends PostgresSaver {
  readonly #pool: pg.Pool;
  readonly #tables: { checkpoints: string; blobs: string; writes: string };

  /** A saver on `pool`, its tables in `schema` (upstream's default `public`). */
  constructor(pool: pg.Pool, schema = "public") {
    super(pool, undefined, { schema });
    this.#pool = pool;
    this.#tables = {
      checkpoints: `"${schema}".checkpoints`,
      blobs: `"${schema}".checkpoint_blobs`,
      writes: `"${schema}".checkpoint_writes`,
    };
  }

  /** Stores `checkpoint` and the blobs of the channels in `newVersions` in one statement. */
  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) {
      throw new Error(`Missing "configurable" field in "config" param`);
    }
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable;
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(thread_id, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata),
    ]);
    if (6 + blobs.length * 4 > MAX_PARAMETERS) {
      return super.put(config, checkpoint, metadata, newVersions);
    }
    // $1 thread, $2 namespace, $3 id, $4 parent, $5 checkpoint, $6 metadata; then 4 per blob.
    const values: unknown[] = [
      thread_id,
      checkpoint_ns,
      checkpoint.id,
      checkpoint_id,
      this._dumpCheckpoint(checkpoint),
      serializedMetadata,
    ];
    for (const [, , channel, version, type, blob] of blobs)
      values.push(channel, version, type, blob);
    const withBlobs =
      blobs.length === 0
        ? ""
        : `WITH blobs AS (INSERT INTO ${this.#tables.blobs} ` +
          "(thread_id, checkpoint_ns, channel, version, type, blob) " +
          `VALUES ${valuesList(blobs.length, 2, 7, 4)} ` +
          "ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING) ";
    await this.#pool.query(
      `${withBlobs}INSERT INTO ${this.#tables.checkpoints} ` +
        "(thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata) " +
        "VALUES ($1, $2, $3, $4, $5, $6) " +
        "ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) " +
        "DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata",
      values,
    );
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }

  /**
   * Stores a task's `writes` in one statement. As upstream: when every write
   * is to a special channel (error, interrupt, ...) a repeated write replaces
   * the stored one, otherwise the first stored write at an index stays.
   */
  override async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
  ): Promise<void> {
    const replace = writes.every(([channel]) => channel in WRITES_IDX_MAP);
    const dumped = await this._dumpWrites(
      config.configurable?.thread_id,
      config.configurable?.checkpoint_ns,
      config.configurable?.checkpoint_id,
      taskId,
      writes,
    );
    // Upstream writes row by row, so with repeated indices the last (replace) or the first
    // (keep) wins; one statement may not touch a row twice, so keep only that one.
    const byIndex = new Map<number, (typeof dumped)[number]>();
    for (const row of dumped) if (replace || !byIndex.has(row[4])) byIndex.set(row[4], row);
    if (byIndex.size === 0) return;
    if (4 + byIndex.size * 4 > MAX_PARAMETERS) return super.putWrites(config, writes, taskId);
    // $1 thread, $2 namespace, $3 checkpoint, $4 task; then idx, channel, type, blob per write.
    const [first] = dumped as [(typeof dumped)[number]];
    const values: unknown[] = first.slice(0, 4);
    for (const [, , , , idx, channel, type, blob] of byIndex.values()) {
      values.push(idx, channel, type, blob);
    }
    await this.#pool.query(
      `INSERT INTO ${this.#tables.writes} ` +
        "(thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob) " +
        `VALUES ${valuesList(byIndex.size, 4, 5, 4)} ` +
        "ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) " +
        (replace
          ? "DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob"
          : "DO NOTHING"),
      values,
    );
  }
}
