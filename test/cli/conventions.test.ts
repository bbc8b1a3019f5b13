/**
 * The built command line's conventions, run as a user runs it: `--version`,
 * `--help` with a line per command, help on stderr and exit 2 without a
 * command, and every usage mistake answered with exit 2, the flag as typed,
 * what it accepts, and a `--help` pointer that itself works as printed.
 * Library errors reach the user in the CLI's terms (flags, not option names).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binDirForTest, ROOT, runCli, runSuggestion, suggestedCommand } from "./cli-helpers.js";
import { cliEnv, REVIEW_TASK, tempHomeForTest } from "./review-helpers.js";

const VERSION = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
).version;
const COMMANDS = ["review", "token", "local", "deploy", "cleanup"];
/** Names of option-object fields a CLI user must never see instead of a flag. */
const OPTION_NAMES =
  /allowInsecureHttp|expiresIn|tokenExpiresIn|allowNonLoopback|endpointName|baseURL/;

function env(): Record<string, string> {
  return cliEnv(tempHomeForTest());
}

/** Asserts a usage error: exit 2, nothing on stdout, the message, then the pointer to `--help`. */
async function expectUsageError(
  args: string[],
  message: RegExp,
  helpFor = args[0] ?? "",
): Promise<string> {
  const run = await runCli(args, { env: env() });
  expect(run.code, `${args.join(" ")}\n${run.stderr}`).toBe(2);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[0]).not.toMatch(OPTION_NAMES);
  expect(lines[1]).toBe(
    `See: sagemaker-openai-agents ${helpFor === "" ? "" : `${helpFor} `}--help`,
  );
  return run.stderr;
}

