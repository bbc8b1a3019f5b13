/**
 * What every subcommand does with its arguments: parse them strictly, read
 * whole-number flags, and answer bad usage with a message that names the flag
 * as typed and what it accepts, a pointer to `--help`, and exit code 2 (a typo
 * is the user's to fix, so it gets no stack and no error code).
 */
import { type ParseArgsOptionDescriptor, parseArgs } from "node:util";
import { isValidResourceName } from "../addressing/names.js";
import { resolveRegion } from "../auth/region.js";
import { ValidationError } from "../errors.js";
import { suggestCommand } from "./invocation.js";

/** Bad command-line arguments: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

/** The exit code for bad usage. */
export const USAGE_EXIT_CODE = 2;

/** One flag: `node:util`'s descriptor plus, for a flag with a value, what it accepts. */
export type CommandLineOption = ParseArgsOptionDescriptor & {
  /** What the value is, for "needs a value" messages: `"a region name such as us-west-2"`. */
  accepts?: string;
};

type CommandLineOptions = Record<string, CommandLineOption>;

/** Which option name a typo is closest to (edit distance at most 2), if any. */
function closest(typed: string, names: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i += 1) {
      const next = [i];
      for (let j = 1; j <= b.length; j += 1) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
      }
      row = next;
    }
    return row[b.length] ?? Number.MAX_SAFE_INTEGER;
  };
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(typed, name);
    if (d <= 2 && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function needsValue(flag: string, option: CommandLineOption): string {
  return option.accepts === undefined
    ? `${flag} needs a value.`
    : `${flag} needs a value: ${option.accepts}.`;
}

/**
 * Checks `args` token by token before `parseArgs` types them, so each mistake
 * gets a message naming the flag as the user typed it (`-q`, `--json=1`).
 */
function checkTokens(args: string[], options: CommandLineOptions, allowPositionals: boolean): void {
  const { tokens } = parseArgs({
    args,
    options: stripAccepts(options),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (!allowPositionals) {
        throw new UsageError(
          `Unexpected argument ${JSON.stringify(token.value)}: this command takes options only.`,
        );
      }
      continue;
    }
    if (token.kind !== "option") continue;
    const option = options[token.name];
    const flag = token.rawName;
    if (option === undefined) {
      const near = flag.startsWith("--")
        ? closest(
            flag,
            Object.keys(options).map((name) => `--${name}`),
          )
        : undefined;
      throw new UsageError(
        `Unknown option ${flag}.${near === undefined ? "" : ` Did you mean ${near}?`}`,
      );
    }
    if (option.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${flag} takes no value; got ${flag}=${token.value}.`);
    }
    if (option.type === "string") {
      if (token.value === undefined) throw new UsageError(needsValue(flag, option));
      // `--region --json`: the next word is an option, not a value ("-" alone is a value: stdin).
      if (token.inlineValue === false && token.value.startsWith("-") && token.value !== "-") {
        throw new UsageError(
          `${needsValue(flag, option)} It is followed by the option ${token.value} ` +
            `(for a value that starts with "-", write ${flag}=${token.value}).`,
        );
      }
    }
  }
}

function stripAccepts(options: CommandLineOptions): Record<string, ParseArgsOptionDescriptor> {
  const plain: Record<string, ParseArgsOptionDescriptor> = {};
  for (const [name, { accepts: _accepts, ...descriptor }] of Object.entries(options)) {
    plain[name] = descriptor;
  }
  return plain;
}

/**
 * `parseArgs` from `node:util` in strict mode (an unknown flag is an error),
 * with every mistake (unknown flag, missing or unexpected value, unexpected
 * positional) turned into a {@link UsageError} that names the flag as typed.
 */
export function parseCommandLine<O extends CommandLineOptions, P extends boolean = false>(
  args: string[],
  options: O,
  allowPositionals?: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>> {
  checkTokens(args, options, allowPositionals === true);
  return parseArgs({
    args,
    options: stripAccepts(options) as O,
    strict: true,
    allowPositionals: (allowPositionals ?? false) as P,
  });
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

/**
 * Runs a library check on a flag's value and turns its {@link ValidationError}
 * (a malformed region, name or URL) into a {@link UsageError}. The check must
 * name the flag itself (the library's checks take the name to use).
 */
export function checkFlag<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The `--region` flag's value, checked as an AWS region name (a malformed one
 * is a {@link UsageError} naming `--region`); undefined without the flag, for
 * the command to resolve from the environment and profile when it needs one.
 */
export function regionFlag(value: string | undefined): string | undefined {
  return value === undefined
    ? undefined
    : checkFlag(() => resolveRegion(value, process.env, "--region"));
}

/**
 * The region without `--region`: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
 * profile's. @throws `REGION_UNRESOLVED` (naming `--region`) when none is set.
 */
export function regionFromEnvironment(): string {
  return resolveRegion(undefined, process.env, "--region");
}

/**
 * What is wrong with a SageMaker resource name, named after where it came from
 * (`--endpoint`, `SAGEMAKER_ENDPOINT_NAME`), or undefined when it is valid.
 * @param kind - `"endpoint"`, `"inference component"`, `"model"`, ...
 */
export function nameProblem(value: string, source: string, kind: string): string | undefined {
  // Read before the type guard, which narrows `value` to never in the failing branch.
  const shown = JSON.stringify(value.slice(0, 80));
  if (isValidResourceName(value)) return undefined;
  return (
    `${source} ${shown} is not a SageMaker ${kind} name: ` +
    "1-63 letters, digits and hyphens, starting and ending with a letter or digit."
  );
}

/** Where a usage error is written. */
export interface UsageErrorOutput {
  /** Default `process.stderr`. */
  stderr?: { write(text: string): unknown };
  /** Decides how the `--help` pointer spells the command (see `commandPrefix`). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Writes `error`'s message and, on the next line, a pointer to
 * `sagemaker-openai-agents <command> --help`; returns {@link USAGE_EXIT_CODE}.
 */
export function printUsageError(
  error: UsageError,
  command: string,
  output: UsageErrorOutput = {},
): number {
  const stderr = output.stderr ?? process.stderr;
  const help = suggestCommand([...(command === "" ? [] : [command]), "--help"], output.env);
  stderr.write(`${error.message}\nSee: ${help}\n`);
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
