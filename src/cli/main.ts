#!/usr/bin/env node
/**
 * The `sagemaker-openai-agents` command line. Each subcommand lives in its own
 * module under `commands/` and is imported only when it runs, so `--help`,
 * `--version` and `token` do not pay for loading LangChain.
 */
import * as nodeModule from "node:module";
import { SageMakerOpenAIError } from "../errors.js";
import { USAGE_EXIT_CODE, UsageError, usageErrorExit } from "./args.js";
import { CLI_NAME, commandPrefix } from "./invocation.js";

// Node keeps the compiled code of the modules it loads (in the OS temp directory; set
// NODE_DISABLE_COMPILE_CACHE=1 to turn it off), which cuts `review`'s start-up by a tenth.
// (`?.`: Node 22.0 has no compile cache.)
nodeModule.enableCompileCache?.();

/** A subcommand: parses its own arguments and returns the process exit code. */
export interface Command {
  run(argv: string[]): Promise<number>;
  /**
   * Exit as soon as `run` settles instead of waiting for the event loop to drain
   * (for work that may leave something running, such as a credential process).
   */
  endsProcess?: boolean;
}

/** A subcommand as `--help` lists it: one line, and how to load it. */
interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

// The order of `--help`: the offline demo first, then the token, the local endpoint, deployment.
const commands: Record<string, CommandEntry> = {
  review: {
    summary: "Run the coder/reviewer agents on a task (offline against a demo model by default)",
    load: async () => (await import("./commands/review.js")).default,
  },
  token: {
    summary: "Mint a bearer token from your AWS credentials and print what it holds",
    load: async () => (await import("./commands/token.js")).default,
  },
  local: {
    summary: "Run a local SageMaker OpenAI endpoint (demo or proxy models) until stopped",
    load: async () => (await import("./commands/local.js")).default,
  },
  deploy: {
    summary: "Deploy a vLLM endpoint or inference components on SageMaker",
    load: async () => (await import("./commands/deploy.js")).default,
  },
  cleanup: {
    summary: "Delete what a deploy created, from its record file or by name",
    load: async () => (await import("./commands/cleanup.js")).default,
  },
};

function help(env: NodeJS.ProcessEnv): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, entry]) => `  ${name.padEnd(width)}   ${entry.summary}`,
  );
  return [
    `Usage: ${CLI_NAME} <command> [options]`,
    "",
    "SageMaker AI endpoints through their OpenAI-compatible path: bearer tokens, agents,",
    "a local endpoint for offline work, deployment.",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help      show this help",
    "  -V, --version   print the version",
    "",
    `Run '${commandPrefix(env)} <command> --help' for a command's options.`,
    "",
  ].join("\n");
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // Nothing asked: the help, but on stderr and as a failure, so a script that forgot
    // its command does not carry on as if it had run.
    process.stderr.write(help(env));
    return USAGE_EXIT_CODE;
  }
  if (name === "--help" || name === "-h") {
    process.stdout.write(help(env));
    return 0;
  }
  if (name === "--version" || name === "-V") {
    const { packageVersion } = await import("./version.js");
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  // `help review` is `review --help`, as in git, gh and npm.
  if (name === "help") {
    const [topic, ...more] = rest;
    return main(topic === undefined ? ["--help"] : [topic, "--help", ...more], env);
  }
  const entry = commands[name];
  if (entry === undefined) {
    const what = name.startsWith("-") ? `Unknown option ${name}` : `Unknown command "${name}"`;
    const names = Object.keys(commands).join(", ");
    return usageErrorExit(new UsageError(`${what}. The commands are ${names}.`), "");
  }
  const command = await entry.load();
  endsProcess = command.endsProcess === true;
  return command.run(rest);
}

let endsProcess = false;

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
    if (endsProcess) process.exit();
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
    if (endsProcess) process.exit();
  },
);