describe("the command line's conventions", { timeout: 60_000 }, () => {
  it("prints the package version for --version and -V", async () => {
    for (const flag of ["--version", "-V"]) {
      const run = await runCli([flag], { env: env() });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${VERSION}\n`);
      expect(run.stderr).toBe("");
    }
  });

  it("--help lists every command with a description and points to <command> --help", async () => {
    const run = await runCli(["--help"], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    for (const name of COMMANDS) {
      expect(run.stdout).toMatch(new RegExp(`^  ${name} +[A-Z][a-z]+ .{20,}$`, "m"));
    }
    expect(run.stdout).toContain("-V, --version");
    expect(run.stdout).toContain("Run 'sagemaker-openai-agents <command> --help'");
  });

  it("without a command prints the help on stderr and exits 2", async () => {
    const help = await runCli(["--help"], { env: env() });
    const none = await runCli([], { env: env() });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toBe(help.stdout);
  });

  it("answers `help <command>` and `<command> --help` with that command's usage", async () => {
    for (const name of COMMANDS) {
      const [help, flag] = await Promise.all([
        runCli(["help", name], { env: env() }),
        runCli([name, "--help"], { env: env() }),
      ]);
      expect(flag.code, name).toBe(0);
      expect(flag.stdout).toMatch(new RegExp(`^Usage: sagemaker-openai-agents ${name}`));
      expect(help).toEqual(flag);
    }
  });

  it("refuses an unknown command or option, and its --help pointer works as printed", async () => {
    const stderr = await expectUsageError(
      ["bogus"],
      /^Unknown command "bogus"\. The commands are review, token/,
      "",
    );
    await expectUsageError(["--bogus"], /^Unknown option --bogus\./, "");
    const pointer = await runSuggestion(suggestedCommand(stderr), env(), binDirForTest());
    expect(pointer.code).toBe(0);
    expect(pointer.stdout).toContain("Commands:");
  });

  it("names the flag as typed, with a near miss suggested, for every command", async () => {
    for (const name of COMMANDS) {
      const stderr = await expectUsageError(
        [name, "--bogus-flag"],
        /^Unknown option --bogus-flag\.$/,
      );
      const pointer = await runSuggestion(suggestedCommand(stderr), env(), binDirForTest());
      expect(pointer.code, name).toBe(0);
      expect(pointer.stdout).toContain(`Usage: sagemaker-openai-agents ${name}`);
    }
    await expectUsageError(
      ["token", "--regoin", "us-west-2"],
      /^Unknown option --regoin\. Did you mean --region\?$/,
    );
    await expectUsageError(["review", "-x"], /^Unknown option -x\.$/);
  });

  it("says what a flag accepts when its value is missing, is an option, or is given to a switch", async () => {
    await expectUsageError(
      ["token", "--region"],
      /^--region needs a value: an AWS region name such as us-west-2\.$/,
    );
    await expectUsageError(
      ["token", "--region", "--show-token"],
      /^--region needs a value: .* followed by the option --show-token \(for a value that starts with "-", write --region=--show-token\)\.$/,
    );
    await expectUsageError(
      ["local", "--port"],
      /^--port needs a value: a port number from 0 to 65535\.$/,
    );
    await expectUsageError(
      ["review", REVIEW_TASK, "--json=yes"],
      /^--json takes no value; got --json=yes\.$/,
    );
  });

  it("refuses out-of-range and malformed values with exit 2, whatever the value", async () => {
    for (const value of ["0", "43201", "abc", "-5", "1.5"]) {
      await expectUsageError(
        ["token", `--expires-in=${value}`],
        new RegExp(
          `^--expires-in takes a whole number from 1 to 43200; got "${value.replace(".", "\\.")}"\\.$`,
        ),
      );
    }
    for (const value of ["99999", "abc"]) {
      await expectUsageError(
        ["local", "--port", value],
        /^--port takes a whole number from 0 to 65535; got "/,
      );
    }
    await expectUsageError(
      ["review", REVIEW_TASK, "--max-rounds", "0"],
      /^--max-rounds takes a whole number from 1 to 20; got "0"\.$/,
    );
    await expectUsageError(
      ["token", "--region", "us-west-2.evil.com"],
      /^Invalid AWS region "us-west-2\.evil\.com" from the --region option: /,
    );
    await expectUsageError(
      ["local", "--region", "moon-1"],
      /^Invalid AWS region "moon-1" from the --region option: /,
    );
    await expectUsageError(
      ["review", REVIEW_TASK, "--endpoint", "bad_name"],
      /^--endpoint "bad_name" is not a SageMaker endpoint name: 1-63 letters, digits and hyphens/,
    );
    await expectUsageError(
      ["cleanup", "--endpoint", "a/b"],
      /^--endpoint "a\/b" is not a SageMaker endpoint name/,
    );
    await expectUsageError(
      [
        "deploy",
        "--role-arn",
        "arn:aws:iam::123456789012:role/R",
        "--region",
        "evil.com/",
        "--dry-run",
      ],
      /^Invalid AWS region "evil\.com\/" from the --region option/,
    );
  });

  it("refuses extra arguments, and a task split over several arguments with the quoted form", async () => {
    await expectUsageError(
      ["token", "extra"],
      /^Unexpected argument "extra": this command takes options only\.$/,
    );
    await expectUsageError(["local", "extra"], /^Unexpected argument "extra"/);
    const stderr = await expectUsageError(
      ["review", "Write", "a function"],
      /^review takes the task as one argument; got 2\. Quote it: sagemaker-openai-agents review 'Write a function'$/,
    );
    const quoted = suggestedCommand(stderr);
    expect(quoted).toBe("sagemaker-openai-agents review 'Write a function'");
    // Run exactly as printed, it reviews that one task.
    const home = tempHomeForTest();
    const ran = await runSuggestion(quoted, cliEnv(home), binDirForTest());
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain("Result: Approved in round 2.");
    const listed = await runCli(["review", "--list", "--json"], { env: cliEnv(home) });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ task: "Write a function" }]);
  });

  it("names --base-url and the --allow-insecure-http flag that exists, never allowInsecureHttp", async () => {
    await expectUsageError(
      ["review", REVIEW_TASK, "--base-url", "http://example.com"],
      /^--base-url uses plain http to example\.com, which would send the bearer token in clear text: use https, a loopback host, or pass --allow-insecure-http\.$/,
    );
    await expectUsageError(
      ["review", REVIEW_TASK, "--base-url", "not a url"],
      /^--base-url is not an absolute URL\.$/,
    );
    await expectUsageError(
      ["review", REVIEW_TASK, "--allow-insecure-http"],
      /^--allow-insecure-http applies to --base-url/,
    );
  });

  it("names --allow-non-loopback for a --host beyond this machine", async () => {
    await expectUsageError(
      ["local", "--host", "0.0.0.0"],
      /^--host 0\.0\.0\.0 is not this machine: .* Add --allow-non-loopback if you mean it\.$/,
    );
  });

  it("says which flag to pass when no region is configured", async () => {
    const home = tempHomeForTest();
    const run = await runCli(["token"], { env: cliEnv(home) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error \[REGION_UNRESOLVED\]: No AWS region configured: pass --region, set AWS_REGION/,
    );
    expect(run.stderr).not.toMatch(OPTION_NAMES);
  });
});
