/**
 * Helpers for the tests of `review`'s saved runs (`--state`, `--thread`,
 * `--list`, thread locks): a demo model whose first answer waits until the
 * test lets it go, the `review` flags that point at a test endpoint and
 * store, and a snapshot of a path (bytes and mode) to prove a refusal left it alone.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import type { ChatCompletionRequestBody } from "../../src/local/backend.js";
import { createBackend } from "../../src/local/backends/index.js";
import type { BackendContext, ChatBackend, LocalEndpoint } from "../../src/local/index.js";
import type { TestPostgres } from "../helpers/postgres.js";

/** A kind of run store, and how to make a fresh one for the current test (a file path or a URL). */
export interface StoreKind {
  name: "SQLite" | "PostgreSQL";
  state(): Promise<string>;
}

/** An SQLite file in a temporary directory, and (when there is one) a database of `postgres`. */
export function storeKinds(postgres: TestPostgres | undefined): StoreKind[] {
  const sqlite: StoreKind = {
    name: "SQLite",
    async state() {
      const dir = mkdtempSync(join(tmpdir(), "review-state-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      return join(dir, "state.sqlite");
    },
  };
  if (postgres === undefined) return [sqlite];
  return [sqlite, { name: "PostgreSQL", state: () => postgres.databaseForTest() }];
}

/** A demo backend whose first request waits for {@link GatedBackend.release} (or the client to go away). */
export interface GatedBackend extends ChatBackend {
  /** Resolves when the first request has arrived and is waiting. */
  arrived: Promise<void>;
  /** Resolves when a waiting request's client went away (closed the connection). */
  abandoned: Promise<void>;
  /** Lets the waiting request (and every later one) through. */
  release(): void;
}

/** {@link GatedBackend} over the demo `script` ("coder" or "reviewer"). */
export function gatedBackend(script: "coder" | "reviewer"): GatedBackend {
  const demo = createBackend({ type: "demo", script });
  let arrive: () => void = () => {};
  let open: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let abandon: () => void = () => {};
  const abandoned = new Promise<void>((resolve) => {
    abandon = resolve;
  });
  return {
    arrived,
    abandoned,
    release: () => open(),
    async complete(body: ChatCompletionRequestBody, context: BackendContext) {
      arrive();
      const aborted = new Promise<void>((resolve) =>
        context.signal.addEventListener("abort", () => resolve()),
      );
      await Promise.race([gate, aborted]);
      if (context.signal.aborted) abandon();
      if (context.signal.aborted) return { type: "json", status: 503, body: { message: "gone" } };
      return demo.complete(body, context);
    },
  };
}

/** The flags that send `review` to `local` and keep its runs in `state`. */
export function at(local: LocalEndpoint, state: string): string[] {
  return ["--base-url", local.url, "--region", "us-west-2", "--state", state];
}

/** What a path is, byte for byte: its type, mode, content (or link target), and its directory's entries. */
export function snapshot(path: string, dir: string): string {
  const stats = lstatSync(path);
  const kind = stats.isSymbolicLink() ? "link" : stats.isDirectory() ? "dir" : "file";
  const content = stats.isSymbolicLink()
    ? readlinkSync(path)
    : stats.isDirectory()
      ? readdirSync(path).sort().join(",")
      : readFileSync(path).toString("base64");
  return JSON.stringify({
    kind,
    mode: (stats.mode & 0o7777).toString(8),
    size: stats.size,
    mtime: stats.mtimeMs,
    content,
    siblings: readdirSync(dir).sort(),
  });
}

/** The mode (e.g. "600") of every entry of `dir`, by name. */
export function modes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).map((name) => [name, (lstatSync(join(dir, name)).mode & 0o777).toString(8)]),
  );
}
