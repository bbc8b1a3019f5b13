/**
 * The default AWS credential chain (`@aws-sdk/credential-provider-node`) is an
 * optional peer. In a child process whose module loader cannot find it (or
 * finds a copy that throws while loading), minting with explicit `credentials`
 * still works, and minting without them fails with the loader's typed
 * `MISSING_PEER` / `PEER_LOAD_FAILED`, not wrapped as `CREDENTIALS_UNAVAILABLE`,
 * its message the install command. The control run, where the chain resolves
 * as usual, mints from the same environment credentials through the chain.
 */
import { expect, it } from "vitest";
import { packageJson, scriptWithResolveHook, sourceUrl } from "../helpers/child-loader.js";

const HOOK = `export async function resolve(specifier, context, next) {
  if (specifier !== "@aws-sdk/credential-provider-node" || process.env.PEER_MODE === "present") {
    return next(specifier, context);
  }
  if (process.env.PEER_MODE === "broken") {
    return { url: "data:text/javascript,throw new Error('chain exploded')", shortCircuit: true };
  }
  return next(specifier, { ...context, parentURL: "file:///nonexistent-dir/importer.mjs" });
}`;

const SCRIPT = `const auth = await import(${sourceUrl("src/auth/index.ts")});
const { ConfigurationError } = await import(${sourceUrl("src/errors.ts")});
async function attempt(options) {
  try {
    const token = await auth.generateToken({ region: "us-west-2", ...options });
    return { minted: token.startsWith(auth.TOKEN_PREFIX) };
  } catch (error) {
    return {
      typed: error instanceof ConfigurationError,
      credentialsError: error instanceof auth.CredentialsError,
      code: error.code,
      message: error.message,
    };
  }
}
const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
console.log(JSON.stringify(await attempt({ credentials })));
console.log(JSON.stringify(await attempt({})));
// A second call tries the import again rather than keeping the first failure.
console.log(JSON.stringify(await attempt({})));
`;

const runScript = scriptWithResolveHook("default-chain-peer", HOOK, SCRIPT);
const run = (mode: "missing" | "broken" | "present") =>
  runScript({
    PEER_MODE: mode,
    // What the chain would find first: so only the package's presence decides.
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  }).then((lines) => lines.map((line) => JSON.parse(line) as Record<string, unknown>));

it("mints through the chain when it is installed (the control)", { timeout: 60_000 }, async () => {
  expect(await run("present")).toEqual([{ minted: true }, { minted: true }, { minted: true }]);
});

it("without the chain: explicit credentials mint, the default says what to install", {
  timeout: 60_000,
}, async () => {
  const [explicit, first, second] = await run("missing");
  expect(explicit).toEqual({ minted: true });
  for (const result of [first, second]) {
    expect(result).toEqual({
      typed: true,
      credentialsError: false,
      code: "MISSING_PEER",
      message: expect.stringContaining("npm install @aws-sdk/credential-provider-node@^3.972.0"),
    });
    expect(result?.message).toContain("default AWS credential chain");
  }
});

it("reports a chain that fails while loading as PEER_LOAD_FAILED", {
  timeout: 60_000,
}, async () => {
  const [explicit, first] = await run("broken");
  expect(explicit).toEqual({ minted: true });
  expect(first).toEqual({
    typed: true,
    credentialsError: false,
    code: "PEER_LOAD_FAILED",
    message: expect.stringContaining("chain exploded"),
  });
});

it("declares the chain as the optional peer whose range the message names", async () => {
  const { peerDependencies, peerDependenciesMeta, dependencies } = packageJson();
  const { CREDENTIAL_CHAIN_PEER_RANGE } = await import("../../src/auth/credentials.js");
  expect(CREDENTIAL_CHAIN_PEER_RANGE).toBe(peerDependencies["@aws-sdk/credential-provider-node"]);
  expect(peerDependenciesMeta?.["@aws-sdk/credential-provider-node"]?.optional).toBe(true);
  expect(Object.keys(dependencies ?? {}).filter((name) => name.startsWith("@aws-sdk/"))).toEqual(
    [],
  );
});
