/**
 * `sagemaker-openai-agents review "task"`: runs the coder/reviewer graph with
 * live progress, checkpointed in SQLite so `--resume <thread>` can continue a
 * run that stopped. Without endpoint settings it starts the local endpoint in
 * this process and runs offline against the demo model.
 *
 * Arguments are checked before LangChain is loaded (`run-graph.ts`), so a typo
 * gets its answer at once.
 */
import { printUsageError } from "../../src/cli/args.js";
import {
  colorEnabled,
  createStyle,
  progressEnabled,
  StatusLine,
  type TerminalStream,
} from "../../src/cli/terminal.js";
import { describeError } from "./describe-error.js";
import { type ReviewSettings, readSettings, UsageError } from "./settings.js";
import { readTask, type TaskStdin } from "./task-input.js";
import { USAGE } from "./usage.js";

/** Where `review` writes and what environment it reads. */
export interface ReviewIO {
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** Where `review -` reads the task. */
  stdin?: TaskStdin;
  env: NodeJS.ProcessEnv;
  /** Aborts the run (Ctrl-C); the run stays resumable. */
  signal?: AbortSignal;
}

/** Exit codes: 0 approved, 1 failed, 2 bad usage, 3 finished without approval, 130 interrupted. */
export const EXIT = { approved: 0, failed: 1, usage: 2, notApproved: 3, interrupted: 130 } as const;

/** Runs `review` with `argv` (the arguments after `review`) and returns the exit code. */
export async function runReview(argv: string[], io: ReviewIO): Promise<number> {
  let settings: ReviewSettings;
  try {
    settings = readSettings(argv, io.env);
    if (settings.help) {
      io.stdout.write(USAGE);
      return EXIT.approved;
    }
    if (settings.taskFile !== undefined) {
      settings = { ...settings, task: await readTask(settings.taskFile, io.stdin, io.stderr) };
    }
  } catch (error) {
    if (!(error instanceof UsageError)) {
      io.stderr.write(`${describeError(error)}\n`);
      return EXIT.failed;
    }
    return printUsageError(error, "review", { stderr: io.stderr, env: io.env });
  }
  const status = new StatusLine(
    io.stderr,
    progressEnabled(io.stderr, io.env),
    createStyle(colorEnabled(io.stderr, io.env)),
  );
  // Loading LangChain and LangGraph is most of a run's start-up: say so on a terminal.
  status.show("Loading the agents…");
  const { runGraph } = await import("./run-graph.js");
  return runGraph(settings, io, status);
}
