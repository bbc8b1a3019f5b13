#!/usr/bin/env node
/**
 * The `sagemaker-openai-agents` command line. Each subcommand lives in its own
 * module under `commands/` and is imported only when it runs, so `token` does
 * not pay for loading LangChain.
 */
import { SageMakerOpenAIError } from "../errors.js";

/** A subcommand: parses its own arguments and returns the process exit code. */
export interface Command {
  /** One line for `--help`. */
  summary: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  // Each line: name -> lazy import of ./commands/<name>.js (its default export is a Command).
  deploy: async () => (await import("./commands/deploy.js")).default,
  cleanup: async () => (await import("./commands/cleanup.js")).default,
  review: async () => (await import("./commands/review.js")).default,
  token: async () => (await import("./commands/token.js")).default,
  local: async () => (await import("./commands/local.js")).default,
};

function usage(): string {
  const lines = Object.keys(commands).map((name) => `  ${name}`);
  return ["Usage: sagemaker-openai-agents <command> [options]", "", "Commands:", ...lines].join(
    "\n",
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  const load = commands[name];
  if (load === undefined) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}\n`);
    return 2;
  }
  const command = await load();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Package errors carry a message that says what to fix; anything else is a bug worth its stack.
    if (error instanceof SageMakerOpenAIError) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
    } else {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = 1;
  },
);
