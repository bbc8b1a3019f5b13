/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (or only those named
 * on the command line) and prints their figures. Benchmarks are not tests:
 * they assert nothing about speed, they measure it on this machine.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

for (const file of files) {
  process.stdout.write(`\n## ${file.replace(/\.bench\.ts$/, "")}\n`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as {
    run: () => Promise<void>;
  };
  await module.run();
}
