/**
 * `sagemaker-openai-agents token`: mints a bearer token from the current AWS
 * credentials and prints what it says (region, access key id, validity,
 * session token or not). The token itself is a credential, so it is printed
 * only when asked for with `--show-token`, and then alone on stdout (the
 * summary moves to stderr) so that `TOKEN=$(... --show-token)` captures just it.
 */
import { decodeToken } from "../../auth/decode-token.js";
import { generateToken } from "../../auth/generate-token.js";
import { DEFAULT_CREDENTIALS_TIMEOUT_MS, MAX_CREDENTIALS_TIMEOUT_MS } from "../../auth/options.js";
import { MAX_EXPIRES_IN } from "../../auth/presign.js";
import {
  parseCommandLine,
  regionFlag,
  regionFromEnvironment,
  usageErrorExit,
  wholeNumberOption,
} from "../args.js";
import type { Command } from "../main.js";

const DEFAULT_EXPIRES_IN = 900;

const USAGE = `Usage: sagemaker-openai-agents token [--region R] [--expires-in N]
                                     [--credentials-timeout-ms N] [--show-token]

Mints a SageMaker bearer token locally from your AWS credentials (the default
chain: environment, profile/SSO, container, instance metadata) and prints its
decoded summary. Nothing is sent anywhere.

  --region R        default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region
                    (the same order as \`local\` and \`review\` follow)
  --expires-in N    lifetime in whole seconds, 1..${MAX_EXPIRES_IN} (default ${DEFAULT_EXPIRES_IN})
  --credentials-timeout-ms N
                    how long resolving credentials may take, 1..3600000 ms
                    (default ${DEFAULT_CREDENTIALS_TIMEOUT_MS}); raise it for a credential_process that
                    waits for you, e.g. an MFA prompt
  --show-token      also print the token (alone on stdout; the summary goes to stderr).
                    It is a credential: do not log it or store it.
`;

function minutes(ms: number): string {
  const total = Math.round(ms / 60_000);
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

const command: Command = {
  // A credential_process that outlives the time limit must not keep the command running.
  endsProcess: true,
  async run(argv: string[]): Promise<number> {
    let values: {
      region?: string;
      "expires-in"?: string;
      "credentials-timeout-ms"?: string;
      "show-token"?: boolean;
      help?: boolean;
    };
    let credentialsTimeoutMs: number | undefined;
    let expiresIn: number;
    let region: string | undefined;
    try {
      ({ values } = parseCommandLine(argv, {
        region: { type: "string", accepts: "an AWS region name such as us-west-2" },
        "expires-in": { type: "string", accepts: `whole seconds from 1 to ${MAX_EXPIRES_IN}` },
        "credentials-timeout-ms": {
          type: "string",
          accepts: `whole milliseconds from 1 to ${MAX_CREDENTIALS_TIMEOUT_MS}`,
        },
        "show-token": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      }));
      if (values.help === true) {
        process.stdout.write(USAGE);
        return 0;
      }
      expiresIn =
        wholeNumberOption(values["expires-in"], "--expires-in", { min: 1, max: MAX_EXPIRES_IN }) ??
        DEFAULT_EXPIRES_IN;
      region = regionFlag(values.region);
      credentialsTimeoutMs = wholeNumberOption(
        values["credentials-timeout-ms"],
        "--credentials-timeout-ms",
        { min: 1, max: MAX_CREDENTIALS_TIMEOUT_MS },
      );
    } catch (error) {
      return usageErrorExit(error, "token");
    }
    // Without --region: the environment, then the profile (REGION_UNRESOLVED naming --region if neither).
    region ??= regionFromEnvironment();
    const token = await generateToken({
      region,
      expiresIn,
      ...(credentialsTimeoutMs === undefined ? {} : { credentialsTimeoutMs }),
    });
    const decoded = decodeToken(token);
    const summary = [
      `region          ${decoded.region}`,
      `access key id   ${decoded.accessKeyId}`,
      `signed at       ${decoded.signedAt.toISOString()}`,
      `expires at      ${decoded.expiresAt.toISOString()} (in ${minutes(decoded.expiresAt.getTime() - Date.now())}, or earlier if the credentials expire first)`,
      `session token   ${decoded.hasSessionToken ? "yes (temporary credentials)" : "no (long-term credentials)"}`,
    ];
    if (values["show-token"] === true) {
      process.stderr.write(`${summary.join("\n")}\n`);
      process.stdout.write(`${token}\n`);
    } else {
      summary.push("token           not shown (pass --show-token to print it)");
      process.stdout.write(`${summary.join("\n")}\n`);
    }
    return 0;
  },
};

export default command;
