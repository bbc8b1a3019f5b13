// An `--import` hook for the start-up test: records the URL of every module the
// process loads (ESM and CommonJS, through module.registerHooks) and writes them,
// one a line, to the file named by RECORD_LOADS_FILE when the process exits.
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

const file = process.env.RECORD_LOADS_FILE;
const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on("exit", () => {
  if (file) writeFileSync(file, [...loaded].join("\n"));
});
