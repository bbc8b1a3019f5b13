import { describe, expect, it } from "vitest";
import { agentsEndpointForTest } from "../agents/helpers.js";
import { postgresForTests } from "../helpers/postgres.js";
import { FULL_RUN } from "./crash-helpers.js";
import {
  cliEnv,
  finished,
  REVIEW_TASK,
  runReviewCli,
  spawnReview,
  stdoutMatching,
  tempHomeForTest,
} from "./review-helpers.js";
import { at, gatedBackend, storeKinds } from "./state-helpers.js";

const postgres = postgresForTests();

const STORES = storeKinds(postgres);

describe.each(STORES)("review runs on $name", ({ state: newState }) => {
  it("starts a run under --thread ID, refuses the id again, and resumes it by name", async () => {
    const home = tempHomeForTest();
    const local = await agentsEndpointForTest();
    const state = await newState();
    const env = cliEnv(home);
    const first = await runReviewCli(
      [REVIEW_TASK, ...at(local, state), "--thread", "celsius-1", "--json"],
      env,
    );
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      threadId: "celsius-1",
      approved: true,
      rounds: 2,
    });
    const used = local.requests.length;

    const again = await runReviewCli(
      ["Another task", ...at(local, state), "--thread", "celsius-1"],
      env,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^error \[THREAD_EXISTS\]: .* thread id celsius-1; .*--resume celsius-1/,
    );
    expect(local.requests.length).toBe(used);

    const resumed = await runReviewCli(["--resume", "celsius-1", "--state", state, "--json"], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      threadId: "celsius-1",
      task: REVIEW_TASK,
      rounds: 2,
    });
    // A finished run is printed, not run again.
    expect(local.requests.length).toBe(used);
  });

  it("resumes by name a run killed before it printed anything", async () => {
    const home = tempHomeForTest();
    const reviewer = gatedBackend("reviewer");
    const local = await agentsEndpointForTest({ reviewer });
    const state = await newState();
    const env = cliEnv(home);
    // --json prints nothing until the end: the caller knows the run only by the id it chose.
    const child = spawnReview(
      [REVIEW_TASK, ...at(local, state), "--thread", "silent", "--json"],
      env,
    );
    const done = finished(child);
    await reviewer.arrived;
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.stdout).toBe("");
    reviewer.release();
    const resumed = await runReviewCli(["--resume", "silent", "--state", state, "--json"], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      threadId: "silent",
      task: REVIEW_TASK,
      approved: true,
    });
  });

  it("lists every run with its status, as a table and as JSON", async () => {
    const home = tempHomeForTest();
    const reviewer = gatedBackend("reviewer");
    const held = await agentsEndpointForTest({ reviewer });
    const state = await newState();
    const env = cliEnv(home);
    const run = async (task: string, thread: string, ...more: string[]) =>
      runReviewCli(
        [task, ...at(await agentsEndpointForTest(), state), "--thread", thread, ...more],
        env,
      );
    const failing = await agentsEndpointForTest();
    failing.injectFault({
      endpoint: "agents",
      component: "reviewer",
      status: 503,
      count: "always",
    });
    // One is killed mid-run (its reviewer waits), the others end on their own; all at once.
    const killed = spawnReview(
      ["Write a function that adds two numbers", ...at(held, state), "--thread", "killed-run"],
      env,
    );
    const killedDone = finished(killed);
    const [approved, capped, failed] = await Promise.all([
      run(REVIEW_TASK, "approved-run"),
      run(`${REVIEW_TASK}\nsecond line`, "capped-run", "--max-rounds", "1"),
      runReviewCli(
        [
          "Write a function that reverses a string",
          ...at(failing, state),
          "--thread",
          "failed-run",
          "--max-retries",
          "0",
        ],
        env,
      ),
      reviewer.arrived.then(async () => {
        killed.kill("SIGKILL");
        await killedDone;
      }),
    ]);
    expect([approved?.code, capped?.code, failed?.code]).toEqual([0, 3, 1]);
    // One still running (its reviewer waits) while the list is taken.
    const running = spawnReview(
      ["Write a function that doubles a number", ...at(held, state), "--thread", "running-run"],
      env,
    );
    const runningDone = finished(running);
    await stdoutMatching(running, /Round 1 · reviewer/);

    const listed = await runReviewCli(["--list", "--json", "--state", state], env);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    const byId = Object.fromEntries(runs.map((r) => [r.threadId, r]));
    expect(byId).toEqual({
      "approved-run": expect.objectContaining({ status: "approved", rounds: 2, task: REVIEW_TASK }),
      "capped-run": expect.objectContaining({
        status: "not approved",
        rounds: 1,
        task: REVIEW_TASK,
      }),
      "failed-run": expect.objectContaining({ status: "failed", rounds: 1 }),
      "killed-run": expect.objectContaining({ status: "interrupted", rounds: 1 }),
      "running-run": expect.objectContaining({ status: "running", rounds: 1 }),
    });
    // Oldest first, each with an ISO start time; the one started last comes last.
    const starts = runs.map((r) => String(r.startedAt));
    expect([...starts].sort()).toEqual(starts);
    for (const start of starts) expect(Number.isNaN(Date.parse(start))).toBe(false);
    expect(runs.at(-1)?.threadId).toBe("running-run");

    const table = await runReviewCli(["--list", "--state", state], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^THREAD\s+STARTED\s+STATUS\s+ROUNDS\s+TASK$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual(
      runs.map((r) => [
        r.threadId,
        String(r.startedAt).replace(/\.\d+Z$/, "Z"),
        r.status,
        String(r.rounds),
      ]),
    );

    reviewer.release();
    expect((await runningDone).code).toBe(0);
  });

  it("runs two threads side by side in one store", async () => {
    const home = tempHomeForTest();
    const one = await agentsEndpointForTest();
    const two = await agentsEndpointForTest();
    const state = await newState();
    const env = cliEnv(home);
    const [a, b] = await Promise.all([
      runReviewCli([REVIEW_TASK, ...at(one, state), "--thread", "side-a", "--json"], env),
      runReviewCli(
        [
          "Write a function that adds two numbers",
          ...at(two, state),
          "--thread",
          "side-b",
          "--json",
        ],
        env,
      ),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(JSON.parse(a.stdout)).toMatchObject({
      threadId: "side-a",
      task: REVIEW_TASK,
      approved: true,
    });
    expect(JSON.parse(b.stdout)).toMatchObject({ threadId: "side-b", approved: true });
    // Each run made exactly the demo's requests, in order, on its own endpoint.
    expect(one.requests.map((r) => r.component)).toEqual(FULL_RUN);
    expect(two.requests.map((r) => r.component)).toEqual(FULL_RUN);
  });

  it("refuses a second process on a running thread with THREAD_BUSY and lets the first finish", async () => {
    const home = tempHomeForTest();
    const reviewer = gatedBackend("reviewer");
    const local = await agentsEndpointForTest({ reviewer });
    const state = await newState();
    const env = cliEnv(home);
    const first = spawnReview(
      [REVIEW_TASK, ...at(local, state), "--thread", "busy", "--json"],
      env,
    );
    const firstDone = finished(first);
    await reviewer.arrived;
    const before = local.requests.length;

    const second = await runReviewCli(["--resume", "busy", "--state", state], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /^error \[THREAD_BUSY\]: Run busy is being run by another process/,
    );
    expect(second.stderr).not.toMatch(/saved/);
    expect(local.requests.length).toBe(before);

    reviewer.release();
    const done = await firstDone;
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ threadId: "busy", approved: true, rounds: 2 });
    expect(local.requests.map((r) => r.component)).toEqual(FULL_RUN);
    // Once the first has ended, the thread is free again.
    const later = await runReviewCli(["--resume", "busy", "--state", state, "--json"], env);
    expect(later.code).toBe(0);
  });
});
