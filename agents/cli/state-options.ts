/**
 * The `review` flags about saved runs, checked before anything is opened:
 * `--state` (a file path or a `postgresql://` URL), `--thread ID` (a new
 * run's id), `--resume ID`, `--list`. A URL is never echoed back: it may hold
 * a password.
 */
import { UsageError } from "../../src/cli/args.js";
import { isPostgresUrl } from "../checkpoint/postgres.js";

/** What a thread id may be: what `--thread` accepts and `--resume` finds. */
const THREAD_ID = /^[\w.-]{1,128}$/;

/** The saved-run flags as typed (after trimming). */
export interface RunFlags {
  state: string;
  thread: string | undefined;
  resume: string | undefined;
  list: boolean;
  /** Whether a task was given (argument, `-` or `--task-file`). */
  taskGiven: boolean;
  quiet: boolean;
}

/**
 * Checks `--state`: a path, or a PostgreSQL URL that parses. Another URL
 * scheme would otherwise become a file named like the URL.
 * @throws {@link UsageError}
 */
export function checkStateLocation(state: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(state)?.[1];
  if (scheme === undefined) return;
  if (!isPostgresUrl(state)) {
    throw new UsageError(
      `--state takes a file path or a postgresql:// URL; a ${scheme}:// URL is not supported.`,
    );
  }
  try {
    new URL(state);
  } catch {
    throw new UsageError(
      "--state: the postgresql:// URL does not parse (not shown here: it may hold a password). " +
        "Percent-encode special characters in the user name and password.",
    );
  }
}

/**
 * Checks how `--thread`, `--resume` and `--list` combine with each other and with a task.
 * @throws {@link UsageError}
 */
export function checkRunFlags(flags: RunFlags): void {
  checkStateLocation(flags.state);
  if (flags.list) {
    if (flags.taskGiven || flags.resume !== undefined || flags.thread !== undefined) {
      throw new UsageError("--list lists the saved runs; give it no task, --resume or --thread.");
    }
    if (flags.quiet)
      throw new UsageError("--list prints a table, or JSON with --json; not --quiet.");
    return;
  }
  if (flags.thread !== undefined) {
    if (flags.resume !== undefined) {
      throw new UsageError(
        "--thread names a new run; to continue a saved one, pass its id to --resume alone.",
      );
    }
    if (!THREAD_ID.test(flags.thread)) {
      throw new UsageError(
        "--thread takes an id of 1-128 letters, digits, dots, underscores or hyphens.",
      );
    }
  }
  if (flags.resume !== undefined && !THREAD_ID.test(flags.resume)) {
    throw new UsageError("--resume takes a thread id as printed by an earlier run.");
  }
}
