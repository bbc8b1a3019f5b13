/** The demo model's built-in scripts, by the name a backend config uses. */
import type { Script } from "../script-types.js";
import { coderScript } from "./coder.js";
import { generalScript } from "./general.js";
import { reviewerScript } from "./reviewer.js";

/** Built-in scripts: `general` (the default), `coder` and `reviewer`. */
export const builtInScripts: Readonly<Record<string, Script>> = Object.freeze({
  general: generalScript,
  coder: coderScript,
  reviewer: reviewerScript,
});

export { type DemoProgram, demoPrograms } from "./programs.js";
export { coderScript, generalScript, reviewerScript };
