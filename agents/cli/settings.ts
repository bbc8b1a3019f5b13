/**
 * The `review` command's settings: flags first, then the environment, then the
 * defaults. No endpoint configured means the offline demo; an endpoint name
 * (flag or `SAGEMAKER_ENDPOINT_NAME`) or `--base-url` means a real endpoint.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { assertSafeBaseURL } from "../../src/addressing/safe-url.js";
import { resolveRegion } from "../../src/auth/region.js";
import {
  checkFlag,
  nameProblem,
  parseCommandLine,
  UsageError,
  wholeNumberOption,
} from "../../src/cli/args.js";
import { suggestCommand } from "../../src/cli/invocation.js";
import { ValidationError } from "../../src/errors.js";
import {
  DEFAULT_MAX_ROUNDS,
  DEMO_CODER_COMPONENT,
  DEMO_ENDPOINT,
  DEMO_REVIEWER_COMPONENT,
} from "../coder-reviewer/constants.js";
import { checkRunFlags } from "./state-options.js";
import { checkTask, STDIN } from "./task-input.js";

export { UsageError };

/** Where the models are. */
export type ReviewTarget =
  | { kind: "demo" }
  | {
      kind: "endpoint";
      region: string;
      endpointName: string;
      coderComponent?: string;
      reviewerComponent?: string;
      /** Set with `--base-url`: a local endpoint, proxy or VPC endpoint instead of SageMaker's runtime host. */
      baseURL?: string;
    };

/** What the output looks like. */
export type OutputMode = "human" | "json" | "quiet";

/** Everything `review` runs with. */
export interface ReviewSettings {
  help: boolean;
  /** The task given as the argument, unless resuming or reading it from {@link taskFile}. */
  task: string | undefined;
  /** Where to read the task from (`--task-file PATH`, or `-` for stdin: `review -`). */
  taskFile: string | undefined;
  /** `--allow-insecure-http`: `--base-url` may be plain http to a host other than this machine. */
  allowInsecureHttp: boolean;
  /** The thread to resume. */
  resume: string | undefined;
  /** `--thread ID`: the id a new run is saved under (a new UUID when not given). */
  thread: string | undefined;
  /** `--list`: list the saved runs instead of running. */
  list: boolean;
  target: ReviewTarget;
  maxRounds: number;
  maxRetries: number | undefined;
  /** Where the runs are saved: an SQLite file, or a `postgresql://` URL (may hold a password: never print it). */
  statePath: string;
  output: OutputMode;
}

/** The checkpoint file when `--state` is not given: under `XDG_DATA_HOME`, else `~/.local/share`. */
export function defaultStatePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(base, "sagemaker-openai-agents", "state.sqlite");
}

