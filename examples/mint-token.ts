/**
 * Minting a SageMaker bearer token, the TypeScript counterpart of the
 * article's `generate_token(region=...)` from the Python SDK.
 *
 *   npx tsx examples/mint-token.ts
 *
 * Uses AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) when
 * set; otherwise obviously fake demo credentials, and says so. Minting is local:
 * nothing is sent anywhere. The token itself is a credential and is never printed.
 */
import { decodeToken, generateToken, sagemakerOpenAIBaseURL } from "../src/auth/index.js";
import { DEMO_CREDENTIALS } from "../src/local/index.js";

const fromEnv = process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY;
// With the AWS_* variables set, the default chain below reads them; otherwise AWS's
// documented example key pair: it signs fine, and no account accepts it.
const credentials = fromEnv ? undefined : DEMO_CREDENTIALS;
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-west-2";

console.log(
  fromEnv
    ? "Credentials: from the AWS_* environment variables."
    : "Credentials: FAKE demo credentials (AKIAIOSFODNN7EXAMPLE); the token is well formed but SageMaker would refuse it.",
);
if (!process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
  console.log("Region: us-west-2 (demo default; set AWS_REGION to change it).");
}

// Without `credentials`, generateToken uses the Node default chain (env, profile/SSO,
// container, instance metadata), as the Python SDK does. 15 minutes rather than the
// 12-hour default: prefer the shortest lifetime that works.
const token = await generateToken({ region, credentials, expiresIn: 900 });
const decoded = decodeToken(token);

console.log("\nMinted a bearer token (not shown: it is a credential). It says:");
console.log(`  region         ${decoded.region}`);
console.log(`  access key id  ${decoded.accessKeyId}`);
console.log(`  signed at      ${decoded.signedAt.toISOString()}`);
console.log(`  expires at     ${decoded.expiresAt.toISOString()}`);
console.log(`  session token  ${decoded.hasSessionToken ? "yes" : "no"}`);
console.log(`  length         ${token.length} characters, starts with "sagemaker-api-key-"`);

console.log("\nSend it as `Authorization: Bearer <token>` to an endpoint's OpenAI path, e.g.");
console.log(
  `  ${sagemakerOpenAIBaseURL({ region, endpointName: "my-endpoint" })}/chat/completions`,
);
