/**
 * The rule engine behind the demo model: picks the first rule of a script that
 * matches the conversation and that the request allows, fills in its
 * placeholders and shapes the reply to what the request asked for (a tool call,
 * JSON for `response_format`, arguments for a named `tool_choice`, or text).
 *
 * Feasibility: a tool-call reply is skipped when the request cannot take a tool
 * call (no tools, `tool_choice: "none"`, a JSON `response_format`, a named
 * choice of another function, or no offered tool matches), so a script can list
 * "call the tool" before "answer in text" and still work without tools.
 *
 * Placeholders in reply texts and string values: `{{tool_result}}`,
 * `{{tool_name}}`, `{{last_user}}` (a one-line excerpt), `{{code}}` (the fenced
 * code of the last user message) and `{{model}}`.
 */
import type { ConversationView, OfferedTool } from "./conversation.js";
import type { RequestMode } from "./request-checks.js";
import { fitToSchema, type ValueHints, valueFromSchema } from "./schema-values.js";
import type { Pattern, Script, ScriptReply, ScriptRule } from "./script-types.js";

/** What the demo model decided to produce, before it is written out as model text. */
export type Decision =
  | { kind: "text"; text: string; reasoning: string }
  | { kind: "json"; value: unknown; reasoning: string }
  | { kind: "tool"; name: string; args: unknown; reasoning: string };

interface CompiledRule {
  rule: ScriptRule;
  /** The compiled `tool` pattern of a tool-call reply. */
  toolPattern: RegExp | undefined;
  test: (view: ConversationView, mode: RequestMode) => boolean;
}

/** A script with its patterns compiled once. */
export interface CompiledScript {
  name: string;
  rules: CompiledRule[];
}

const PLACEHOLDER_MAX_CHARS = 4_000;

function regex(source: Pattern): RegExp {
  return new RegExp(source, "i");
}

function allMatch(sources: Pattern | Pattern[]): (text: string) => boolean {
  const compiled = (Array.isArray(sources) ? sources : [sources]).map(regex);
  return (value) => compiled.every((pattern) => pattern.test(value));
}

function isStructured(mode: RequestMode): boolean {
  return mode.format.kind !== "text" || mode.toolChoice.kind === "named";
}

function compileRule(rule: ScriptRule): CompiledRule {
  const when = rule.when ?? {};
  const checks: Array<(view: ConversationView, mode: RequestMode) => boolean> = [];
  if (when.lastRole !== undefined) checks.push((view) => view.lastRole === when.lastRole);
  if (when.lastUser !== undefined) {
    const test = allMatch(when.lastUser);
    checks.push((view) => test(view.lastUser));
  }
  if (when.code !== undefined) {
    const test = allMatch(when.code);
    checks.push((view) => view.code !== "" && test(view.code));
  }
  if (when.system !== undefined) {
    const pattern = regex(when.system);
    checks.push((view) => pattern.test(view.system));
  }
  if (when.toolOffered !== undefined) {
    const pattern = regex(when.toolOffered);
    checks.push((_view, mode) => mode.tools.some((tool) => pattern.test(tool.name)));
  }
  if (when.toolResult !== undefined) {
    const pattern = regex(when.toolResult);
    checks.push((view) => view.toolResult !== undefined && pattern.test(view.toolResult));
  }
  if (when.structured !== undefined) {
    const wanted = when.structured;
    checks.push((_view, mode) => isStructured(mode) === wanted);
  }
  return {
    rule,
    toolPattern: "tool" in rule.reply ? regex(rule.reply.tool) : undefined,
    test: (view, mode) => checks.every((check) => check(view, mode)),
  };
}

/** Compiles `scripts` into one rule list, in order (later scripts act as fallbacks). */
export function compileScripts(...scripts: Script[]): CompiledScript {
  return {
    name: scripts[0]?.name ?? "empty",
    rules: scripts.flatMap((script) => script.rules.map(compileRule)),
  };
}

/**
 * The offered tool a tool-call reply (`pattern`) calls, if the request allows
 * calling it; undefined when it does not; null for replies that are not tool calls.
 */
