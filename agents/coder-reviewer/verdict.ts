/**
 * The reviewer's verdict: its schema (asked for with `withStructuredOutput`),
 * and a reader for verdicts that arrive as prose or as JSON inside text, for
 * models or servers that do not do structured output.
 */

import { z } from "zod";
import { splitInlineReasoning } from "../../src/model/reasoning/inline.js";

/** The structured verdict the reviewer is asked for. */
export const verdictSchema = z.object({
  approved: z
    .boolean()
    .describe("true only if the code is correct and needs no further change; false otherwise"),
  comments: z
    .array(z.string())
    .describe("Specific, actionable review comments; for an approval, a one-line summary"),
});

/** A verdict as the schema describes it. */
export type Verdict = z.infer<typeof verdictSchema>;

/** A verdict read from text, and whether the text actually decided it. */
export interface TextVerdict extends Verdict {
  /** False when no verdict could be read: then `approved` is false and `comments` holds the text. */
  decided: boolean;
}

const MAX_COMMENTS = 50;
const MAX_COMMENT_CHARS = 2_000;
/** How many `{` positions are tried as the start of a JSON verdict, and how far each may reach. */
const MAX_JSON_STARTS = 32;
const MAX_JSON_CHARS = 64_000;

/** Verdict markers a reviewer writes at the start of a line (after markdown decoration). */
const MARKER =
  /^(?:verdict\s*[:-]\s*)?(approved|approve|lgtm|looks good to me|changes requested|request changes|requesting changes|needs changes|changes needed|rejected|not approved)\b[\s:.!-]*(.*)$/i;

const APPROVING = new Set(["approved", "approve", "lgtm", "looks good to me"]);

function clip(comments: string[]): string[] {
  return comments
    .map((comment) => comment.trim().slice(0, MAX_COMMENT_CHARS))
    .filter((comment) => comment !== "")
    .slice(0, MAX_COMMENTS);
}

function undecorate(line: string): string {
  return line
    .trim()
    .replace(/^(?:#{1,6}\s+|>\s*)+/, "")
    .replace(/^[*_]{1,3}|[*_]{1,3}(?=\s*[:.-]|$)/g, "")
    .trim();
}

function bulletItems(lines: string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    const bullet = /^\s*(?:[-*•+]|\d{1,3}[.)])\s+(.*)$/.exec(line);
    if (bullet?.[1] !== undefined) items.push(bullet[1]);
    else if (items.length > 0 && line.trim() !== "" && /^\s/.test(line)) {
      items[items.length - 1] += ` ${line.trim()}`;
    }
  }
  return items;
}

function commentsFrom(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  return undefined;
}

function verdictFromObject(value: unknown): Verdict | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  let approved: boolean | undefined;
  if (typeof record.approved === "boolean") approved = record.approved;
  else if (typeof record.verdict === "string") {
    const marker = MARKER.exec(record.verdict.trim());
    if (marker?.[1] !== undefined) approved = APPROVING.has(marker[1].toLowerCase());
  }
  if (approved === undefined) return undefined;
  const comments = commentsFrom(record.comments ?? record.comment ?? record.review) ?? [];
  return { approved, comments: clip(comments) };
}

/** JSON objects in the text: fenced ```json blocks first, then each balanced `{...}` span. */
function* jsonCandidates(text: string): Generator<string> {
  for (const match of text.matchAll(/```(?:json)?[ \t]*\r?\n([\s\S]*?)```/gi)) {
    if (match[1] !== undefined) yield match[1];
  }
  // Bounded: a hostile text full of braces must not make this quadratic in its length.
  let starts = 0;
  for (
    let start = text.indexOf("{");
    start !== -1 && starts < MAX_JSON_STARTS;
    start = text.indexOf("{", start + 1), starts++
  ) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length && i - start < MAX_JSON_CHARS; i++) {
      const char = text[i];
      if (inString) {
        if (char === "\\") i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === "{") depth++;
      else if (char === "}" && --depth === 0) {
        yield text.slice(start, i + 1);
        break;
      }
    }
  }
}

function fromJson(text: string): Verdict | undefined {
  for (const candidate of jsonCandidates(text)) {
    try {
      const verdict = verdictFromObject(JSON.parse(candidate));
      if (verdict !== undefined) return verdict;
    } catch {
      // Not JSON after all; try the next candidate.
    }
  }
  return undefined;
}

function fromMarkers(text: string): Verdict | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(undecorate(lines[i] ?? ""));
    if (marker?.[1] === undefined) continue;
    const rest = lines.slice(i + 1);
    const bullets = bulletItems(rest);
    const inline = (marker[2] ?? "").trim();
    const paragraph = rest.join("\n").trim();
    const comments = [
      ...(inline === "" ? [] : [inline]),
      ...(bullets.length > 0 ? bullets : paragraph === "" ? [] : [paragraph]),
    ];
    return { approved: APPROVING.has(marker[1].toLowerCase()), comments: clip(comments) };
  }
  return undefined;
}

/**
 * Reads a verdict from a reviewer's text. Never throws.
 *
 * Tries, in order: a JSON object with a boolean `approved` (fenced or inline;
 * `comments` a list or a string), then a line starting with a marker
 * (`APPROVED`, `LGTM`, `CHANGES REQUESTED`, `REQUEST CHANGES`, `REJECTED`, ...,
 * optionally after `Verdict:` and markdown decoration) whose comments are the
 * rest of that line plus the bullet items (or the paragraph) below it.
 * Anything else is undecided: not approved, with the text as the one comment,
 * so an unclear review never passes code.
 */
export function parseVerdictText(text: string): TextVerdict {
  const answer = typeof text === "string" ? splitInlineReasoning(text).content : "";
  const verdict = fromJson(answer) ?? fromMarkers(answer);
  if (verdict !== undefined) return { ...verdict, decided: true };
  return { approved: false, comments: clip([answer]), decided: false };
}
