/**
 * The `CheckpointerTestInitializer` that LangGraph's conformance suite
 * (`validate-checkpointer`, from `@langchain/langgraph-checkpoint-validation`)
 * loads to test {@link SqliteCheckpointSaver}: each checkpointer gets its own
 * database file in a fresh temporary directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDatabase } from "../../agents/checkpoint/sqlite-driver.js";
import { SqliteCheckpointSaver } from "../../agents/checkpoint/sqlite-saver.js";

const dirs = new WeakMap<SqliteCheckpointSaver, string>();

export default {
  checkpointerName: "sagemaker-openai-agents SqliteCheckpointSaver",
  createCheckpointer(): SqliteCheckpointSaver {
    const dir = mkdtempSync(join(tmpdir(), "smoa-saver-"));
    const saver = new SqliteCheckpointSaver(openSqliteDatabase(join(dir, "state.sqlite")));
    dirs.set(saver, dir);
    return saver;
  },
  destroyCheckpointer(saver: SqliteCheckpointSaver): void {
    saver.close();
    const dir = dirs.get(saver);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  },
};
