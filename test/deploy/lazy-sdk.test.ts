/**
 * `@aws-sdk/client-sagemaker` is loaded only by a real deploy or clean-up:
 * importing the package or the deploy entry, and dry runs, never load it.
 * Checked in a child process whose module loader refuses that package.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

const HOOK = `import { register } from "node:module";
const hook = \`export async function resolve(specifier, context, next) {
  if (process.env.SDK_MODE === "missing" && specifier.startsWith("@aws-sdk/client-sagemaker")) {
    // As if the optional peer were not installed: Node raises its real ERR_MODULE_NOT_FOUND.
    return next(specifier, { ...context, parentURL: "file:///nonexistent-dir/importer.mjs" });
  }
  const result = await next(specifier, context);
  if (result.url.includes("/node_modules/@aws-sdk/client-sagemaker/")) throw new Error("SDK LOADED");
  return result;
}\`;
register("data:text/javascript," + encodeURIComponent(hook));
`;

const deployEntry = pathToFileURL(join(ROOT, "src/deploy/index.ts")).href;
const mainEntry = pathToFileURL(join(ROOT, "src/index.ts")).href;
const SCRIPT = `import { deployEndpoint, cleanupDeployment } from ${JSON.stringify(deployEntry)};
await import(${JSON.stringify(mainEntry)});
const plan = { region: "us-west-2", roleArn: "arn:aws:iam::123456789012:role/r", components: [{ name: "coder" }] };
const { record } = await deployEndpoint(plan, { dryRun: true });
await cleanupDeployment(record, { dryRun: true });
console.log("dry runs done");
// A real deploy must load it: proves the hook would have caught an eager import.
await deployEndpoint(plan).catch((error) => console.log(String(error.message).includes("SDK LOADED") ? "real run loads the SDK" : JSON.stringify({ code: error.code, message: error.message })));
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "deploy-lazy-"));
  await writeFile(join(dir, "hook.mjs"), HOOK);
  await writeFile(join(dir, "script.mts"), SCRIPT);
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function run(mode: "present" | "missing"): Promise<string[]> {
  const { stdout } = await promisify(execFile)(TSX, ["--import", "./hook.mjs", "script.mts"], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, NODE_NO_WARNINGS: "1", SDK_MODE: mode },
  });
  return stdout.trim().split("\n");
}

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
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
  };
  const { SAGEMAKER_CLIENT_PEER_RANGE } = await import("../../src/deploy/sagemaker.js");
  expect(SAGEMAKER_CLIENT_PEER_RANGE).toBe(pkg.peerDependencies["@aws-sdk/client-sagemaker"]);
});
