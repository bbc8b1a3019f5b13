/**
 * `sagemaker-openai-agents cleanup`: deletes what a deploy created, from its
 * record file or from names given on the command line. Resources that are
 * already gone count as done, so it is safe to run again.
 */
import { rm } from "node:fs/promises";
import {
  type CleanupEvent,
  cleanupDeployment,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_POLL_INTERVAL_MS,
  type DeploymentRecord,
  formatSteps,
  readDeploymentRecord,
} from "../../deploy/index.js";
import {
  nameProblem,
  parseCommandLine,
  regionFlag,
  regionFromEnvironment,
  UsageError,
  usageErrorExit,
} from "../args.js";
import type { Command } from "../main.js";
import { pollFlags } from "./deploy.js";

const USAGE = `Usage: sagemaker-openai-agents cleanup --record FILE [options]
       sagemaker-openai-agents cleanup [--region R] [--endpoint NAME] [--endpoint-config NAME]
                                       [--model NAME]... [--inference-component NAME]... [options]

Deletes inference components (waiting until they are gone), then the endpoint,
the endpoint config and the models. Anything already gone is skipped.

  --record FILE               the record a deploy wrote; removed once everything is deleted
  --keep-record               keep the record file after a complete clean-up
  --region REGION             with names: default AWS_REGION, AWS_DEFAULT_REGION, the profile's region
  --endpoint NAME             endpoint to delete
  --endpoint-config NAME      endpoint config to delete
  --model NAME                model to delete (repeatable)
  --inference-component NAME  inference component to delete (repeatable)
  --poll-interval SEC         seconds between checks that a component is gone (default ${DEFAULT_POLL_INTERVAL_MS / 1000})
  --max-attempts N            checks before giving up (default ${DEFAULT_MAX_ATTEMPTS})
  --dry-run                   print the API calls it would make; calls nothing
`;

function parse(argv: string[]) {
  return parseCommandLine(argv, {
    record: { type: "string", accepts: "the record file a deploy wrote" },
    "keep-record": { type: "boolean" },
    region: { type: "string", accepts: "an AWS region name such as us-west-2" },
    endpoint: { type: "string", accepts: "an endpoint name" },
    "endpoint-config": { type: "string", accepts: "an endpoint config name" },
    model: { type: "string", multiple: true, accepts: "a model name" },
    "inference-component": {
      type: "string",
      multiple: true,
      accepts: "an inference component name",
    },
    "poll-interval": { type: "string", accepts: "whole seconds >= 0" },
    "max-attempts": { type: "string", accepts: "a whole number >= 1" },
    "dry-run": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }).values;
}

type Values = ReturnType<typeof parse>;

const NAME_FLAGS = ["endpoint", "endpoint-config", "model", "inference-component"] as const;

const NAME_KINDS: Record<(typeof NAME_FLAGS)[number], string> = {
  endpoint: "endpoint",
  "endpoint-config": "endpoint config",
  model: "model",
  "inference-component": "inference component",
};

/** @throws {@link UsageError} naming the first flag whose name breaks SageMaker's rule. */
function checkNames(values: Values): void {
  for (const flag of NAME_FLAGS) {
    for (const name of [values[flag] ?? []].flat()) {
      const problem = nameProblem(name, `--${flag}`, NAME_KINDS[flag]);
      if (problem !== undefined) throw new UsageError(problem);
    }
  }
}

async function recordFrom(values: Values): Promise<DeploymentRecord> {
  const named = NAME_FLAGS.some((flag) => values[flag] !== undefined);
  if (values.record !== undefined) {
    if (named || values.region !== undefined) {
      throw new UsageError("Pass either --record or names (--endpoint, --model, ...), not both.");
    }
    return readDeploymentRecord(values.record);
  }
  if (!named) throw new UsageError("Pass --record FILE, or the names of what to delete.");
  checkNames(values);
  return {
    version: 1,
    region: regionFlag(values.region) ?? regionFromEnvironment(),
    createdAt: new Date().toISOString(),
    ...(values.endpoint !== undefined && { endpointName: values.endpoint }),
    ...(values["endpoint-config"] !== undefined && {
      endpointConfigName: values["endpoint-config"],
    }),
    modelNames: values.model ?? [],
    inferenceComponents: (values["inference-component"] ?? []).map((name) => ({
      inferenceComponentName: name,
    })),
  };
}

function describeEvent(event: CleanupEvent): string {
  switch (event.type) {
    case "step":
      return `${event.operation}: ${event.name} ${event.outcome === "deleted" ? "deleted" : "already gone"}`;
    case "waiting":
      return `waiting for ${event.name} to go: ${event.status} (check ${event.attempt}/${event.maxAttempts})`;
    case "gone":
      return `${event.name} is gone`;
  }
}

async function run(argv: string[]): Promise<number> {
  let values: Values;
  let poll: { pollIntervalMs: number; maxAttempts: number };
  try {
    values = parse(argv);
    if (values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    poll = pollFlags(values);
  } catch (error) {
    return usageErrorExit(error, "cleanup");
  }
  let record: DeploymentRecord;
  try {
    record = await recordFrom(values);
  } catch (error) {
    return usageErrorExit(error, "cleanup");
  }

  if (values["dry-run"] === true) {
    const result = await cleanupDeployment(record, { ...poll, dryRun: true });
    process.stdout.write(
      `Dry run: these are the calls a cleanup would make.\n${formatSteps(result.steps, poll)}\n`,
    );
    return 0;
  }
  const result = await cleanupDeployment(record, {
    ...poll,
    onProgress: (event) => void process.stderr.write(`${describeEvent(event)}\n`),
  });
  const deleted = result.results.filter((r) => r.outcome === "deleted").length;
  const lines = [
    `Cleaned up: ${deleted} deleted, ${result.results.length - deleted} already gone.`,
  ];
  if (values.record !== undefined && values["keep-record"] !== true) {
    await rm(values.record, { force: true });
    lines.push(`Removed record ${values.record}.`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** The `cleanup` subcommand. */
const command: Command = { run };

export default command;
