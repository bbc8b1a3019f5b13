/**
 * The data a demo-model script is made of. A script is an ordered list of
 * rules; the first rule whose conditions all hold (and whose reply the request
 * allows, see `script-engine.ts`) decides the answer. Scripts are plain data so
 * that behaviours live in one readable table per script and can also be given
 * inline in a local endpoint config file.
 *
 * Patterns are JavaScript regular expression sources, matched case-insensitively.
 */
import { z } from "zod";

/** A regular expression source, matched case-insensitively (`"review"`, `"^calculator$"`). */
export type Pattern = string;

/** When a rule applies. Every condition given must hold; an empty condition always holds. */
export interface RuleCondition {
  /** Role of the last message in the conversation. */
  lastRole?: "system" | "user" | "assistant" | "tool";
  /** Pattern(s) that must all match the text of the last `user` message. */
  lastUser?: Pattern | Pattern[];
  /** Pattern(s) that must all match the fenced code blocks (```...```) of the last user message. */
  code?: Pattern | Pattern[];
  /** Pattern that must match the system prompt (all system messages joined). */
  system?: Pattern;
  /** Pattern that must match the name of at least one tool the request offers. */
  toolOffered?: Pattern;
  /** Pattern that must match the content of the latest tool result after the last user message. */
  toolResult?: Pattern;
  /** Whether the request asks for structured output (`response_format` JSON or a named `tool_choice`). */
  structured?: boolean;
}

/** Answer with text. Placeholders such as `{{tool_result}}` are filled in (see `script-engine.ts`). */
export interface TextReply {
  text: string;
  /** The think text to emit when reasoning is on; a generic one otherwise. */
  reasoning?: string;
}

/** Call the first offered tool whose name matches `tool`, with `args` fitted to its schema. */
export interface ToolReply {
  tool: Pattern;
  /** Arguments; missing or ill-typed ones are generated from the tool's JSON schema. */
  args?: Record<string, unknown>;
  reasoning?: string;
}

/**
 * A structured answer: `json` is the value returned for `response_format`
 * JSON or a named `tool_choice` (fitted to the requested schema); `text` is the
 * prose answer when the request asks for neither.
 */
export interface JsonReply {
  json: unknown;
  text?: string;
  reasoning?: string;
}

/** What a rule answers. */
export type ScriptReply = TextReply | ToolReply | JsonReply;

/** One row of a script: a condition and a reply. */
export interface ScriptRule {
  /** A short label, shown in nothing but error messages and tests. */
  name?: string;
  when?: RuleCondition;
  reply: ScriptReply;
}

/** A named, ordered list of rules. */
export interface Script {
  name: string;
  description?: string;
  rules: ScriptRule[];
}

const pattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source, "i");
      return true;
    } catch {
      return false;
    }
  },
  { message: "not a valid regular expression" },
);

const patterns = z.union([pattern, z.array(pattern)]);

const reasoning = z.string().optional();

/** Validates a {@link Script} given as data (for example inline in a config file). */
export const scriptSchema: z.ZodType<Script, Script> = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  rules: z.array(
    z.strictObject({
      name: z.string().optional(),
      when: z
        .strictObject({
          lastRole: z.enum(["system", "user", "assistant", "tool"]).optional(),
          lastUser: patterns.optional(),
          code: patterns.optional(),
          system: pattern.optional(),
          toolOffered: pattern.optional(),
          toolResult: pattern.optional(),
          structured: z.boolean().optional(),
        })
        .optional(),
      reply: z.union([
        z.strictObject({ text: z.string(), reasoning }),
        z.strictObject({
          tool: pattern,
          args: z.record(z.string(), z.unknown()).optional(),
          reasoning,
        }),
        z
          .strictObject({ json: z.unknown(), text: z.string().optional(), reasoning })
          .refine((reply) => reply.json !== undefined, { message: "json reply needs a value" }),
      ]),
    }),
  ),
});
