/**
 * `typescript` is an optional peer that only the TypeScript/JavaScript half of `syntax_check`
 * loads. With it, TypeScript and JavaScript are parsed; without it (or with TypeScript 7,
 * which has no classic compiler API), the tool answers with a `MISSING_PEER` result the model
 * can read, and Python keeps working.
 *
 * The "absent" cases are real: a child Node process runs a copy of the built `dist/tools` from
 * a temporary app whose `node_modules` links every package of this repository except
 * `typescript`, so Node's own resolution cannot find it. The same app with `typescript` linked
 * back is the control that the setup, not the copy, is what changes the answer.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSyntax, syntaxCheckTool, TYPESCRIPT_PEER_RANGE } from "../../tools/syntax-check.js";
import { packageJson, ROOT } from "../helpers/child-loader.js";

const BUILT_TOOLS = join(ROOT, "dist/tools");
const INSTALL = `npm install "typescript@${TYPESCRIPT_PEER_RANGE}"`;

describe("syntax_check with typescript installed", () => {
  it("declares the same typescript range as package.json's optional peer", () => {
    const pkg = packageJson();
    expect(TYPESCRIPT_PEER_RANGE).toBe("^5.0.0 || ^6.0.0");
    expect(pkg.peerDependencies.typescript).toBe(TYPESCRIPT_PEER_RANGE);
    expect(pkg.peerDependenciesMeta?.typescript).toEqual({ optional: true });
    expect(pkg.dependencies?.typescript).toBeUndefined();
  });

  it("parses TypeScript and JavaScript", async () => {
    expect(await checkSyntax("typescript", "const x: number = 1;\n")).toEqual({ status: "ok" });
    expect(await checkSyntax("javascript", "const f = (a) => <b>{a}</b>;\n")).toEqual({
      status: "ok",
    });
    const broken = await checkSyntax("typescript", "function f( {\n");
    expect(broken.status).toBe("errors");
    expect(await syntaxCheckTool.invoke({ language: "typescript", code: "let = ;" })).toMatch(
      /^Found \d+ syntax errors?:\n1:\d+ /,
    );
  });
});

/** What the child prints: each check's result and the tool's text for TypeScript. */
interface ChildReport {
  typescript: unknown;
  javascript: unknown;
  python: unknown;
  toolText: string;
}

const CHILD_SCRIPT = `
import { checkSyntax, syntaxCheckTool } from "./dist/tools/syntax-check.js";
const report = {
  typescript: await checkSyntax("typescript", "const x: number = 1;"),
  javascript: await checkSyntax("javascript", "const x = 1;"),
  python: await checkSyntax("python", "def f(:\\n  pass"),
  toolText: await syntaxCheckTool.invoke({ language: "typescript", code: "const x = 1;" }),
};
process.stdout.write(JSON.stringify(report));
`;

let app: string;

beforeAll(async () => {
  if (!existsSync(join(BUILT_TOOLS, "syntax-check.js"))) {
    throw new Error("dist/tools is missing; run `npm run build` first");
  }
  app = await mkdtemp(join(tmpdir(), "typescript-peer-"));
  // A copy, not a link: Node resolves packages from a module's real path, and a link back
  // into the repository would find the repository's typescript.
  cpSync(BUILT_TOOLS, join(app, "dist/tools"), { recursive: true });
  await writeFile(join(app, "package.json"), '{ "type": "module", "private": true }\n');
  await writeFile(join(app, "check.mjs"), CHILD_SCRIPT);
  await mkdir(join(app, "node_modules"));
  for (const name of await readdir(join(ROOT, "node_modules"))) {
    if (name === "typescript" || name.startsWith(".")) continue;
    await symlink(join(ROOT, "node_modules", name), join(app, "node_modules", name));
  }
});

afterAll(async () => {
  if (app !== undefined) await rm(app, { recursive: true, force: true });
});

/** Runs the checks in a child Node with only PATH and HOME (no NODE_PATH, no NODE_OPTIONS). */
async function runChild(): Promise<ChildReport> {
  const { stdout } = await promisify(execFile)(process.execPath, ["check.mjs"], {
    cwd: app,
    env: { PATH: process.env.PATH, HOME: app },
    timeout: 25_000,
  });
  return JSON.parse(stdout) as ChildReport;
}

/** Puts `typescript` into the app's node_modules for one child run: a link, or a stand-in. */
async function withTypeScript<T>(
  install: (target: string) => Promise<void>,
  run: () => Promise<T>,
): Promise<T> {
  const target = join(app, "node_modules/typescript");
  await install(target);
  try {
    return await run();
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

const pythonReport = {
  status: "errors",
  total: 1,
  errors: [{ line: 1, column: 7, message: "invalid syntax" }],
};

describe("syntax_check in an app without typescript", { timeout: 30_000 }, () => {
  it("control: the same app with typescript linked in parses TypeScript", async () => {
    const report = await withTypeScript(
      (target) => symlink(join(ROOT, "node_modules/typescript"), target),
      runChild,
    );
    expect(report.typescript).toEqual({ status: "ok" });
    expect(report.javascript).toEqual({ status: "ok" });
    expect(report.toolText).toBe("OK: no syntax errors");
  });

  it("answers TypeScript and JavaScript with MISSING_PEER and the install command; Python works", async () => {
    const report = await runChild();
    const missing = {
      status: "failed",
      code: "MISSING_PEER",
      reason: expect.stringContaining(
        "typescript (^5.0.0 || ^6.0.0), and it is not installed",
      ) as unknown,
    };
    expect(report.typescript).toEqual(missing);
    expect(report.javascript).toEqual(missing);
    expect(report.python).toEqual(pythonReport);
    expect(report.toolText).toMatch(/^Error: the syntax check could not run \(MISSING_PEER\): /);
    expect(report.toolText).toContain(INSTALL);
    expect(report.toolText).toContain("Python code can still be checked");
  });

  it("treats TypeScript 7, which has no classic compiler API, as a missing peer", async () => {
    // The layout of the typescript@7 package: its main entry only reports the version.
    const report = await withTypeScript(async (target) => {
      await mkdir(join(target, "lib"), { recursive: true });
      await writeFile(
        join(target, "package.json"),
        JSON.stringify({
          name: "typescript",
          version: "7.0.2",
          exports: { "./package.json": "./package.json", ".": "./lib/version.cjs" },
        }),
      );
      await writeFile(join(target, "lib/version.cjs"), 'exports.version = "7.0.2";\n');
    }, runChild);
    expect(report.typescript).toEqual({
      status: "failed",
      code: "MISSING_PEER",
      reason: expect.stringContaining("version 7.0.2, which has no compiler API") as unknown,
    });
    expect(report.toolText).toContain(INSTALL);
    expect(report.python).toEqual(pythonReport);
  });
});
