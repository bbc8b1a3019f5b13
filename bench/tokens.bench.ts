/**
 * Token minting cost, in one run on one machine:
 * - a fresh `generateToken` (static credentials; the derived signing key is
 *   cached per secret/day/region, as it is in a long-lived process), and the
 *   same with a new secret every time (no key cache hit);
 * - botocore's path in python3, as the Python SDK runs it (AWSRequest +
 *   SigV4QueryAuth + base64 per token), timed inside python with perf_counter;
 * - a cached `createTokenProvider` call.
 *
 * `npx tsx bench/run.ts tokens`
 */
import { createTokenProvider, generateToken } from "../src/auth/index.js";
import { botocoreUnavailableReason, startBotocoreMinter } from "../test/helpers/botocore-minter.js";

const REGION = "us-west-2";
const ACCESS_KEY_ID = "ASIAEXAMPLEEXAMPLE00";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
// A session token of realistic length (STS tokens run to several hundred characters).
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjE${"A1b2C3d4/E5f6+G7h8=".repeat(40)}`;

async function perOp(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) {
    await op(i);
  }
  return Number(process.hrtime.bigint() - start) / n;
}

/** Prints the figures; asserts nothing. */
export async function run(): Promise<void> {
  const credentials = {
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    sessionToken: SESSION_TOKEN,
  };
  const mint = () => generateToken({ region: REGION, credentials, expiresIn: 900 });
  await perOp(5_000, mint);
  const freshNs = await perOp(50_000, mint);

  const newKey = (i: number) =>
    generateToken({
      region: REGION,
      credentials: { ...credentials, secretAccessKey: `${SECRET}${i}` },
      expiresIn: 900,
    });
  await perOp(2_000, newKey);
  const newKeyNs = await perOp(20_000, newKey);

  const provider = createTokenProvider({ region: REGION, credentials });
  await perOp(10_000, provider);
  const cachedNs = await perOp(2_000_000, provider);

  const lines = [
    `fresh generateToken (signing key cached)  ${(freshNs / 1000).toFixed(2)} µs/token`,
    `fresh generateToken (new key every time)  ${(newKeyNs / 1000).toFixed(2)} µs/token`,
  ];
  const unavailable = botocoreUnavailableReason();
  if (unavailable === undefined) {
    const botocore = startBotocoreMinter();
    try {
      const testCase = {
        accessKeyId: ACCESS_KEY_ID,
        secretAccessKey: SECRET,
        sessionToken: SESSION_TOKEN,
        region: REGION,
        expiresIn: 900,
      };
      await botocore.time(testCase, 2_000);
      const n = 20_000;
      const botocoreNs = ((await botocore.time(testCase, n)) / n) * 1e9;
      lines.push(
        `botocore SigV4QueryAuth in python3       ${(botocoreNs / 1000).toFixed(2)} µs/token`,
        `ratio botocore / generateToken           ${(botocoreNs / freshNs).toFixed(1)}x (key cached), ${(botocoreNs / newKeyNs).toFixed(1)}x (new key)`,
      );
    } finally {
      await botocore.close();
    }
  } else {
    lines.push(`botocore: not measured (${unavailable})`);
  }
  lines.push(`cached createTokenProvider() call         ${cachedNs.toFixed(0)} ns/call`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
