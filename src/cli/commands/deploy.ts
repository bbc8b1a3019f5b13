/**
 * `sagemaker-openai-agents deploy`: deploys the SageMaker vLLM container as a
 * single-model endpoint or as inference components. Progress goes to stderr;
 * the plan (dry run) or the result goes to stdout.
 *
 * A real deploy needs `--yes`: CI cannot answer a prompt, and an endpoint is
 * billed from the moment it exists, so creating one must be an explicit choice.
 */
import { sagemakerOpenAIBaseURL } from "../../addressing/base-url.js";
import {
  type ComponentSpec,
  DEFAULT_HF_MODEL_ID,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_POLL_INTERVAL_MS,
  type DeployEvent,
  type DeploymentPlan,
  deployEndpoint,
  formatDeploymentRecord,
  formatSteps,
  MASKED_VALUE,
  maskEnvArguments,
  maskSteps,
  planDeployment,
} from "../../deploy/index.js";
import { EXAMPLE_ROLE_ARN, ROLE_ARN_DESCRIPTION } from "../../deploy/plan.js";
import {
  checkFlag,
  parseCommandLine,
  regionFlag,
  regionFromEnvironment,
  UsageError,
  usageErrorExit,
  wholeNumberOption,
} from "../args.js";
import { suggestCommand } from "../invocation.js";
import type { Command } from "../main.js";

const USAGE = `Usage: sagemaker-openai-agents deploy --role-arn ARN [options]

Deploys the SageMaker vLLM container (the article's settings: hermes tool calls,
auto tool choice) as a single-model endpoint, or with --components as an
inference-component endpoint, and waits until everything is InService.

  --role-arn ARN          IAM execution role SageMaker assumes (required)
  --region REGION         default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region
  --model-id ID           Hugging Face model id (default ${DEFAULT_HF_MODEL_ID})
  --instance-type TYPE    default ${DEFAULT_INSTANCE_TYPE}
  --instance-count N      default 1
  --image URI             default: the vLLM DLC image for the region
  --env KEY=VALUE         container environment over the defaults (repeatable)
  --unset-env KEY         drop a default variable, e.g. SAGEMAKER_ENABLE_LOAD_AWARE (repeatable)
  --components LIST       inference components: coder,reviewer or coder=Org/ModelA,reviewer=Org/ModelB
  --copy-count N          copies of each component (default 1)
  --name-prefix P         start of every resource name (default openai-compat)
  --suffix S              end of every resource name (default: the current Unix time)
  --record FILE           deployment record for cleanup (default ./<endpoint-name>.json)
  --poll-interval SEC     seconds between status checks (default ${DEFAULT_POLL_INTERVAL_MS / 1000})
  --max-attempts N        status checks before giving up (default ${DEFAULT_MAX_ATTEMPTS})
  --dry-run               print the API calls it would make; calls nothing
  --json                  with --dry-run: print steps, warnings and record as JSON
  --yes                   create the resources (they are billed until cleaned up)
`;

/** The `--poll-interval SEC` and `--max-attempts N` flags (deploy and cleanup). */
export interface PollFlags {
  "poll-interval"?: string | undefined;
  "max-attempts"?: string | undefined;
}

/**
 * Reads the poll flags, with the library's defaults for what is not given.
 * @throws {@link UsageError} for a value that is not a whole number.
 */
export function pollFlags(values: PollFlags): { pollIntervalMs: number; maxAttempts: number } {
  const seconds = wholeNumberOption(values["poll-interval"], "--poll-interval", { min: 0 });
  return {
    pollIntervalMs: seconds === undefined ? DEFAULT_POLL_INTERVAL_MS : seconds * 1000,
    maxAttempts:
      wholeNumberOption(values["max-attempts"], "--max-attempts") ?? DEFAULT_MAX_ATTEMPTS,
  };
}

