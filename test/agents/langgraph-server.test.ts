/**
 * The coder/reviewer graph under LangGraph's own development server, as a user runs
 * it (`npx @langchain/langgraph-cli dev` in this repository): the pinned CLI from the
 * devDependencies starts on a free loopback port with the repository's
 * `langgraph.json`, and `@langchain/langgraph-sdk`'s `Client` finds the assistant,
 * waits for a run to be approved, reads the thread state and the typed Studio schema.
 *
 * Offline: nothing configures an endpoint, so the graph runs on the demo endpoint,
 * and every non-loopback request of the server goes to a dead proxy (the analytics
 * ping is off as well). The server runs in its own process group, which is killed
 * at the end.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "node_modules/@langchain/langgraph-cli/dist/cli/cli.mjs");
/** Starting the server loads the graph through tsx; generous for a loaded 2-core machine. */
const START_TIMEOUT_MS = 90_000;
const TASK = "Write a function that converts Celsius to Fahrenheit.";

let server: ChildProcess | undefined;
let output = "";
let client: Client;
let gitignoreBefore: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Resolves when the server logs that it listens; rejects if it exits or takes too long. */
function waitUntilListening(child: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the LangGraph server did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Server running at")) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the LangGraph server exited (${code ?? signal}):\n${output}`));
    });
  });
}

/** Stops the whole process group (the CLI and the API server it spawned). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const group = -child.pid;
  process.kill(group, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      process.kill(group, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
  try {
    // The API server may outlive the CLI by a moment; it is in the same group.
    process.kill(group, "SIGKILL");
  } catch {
    // The group is empty.
  }
}

beforeAll(async () => {
  gitignoreBefore = readFileSync(join(ROOT, ".gitignore"), "utf8");
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANGGRAPH_CLI_NO_ANALYTICS: "1",
    LANGSMITH_TRACING: "false",
    BROWSER: "none",
    // Node's fetch follows these only with NODE_USE_ENV_PROXY; anything not on loopback fails.
    NODE_USE_ENV_PROXY: "1",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
  };
  server = spawn(
    process.execPath,
    [
      CLI,
      "dev",
      "--no-browser",
      "--no-reload",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--n-jobs-per-worker",
      "1",
      "--config",
      "langgraph.json",
    ],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  await waitUntilListening(server);
  client = new Client({ apiUrl: `http://127.0.0.1:${port}` });
}, START_TIMEOUT_MS + 5_000);

afterAll(async () => {
  if (server !== undefined) await stop(server);
}, 20_000);

describe("LangGraph dev server with the repository's langgraph.json", () => {
  it("serves the coder/reviewer assistant, runs it to approval and keeps the thread state", {
    timeout: 60_000,
  }, async () => {
    const assistants = await client.assistants.search({ graphId: "coder_reviewer" });
    expect(assistants).toHaveLength(1);
    const assistantId = (assistants[0] as { assistant_id: string }).assistant_id;

    const thread = await client.threads.create();
    const values = (await client.runs.wait(thread.thread_id, assistantId, {
      input: { task: TASK },
    })) as Record<string, unknown>;
    expect(values).toMatchObject({ task: TASK, approved: true, round: 2, stopReason: "approved" });

    const state = await client.threads.getState<{ reviews: unknown[]; code: string }>(
      thread.thread_id,
    );
    expect(state.next).toEqual([]);
    expect(state.values.code).toContain("def ");
    expect(state.values.reviews).toEqual([
      expect.objectContaining({ round: 1, approved: false, source: expect.any(String) }),
      expect.objectContaining({ round: 2, approved: true, comments: expect.any(Array) }),
    ]);
  });

  it("gives Studio a typed schema, review items included", async () => {
    const [assistant] = await client.assistants.search({ graphId: "coder_reviewer" });
    const schemas = await client.assistants.getSchemas(
      (assistant as { assistant_id: string }).assistant_id,
    );
    const state = schemas.state_schema as {
      properties: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    expect(Object.keys(state.properties).sort()).toEqual(
      ["approved", "code", "language", "reviews", "round", "stopReason", "task"].sort(),
    );
    expect(state.required).toEqual(["task"]);
    expect(state.properties.task).toMatchObject({ type: "string" });
    expect(state.properties.round).toMatchObject({ type: "integer", default: 0 });
    expect(state.properties.reviews).toMatchObject({
      type: "array",
      items: {
        type: "object",
        required: ["round", "approved", "comments", "source"],
        properties: {
          round: { type: "integer", minimum: 1 },
          approved: { type: "boolean" },
          comments: { type: "array", items: { type: "string" } },
          source: { type: "string", enum: ["structured", "text", "undecided"] },
        },
      },
    });
    const input = schemas.input_schema as { properties: Record<string, unknown> };
    expect(input.properties.task).toMatchObject({ type: "string" });
    expect(input.properties.reviews).toMatchObject({ items: { type: "object" } });
  });

  it("leaves the repository clean: .gitignore already lists the server's state directory", () => {
    expect(readFileSync(join(ROOT, ".gitignore"), "utf8")).toBe(gitignoreBefore);
    expect(gitignoreBefore).toContain(".langgraph_api");
    // git exits 0 only when the path is ignored.
    execFileSync("git", ["check-ignore", "-q", ".langgraph_api/"], { cwd: ROOT });
  });
});
