/**
 * What every subcommand does with its arguments: parse them strictly, read
 * whole-number flags, and answer bad usage with a short message and exit code 2
 * (a typo is the user's to fix, so it gets no stack and no error code).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Bad command-line arguments: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

/** The exit code for bad usage. */
export const USAGE_EXIT_CODE = 2;

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/**
 * `parseArgs` from `node:util` in strict mode (an unknown flag is an error),
 * with its errors (unknown flag, missing value, unexpected positional) turned
 * into {@link UsageError}s.
 */
export function parseCommandLine<O extends OptionsConfig, P extends boolean = false>(
  args: string[],
  options: O,
  allowPositionals?: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>> {
  try {
    return parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: (allowPositionals ?? false) as P,
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

/**
 * Reads an optional whole-number flag (`--instance-count 2`).
 * @param range - smallest allowed value (default 1) and, if any, the largest.
 * @throws {@link UsageError} when the value is not a whole number in range.
 */
export function wholeNumberOption(
  value: string | undefined,
  flag: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = range;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    const wanted = range.max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} takes a whole number ${wanted}; got ${JSON.stringify(value)}.`);
  }
  return n;
}

/** Where a usage error is written. */
export interface UsageErrorOutput {
  /** Default `process.stderr`. */
  stderr?: { write(text: string): unknown };
  /** The command's full usage text, printed after the message instead of the pointer to `--help`. */
  usage?: string;
}

/**
 * Writes `error`'s message and, on the next line, a pointer to
 * `sagemaker-openai-agents <command> --help` (or the full usage text); returns
 * {@link USAGE_EXIT_CODE}.
 */
export function printUsageError(
  error: UsageError,
  command: string,
  output: UsageErrorOutput = {},
): number {
  const stderr = output.stderr ?? process.stderr;
  const after =
    output.usage === undefined
      ? `See: sagemaker-openai-agents ${command} --help\n`
      : `\n${output.usage}`;
  stderr.write(`${error.message}\n${after}`);
  return USAGE_EXIT_CODE;
}

/**
 * For a subcommand's `catch`: prints a {@link UsageError} and returns exit
 * code 2; rethrows anything else so the dispatcher reports it with its code.
 */
export function usageErrorExit(
  error: unknown,
  command: string,
  output: UsageErrorOutput = {},
): number {
  if (!(error instanceof UsageError)) throw error;
  return printUsageError(error, command, output);
}
