/**
 * How to write a command the user can paste back into their shell: the CLI's
 * name as they can run it (the installed bin, `npx`, or this repository's npm
 * script) and each argument quoted for a POSIX shell when it needs it. Every
 * command a banner, a hint or an error suggests is built here, so it works as
 * printed.
 */

/** The name the package installs its command line under (`bin` in package.json). */
export const CLI_NAME = "sagemaker-openai-agents";

/**
 * The words that run this CLI the way it was started:
 * - through this repository's `npm start` / `npm run cli`: `npm run --silent cli --`
 *   (the bin is not on PATH in a clone; `--silent` keeps npm's banner off stdout);
 * - through `npx` / `npm exec`: `npx sagemaker-openai-agents`;
 * - otherwise the installed bin, `sagemaker-openai-agents`.
 */
export function commandPrefix(env: NodeJS.ProcessEnv = process.env): string {
  if (env.npm_package_name === CLI_NAME) {
    const script = env.npm_lifecycle_event;
    if (script === "start" || script === "cli") return "npm run --silent cli --";
  }
  if (env.npm_command === "exec") return `npx ${CLI_NAME}`;
  return CLI_NAME;
}

const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** `word` as a POSIX shell reads it back unchanged: as is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A command line to suggest: {@link commandPrefix} followed by `args`, each
 * quoted with {@link shellQuote}. Example: `suggestCommand(["review", "--resume", id])`.
 */
export function suggestCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string {
  return [commandPrefix(env), ...args.map(shellQuote)].join(" ");
}