function parse(argv: string[]) {
  return parseCommandLine(argv, {
    "role-arn": { type: "string", accepts: "an IAM role ARN" },
    region: { type: "string", accepts: "an AWS region name such as us-west-2" },
    "model-id": { type: "string", accepts: "a Hugging Face model id such as Qwen/Qwen3-4B" },
    "instance-type": { type: "string", accepts: "an instance type such as ml.g6.2xlarge" },
    "instance-count": { type: "string", accepts: "a whole number >= 1" },
    image: { type: "string", accepts: "a container image URI" },
    env: { type: "string", multiple: true, accepts: "KEY=VALUE" },
    "unset-env": { type: "string", multiple: true, accepts: "a variable name" },
    components: { type: "string", accepts: "a list such as coder,reviewer" },
    "copy-count": { type: "string", accepts: "a whole number >= 1" },
    "name-prefix": { type: "string", accepts: "the start of every resource name" },
    suffix: { type: "string", accepts: "the end of every resource name" },
    record: { type: "string", accepts: "a file for the deployment record" },
    "poll-interval": { type: "string", accepts: "whole seconds >= 0" },
    "max-attempts": { type: "string", accepts: "a whole number >= 1" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
    yes: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }).values;
}

type Values = ReturnType<typeof parse>;

function environment(values: Values): Record<string, string | null> | undefined {
  const env: Record<string, string | null> = {};
  for (const entry of values.env ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0) {
      // Not echoed: a value given without its name may well be a token.
      throw new UsageError('--env expects KEY=VALUE; got a value without "KEY=" (not shown).');
    }
    if (entry.slice(0, at) === "HF_MODEL_ID") {
      throw new UsageError(
        "--env HF_MODEL_ID=... is not how to pick the model: pass --model-id ORG/NAME.",
      );
    }
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  for (const key of values["unset-env"] ?? []) env[key] = null;
  return Object.keys(env).length > 0 ? env : undefined;
}

function components(values: Values): ComponentSpec[] | undefined {
  if (values.components === undefined) return undefined;
  const copyCount = wholeNumberOption(values["copy-count"], "--copy-count");
  return values.components.split(",").map((item): ComponentSpec => {
    const [name = "", hfModelId] = item.trim().split("=", 2);
    return {
      name,
      ...(hfModelId !== undefined && { model: { hfModelId } }),
      ...(copyCount !== undefined && { copyCount }),
    };
  });
}

function planFrom(values: Values): DeploymentPlan {
  if (values["role-arn"] === undefined) {
    throw new UsageError(
      `--role-arn is required: ${ROLE_ARN_DESCRIPTION}, e.g. --role-arn ${EXAMPLE_ROLE_ARN}.`,
    );
  }
  if (values.components === undefined && values["copy-count"] !== undefined) {
    throw new UsageError("--copy-count applies to --components only.");
  }
  const env = environment(values);
  const modelId = values["model-id"];
  const instanceCount = wholeNumberOption(values["instance-count"], "--instance-count");
  const list = components(values);
  return {
    region: regionFlag(values.region) ?? regionFromEnvironment(),
    roleArn: values["role-arn"],
    ...((modelId !== undefined || env !== undefined) && {
      model: {
        ...(modelId !== undefined && { hfModelId: modelId }),
        ...(env && { environment: env }),
      },
    }),
    ...(values["instance-type"] !== undefined && { instanceType: values["instance-type"] }),
    ...(instanceCount !== undefined && { instanceCount }),
    ...(values.image !== undefined && { image: values.image }),
    ...(list !== undefined && { components: list }),
    ...(values["name-prefix"] !== undefined && { namePrefix: values["name-prefix"] }),
    // Fixed here rather than in the library so the default record path can use the same names.
    suffix: values.suffix ?? String(Math.floor(Date.now() / 1000)),
  };
}

function describeEvent(event: DeployEvent): string {
  switch (event.type) {
    case "warning":
      return `warning: ${event.message}`;
    case "record-file":
      return `record: ${event.path}`;
    case "created":
      return `${event.operation}: ${event.name}`;
    case "waiting":
      return `waiting for ${event.name}: ${event.status} (check ${event.attempt}/${event.maxAttempts})`;
    case "in-service":
      return `${event.name} is InService`;
  }
}

async function run(argv: string[]): Promise<number> {
  let values: Values;
  let plan: DeploymentPlan;
  let planned: ReturnType<typeof planDeployment>;
  let poll: { pollIntervalMs: number; maxAttempts: number };
  try {
    values = parse(argv);
    if (values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    plan = planFrom(values);
    poll = pollFlags(values);
    // Everything in the plan came from the flags: what it refuses is bad usage.
    planned = checkFlag(() => planDeployment(plan));
  } catch (error) {
    return usageErrorExit(error, "deploy");
  }
  const log = (event: DeployEvent): void => void process.stderr.write(`${describeEvent(event)}\n`);

  if (values["dry-run"] === true) {
    if (values.json === true) {
      const { steps, warnings, record } = planned;
      const shown = { steps: maskSteps(steps), warnings, record };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    for (const message of planned.warnings) log({ type: "warning", message });
    process.stdout.write(
      `Dry run: these are the calls a deploy would make.\n${formatSteps(planned.steps, poll)}\n`,
    );
    return 0;
  }

  if (values.yes !== true) {
    for (const message of planned.warnings) log({ type: "warning", message });
    const shownArgv = maskEnvArguments(argv);
    process.stderr.write(
      [
        "Nothing was created. To see every API call it would make:",
        `  ${suggestCommand(["deploy", ...shownArgv, "--dry-run"])}`,
        "To create the resources (billed from the moment they exist until cleaned up):",
        `  ${suggestCommand(["deploy", ...shownArgv, "--yes"])}`,
        ...(shownArgv.some((arg, i) => arg !== argv[i])
          ? [
              `(Secret --env values are shown as ${MASKED_VALUE}: put yours back before running these.)`,
            ]
          : []),
        "",
      ].join("\n"),
    );
    return 2;
  }
  const recordPath = values.record ?? `${planned.plan.endpointName}.json`;
  const result = await deployEndpoint(plan, { ...poll, recordPath, onProgress: log });

  const { record } = result;
  const endpointName = record.endpointName ?? "";
  const lines = [`Deployed. Record: ${recordPath}`];
  if (record.inferenceComponents.length === 0) {
    lines.push(
      `OpenAI base URL: ${sagemakerOpenAIBaseURL({ region: record.region, endpointName })}`,
    );
  }
  for (const ic of record.inferenceComponents) {
    const url = sagemakerOpenAIBaseURL({
      region: record.region,
      endpointName,
      inferenceComponentName: ic.inferenceComponentName,
    });
    lines.push(`OpenAI base URL (${ic.component ?? ic.inferenceComponentName}): ${url}`);
  }
  lines.push(
    `Clean up (stops the billing): ${suggestCommand(["cleanup", "--record", recordPath])}`,
  );
  process.stdout.write(`${lines.join("\n")}\n${formatDeploymentRecord(record)}`);
  return 0;
}

/** The `deploy` subcommand. */
const command: Command = { run };

export default command;