function toolFor(pattern: RegExp | undefined, mode: RequestMode): OfferedTool | undefined | null {
  if (pattern === undefined) return null;
  if (mode.format.kind !== "text") return undefined;
  const choice = mode.toolChoice;
  if (choice.kind === "none") return undefined;
  if (choice.kind === "named") {
    return pattern.test(choice.name) ? mode.tools.find((t) => t.name === choice.name) : undefined;
  }
  return mode.tools.find((tool) => pattern.test(tool.name));
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * The value of one placeholder, or undefined for an unknown name. Computed on
 * demand: most reply strings use one placeholder or none, and `last_user`
 * alone costs a whitespace pass over the user's message.
 */
function placeholderValue(name: string, view: ConversationView, model: string): string | undefined {
  switch (name) {
    case "tool_result":
      return (view.toolResult ?? "").trim().slice(0, PLACEHOLDER_MAX_CHARS);
    case "tool_name":
      return view.toolResultName ?? "tool";
    case "last_user":
      return oneLine(view.lastUser, 120);
    case "code":
      return view.code.slice(0, PLACEHOLDER_MAX_CHARS);
    case "model":
      return model;
    default:
      return undefined;
  }
}

/** Fills `{{name}}` placeholders from the conversation; unknown names stay as written. */
export function fillPlaceholders(template: string, view: ConversationView, model: string): string {
  // Most strings of a reply (argument values, reasoning) hold no placeholder: skip the regex.
  if (!template.includes("{{")) return template;
  return template.replace(
    PLACEHOLDER,
    (whole, name: string) => placeholderValue(name, view, model) ?? whole,
  );
}

function fillDeep(value: unknown, view: ConversationView, model: string): unknown {
  if (typeof value === "string") return fillPlaceholders(value, view, model);
  if (Array.isArray(value)) return value.map((item) => fillDeep(item, view, model));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillDeep(item, view, model)]),
    );
  }
  return value;
}

function defaultReasoning(kind: Decision["kind"], view: ConversationView, name?: string): string {
  const asked = oneLine(view.lastUser, 80) || "something";
  switch (kind) {
    case "tool":
      return `The user asks: "${asked}". I should call the \`${name}\` tool before answering.`;
    case "json":
      return `The user asks: "${asked}". I must answer with JSON that matches the requested schema.`;
    default:
      return view.toolResult !== undefined
        ? "The tool returned its result. I can use it to answer now."
        : `The user asks: "${asked}". I can answer directly.`;
  }
}

/** Shapes the chosen reply to the request: named choice, required call, JSON format or plain. */
function shape(
  compiled: CompiledRule | undefined,
  mode: RequestMode,
  view: ConversationView,
  model: string,
): Decision {
  const reply: ScriptReply = compiled?.rule.reply ?? { text: "" };
  const hints: ValueHints = { code: view.code, lastUser: view.lastUser };
  const filled = fillDeep(reply, view, model) as ScriptReply;
  const choice = mode.toolChoice;
  const toolCall = (tool: OfferedTool, value: unknown): Decision => {
    const args =
      value === undefined
        ? valueFromSchema(tool.parameters, hints)
        : fitToSchema(value, tool.parameters, hints);
    return {
      kind: "tool",
      name: tool.name,
      args,
      reasoning: filled.reasoning ?? defaultReasoning("tool", view, tool.name),
    };
  };

  if ("tool" in filled) {
    const tool = toolFor(compiled?.toolPattern, mode);
    if (tool) return toolCall(tool, filled.args ?? {});
  }
  if (choice.kind === "named" || choice.kind === "required") {
    const name = choice.kind === "named" ? choice.name : mode.tools[0]?.name;
    const tool = mode.tools.find((t) => t.name === name);
    if (tool) return toolCall(tool, "json" in filled ? filled.json : undefined);
  }
  if (mode.format.kind === "json_schema") {
    const value =
      "json" in filled
        ? fitToSchema(filled.json, mode.format.schema, hints)
        : valueFromSchema(mode.format.schema, hints);
    return { kind: "json", value, reasoning: filled.reasoning ?? defaultReasoning("json", view) };
  }
  if (mode.format.kind === "json_object") {
    const value = "json" in filled ? filled.json : { answer: "text" in filled ? filled.text : "" };
    return { kind: "json", value, reasoning: filled.reasoning ?? defaultReasoning("json", view) };
  }
  const text =
    "text" in filled && filled.text !== undefined
      ? filled.text
      : "json" in filled
        ? JSON.stringify(filled.json)
        : "";
  return { kind: "text", text, reasoning: filled.reasoning ?? defaultReasoning("text", view) };
}

/** The rule of `script` that answers this request, or undefined when none matches. */
export function selectRule(
  script: CompiledScript,
  view: ConversationView,
  mode: RequestMode,
): ScriptRule | undefined {
  return findRule(script, view, mode)?.rule;
}

function findRule(
  script: CompiledScript,
  view: ConversationView,
  mode: RequestMode,
): CompiledRule | undefined {
  return script.rules.find(
    (compiled) => toolFor(compiled.toolPattern, mode) !== undefined && compiled.test(view, mode),
  );
}

/** Decides what the demo model answers: the first feasible matching rule, shaped to the request. */
export function decide(
  script: CompiledScript,
  view: ConversationView,
  mode: RequestMode,
  model: string,
): Decision {
  return shape(findRule(script, view, mode), mode, view, model);
}
