/**
 * The SQLite saver runs on Node's own `node:sqlite`. Node 22 calls that module
 * experimental and warns when it loads; a normal run of ours must print no
 * warning, while every other warning still reaches stderr. Checked in a child
 * process of whichever Node runs the tests (CI runs them on 22 and 24).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { expect, it, onTestFinished } from "vitest";
import { inTransaction, openSqliteDatabase } from "../../agents/checkpoint/sqlite-driver.js";

const DRIVER = pathToFileURL(
  resolve(import.meta.dirname, "../../dist/agents/checkpoint/sqlite-driver.js"),
).href;

it("opens a database with no warning on stderr, and lets other warnings through", async () => {
  const script = `
    const { openSqliteDatabase } = await import(${JSON.stringify(DRIVER)});
    const db = openSqliteDatabase(":memory:");
    console.log(JSON.stringify(db.prepare("SELECT 40 + 2 AS answer").get()));
    db.close();
    process.emitWarning("a warning of the app's own", "ExperimentalWarning");
  `;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [
    "--input-type=module",
    "-e",
    script,
  ]);
  expect(JSON.parse(stdout)).toEqual({ answer: 42 });
  expect(stderr).toContain("a warning of the app's own");
  expect(stderr).not.toMatch(/SQLite/i);
});

it("commits a transaction's statements together and rolls all of them back on a throw", () => {
  const dir = mkdtempSync(join(tmpdir(), "smoa-sqlite-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const db = openSqliteDatabase(join(dir, "t.sqlite"));
  onTestFinished(() => db.close());
  db.exec("CREATE TABLE t (n INTEGER)");
  inTransaction(db, () => {
    db.prepare("INSERT INTO t VALUES (1)").run();
    db.prepare("INSERT INTO t VALUES (2)").run();
  });
  expect(() =>
    inTransaction(
      db,
      () => {
        db.prepare("INSERT INTO t VALUES (3)").run();
        throw new Error("half way");
      },
      { immediate: true },
    ),
  ).toThrow("half way");
  expect(db.prepare("SELECT n FROM t ORDER BY n").all()).toEqual([{ n: 1 }, { n: 2 }]);
  expect(db.isTransaction).toBe(false);
});

it("rolls back when COMMIT itself fails, and reports the COMMIT's error", () => {
  const db = openSqliteDatabase(":memory:");
  onTestFinished(() => db.close());
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  db.exec(
    "CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
  );
  // A deferred foreign key is checked at COMMIT, so work() returns and COMMIT throws.
  expect(() => inTransaction(db, () => db.prepare("INSERT INTO child VALUES (7)").run())).toThrow(
    /FOREIGN KEY constraint failed/,
  );
  expect(db.isTransaction).toBe(false);
  expect(db.prepare("SELECT count(*) AS n FROM child").get()).toEqual({ n: 0 });
});

it("reports work's error when SQLite has already rolled the transaction back", () => {
  const db = openSqliteDatabase(":memory:");
  onTestFinished(() => db.close());
  db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY ON CONFLICT ROLLBACK)");
  db.exec("INSERT INTO t VALUES (1)");
  // ON CONFLICT ROLLBACK ends the transaction inside SQLite before the error reaches inTransaction.
  expect(() =>
    inTransaction(db, () => {
      db.prepare("INSERT INTO t VALUES (2)").run();
      db.prepare("INSERT INTO t VALUES (1)").run();
    }),
  ).toThrow(/UNIQUE constraint failed/);
  expect(db.isTransaction).toBe(false);
  expect(db.prepare("SELECT n FROM t ORDER BY n").all()).toEqual([{ n: 1 }]);
});

it("waits for another connection's write lock instead of failing at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "smoa-sqlite-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "t.sqlite");
  const db = openSqliteDatabase(file);
  onTestFinished(() => db.close());
  db.exec("CREATE TABLE t (n INTEGER)");
  // Another process holds the write lock for a moment, then commits.
  const holder = `
    const { openSqliteDatabase } = await import(${JSON.stringify(DRIVER)});
    const other = openSqliteDatabase(${JSON.stringify(file)});
    other.exec("BEGIN IMMEDIATE");
    other.prepare("INSERT INTO t VALUES (1)").run();
    console.log("locked");
    setTimeout(() => { other.exec("COMMIT"); other.close(); }, 300);
  `;
  const child = execFile(process.execPath, ["--input-type=module", "-e", holder]);
  await new Promise<void>((done) => child.stdout?.once("data", () => done()));
  inTransaction(db, () => db.prepare("INSERT INTO t VALUES (2)").run(), { immediate: true });
  await new Promise((done) => child.once("exit", done));
  expect(db.prepare("SELECT n FROM t ORDER BY n").all()).toEqual([{ n: 1 }, { n: 2 }]);
});
