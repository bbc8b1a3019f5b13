/**
 * `@aws-sdk/client-sagemaker` is loaded only by a real deploy or clean-up:
 * importing the package or the deploy entry, and dry runs, never load it.
 * Checked in a child process whose module loader refuses that package.
 */
import { expect, it } from "vitest";
import { packageJson, scriptWithResolveHook, sourceUrl } from "../helpers/child-loader.js";

const HOOK = `export async function resolve(specifier, context, next) {
  if (process.env.SDK_MODE === "missing" && specifier.startsWith("@aws-sdk/client-sagemaker")) {
    // As if the optional peer were not installed: Node raises its real ERR_MODULE_NOT_FOUND.
    return next(specifier, { ...context, parentURL: "file:///nonexistent-dir/importer.mjs" });
  }
  const result = await next(specifier, context);
  if (result.url.includes("/node_modules/@aws-sdk/client-sagemaker/")) throw new Error("SDK LOADED");
  return result;
}`;

const SCRIPT = `import { deployEndpoint, cleanupDeployment } from ${sourceUrl("src/deploy/index.ts")};
await import(${sourceUrl("src/index.ts")});
const plan = { region: "us-west-2", roleArn: "arn:aws:iam::123456789012:role/r", components: [{ name: "coder" }] };
const { record } = await deployEndpoint(plan, { dryRun: true });
await cleanupDeployment(record, { dryRun: true });
console.log("dry runs done");
// A real deploy must load it: proves the hook would have caught an eager import.
await deployEndpoint(plan).catch((error) => console.log(String(error.message).includes("SDK LOADED") ? "real run loads the SDK" : JSON.stringify({ code: error.code, message: error.message })));
`;

const runScript = scriptWithResolveHook("deploy-lazy", HOOK, SCRIPT);
const run = (mode: "present" | "missing") => runScript({ SDK_MODE: mode });

it("loads the SageMaker SDK only for a real deploy", { timeout: 60_000 }, async () => {
  expect(await run("present")).toEqual(["dry runs done", "real run loads the SDK"]);
});

it("dry-runs without the optional SageMaker SDK; a real deploy says what to install", {
  timeout: 60_000,
}, async () => {
  const [dryRuns, realRun] = await run("missing");
  expect(dryRuns).toBe("dry runs done");
  expect(JSON.parse(realRun as string)).toEqual({
    code: "MISSING_PEER",
    message: expect.stringContaining("npm install @aws-sdk/client-sagemaker@^3.1142.0"),
  });
});

it("names the SageMaker SDK range package.json declares", async () => {
  const { SAGEMAKER_CLIENT_PEER_RANGE } = await import("../../src/deploy/sagemaker.js");
  expect(SAGEMAKER_CLIENT_PEER_RANGE).toBe(
    packageJson().peerDependencies["@aws-sdk/client-sagemaker"],
  );
});
