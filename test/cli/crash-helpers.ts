/**
 * The crash test's machinery: kill a real `review` process (SIGKILL) at a
 * chosen instant of the demo run, placed with the local endpoint's faults,
 * then check from the endpoint's access log and the saved state that the
 * next process continues from the last finished step.
 *
 * The demo run is nine model requests in four steps (LangGraph supersteps):
 * the coder's round 1 (a calculator call, then the code), the reviewer's round
 * 1 (a syntax_check call, the review, the verdict: changes requested), the
 * coder's round 2, the reviewer's round 2 (approved). A process resumed at a
 * step sends that step's requests and everything after them, in this order.
 */
import type { ChildProcess } from "node:child_process";
import { expect } from "vitest";
import { openCheckpointSaver } from "../../agents/checkpoint/open-saver.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { FROM_FIRST_REVIEW, graphOn } from "../agents/helpers.js";
import { finished } from "./review-helpers.js";

type Agent = "coder" | "reviewer";

/** The components of the demo run's requests, in order: round 1's coder (two calls), then the rest. */
export const FULL_RUN: readonly Agent[] = ["coder", "coder", ...(FROM_FIRST_REVIEW as Agent[])];

/** Index (0-based) of the first request of each step. */
const STEP_STARTS = [0, 2, 5, 6] as const;

/** The first request of the step that request `index` belongs to. */
export function stepStart(index: number): number {
  return Math.max(...STEP_STARTS.filter((start) => start <= index));
}

/** The first request of the step after the one of request `index` (FULL_RUN.length after the last). */
export function nextStepStart(index: number): number {
  return STEP_STARTS.find((start) => start > index) ?? FULL_RUN.length;
}

/**
 * Where to kill, by the demo run's request number (1-9):
 * - `arrive`: request N has reached the endpoint and waits for its answer (a model call in flight);
 * - `stream`: request N's answer is streaming (slowed down) and some of it has been printed;
 * - `after`: request N's answer has just ended (the tool it asked for runs, or its step ends and is
 *   saved, or the next request is on its way; that next request is held so it cannot finish);
 * - `saved`: request N ends a step, and that step's checkpoint can be read from another process
 *   (the next request is held, so the kill lands between the save and the next step's answer).
 */
export interface KillInstant {
  kind: "arrive" | "stream" | "after" | "saved";
  request: number;
}

/** `arrive 3`, `after 2`, ... for test names. */
export function describeInstant(instant: KillInstant): string {
  return `${instant.kind} ${instant.request}`;
}

const HOLD_MS = 120_000;

async function pendingFaultIds(local: LocalEndpoint): Promise<number[]> {
  const response = await fetch(`${local.url}/_local/faults`);
  const body = (await response.json()) as { faults: { id: number }[] };
  return body.faults.map((f) => f.id);
}

/** Resolves when `check` holds, polling every few milliseconds (an event the endpoint does not announce). */
async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  child: ChildProcess,
): Promise<void> {
  while (!(await check())) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the review process exited before ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
}

/**
 * Adds faults so that request `index` (0-based, in FULL_RUN) of a process that
 * starts at request `start` gets `fault`: the requests of the same component
 * before it pass untouched. Returns the id of the fault that marks it.
 */
function faultOn(
  local: LocalEndpoint,
  start: number,
  index: number,
  fault: { latencyMs: number } | { trickleBytesPerSecond: number },
): number {
  const component = FULL_RUN[index] as Agent;
  const before = FULL_RUN.slice(start, index).filter((c) => c === component).length;
  if (before > 0) local.injectFault({ endpoint: "agents", component, latencyMs: 0, count: before });
  return local.injectFault({ endpoint: "agents", component, count: 1, ...fault });
}

/**
 * Kills `child` (a review process whose first request is FULL_RUN[start],
 * whose stdout is collected into `stdout()`) at `instant`. Resolves once it is dead.
 */
export async function killAt(
  local: LocalEndpoint,
  child: ChildProcess,
  stdout: () => string,
  start: number,
  instant: KillInstant,
  /** Where the saved run would resume now (for `saved`): see {@link savedStart}. */
  resumesAt: () => Promise<number>,
): Promise<void> {
  const index = instant.request - 1;
  if (index < start) throw new Error(`request ${instant.request} comes before this process starts`);
  const logged = local.requests.length;
  if (instant.kind === "arrive") {
    const id = faultOn(local, start, index, { latencyMs: HOLD_MS });
    await until(
      async () => !(await pendingFaultIds(local)).includes(id),
      "the held request",
      child,
    );
  } else if (instant.kind === "stream") {
    const id = faultOn(local, start, index, { trickleBytesPerSecond: 400 });
    await until(
      async () => !(await pendingFaultIds(local)).includes(id),
      "the slowed request",
      child,
    );
    const printed = stdout().length;
    await until(() => stdout().length > printed, "part of the streamed answer printed", child);
  } else if (instant.kind === "after") {
    if (index + 1 < FULL_RUN.length) faultOn(local, start, index + 1, { latencyMs: HOLD_MS });
    const answered = index - start + 1;
    await until(() => local.requests.length - logged >= answered, "the answer ended", child);
  } else {
    if (nextStepStart(index) !== index + 1)
      throw new Error(`request ${instant.request} ends no step`);
    if (index + 1 < FULL_RUN.length) faultOn(local, start, index + 1, { latencyMs: HOLD_MS });
    await until(async () => (await resumesAt()) === index + 1, "the step was saved", child);
  }
  const dead = finished(child);
  child.kill("SIGKILL");
  const result = await dead;
  expect(result.signal).toBe("SIGKILL");
  local.clearFaults();
}

/** Resolves once every connection to the endpoint has closed, so the access log holds every request. */
export async function quiet(local: LocalEndpoint): Promise<void> {
  while (local.connections.open > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Where the run saved in `state` (a file or URL) will continue: the index in
 * FULL_RUN of the first request a resumed process sends, read from its saved
 * state (next step, round) with the package's own saver.
 */
export async function savedStart(
  state: string,
  local: LocalEndpoint,
  threadId: string,
): Promise<number> {
  const { saver, close } = await openCheckpointSaver(state);
  try {
    const graph = graphOn(local, { checkpointer: saver });
    const saved = await graph.getState({ configurable: { thread_id: threadId } });
    const round = (saved.values as { round?: number }).round ?? 0;
    const next = saved.next[0];
    if (next === undefined || next === "__start__") return 0;
    if (next === "coder") return round === 0 ? 0 : 5;
    if (next === "reviewer") return round === 1 ? 2 : 6;
    throw new Error(`unexpected next step ${next}`);
  } finally {
    await close();
  }
}

/** The components the access log shows from entry `from` on. */
export function componentsFrom(local: LocalEndpoint, from: number): Array<string | null> {
  return local.requests.slice(from).map((entry) => entry.component);
}
