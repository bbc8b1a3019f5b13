/**
 * `review --state FILE` never harms a file it did not create: a path that is
 * a symlink, a directory, not an SQLite database, another program's SQLite
 * database, or cannot be created is refused with `STATE_FILE_UNAVAILABLE`,
 * exit 2, the path named, and the path (bytes, mode, link target, directory
 * entries) exactly as before; nothing says the run is saved. A file it creates
 * is 0600 from the start (its directory 0700), even under umask 000. Each case
 * runs the real CLI as a child process against the local endpoint.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { openSqliteDatabase } from "../../agents/checkpoint/sqlite-driver.js";
import { agentsEndpointForTest } from "../agents/helpers.js";
import {
  cliEnv,
  finished,
  REVIEW_TASK,
  runReviewCli,
  stdoutMatching,
  tempHomeForTest,
} from "./review-helpers.js";
import { at, gatedBackend, modes, snapshot } from "./state-helpers.js";

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "review-state-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Makes `path` look lived-in and foreign: mode 0644 and an old timestamp, so a chmod or write shows. */
function aged(path: string): void {
  chmodSync(path, 0o644);
  utimesSync(path, new Date(2020, 0, 1), new Date(2020, 0, 1));
}

/** A path to refuse, and every path whose bytes and mode must survive the refusal. */
interface Refused {
  path: string;
  watch: string[];
}

const REFUSALS: Array<{ name: string; make(dir: string): Refused; why: RegExp }> = [
  {
    name: "a text file",
    make(dir) {
      const path = join(dir, "notes.txt");
      writeFileSync(path, "my notes\n");
      aged(path);
      return { path, watch: [path] };
    },
    why: /not an SQLite database/,
  },
  {
    name: "an empty file",
    make(dir) {
      const path = join(dir, "empty.sqlite");
      writeFileSync(path, "");
      aged(path);
      return { path, watch: [path] };
    },
    why: /not an SQLite database/,
  },
  {
    name: "a directory",
    make(dir) {
      const path = join(dir, "runs");
      mkdirSync(path);
      writeFileSync(join(path, "keep.txt"), "x");
      return { path, watch: [path, join(path, "keep.txt")] };
    },
    why: /is a directory/,
  },
  {
    name: "a symlink to a state database of ours",
    make(dir) {
      const real = join(dir, "real.sqlite");
      const db = openSqliteDatabase(real);
      db.exec("CREATE TABLE checkpoints (thread_id TEXT)");
      db.close();
      aged(real);
      const link = join(dir, "link.sqlite");
      symlinkSync(real, link);
      return { path: link, watch: [link, real] };
    },
    why: /symbolic link/,
  },
  {
    name: "another program's SQLite database",
    make(dir) {
      const path = join(dir, "app.db");
      const db = openSqliteDatabase(path);
      db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
      db.exec("INSERT INTO invoices (total) VALUES (12.5)");
      db.close();
      aged(path);
      return { path, watch: [path] };
    },
    why: /SQLite database of something else \(tables invoices\)/,
  },
  {
    name: "a path under a file (cannot be created)",
    make(dir) {
      const file = join(dir, "plain");
      writeFileSync(file, "x");
      aged(file);
      return { path: join(file, "state.sqlite"), watch: [file] };
    },
    why: /part of its directory path is a file \(ENOTDIR\)/,
  },
];

describe("review --state refusals", () => {
  it.each(REFUSALS)("refuses $name with exit 2 and leaves it as it was", async ({ make, why }) => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const dir = scratch();
    const { path, watch } = make(dir);
    const before = watch.map((p) => snapshot(p, dir));

    const result = await runReviewCli([REVIEW_TASK, ...at(local, path)], cliEnv(home));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error \[STATE_FILE_UNAVAILABLE\]: /);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).not.toMatch(/saved|--resume/);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(watch.map((p) => snapshot(p, dir))).toEqual(before);
    // Refused before any model was asked anything.
    expect(local.requests).toHaveLength(0);
  });

  it("creates a new state file 0600 (directory 0700) from the start, even under umask 000", async () => {
    const home = tempHomeForTest();
    const reviewer = gatedBackend("reviewer");
    const local = await agentsEndpointForTest({ reviewer });
    const dir = join(scratch(), "new", "runs");
    const path = join(dir, "state.sqlite");
    // Under umask 000 a file opened with the default mode would be 0666; nothing chmods it later.
    const child = spawn(
      "sh",
      [
        "-c",
        'umask 000 && exec "$0" --import tsx src/cli/main.ts review "$@"',
        process.execPath,
        REVIEW_TASK,
        ...at(local, path),
      ],
      { env: cliEnv(home), stdio: ["ignore", "pipe", "pipe"] },
    );
    const done = finished(child);
    await stdoutMatching(child, /Round 1 · reviewer/);
    await reviewer.arrived;
    // Mid-run: the database, its write-ahead log and shared-memory file all exist now.
    expect(modes(dir)).toEqual({
      "state.sqlite": "600",
      "state.sqlite-shm": "600",
      "state.sqlite-wal": "600",
    });
    expect(modes(join(dir, ".."))).toEqual({ runs: "700" });
    reviewer.release();
    const result = await done;
    expect(result.code).toBe(0);
    expect(modes(dir)["state.sqlite"]).toBe("600");
  });

  it("says nothing about a saved run when the run stops before its first checkpoint", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const path = join(scratch(), "state.sqlite");
    // No AWS credentials: the run stops while preparing the models, before any step.
    const failed = await runReviewCli(
      [REVIEW_TASK, ...at(local, path), "--thread", "early"],
      cliEnv(home, {}, { credentials: false }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).not.toMatch(/saved|--resume/);
    const listed = await runReviewCli(["--list", "--json", "--state", path], cliEnv(home));
    expect(JSON.parse(listed.stdout)).toEqual([]);
    // The id was never taken: a run may use it now.
    const again = await runReviewCli(
      [REVIEW_TASK, ...at(local, path), "--thread", "early", "--json"],
      cliEnv(home),
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ threadId: "early", approved: true });
  });
});