function parse(argv: string[]) {
  return parseCommandLine(
    argv,
    {
      region: { type: "string", accepts: "an AWS region name such as us-west-2" },
      endpoint: { type: "string", accepts: "a SageMaker endpoint name" },
      "coder-component": { type: "string", accepts: "an inference component name" },
      "reviewer-component": { type: "string", accepts: "an inference component name" },
      "base-url": { type: "string", accepts: "a URL such as https://vpce.example.com" },
      "allow-insecure-http": { type: "boolean" },
      "task-file": { type: "string", accepts: 'a file holding the task ("-": standard input)' },
      "max-rounds": { type: "string", accepts: "a whole number from 1 to 20" },
      "max-retries": { type: "string", accepts: "a whole number from 0 to 10" },
      state: { type: "string", accepts: "a file or a postgresql:// URL for the saved runs" },
      resume: { type: "string", accepts: "a thread id an earlier run printed" },
      thread: { type: "string", accepts: "an id for the new run (letters, digits, . _ -)" },
      list: { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The flags that say where the models are (all optional). */
export interface TargetFlags {
  region?: string | undefined;
  endpoint?: string | undefined;
  "coder-component"?: string | undefined;
  "reviewer-component"?: string | undefined;
  "base-url"?: string | undefined;
  "allow-insecure-http"?: boolean | undefined;
}

/**
 * A SageMaker name from its flag, else its environment variable, checked against
 * SageMaker's naming rule and, when wrong, reported under the name the user gave it.
 * @throws {@link UsageError} for a bad flag value; `INVALID_ENDPOINT_NAME` /
 *   `INVALID_INFERENCE_COMPONENT_NAME` for a bad environment value.
 */
function nameSetting(
  flagValue: string | undefined,
  flag: string,
  env: NodeJS.ProcessEnv,
  variable: string,
  kind: "endpoint" | "inference component",
): string | undefined {
  const fromFlag = nonEmpty(flagValue);
  const value = fromFlag ?? nonEmpty(env[variable]);
  const message =
    value === undefined
      ? undefined
      : nameProblem(value, fromFlag === undefined ? variable : flag, kind);
  if (message === undefined) return value;
  if (fromFlag !== undefined) throw new UsageError(message);
  const code = kind === "endpoint" ? "INVALID_ENDPOINT_NAME" : "INVALID_INFERENCE_COMPONENT_NAME";
  throw new ValidationError(code, message);
}

/**
 * Where the models are, from `flags` over `env` (`AWS_REGION`, `SAGEMAKER_ENDPOINT_NAME`,
 * `SAGEMAKER_CODER_COMPONENT`, `SAGEMAKER_REVIEWER_COMPONENT`): the demo when no
 * endpoint and no base URL is given.
 * @throws {@link UsageError} for components or a region without an endpoint.
 */
export function readTarget(values: TargetFlags, env: NodeJS.ProcessEnv): ReviewTarget {
  const baseURL = nonEmpty(values["base-url"]);
  if (baseURL !== undefined) {
    checkFlag(() =>
      assertSafeBaseURL(baseURL, {
        option: "--base-url",
        allowInsecureHttp: values["allow-insecure-http"] === true,
        insecureOptIn: "--allow-insecure-http",
      }),
    );
  }
  const endpointName = nameSetting(
    values.endpoint,
    "--endpoint",
    env,
    "SAGEMAKER_ENDPOINT_NAME",
    "endpoint",
  );
  const coder = nameSetting(
    values["coder-component"],
    "--coder-component",
    env,
    "SAGEMAKER_CODER_COMPONENT",
    "inference component",
  );
  const reviewer = nameSetting(
    values["reviewer-component"],
    "--reviewer-component",
    env,
    "SAGEMAKER_REVIEWER_COMPONENT",
    "inference component",
  );
  if (endpointName === undefined && baseURL === undefined) {
    if (coder !== undefined || reviewer !== undefined || values.region !== undefined) {
      throw new UsageError(
        "Inference components and --region need an endpoint: pass --endpoint NAME or set SAGEMAKER_ENDPOINT_NAME " +
          "(or --base-url URL for a local endpoint or proxy).",
      );
    }
    return { kind: "demo" } as const;
  }
  // Against a local endpoint or proxy with no names given, assume the demo's layout.
  const defaults = endpointName === undefined;
  const flagRegion = nonEmpty(values.region);
  const region =
    baseURL !== undefined && flagRegion === undefined && !env.AWS_REGION && !env.AWS_DEFAULT_REGION
      ? "us-west-2"
      : flagRegion === undefined
        ? resolveRegion(undefined, env, "--region")
        : checkFlag(() => resolveRegion(flagRegion, env, "--region"));
  const coderComponent = coder ?? (defaults ? DEMO_CODER_COMPONENT : undefined);
  const reviewerComponent = reviewer ?? (defaults ? DEMO_REVIEWER_COMPONENT : undefined);
  return {
    kind: "endpoint",
    region,
    endpointName: endpointName ?? DEMO_ENDPOINT,
    ...(coderComponent === undefined ? {} : { coderComponent }),
    ...(reviewerComponent === undefined ? {} : { reviewerComponent }),
    ...(baseURL === undefined ? {} : { baseURL }),
  } as const;
}

/**
 * Reads the settings from `argv` (after `review`) and `env`.
 * @throws {@link UsageError} for unknown flags, bad numbers, a missing or extra task.
 * @throws the package's `INVALID_REGION` / `REGION_UNRESOLVED` errors for a bad or missing region.
 */
export function readSettings(argv: string[], env: NodeJS.ProcessEnv): ReviewSettings {
  const { values, positionals } = parse(argv);
  const help = values.help === true;
  if (positionals.length > 1) {
    throw new UsageError(
      `review takes the task as one argument; got ${positionals.length}. ` +
        `Quote it: ${suggestCommand(["review", positionals.join(" ")], env)}`,
    );
  }
  const [taskArgument] = positionals;
  const flagFile = values["task-file"];
  if (flagFile !== undefined && taskArgument !== undefined) {
    throw new UsageError("Give the task as an argument or with --task-file, not both.");
  }
  const taskFile = taskArgument === STDIN ? STDIN : flagFile;
  const given = taskArgument !== undefined || taskFile !== undefined;
  const resume = nonEmpty(values.resume);
  const thread = nonEmpty(values.thread);
  const list = values.list === true;
  const statePath = nonEmpty(values.state) ?? defaultStatePath(env);
  let task: string | undefined;
  if (!help) {
    checkRunFlags({
      state: statePath,
      thread,
      resume,
      list,
      taskGiven: given,
      quiet: values.quiet === true,
    });
  }
  if (!help && !list) {
    if (resume !== undefined && given) {
      throw new UsageError(
        "--resume continues a saved run with its own task; give no task with it.",
      );
    }
    if (resume === undefined && taskFile === undefined) task = checkTask(taskArgument ?? "");
    if (taskFile === "") throw new UsageError("--task-file needs a file name (or - for stdin).");
  }
  if (values.json === true && values.quiet === true) {
    throw new UsageError("Choose one of --json and --quiet.");
  }
  if (
    values["allow-insecure-http"] === true &&
    values["base-url"] === undefined &&
    resume === undefined
  ) {
    throw new UsageError(
      "--allow-insecure-http applies to --base-url (or a resumed run that used one).",
    );
  }
  return {
    help,
    task,
    taskFile,
    allowInsecureHttp: values["allow-insecure-http"] === true,
    resume,
    thread,
    list,
    target: help || list ? { kind: "demo" } : readTarget(values, env),
    maxRounds:
      wholeNumberOption(values["max-rounds"], "--max-rounds", { min: 1, max: 20 }) ??
      DEFAULT_MAX_ROUNDS,
    maxRetries: wholeNumberOption(values["max-retries"], "--max-retries", { min: 0, max: 10 }),
    statePath,
    output: values.json === true ? "json" : values.quiet === true ? "quiet" : "human",
  };
}
