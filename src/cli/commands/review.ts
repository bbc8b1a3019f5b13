/**
 * `sagemaker-openai-agents review "task"`: the coder/reviewer agents on a task,
 * offline against the local demo model unless an endpoint is configured. The
 * work happens in `agents/cli/`; this file connects it to the process
 * (streams, environment, Ctrl-C).
 */
import { runReview } from "../../../agents/cli/run-review.js";
import type { Command } from "../main.js";
import type { TerminalStream } from "../terminal.js";

/**
 * Gives `review` the process's stdout for its own output and sends whatever
 * else would be written there (a dependency's `console.log`) to stderr, so
 * stdout carries only what `review` prints: with `--json`, one JSON document.
 * Returns the stream to print to and a function that puts stdout back.
 */
function claimStdout(): { out: TerminalStream; release: () => void } {
  const stdout = process.stdout;
  const write = stdout.write;
  const out: TerminalStream = {
    write: (text: string) => write.call(stdout, text),
    isTTY: stdout.isTTY,
    columns: stdout.columns,
  };
  stdout.write = ((...args: Parameters<typeof write>) =>
    process.stderr.write(...(args as Parameters<typeof process.stderr.write>))) as typeof write;
  const release = (): void => {
    stdout.write = write;
  };
  return { out, release };
}

/** How long after a Ctrl-C the same signal counts as a repeat of it rather than a second Ctrl-C. */
const REPEATED_SIGNAL_MS = 1000;

const command: Command = {
  async run(argv: string[]): Promise<number> {
    const controller = new AbortController();
    let firstInterrupt: number | undefined;
    const onInterrupt = (): void => {
      const now = Date.now();
      // Under `npm start` one Ctrl-C arrives several times: from the terminal, then relayed by npm and
      // by tsx (which re-sends it when this process is slow to acknowledge). Repeats within a second
      // are that one Ctrl-C; exiting on them lost the resume hint.
      if (firstInterrupt !== undefined && now - firstInterrupt < REPEATED_SIGNAL_MS) return;
      // The first Ctrl-C stops the run cleanly (it stays resumable); a later one does not wait.
      if (firstInterrupt !== undefined) process.exit(130);
      firstInterrupt = now;
      controller.abort();
    };
    process.on("SIGINT", onInterrupt);
    process.on("SIGTERM", onInterrupt);
    const stdout = claimStdout();
    try {
      return await runReview(argv, {
        stdout: stdout.out,
        stderr: process.stderr,
        // A getter: touching process.stdin opens it, which only `review -` needs.
        get stdin() {
          return process.stdin;
        },
        env: process.env,
        signal: controller.signal,
      });
    } finally {
      stdout.release();
      process.off("SIGINT", onInterrupt);
      process.off("SIGTERM", onInterrupt);
    }
  },
};

export default command;
