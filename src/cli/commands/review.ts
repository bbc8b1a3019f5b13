/**
 * `sagemaker-openai-agents review "task"`: the coder/reviewer agents on a task,
 * offline against the local demo model unless an endpoint is configured. The
 * work happens in `agents/cli/`; this file connects it to the process
 * (streams, environment, Ctrl-C).
 */
import { runReview } from "../../../agents/cli/run-review.js";
import type { Command } from "../main.js";

const command: Command = {
  summary: 'run the coder/reviewer agents on a task: review "Write a function that ..."',
  async run(argv: string[]): Promise<number> {
    const controller = new AbortController();
    let interrupts = 0;
    const onInterrupt = (): void => {
      interrupts += 1;
      // The first Ctrl-C stops the run cleanly (it stays resumable); a second one does not wait.
      if (interrupts > 1) process.exit(130);
      controller.abort();
    };
    process.on("SIGINT", onInterrupt);
    process.on("SIGTERM", onInterrupt);
    try {
      return await runReview(argv, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        signal: controller.signal,
      });
    } finally {
      process.off("SIGINT", onInterrupt);
      process.off("SIGTERM", onInterrupt);
    }
  },
};

export default command;
