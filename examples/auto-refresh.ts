/**
 * Automatic refresh: a token provider hands the OpenAI SDK a valid token
 * before every request and mints a new one shortly before the old one
 * expires. The article's Python pattern mints per request (`httpx.Auth`);
 * both modes are shown.
 *
 *   npx tsx examples/auto-refresh.ts
 *
 * Runs without AWS: it uses AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when set,
 * otherwise obviously fake demo credentials (and says so). Lifetimes are cut to
 * seconds so the refresh is visible in a few seconds; real code keeps the defaults
 * (15-minute tokens, refreshed 5 minutes before expiry). Tokens are never printed:
 * each is shown by its signing time and a short fingerprint.
 */
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createTokenProvider, decodeToken } from "../src/auth/index.js";
import { createSageMakerOpenAIClient } from "../src/client/index.js";
import { DEMO_CREDENTIALS } from "../src/local/index.js";

const fromEnv = process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY;
// With the AWS_* variables set, the provider's default chain reads them.
const credentials = fromEnv ? undefined : DEMO_CREDENTIALS;
const region = process.env.AWS_REGION ?? "us-west-2";
console.log(
  fromEnv
    ? "Credentials: from the AWS_* environment variables."
    : "Credentials: FAKE demo credentials (AKIAIOSFODNN7EXAMPLE); nothing here calls AWS.",
);

/** Identifies a token without revealing it. */
function describe(token: string): string {
  const fingerprint = createHash("sha256").update(token).digest("hex").slice(0, 8);
  const { signedAt, expiresAt } = decodeToken(token);
  return `signed ${signedAt.toISOString().slice(11, 19)}, expires ${expiresAt.toISOString().slice(11, 19)}, fingerprint ${fingerprint}`;
}

// 1. Cached mode (the default): one token until `refreshBeforeSeconds` before expiry.
const cached = createTokenProvider({ region, credentials, expiresIn: 4, refreshBeforeSeconds: 2 });
console.log(
  "\nCached mode, 4-second tokens refreshed 2 seconds before expiry, polled every 0.5 s:",
);
let previous = "";
for (let i = 0; i < 12; i += 1) {
  const token = await cached();
  console.log(
    `  t+${(i * 0.5).toFixed(1)}s  ${token === previous ? "reused" : "minted"}  ${describe(token)}`,
  );
  previous = token;
  await sleep(500);
}

// 2. Concurrent callers during a refresh share one mint (single flight).
const burst = await Promise.all(Array.from({ length: 50 }, () => cached()));
console.log(`\n50 concurrent calls received ${new Set(burst).size} distinct token(s).`);

// 3. Per-request mode: a fresh token for every call, like the article's httpx.Auth.
const perRequest = createTokenProvider({ region, credentials, mode: "per-request" });
console.log("\nPer-request mode, one call per second:");
for (let i = 0; i < 3; i += 1) {
  console.log(`  ${describe(await perRequest())}`);
  await sleep(1000);
}

// 4. The provider is what the OpenAI SDK calls before each request (retries included).
const client = createSageMakerOpenAIClient({
  region,
  endpointName: "my-endpoint",
  inferenceComponentName: "coder",
  tokenProvider: cached,
});
console.log(`\nAn OpenAI client using it would call ${client.baseURL}/chat/completions`);
console.log(
  `and shows no token when inspected: ${JSON.stringify(client)} / apiKey ${String(cached)}`,
);
