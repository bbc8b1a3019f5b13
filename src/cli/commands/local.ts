/**
 * `sagemaker-openai-agents local`: runs the local SageMaker OpenAI endpoint in
 * the foreground, prints the base URL of every endpoint and inference
 * component it serves, and stops cleanly on SIGINT or SIGTERM.
 */
import { loadLocalEndpointConfig } from "../../local/config-file.js";
import { defaultLocalEndpointConfig } from "../../local/default-config.js";
import { startLocalEndpoint } from "../../local/server.js";
import { parseCommandLine, UsageError, usageErrorExit } from "../args.js";
import type { Command } from "../main.js";

const USAGE = `Usage: sagemaker-openai-agents local [--config FILE] [--port N] [--host H --allow-non-loopback]
                                     [--access-log FILE]

Runs a local stand-in for SageMaker AI's OpenAI-compatible endpoints. It accepts
bearer tokens signed by the credentials in its config, or by default those in
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, for the region in
its config or AWS_REGION (default us-west-2).

Without --config it serves the demo model as endpoint "demo", and as the inference
components "coder" and "reviewer" of endpoint "agents".

  --config FILE          a JSON or YAML config (see the README, section "local")
  --port N               port to listen on (default: the config's, else a free one)
  --host H               interface to listen on (default 127.0.0.1)
  --allow-non-loopback   needed for a --host other than loopback: tokens would cross
                         the network over plain HTTP
  --access-log FILE      also append every request as a JSON line to FILE
`;

const command: Command = {
  summary: "run a local SageMaker OpenAI endpoint (demo or proxy models) until stopped",
  async run(argv: string[]): Promise<number> {
    let values: {
      config?: string;
      port?: string;
      host?: string;
      "allow-non-loopback"?: boolean;
      "access-log"?: string;
      help?: boolean;
    };
    try {
      ({ values } = parseCommandLine(argv, {
        config: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "allow-non-loopback": { type: "boolean" },
        "access-log": { type: "string" },
        help: { type: "boolean", short: "h" },
      }));
      if (values.help === true) {
        process.stdout.write(USAGE);
        return 0;
      }
      if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
        throw new UsageError("--port takes a number from 0 to 65535.");
      }
    } catch (error) {
      return usageErrorExit(error, "local", { usage: USAGE });
    }

    const config =
      values.config === undefined
        ? defaultLocalEndpointConfig()
        : await loadLocalEndpointConfig(values.config);
    if (values.port !== undefined) config.port = Number(values.port);
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
    const lines = [
      `Local SageMaker OpenAI endpoint on ${local.url} (region ${local.region})`,
      ...targets.map((t) => `  ${label(t).padEnd(width)}  ${t.baseURL}`),
      "Clients: baseURL as above, apiKey a token minted for this region (e.g. `sagemaker-openai-agents token`).",
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
