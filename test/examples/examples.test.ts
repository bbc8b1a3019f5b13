/**
 * Every file in `examples/` runs to completion offline (each starts the local
 * endpoint when no SageMaker endpoint is configured), so none can rot. An
 * example must never print a bearer token.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const examples = readdirSync(`${root}/examples`).filter((file) => file.endsWith(".ts"));

/** The environment an offline run sees: no real endpoint, no proxy of the user's. */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(env)) {
    if (name.startsWith("SAGEMAKER_") || name.startsWith("LANGSMITH_")) delete env[name];
  }
  return env;
}

describe("examples", () => {
  it("exist", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const file of examples) {
    it(`${file} runs offline to completion without printing a token`, {
      timeout: 180_000,
    }, async () => {
      const { stdout, stderr } = await run(
        process.execPath,
        ["--import", "tsx", `examples/${file}`],
        { cwd: root, env: offlineEnvironment(), timeout: 170_000 },
      );
      expect(stdout.length).toBeGreaterThan(0);
      expect(`${stdout}${stderr}`).not.toMatch(/sagemaker-api-key-[A-Za-z0-9+/=]{20,}/);
    });
  }
});
