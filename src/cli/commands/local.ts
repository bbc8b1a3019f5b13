/**
 * `sagemaker-openai-agents local`: runs the local SageMaker OpenAI endpoint in
 * the foreground, prints the base URL of every endpoint and inference
 * component it serves, and stops cleanly on SIGINT or SIGTERM.
 */
import { isLoopbackHost } from "../../addressing/safe-url.js";
import { SageMakerOpenAIError } from "../../errors.js";
import {
  parseCommandLine,
  regionFlag,
  regionFromEnvironment,
  UsageError,
  usageErrorExit,
  wholeNumberOption,
} from "../args.js";
import { suggestCommand } from "../invocation.js";
import type { Command } from "../main.js";

/** The region when neither a flag, the config, the environment nor the profile names one. */
const FALLBACK_REGION = "us-west-2";

const USAGE = `Usage: sagemaker-openai-agents local [--config FILE] [--region R] [--port N]
                                     [--host H --allow-non-loopback] [--access-log FILE]

Runs a local stand-in for SageMaker AI's OpenAI-compatible endpoints. It accepts
bearer tokens signed by the credentials in its config, or by default those in
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and scoped to its
region: --region, else the config's, else AWS_REGION, AWS_DEFAULT_REGION, the
profile's region (the order \`token\` follows), else ${FALLBACK_REGION}.

Without --config it serves the demo model as endpoint "demo", and as the inference
components "coder" and "reviewer" of endpoint "agents".

  --config FILE          a JSON or YAML config (see docs/local-endpoint.md, "Config")
  --region R             the region tokens must be scoped to (see above)
  --port N               port to listen on, 0..65535 (default: the config's, else a free one)
  --host H               interface to listen on (default 127.0.0.1)
  --allow-non-loopback   needed for a --host other than loopback: tokens would cross
                         the network over plain HTTP
  --access-log FILE      also append every request as a JSON line to FILE
`;

/**
 * The region as `token` finds it (flag, environment, profile), or undefined
 * when none is configured.
 */
function configuredRegion(): string | undefined {
  try {
    return regionFromEnvironment();
  } catch (error) {
    if (error instanceof SageMakerOpenAIError && error.code === "REGION_UNRESOLVED")
      return undefined;
    throw error;
  }
}

const command: Command = {
  async run(argv: string[]): Promise<number> {
    let values: {
      config?: string;
      region?: string;
      port?: string;
      host?: string;
      "allow-non-loopback"?: boolean;
      "access-log"?: string;
      help?: boolean;
    };
    let port: number | undefined;
    let region: string | undefined;
    try {
      ({ values } = parseCommandLine(argv, {
        config: { type: "string", accepts: "a JSON or YAML config file" },
        region: { type: "string", accepts: "an AWS region name such as us-west-2" },
        port: { type: "string", accepts: "a port number from 0 to 65535" },
        host: { type: "string", accepts: "an interface address such as 127.0.0.1" },
        "allow-non-loopback": { type: "boolean" },
        "access-log": { type: "string", accepts: "a file to append JSON lines to" },
        help: { type: "boolean", short: "h" },
      }));
      if (values.help === true) {
        process.stdout.write(USAGE);
        return 0;
      }
      port = wholeNumberOption(values.port, "--port", { min: 0, max: 65535 });
      region = regionFlag(values.region);
      const host = values.host;
      if (host !== undefined && !isLoopbackHost(host) && values["allow-non-loopback"] !== true) {
        throw new UsageError(
          `--host ${host} is not this machine: the local endpoint serves plain HTTP, so bearer tokens ` +
            "would cross the network unencrypted. Add --allow-non-loopback if you mean it.",
        );
      }
    } catch (error) {
      return usageErrorExit(error, "local");
    }

    // The endpoint (zod schemas, the demo model) loads only now: `local --help` and a typo stay instant.
    const [{ loadLocalEndpointConfig }, { defaultLocalEndpointConfig }, { startLocalEndpoint }] =
      await Promise.all([
        import("../../local/config-file.js"),
        import("../../local/default-config.js"),
        import("../../local/server.js"),
      ]);
    const config =
      values.config === undefined
        ? defaultLocalEndpointConfig()
        : await loadLocalEndpointConfig(values.config);
    // The same order as `token` (flag, environment, profile), with the config's own region
    // between the flag and the environment, so a token minted as the banner says fits.
    config.region = region ?? config.region ?? configuredRegion() ?? FALLBACK_REGION;
    if (port !== undefined) config.port = port;
    if (values.host !== undefined) config.host = values.host;
    if (values["allow-non-loopback"] === true) config.allowNonLoopback = true;
    if (values["access-log"] !== undefined) config.accessLogFile = values["access-log"];

    const local = await startLocalEndpoint(config);
    // Listen for the signals before announcing the URLs: whoever reads them may stop us at once.
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      const stop = (name: NodeJS.Signals) => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve(name);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    const targets = local.targets();
    const width = Math.max(...targets.map((t) => label(t).length));
    // Without credentials in the config it accepts tokens from the environment's keys, which
    // `token` signs with first: then the banner can give the exact command.
    // The command stands alone on its line, so a copy of the line runs as it is.
    const apiKey =
      config.credentials === undefined
        ? [
            `Clients: baseURL as above, apiKey a token for ${local.region} from the same credentials:`,
            `  ${suggestCommand(["token", "--region", local.region, "--show-token"])}`,
          ]
        : [
            `Clients: baseURL as above, apiKey a token for ${local.region} signed with one of the config's credentials.`,
          ];
    const lines = [
      `Local SageMaker OpenAI endpoint on ${local.url} (region ${local.region})`,
      ...targets.map((t) => `  ${label(t).padEnd(width)}  ${t.baseURL}`),
      ...apiKey,
      "Stop with Ctrl+C.",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);

    const signal = await stopped;
    process.stderr.write(`${signal}: closing the local endpoint.\n`);
    await local.close();
    return 0;
  },
};

function label(target: { endpoint: string; component?: string }): string {
  return target.component === undefined
    ? target.endpoint
    : `${target.endpoint}/${target.component}`;
}

export default command;
