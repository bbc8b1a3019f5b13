/**
 * Ctrl-C under `npm start` prints the resume hint, as it does under `node`.
 * A terminal's Ctrl-C sends SIGINT to the whole foreground process group (npm,
 * the shell, tsx, the CLI). npm exits at once (the shell prompt returns), and
 * tsx passes the signal on to the CLI again and kills it (SIGKILL) when it is
 * slow to acknowledge, as on a loaded machine. So the hint has to be out
 * before the run unwinds. The test starts `npm start` in a process group of
 * its own, signals the group as a terminal does, then, as soon as the CLI has
 * acted (its model request was dropped), signals it again and kills it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { agentsEndpointForTest } from "../agents/helpers.js";
import { cliEnv, finished, REVIEW_TASK, runReviewCli, tempHomeForTest } from "./review-helpers.js";
import { at, gatedBackend } from "./state-helpers.js";

it("prints the resume hint at once on Ctrl-C under npm start, before anything can kill the CLI", async () => {
  const home = tempHomeForTest();
  const reviewer = gatedBackend("reviewer");
  const local = await agentsEndpointForTest({ reviewer });
  const dir = mkdtempSync(join(tmpdir(), "review-npm-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, "state.sqlite");
  const child = spawn(
    "npm",
    ["start", "--silent", "--", REVIEW_TASK, ...at(local, state), "--thread", "ctrl-c"],
    {
      env: cliEnv(home),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const done = finished(child);
  await reviewer.arrived;
  const group = -(child.pid as number);
  process.kill(group, "SIGINT");
  await reviewer.abandoned;
  process.kill(group, "SIGINT");
  process.kill(group, "SIGKILL");
  const stopped = await done;
  expect(stopped.stderr).toBe(
    `Interrupted. The run is saved: continue it with npm run --silent cli -- review --resume ctrl-c --state ${state}\n`,
  );

  reviewer.release();
  const resumed = await runReviewCli(
    ["--resume", "ctrl-c", "--state", state, "--json"],
    cliEnv(home),
  );
  expect(resumed.stderr).toBe("");
  expect(resumed.code).toBe(0);
  expect(JSON.parse(resumed.stdout)).toMatchObject({
    threadId: "ctrl-c",
    approved: true,
    rounds: 2,
  });
});
