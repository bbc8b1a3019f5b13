/**
 * Fenced code blocks of a Markdown file, with where they start, so a failing
 * block can be reported as `docs/tokens.md:42`.
 *
 * A TypeScript block's info string is `ts` or `typescript`, optionally followed
 * by one marker: `runnable` (the test runs it offline) or `skip` (a fragment that
 * is not type-checked; keep those rare). Anything else after the language is
 * reported as an unknown marker, so a typo cannot silently turn a check off.
 */

/** A marker a TypeScript block may carry after its language. */
export type BlockMarker = "runnable" | "skip";

/** One fenced code block. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in `file`. */
  line: number;
  /** The info string's first word, lower-cased (`ts`, `sh`, ...); `""` when there is none. */
  language: string;
  /** The words after the language. */
  markers: string[];
  /** The code between the fences, ending with a newline unless empty. */
  code: string;
}

/** The languages whose blocks are TypeScript. */
const TYPESCRIPT_LANGUAGES = new Set(["ts", "typescript"]);

/** The markers a TypeScript block may carry. */
export const BLOCK_MARKERS: readonly BlockMarker[] = ["runnable", "skip"];

// CommonMark: up to three spaces, then three or more backticks or tildes, then the info string.
const OPENING_FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Every fenced block of `markdown`, in order. A fence closes on a line of the
 * same character at least as long as the opening one and nothing else, so a
 * four-backtick block can show a three-backtick one inside it; an unclosed
 * block runs to the end of the file, as CommonMark has it.
 */
export function extractCodeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const opening = OPENING_FENCE.exec(lines[index] ?? "");
    index += 1;
    if (opening === null) continue;
    const fence = opening[1] ?? "```";
    const info = (opening[2] ?? "").trim();
    // A backtick fence's info string cannot contain a backtick (CommonMark); that line is text.
    if (fence.startsWith("`") && info.includes("`")) continue;
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    const start = index;
    while (index < lines.length && !closing.test(lines[index] ?? "")) index += 1;
    const body = lines.slice(start, index);
    index += 1; // past the closing fence
    const [language = "", ...markers] = info.split(/\s+/).filter((word) => word !== "");
    blocks.push({
      file,
      line: start + 1,
      language: language.toLowerCase(),
      markers,
      code: body.length === 0 ? "" : `${body.join("\n")}\n`,
    });
  }
  return blocks;
}

/** Whether `block` is a TypeScript block. */
export function isTypeScriptBlock(block: CodeBlock): boolean {
  return TYPESCRIPT_LANGUAGES.has(block.language);
}

/** Whether a TypeScript block carries `marker`. */
export function hasMarker(block: CodeBlock, marker: BlockMarker): boolean {
  return block.markers.includes(marker);
}

/** The markers of a TypeScript block that are not {@link BLOCK_MARKERS}. */
export function unknownMarkers(block: CodeBlock): string[] {
  return block.markers.filter((marker) => !(BLOCK_MARKERS as readonly string[]).includes(marker));
}
