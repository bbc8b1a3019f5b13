/**
 * The `review` command's settings: flags first, then the environment, then the
 * defaults. No endpoint configured means the offline demo; an endpoint name
 * (flag or `SAGEMAKER_ENDPOINT_NAME`) or `--base-url` means a real endpoint.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { resolveRegion } from "../../src/auth/region.js";
import { parseCommandLine, UsageError, wholeNumberOption } from "../../src/cli/args.js";
import {
  DEFAULT_MAX_ROUNDS,
  DEMO_CODER_COMPONENT,
  DEMO_ENDPOINT,
  DEMO_REVIEWER_COMPONENT,
  MAX_TASK_CHARS,
} from "../coder-reviewer/constants.js";

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
  /** The task (positional arguments joined), unless resuming. */
  task: string | undefined;
  /** The thread to resume. */
  resume: string | undefined;
  target: ReviewTarget;
  maxRounds: number;
  maxRetries: number | undefined;
  /** The SQLite file that holds the checkpoints. */
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
      region: { type: "string" },
      endpoint: { type: "string" },
      "coder-component": { type: "string" },
      "reviewer-component": { type: "string" },
      "base-url": { type: "string" },
      "max-rounds": { type: "string" },
      "max-retries": { type: "string" },
      state: { type: "string" },
      resume: { type: "string" },
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
}

/**
 * Where the models are, from `flags` over `env` (`AWS_REGION`, `SAGEMAKER_ENDPOINT_NAME`,
 * `SAGEMAKER_CODER_COMPONENT`, `SAGEMAKER_REVIEWER_COMPONENT`): the demo when no
 * endpoint and no base URL is given.
 * @throws {@link UsageError} for components or a region without an endpoint.
 */
export function readTarget(values: TargetFlags, env: NodeJS.ProcessEnv): ReviewTarget {
  const baseURL = nonEmpty(values["base-url"]);
  const endpointName = nonEmpty(values.endpoint) ?? nonEmpty(env.SAGEMAKER_ENDPOINT_NAME);
  const coder = nonEmpty(values["coder-component"]) ?? nonEmpty(env.SAGEMAKER_CODER_COMPONENT);
  const reviewer =
    nonEmpty(values["reviewer-component"]) ?? nonEmpty(env.SAGEMAKER_REVIEWER_COMPONENT);
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
  const region =
    baseURL !== undefined &&
    values.region === undefined &&
    !env.AWS_REGION &&
    !env.AWS_DEFAULT_REGION
      ? "us-west-2"
      : resolveRegion(nonEmpty(values.region), env);
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
  const task = positionals.join(" ").trim();
  const resume = nonEmpty(values.resume);
  if (!help) {
    if (resume === undefined && task === "") {
      throw new UsageError(
        'Say what to build: sagemaker-openai-agents review "Write a function that ..."',
      );
    }
    if (resume !== undefined && task !== "") {
      throw new UsageError(
        "--resume continues a saved run with its own task; give no task with it.",
      );
    }
    if (task.length > MAX_TASK_CHARS) {
      throw new UsageError(
        `The task is ${task.length} characters long; the limit is ${MAX_TASK_CHARS}.`,
      );
    }
    if (resume !== undefined && !/^[\w.-]{1,128}$/.test(resume)) {
      throw new UsageError("--resume takes a thread id as printed by an earlier run.");
    }
  }
  if (values.json === true && values.quiet === true) {
    throw new UsageError("Choose one of --json and --quiet.");
  }
  return {
    help,
    task: task === "" ? undefined : task,
    resume,
    target: help ? { kind: "demo" } : readTarget(values, env),
    maxRounds:
      wholeNumberOption(values["max-rounds"], "--max-rounds", { min: 1, max: 20 }) ??
      DEFAULT_MAX_ROUNDS,
    maxRetries: wholeNumberOption(values["max-retries"], "--max-retries", { min: 0, max: 10 }),
    statePath: nonEmpty(values.state) ?? defaultStatePath(env),
    output: values.json === true ? "json" : values.quiet === true ? "quiet" : "human",
  };
}
