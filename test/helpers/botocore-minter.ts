/**
 * The official Python algorithm as a test oracle: ONE long-lived python3
 * process that mints SageMaker bearer tokens with botocore's `SigV4QueryAuth`
 * exactly as `sagemaker.core.token_generator` does, fed JSON lines on stdin.
 *
 * Reusable by any test that needs "a token the Python SDK would produce"
 * (the auth cross-check, the local endpoint's acceptance test) and by the bench.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";

// Mirrors sagemaker-core's `_generate_token`; the clock is pinned by replacing
// botocore.auth.get_current_datetime, which SigV4Auth.add_auth reads.
const SCRIPT = String.raw`
import base64, datetime, json, sys, time
import botocore.auth
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REAL_CLOCK = botocore.auth.get_current_datetime

def token_for(case):
    request = AWSRequest(method="POST", url="https://sagemaker.amazonaws.com/",
                         headers={"host": "sagemaker.amazonaws.com"},
                         params={"Action": "CallWithBearerToken"})
    credentials = Credentials(case["accessKeyId"], case["secretAccessKey"], case.get("sessionToken"))
    SigV4QueryAuth(credentials, "sagemaker", case["region"], expires=case["expiresIn"]).add_auth(request)
    url = request.url.replace("https://", "") + "&Version=1"
    return "sagemaker-api-key-" + base64.b64encode(url.encode("utf-8")).decode("utf-8")

for line in sys.stdin:
    request = json.loads(line)
    try:
        if request.get("op") == "bench":
            botocore.auth.get_current_datetime = REAL_CLOCK
            start = time.perf_counter()
            for _ in range(request["n"]):
                token_for(request["case"])
            reply = {"seconds": time.perf_counter() - start}
        else:
            instant = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=request["epochSeconds"])
            botocore.auth.get_current_datetime = lambda remove_tzinfo=True: instant
            reply = {"token": token_for(request)}
    except Exception as error:
        reply = {"error": repr(error)}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
`;

/** One minting case; `sessionToken` omitted means permanent credentials. */
export interface BotocoreCase {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  expiresIn: number;
  /** The signing instant in whole seconds since the epoch. */
  epochSeconds: number;
}

/** Why botocore cannot be used here, or `undefined` when python3 and botocore import fine. */
export function botocoreUnavailableReason(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import botocore"], { encoding: "utf8" });
  if (probe.error !== undefined) {
    return `python3 not runnable (${probe.error.message})`;
  }
  return probe.status === 0 ? undefined : `python3 cannot import botocore: ${probe.stderr.trim()}`;
}

/** A running oracle process. */
export interface BotocoreMinter {
  /** The token botocore mints for `testCase`. */
  mint(testCase: BotocoreCase): Promise<string>;
  /** Seconds python spends minting `n` fresh tokens for `testCase` (timed inside python). */
  time(testCase: Omit<BotocoreCase, "epochSeconds">, n: number): Promise<number>;
  close(): Promise<void>;
}

/** Starts the oracle process. Requests are answered in order, one JSON line each. */
export function startBotocoreMinter(): BotocoreMinter {
  const child: ChildProcessWithoutNullStreams = spawn("python3", ["-u", "-c", SCRIPT], {
    stdio: "pipe",
  });
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(line));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const ask = (request: object): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null) {
        reject(new Error(`botocore minter exited: ${stderr}`));
        return;
      }
      waiting.push((line) => {
        const reply = JSON.parse(line) as Record<string, unknown>;
        if (typeof reply.error === "string") {
          reject(new Error(`botocore failed: ${reply.error}`));
        } else {
          resolve(reply);
        }
      });
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });

  return {
    mint: async (testCase) => String((await ask(testCase)).token),
    time: async (testCase, n) => Number((await ask({ op: "bench", case: testCase, n })).seconds),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
