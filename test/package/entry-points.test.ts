/**
 * The package as a user installs it: every subpath in `exports` resolves to
 * built files, and `./auth` loads without LangChain, the OpenAI SDK or the AWS
 * credential chain (a gateway or a Lambda imports it to mint tokens).
 *
 * Runs against `dist/` (`npm test` builds first, through `pretest`).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const hook = fileURLToPath(new URL("./forbid-heavy-imports.mjs", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
};

async function importInChild(specifier: string, preload: string[] = []): Promise<string[]> {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const args = [
    ...preload.flatMap((file) => ["--import", file]),
    "--input-type=module",
    "-e",
    script,
  ];
  const { stdout } = await run(process.execPath, args, { cwd: root });
  return JSON.parse(stdout) as string[];
}

describe("package entry points", () => {
  it("has been built", () => {
    expect(existsSync(`${root}/dist/src/index.js`), "run `npm run build` first").toBe(true);
  });

  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string") continue;
    it(`resolves ${subpath} to built JavaScript and declarations`, async () => {
      expect(existsSync(`${root}/${target.default}`)).toBe(true);
      expect(existsSync(`${root}/${target.types}`)).toBe(true);
      const specifier = `sagemaker-openai-agents${subpath.slice(1)}`;
      const names = await importInChild(specifier);
      expect(names.length).toBeGreaterThan(0);
    });
  }

  it("loads ./auth without LangChain, the OpenAI SDK or the credential chain", async () => {
    const names = await importInChild("sagemaker-openai-agents/auth", [hook]);
    expect(names).toEqual(
      expect.arrayContaining([
        "generateToken",
        "createTokenProvider",
        "decodeToken",
        "sagemakerOpenAIBaseURL",
      ]),
    );
  });

  it("the guard itself refuses LangChain, so the test above can fail", async () => {
    await expect(importInChild("sagemaker-openai-agents", [hook])).rejects.toThrow(
      /forbidden import from the auth entry/,
    );
  });
});
