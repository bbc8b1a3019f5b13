/**
 * The crash test: a real `review` process is killed with SIGKILL at instants
 * spread over a run (a model call in flight, an answer streaming, a tool
 * running, a step just ended and being saved, the next step starting), and
 * each time the next process resumes the run. For every kill the saved state
 * must continue from the last finished step: no step that had finished is
 * redone (read from the local endpoint's access log: which component was
 * called, in which order), none is lost, and the last process ends exactly as
 * an uninterrupted run does (code, rounds, reviews). On an SQLite file and on
 * a real PostgreSQL.
 *
 * Each test is one run killed three times (four processes), so it fits a
 * loaded machine; together they cover twenty-one instants.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { agentsEndpointForTest, startAgentsEndpoint } from "../agents/helpers.js";
import { postgresForTests } from "../helpers/postgres.js";
import {
  describeInstant,
  FULL_RUN,
  type KillInstant,
  killAt,
  nextStepStart,
  quiet,
  savedStart,
  stepStart,
} from "./crash-helpers.js";
import {
  cliEnv,
  REVIEW_TASK,
  runReviewCli,
  spawnReview,
  tempHome,
  tempHomeForTest,
} from "./review-helpers.js";
import { at, storeKinds } from "./state-helpers.js";

const postgres = postgresForTests();

const arrive = (request: number): KillInstant => ({ kind: "arrive", request });
const stream = (request: number): KillInstant => ({ kind: "stream", request });
const after = (request: number): KillInstant => ({ kind: "after", request });
const saved = (request: number): KillInstant => ({ kind: "saved", request });

/**
 * Three kills per run, in run order. Requests: 1 coder (calculator call), 2 coder (code),
 * 3 reviewer (syntax_check call), 4 reviewer (review), 5 reviewer (verdict), 6 coder (round 2),
 * 7-9 reviewer (round 2). `after 1` and `after 3` land while the tool runs; `after 2`, `after 5`
 * and `after 6` right after a step ends, while it is saved; `saved 2`, `saved 5` and `saved 6` once
 * that step's checkpoint is readable; `arrive 3`, `arrive 6` and `arrive 7` as the next step starts.
 */
const CHAINS: KillInstant[][] = [
  [arrive(1), after(1), stream(2)],
  [after(2), arrive(3), after(3)],
  [stream(4), after(4), arrive(5)],
  [after(5), arrive(6), stream(6)],
  [after(6), arrive(7), after(7)],
  [stream(8), after(8), arrive(9)],
  [saved(2), saved(5), saved(6)],
];

interface Outcome {
  code: string;
  rounds: number;
  reviews: unknown;
}

const STORES = storeKinds(postgres);

/** How an uninterrupted run ends, measured once. */
let uninterrupted: Outcome;

beforeAll(async () => {
  const home = tempHome();
  const local = await startAgentsEndpoint();
  try {
    const run = await runReviewCli(
      [REVIEW_TASK, ...at(local, join(home.dir, "state.sqlite")), "--json"],
      cliEnv(home),
    );
    expect(run.code).toBe(0);
    uninterrupted = JSON.parse(run.stdout) as Outcome;
    expect(local.requests.map((r) => r.component)).toEqual(FULL_RUN);
  } finally {
    await local.close();
    home.remove();
  }
});

describe.each(STORES)("a review killed with SIGKILL ($name)", ({ state: newState }) => {
  it.each(CHAINS.map((chain) => ({ chain, name: chain.map(describeInstant).join(", ") })))(
    "resumes from the last finished step after kills at $name",
    async ({ chain }) => {
      const home = tempHomeForTest();
      const local = await agentsEndpointForTest();
      const state = await newState();
      const env = cliEnv(home);
      const thread = "crash";
      let start = 0;
      for (const [i, instant] of chain.entries()) {
        const first = local.requests.length;
        const args =
          i === 0
            ? [REVIEW_TASK, ...at(local, state), "--thread", thread]
            : ["--resume", thread, "--state", state];
        const child = spawnReview(args, env);
        let stdout = "";
        child.stdout?.on("data", (data: Buffer) => {
          stdout += data.toString();
        });
        await killAt(
          local,
          child,
          () => stdout,
          start,
          instant,
          () => savedStart(state, local, thread),
        );
        await quiet(local);

        // What this process asked for: the demo run's requests from its start on, in order.
        const sent = local.requests.slice(first);
        expect(sent.map((r) => r.component)).toEqual(FULL_RUN.slice(start, start + sent.length));
        const last = start + sent.length - 1;
        const next = await savedStart(state, local, thread);
        // Every step before the one in flight had finished (a step starts only once the one
        // before it is saved): none of them is redone.
        expect(next, `after the kill at ${describeInstant(instant)}`).toBeGreaterThanOrEqual(
          stepStart(last),
        );
        expect([stepStart(last), nextStepStart(last)]).toContain(next);
        // A step another process could already read as saved stays saved.
        if (instant.kind === "saved") expect(next).toBeGreaterThanOrEqual(instant.request);
        if (next === nextStepStart(last)) {
          // Skipping the step in flight is right only if it had finished: all its answers complete.
          expect(sent.slice(stepStart(last) - start).every((r) => r.status === 200)).toBe(true);
        }
        // For the durability figures in the docs: SMOA_CRASH_LOG=FILE records where each kill left the run.
        if (process.env.SMOA_CRASH_LOG) {
          const line = {
            instant: describeInstant(instant),
            lastRequest: last + 1,
            resumesAt: next + 1,
          };
          appendFileSync(process.env.SMOA_CRASH_LOG, `${JSON.stringify(line)}\n`);
        }
        start = next;
      }

      const first = local.requests.length;
      const resumed = await runReviewCli(["--resume", thread, "--state", state, "--json"], env);
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      // The rest of the run, from the last finished step: nothing redone, nothing lost.
      expect(local.requests.slice(first).map((r) => r.component)).toEqual(FULL_RUN.slice(start));
      const outcome = JSON.parse(resumed.stdout) as Outcome & { threadId: string };
      expect(outcome.threadId).toBe(thread);
      expect({ code: outcome.code, rounds: outcome.rounds, reviews: outcome.reviews }).toEqual({
        code: uninterrupted.code,
        rounds: uninterrupted.rounds,
        reviews: uninterrupted.reviews,
      });
    },
  );
});
