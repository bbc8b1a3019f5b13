/**
 * Every relative link of README.md and docs/*.md points at a file of the
 * repository, and every `#anchor` at a heading of its target page (GitHub's
 * anchor rule), so moving a section cannot leave a dead link behind.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractCodeBlocks } from "./markdown-blocks.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** The text of a page without its fenced blocks, whose contents are code, not Markdown. */
function prose(file: string): string {
  const text = readFileSync(join(root, file), "utf8");
  const lines = text.split(/\r?\n/);
  for (const block of extractCodeBlocks(text, file)) {
    const length = block.code === "" ? 0 : block.code.split("\n").length - 1;
    lines.fill("", block.line - 2, block.line - 1 + length + 1);
  }
  return lines.join("\n");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(file).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = headingAnchor(match[1] ?? "");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** `[text](target)` links of a page that are not absolute URLs. */
function relativeLinks(file: string): string[] {
  // Inline code is not Markdown either: `^[a-z](-*[a-z])$` is a pattern, not a link.
  const text = prose(file).replace(/`[^`\n]*`/g, "");
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "");
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe("documentation links", () => {
  it("GitHub's anchor rule, as used here", () => {
    expect(headingAnchor("Base URLs: `sagemakerOpenAIBaseURL(...)`")).toBe(
      "base-urls-sagemakeropenaibaseurl",
    );
    expect(headingAnchor("The agent: `Agent`")).toBe("the-agent-agent");
  });

  for (const page of pages) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const broken: string[] = [];
      for (const link of relativeLinks(page)) {
        const [path = "", anchor] = link.split("#");
        const target = path === "" ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(root, target))) {
          broken.push(`${link} (no file ${relative(".", target)})`);
        } else if (anchor !== undefined && target.endsWith(".md")) {
          if (!anchorsOf(target).has(anchor)) broken.push(`${link} (no heading #${anchor})`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
