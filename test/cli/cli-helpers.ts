/**
 * Running the built command line (`dist/src/cli/main.js`, what `bin` installs)
 * as a user does: a child process with a clean environment, optionally with
 * its stderr on a real terminal (a pseudo-terminal from Python's `pty`), and
 * running the commands it suggests exactly as printed, through `sh -c` with
 * `sagemaker-openai-agents` on PATH.
 *
 * `npm test` builds first (`pretest`); alone, run `npx tsc -p tsconfig.build.json`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { onTestFinished } from "vitest";
import { type CliResult, finished } from "./review-helpers.js";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../..");

/** The built CLI entry, as package.json's `bin` names it. */
export const BUILT_CLI = join(ROOT, "dist/src/cli/main.js");

function requireBuild(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: run \`npx tsc -p tsconfig.build.json\` first.`);
  }
}

/** How to run the CLI. */
export interface RunOptions {
  env: Record<string, string>;
  /** Written to the child's stdin, which is then closed (default: no stdin at all). */
  input?: string;
  /** Put the child's stderr on a pseudo-terminal (stdout stays a pipe). */
  stderrTty?: boolean;
  /** Extra `node` flags before the script, e.g. `["--import", hook]`. */
  nodeArgs?: string[];
}

// Runs argv[1:] with stderr on a pseudo-terminal and stdout on a pipe, then prints what
// each stream received on its own stream and exits with the child's status.
const PTY_RUNNER = `
import fcntl, os, pty, select, struct, subprocess, sys, termios
master, slave = pty.openpty()
# 40 rows, 200 columns: wide enough that a status line is not cut.
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
got = {child.stdout.fileno(): [], master: []}
open_fds = set(got)
while open_fds:
    ready, _, _ = select.select(list(open_fds), [], [])
    for fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if data:
            got[fd].append(data)
        else:
            open_fds.discard(fd)
status = child.wait()
sys.stdout.buffer.write(b"".join(got[child.stdout.fileno()]))
sys.stderr.buffer.write(b"".join(got[master]))
sys.exit(status if status >= 0 else 128 - status)
`;

/** Starts the built CLI with `args`. */
export function spawnCli(args: string[], options: RunOptions): ChildProcess {
  requireBuild();
  const command = [process.execPath, ...(options.nodeArgs ?? []), BUILT_CLI, ...args];
  const [file, argv] =
    options.stderrTty === true
      ? ["python3", ["-c", PTY_RUNNER, ...command]]
      : [command[0] ?? process.execPath, command.slice(1)];
  const child = spawn(file, argv, {
    env: options.env,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) {
    // A CLI may stop reading early (a task over the limit): that is its answer, not an error here.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input);
  }
  return child;
}

/** Runs the built CLI with `args` to the end. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return finished(spawnCli(args, options));
}

/**
 * A directory holding an executable `sagemaker-openai-agents` that runs the
 * built CLI, as `npm install -g` would put one on PATH; removed after the test.
 */
export function binDirForTest(): string {
  requireBuild();
  const dir = mkdtempSync(join(tmpdir(), "cli-bin-"));
  const bin = join(dir, "sagemaker-openai-agents");
  writeFileSync(bin, `#!/bin/sh\nexec '${process.execPath}' '${BUILT_CLI}' "$@"\n`);
  chmodSync(bin, 0o755);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `commandLine`, a command the CLI printed, exactly as printed: through
 * `sh -c`, with {@link binDirForTest}'s bin first on PATH.
 */
export function runSuggestion(
  commandLine: string,
  env: Record<string, string>,
  binDir: string,
  cwd?: string,
): Promise<CliResult> {
  return finished(
    spawn("sh", ["-c", commandLine], {
      ...(cwd === undefined ? {} : { cwd }),
      env: { ...env, PATH: `${binDir}:${env.PATH ?? ""}` },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** The first line of `text` that starts (after spaces) with `sagemaker-openai-agents `, trimmed. */
export function suggestedCommand(text: string, after?: RegExp): string {
  const from = after === undefined ? text : text.slice(text.search(after));
  const match = /(?:^|\s)(sagemaker-openai-agents [^\n]+)/.exec(from);
  if (match?.[1] === undefined) throw new Error(`no suggested command in:\n${text}`);
  return match[1].trim();
}
