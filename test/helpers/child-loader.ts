/**
 * A script of this repository's sources run in a child process whose module
 * loader the test controls: tsx runs it with a resolve hook registered first
 * (`--import`), so a package can be missing or broken there as it would be in
 * a user's app while everything else resolves as usual. Also what
 * package.json declares, which those tests hold the sources to.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll } from "vitest";

/** The repository's root directory. */
export const ROOT = resolve(import.meta.dirname, "../..");

const TSX = join(ROOT, "node_modules/.bin/tsx");

/** The `file:` URL of a source file (`src/index.ts`), as a string literal to put in a script. */
export function sourceUrl(path: string): string {
  return JSON.stringify(pathToFileURL(join(ROOT, path)).href);
}

/**
 * Writes `script` (an ES module, TypeScript allowed) and a loader registering
 * `resolveHook` (the source of a module exporting Node's `resolve` hook) into
 * a temporary directory before the file's tests, removed after them. Returns
 * a function that runs the script there with tsx, with only PATH, HOME (that
 * directory), NODE_NO_WARNINGS=1 and `env` in its environment, and resolves to
 * the lines it printed.
 */
export function scriptWithResolveHook(
  name: string,
  resolveHook: string,
  script: string,
): (env: Record<string, string>) => Promise<string[]> {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `${name}-`));
    await writeFile(
      join(dir, "hook.mjs"),
      'import { register } from "node:module";\n' +
        `register("data:text/javascript," + encodeURIComponent(${JSON.stringify(resolveHook)}));\n`,
    );
    await writeFile(join(dir, "script.mts"), script);
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return async (env) => {
    if (dir === undefined) throw new Error("scriptWithResolveHook: run it inside a test");
    const { stdout } = await promisify(execFile)(TSX, ["--import", "./hook.mjs", "script.mts"], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, NODE_NO_WARNINGS: "1", ...env },
    });
    return stdout.trim().split("\n");
  };
}

/** The fields of package.json these tests read. */
export interface PackageJson {
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The repository's package.json. */
export function packageJson(): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
}
