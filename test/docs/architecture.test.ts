/**
 * The README's architecture table says, for each folder, what it depends on.
 * This test reads every import of the folder's source files (static, dynamic,
 * `require` and `require.resolve`, with TypeScript's own pre-processor) and
 * holds the table to it both ways: every folder and package the code imports
 * is listed, and everything listed is imported.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<
  string,
  Record<string, string> | undefined
>;
/** Every npm package the manifest names: only these count as packages in the table. */
const knownPackages = new Set(
  ["dependencies", "peerDependencies", "devDependencies"].flatMap((field) =>
    Object.keys(manifest[field] ?? {}),
  ),
);

interface Row {
  /** `src/auth/` or `src/errors.ts`, as written in the table, without the trailing slash. */
  folder: string;
  /** The folders (or files) of other rows it lists. */
  folders: Set<string>;
  /** The npm packages it lists. */
  packages: Set<string>;
}

/** The rows of the README's architecture table whose folder holds the package's own source. */
function architectureRows(): Row[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("| folder | concept | depends on |"));
  const rows: Row[] = [];
  for (const line of table.split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split(" | ");
    const folder = (cells[0] ?? "").replace(/^\|\s*`|`$/g, "").replace(/\/$/, "");
    const names = [...(cells.at(-1) ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
    rows.push({
      folder,
      folders: new Set(
        names.filter((n) => /^(src|agents|tools)(\/|$)/.test(n)).map((n) => n.replace(/\/$/, "")),
      ),
      packages: new Set(names.filter((name) => knownPackages.has(name))),
    });
  }
  return rows.filter((row) => /^(src|agents|tools)(\/|$)/.test(row.folder));
}

/** `.ts` files under `path` (or `path` itself). */
function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(path, name));
}

/** The row a repository file belongs to: the most specific folder containing it. */
function rowOf(rows: Row[], file: string): Row | undefined {
  const path = relative(root, file);
  return rows
    .filter((row) => path === row.folder || path.startsWith(`${row.folder}/`))
    .sort((a, b) => b.folder.length - a.folder.length)[0];
}

/** The package name of an import specifier (`@scope/name/sub` -> `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** What the files of `row` import: other rows' folders, and npm packages. */
function actualDependencies(
  rows: Row[],
  row: Row,
): { folders: Set<string>; packages: Set<string> } {
  const folders = new Set<string>();
  const packages = new Set<string>();
  for (const file of sourceFiles(join(root, row.folder))) {
    if (rowOf(rows, file) !== row) continue; // a sub-folder with a row of its own
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName),
      ...[...text.matchAll(/require\.resolve\(\s*["']([^"']+)["']/g)].map((m) => m[1] ?? ""),
    ];
    for (const specifier of specifiers) {
      if (specifier.startsWith(".")) {
        // `../errors.js` is the file `../errors.ts` (NodeNext import paths name the output).
        const path = normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts");
        const target = rowOf(rows, path);
        if (target !== undefined && target !== row) folders.add(target.folder);
      } else if (!specifier.startsWith("node:") && !builtinModules.includes(specifier)) {
        packages.add(packageName(specifier));
      }
    }
  }
  return { folders, packages };
}

const rows = architectureRows();
const sorted = (set: Set<string>) => [...set].sort();

describe("README architecture table", () => {
  it("has a row for each source folder", () => {
    expect(rows.map((row) => row.folder)).toEqual(
      expect.arrayContaining(["src/auth", "src/model", "src/local", "agents", "tools"]),
    );
  });

  for (const row of rows) {
    it(`${row.folder}: "depends on" lists exactly what its files import`, () => {
      const actual = actualDependencies(rows, row);
      expect({ folders: sorted(row.folders), packages: sorted(row.packages) }).toEqual({
        folders: sorted(actual.folders),
        packages: sorted(actual.packages),
      });
    });
  }
});
