/**
 * The documentation's TypeScript cannot drift from the code: every ```ts block
 * of README.md and docs/*.md compiles against the package's public entry points
 * (the built `dist/`, through the `exports` map, as a user's file would), and
 * every block marked `runnable` runs to completion offline.
 *
 * Needs `dist/` (`npm test` builds first, through `pretest`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type CodeBlock,
  extractCodeBlocks,
  hasMarker,
  isTypeScriptBlock,
  unknownMarkers,
} from "./markdown-blocks.js";
import { runBlock } from "./run-block.js";
import { typeCheckBlocks } from "./type-check-blocks.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** README.md and every page of docs/, relative to the root. */
const markdownFiles = [
  "README.md",
  ...readdirSync(`${root}/docs`)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

const blocks: CodeBlock[] = markdownFiles
  .flatMap((file) => extractCodeBlocks(readFileSync(`${root}/${file}`, "utf8"), file))
  .filter(isTypeScriptBlock);
const checked = blocks.filter((block) => !hasMarker(block, "skip"));
const runnable = blocks.filter((block) => hasMarker(block, "runnable"));

/** `file:line` of a block, as an editor opens it. */
const place = (block: CodeBlock) => `${block.file}:${block.line}`;

// A bearer token in output would be a leak: the docs' programs must never print one.
const TOKEN_PATTERN = /sagemaker-api-key-[A-Za-z0-9+/=]{20,}/;

describe("documentation code blocks", () => {
  it("exist, and most of them are checked", () => {
    expect(existsSync(`${root}/dist/src/index.d.ts`), "run `npm run build` first").toBe(true);
    expect(markdownFiles.length).toBeGreaterThan(1);
    expect(checked.length).toBeGreaterThan(10);
    expect(runnable.length).toBeGreaterThan(3);
    // `skip` is for fragments; if it spreads, the check stops meaning much.
    expect(blocks.length - checked.length).toBeLessThanOrEqual(3);
  });

  it("carry only known markers", () => {
    const unknown = blocks
      .filter((block) => unknownMarkers(block).length > 0)
      .map((block) => `${place(block)}: ${unknownMarkers(block).join(" ")}`);
    expect(unknown).toEqual([]);
  });

  // Loading the declarations of LangChain, openai, the AI SDK and Strands dominates: about 6 s on a
  // quiet 2-core machine, 10-18 s at load average 11-13; the budget leaves room for that.
  it("type-check against the package's entry points with 0 errors", { timeout: 60_000 }, () => {
    const errors = typeCheckBlocks(root, checked).map((d) => `${d.where}: ${d.message}`);
    expect(errors).toEqual([]);
  });

  it("the type check fails on a block that has drifted from the API", () => {
    const drifted: CodeBlock[] = [
      {
        file: "docs/drifted.md",
        line: 3,
        language: "ts",
        markers: [],
        code: [
          'import { createSageMakerOpenAIClient, notAnExport } from "sagemaker-openai-agents";',
          'createSageMakerOpenAIClient({ region: "us-west-2", endpointName: "e", apiKeyy: "x" });',
          "notAnExport();",
        ].join("\n"),
      },
    ];
    const errors = typeCheckBlocks(root, drifted);
    expect(errors.map((error) => error.where)).toEqual([
      expect.stringMatching(/^docs\/drifted\.md:3:/),
      expect.stringMatching(/^docs\/drifted\.md:4:/),
    ]);
    expect(errors[0]?.message).toMatch(/notAnExport/);
    expect(errors[1]?.message).toMatch(/apiKeyy/);
  });

  for (const block of runnable) {
    it(`${place(block)} runs offline to completion without printing a token`, async () => {
      const { stdout, stderr } = await runBlock(root, block, 25_000);
      expect(stdout.trim(), "a runnable block shows its result").not.toBe("");
      expect(`${stdout}${stderr}`).not.toMatch(TOKEN_PATTERN);
    });
  }

  it("a runnable block that fails makes its test fail", async () => {
    const failing: CodeBlock = {
      file: "docs/failing.md",
      line: 1,
      language: "ts",
      markers: ["runnable"],
      code: 'import { evaluateExpression } from "sagemaker-openai-agents";\nif (!evaluateExpression("1 +").ok) process.exit(7);\n',
    };
    await expect(runBlock(root, failing, 25_000)).rejects.toMatchObject({ code: 7 });
  });
});
