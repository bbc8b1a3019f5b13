/**
 * Several `review` processes may start at the same moment on the same default
 * state file. Each must open it: none may see the file half-made (created but
 * not yet a database) and refuse it as "not an SQLite database".
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { expect, it, onTestFinished } from "vitest";

const OPENER = pathToFileURL(
  resolve(import.meta.dirname, "../../dist/agents/checkpoint/sqlite-file.js"),
).href;

const PROCESSES = 6;
const ROUNDS = 3;

it("lets processes that start at once on a new state file all open it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "smoa-state-race-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (let round = 0; round < ROUNDS; round++) {
    const file = join(dir, `round-${round}`, "state.sqlite");
    // Each child waits for a shared start instant, so their opens overlap.
    const startAt = Date.now() + 700;
    const script = `
      const { openSqliteStateFile } = await import(${JSON.stringify(OPENER)});
      await new Promise((go) => setTimeout(go, ${startAt} - Date.now()));
      try {
        const db = await openSqliteStateFile(${JSON.stringify(file)});
        db.close();
        console.log("opened");
      } catch (error) {
        console.log(error.code + ": " + error.message);
      }
    `;
    const outputs = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]),
      ),
    );
    expect(outputs.map((o) => o.stdout.trim())).toEqual(Array(PROCESSES).fill("opened"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }
});
