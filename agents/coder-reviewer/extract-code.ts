/**
 * Getting the code out of a coder's answer. The prompt asks for one fenced
 * block and nothing else, but models add prose, several blocks, a think block,
 * or stop before the closing fence; this takes the block that is the answer.
 */
import { splitInlineReasoning } from "../../src/model/reasoning/inline.js";

/** What {@link extractCode} found. */
export interface ExtractedCode {
  /** The code, without the fence lines, leading blank lines or trailing whitespace. */
  code: string;
  /** The fence's language tag in lower case (`python`), if the code came from a tagged fence. */
  language?: string;
  /** False when the answer had no fence and the whole text was taken as code. */
  fenced: boolean;
}

interface Block {
  language: string;
  code: string;
  closed: boolean;
}

/** An opening fence: up to 3 spaces, 3+ backticks or tildes, an info string (no backticks for ```). */
const OPEN_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;

/** Tags that name the same language, so `py` code counts as the `python` the coder was asked for. */
const ALIASES: Record<string, string> = {
  py: "python",
  python3: "python",
  py3: "python",
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  node: "javascript",
};

function canonical(language: string): string {
  const lower = language.toLowerCase();
  return ALIASES[lower] ?? lower;
}

function tidy(code: string): string {
  return code.replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
}

function isClosingFence(line: string, fence: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  const marks = match?.[1];
  return marks !== undefined && marks[0] === fence[0] && marks.length >= fence.length;
}

function fencedBlocks(text: string): Block[] {
  const lines = text.split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN_FENCE.exec(lines[i] ?? "");
    const fence = open?.[1];
    if (open === null || fence === undefined) continue;
    const language = open[2] ?? "";
    let end = i + 1;
    while (end < lines.length && !isClosingFence(lines[end] ?? "", fence)) end++;
    const closed = end < lines.length;
    let body = lines.slice(i + 1, end).join("\n");
    // A model that stops right after the code sometimes glues the fence to the last line.
    if (!closed && body.trimEnd().endsWith(fence)) body = body.trimEnd().slice(0, -fence.length);
    blocks.push({ language, code: body, closed });
    i = end;
  }
  return blocks;
}

function better(a: Block, b: Block): Block {
  if (a.closed !== b.closed) return a.closed ? a : b;
  return b.code.trim().length > a.code.trim().length ? b : a;
}

/**
 * Extracts the code from a model's answer. Never throws.
 *
 * Rules, in order: a leading `<think>` block is dropped; among fenced blocks
 * (``` or ~~~, CommonMark closing rules) those tagged with `language` (aliases
 * such as `py` count) win, then any block; among those, a closed block beats
 * one the answer cut off, then the longest wins. An answer with no fence at all
 * is taken whole, trimmed.
 *
 * @param language - the language asked for, e.g. `python`; optional.
 */
export function extractCode(answer: string, language?: string): ExtractedCode {
  const text = typeof answer === "string" ? splitInlineReasoning(answer).content : "";
  const blocks = fencedBlocks(text).filter((block) => block.code.trim() !== "");
  if (blocks.length === 0) return { code: tidy(text), fenced: false };
  const wanted = language === undefined ? undefined : canonical(language);
  const tagged = blocks.filter((block) => canonical(block.language) === wanted);
  const pool = tagged.length > 0 ? tagged : blocks;
  const best = pool.reduce(better);
  const tag = best.language.toLowerCase();
  return { code: tidy(best.code), fenced: true, ...(tag === "" ? {} : { language: tag }) };
}

/** Wraps code in a fence that its own content cannot close (longer than any backtick run in it). */
export function fenceCode(code: string, language = ""): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${code}\n${fence}`;
}
