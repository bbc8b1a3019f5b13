/**
 * Where `review` gets its task: the one argument, standard input (`review -`,
 * for a task longer than a shell line or piped from another program), or a
 * file (`--task-file PATH`). Every source goes through the same check: not
 * empty, at most {@link MAX_TASK_CHARS} characters.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../../src/cli/args.js";
import type { TextSink } from "../../src/cli/terminal.js";
import { MAX_TASK_CHARS } from "../coder-reviewer/constants.js";

/** `--task-file` / the task argument value that means standard input. */
export const STDIN = "-";

/**
 * `text` trimmed, if it is a task `review` accepts.
 * @param from - where it came from, for the message: `"stdin"`, `"--task-file notes.txt"`;
 *   undefined for the command-line argument.
 * @throws {@link UsageError} for an empty task or one over {@link MAX_TASK_CHARS} characters.
 */
export function checkTask(text: string, from?: string): string {
  const task = text.trim();
  const what = from === undefined ? "The task" : `The task from ${from}`;
  if (task === "") {
    throw new UsageError(
      from === undefined
        ? 'Say what to build: review "Write a function that ...", review - (stdin) or --task-file FILE.'
        : `${what} is empty.`,
    );
  }
  if (task.length > MAX_TASK_CHARS) {
    throw new UsageError(
      `${what} is ${task.length.toLocaleString("en-US")} characters long; ` +
        `the limit is ${MAX_TASK_CHARS.toLocaleString("en-US")}.`,
    );
  }
  return task;
}

/** Standard input as `review` reads it. */
export type TaskStdin = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * Reads the task from `file` (`-`: `stdin`) and checks it. Reading stops one
 * character past the limit's worth of bytes, so a huge pipe is refused without
 * being held in memory.
 * @throws {@link UsageError} when the file cannot be read, or the task is empty or too long.
 */
export async function readTask(
  file: string,
  stdin: TaskStdin | undefined,
  stderr: TextSink,
): Promise<string> {
  if (file !== STDIN) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError(`--task-file cannot read ${JSON.stringify(file)} (${reason}).`);
    }
    return checkTask(text, `--task-file ${file}`);
  }
  if (stdin === undefined)
    throw new UsageError("There is no standard input to read the task from.");
  if (stdin.isTTY === true) {
    stderr.write(
      "Reading the task from the terminal: type it, then Ctrl-D on a line of its own.\n",
    );
  }
  // UTF-8 takes at most 4 bytes a character (and the limit counts UTF-16 units, fewer or equal).
  const maxBytes = MAX_TASK_CHARS * 4 + 4;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    bytes += buffer.length;
    if (bytes > maxBytes) {
      throw new UsageError(
        `The task from stdin is longer than the limit of ${MAX_TASK_CHARS.toLocaleString("en-US")} characters.`,
      );
    }
  }
  return checkTask(Buffer.concat(chunks).toString("utf8"), "stdin");
}
