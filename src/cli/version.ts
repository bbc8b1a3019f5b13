/**
 * The package's version for `--version`, read from its package.json at run
 * time: the built CLI (`dist/src/cli/`) and the source (`src/cli/`) sit at
 * different depths, and a JSON import would copy package.json into dist.
 */
import { readFileSync } from "node:fs";
import { CLI_NAME } from "./invocation.js";

/** The version in the nearest package.json named `sagemaker-openai-agents` above this file. */
export function packageVersion(): string {
  for (let up = 1; up <= 4; up += 1) {
    const url = new URL(`${"../".repeat(up)}package.json`, import.meta.url);
    try {
      const manifest = JSON.parse(readFileSync(url, "utf8")) as { name?: string; version?: string };
      if (manifest.name === CLI_NAME && typeof manifest.version === "string") {
        return manifest.version;
      }
    } catch {
      // Not at this level (or unreadable): look one directory higher.
    }
  }
  return "unknown";
}
