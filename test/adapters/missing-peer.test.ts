/**
 * The adapters' frameworks are optional peers. In a child process whose module
 * loader cannot find them (or finds a copy that throws while loading), the main
 * entry still imports, and each adapter subpath fails to import with a typed
 * `ConfigurationError` that names the package to install.
 */
import { expect, it } from "vitest";
import { packageJson, scriptWithResolveHook, sourceUrl } from "../helpers/child-loader.js";

// "missing": resolve the peers as if from a directory with no node_modules, so Node
// itself raises its real ERR_MODULE_NOT_FOUND. "broken": the peers resolve to a
// module that throws while it is evaluated.
const HOOK = `const PEERS = new RegExp("^(@strands-agents/sdk|@ai-sdk/[^/]+|ai)(/|$)");
export async function resolve(specifier, context, next) {
  if (!PEERS.test(specifier)) return next(specifier, context);
  if (process.env.PEER_MODE === "broken") {
    return { url: "data:text/javascript,throw new Error('peer exploded')", shortCircuit: true };
  }
  return next(specifier, { ...context, parentURL: "file:///nonexistent-dir/importer.mjs" });
}`;

const SCRIPT = `const main = await import(${sourceUrl("src/index.ts")});
console.log("main entry:", typeof main.createSageMakerOpenAIClient);
for (const path of [${sourceUrl("src/adapters/strands/index.ts")}, ${sourceUrl("src/adapters/ai-sdk/index.ts")}]) {
  try {
    await import(path);
    console.log("imported");
  } catch (error) {
    console.log(JSON.stringify({
      typed: error instanceof main.ConfigurationError,
      code: error.code,
      message: error.message,
    }));
  }
}
`;

const runScript = scriptWithResolveHook("missing-peer", HOOK, SCRIPT);
const run = (mode: "missing" | "broken") => runScript({ PEER_MODE: mode });

it("imports the main entry without the peers; the adapters say what to install", {
  timeout: 60_000,
}, async () => {
  const [main, strands, aiSdk] = await run("missing");
  expect(main).toBe("main entry: function");
  expect(JSON.parse(strands as string)).toEqual({
    typed: true,
    code: "MISSING_PEER",
    message: expect.stringContaining("npm install @strands-agents/sdk@^1.19.0"),
  });
  expect(JSON.parse(aiSdk as string)).toEqual({
    typed: true,
    code: "MISSING_PEER",
    message: expect.stringContaining("npm install @ai-sdk/openai-compatible@^3.0.0"),
  });
});

it("reports a peer that fails while loading as PEER_LOAD_FAILED", { timeout: 60_000 }, async () => {
  const [main, strands, aiSdk] = await run("broken");
  expect(main).toBe("main entry: function");
  for (const line of [strands, aiSdk]) {
    expect(JSON.parse(line as string)).toEqual({
      typed: true,
      code: "PEER_LOAD_FAILED",
      message: expect.stringContaining("peer exploded"),
    });
  }
});

it("names in its install command the ranges package.json declares for the peers", async () => {
  const { peerDependencies } = packageJson();
  const { STRANDS_PEER_RANGE } = await import("../../src/adapters/strands/model.js");
  const { AI_SDK_PEER_RANGE } = await import("../../src/adapters/ai-sdk/provider.js");
  expect(STRANDS_PEER_RANGE).toBe(peerDependencies["@strands-agents/sdk"]);
  expect(AI_SDK_PEER_RANGE).toBe(peerDependencies["@ai-sdk/openai-compatible"]);
});
