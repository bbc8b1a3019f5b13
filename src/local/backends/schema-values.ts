/**
 * Values that fit a JSON schema, for the demo model's tool arguments and
 * structured answers: {@link valueFromSchema} invents a sensible value (an
 * arithmetic expression for an `expression` string, the code under review for
 * a `code` string), {@link fitToSchema} keeps a scripted value where it fits
 * and fills in the rest.
 *
 * Schemas come from requests, so everything is read defensively: unknown
 * keywords are ignored, `$ref` cycles and deep nesting stop at a fixed depth,
 * and nothing throws.
 */

/** Text from the conversation that makes generated strings plausible. */
export interface ValueHints {
  /** Code from the last user message, for `code`/`source` arguments. */
  code?: string;
  /** The last user message, for `query`/`text` arguments. */
  lastUser?: string;
}

type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;
const MAX_ARRAY_ITEMS = 3;
/** Recursive `$ref`s can branch exponentially within the depth limit; this caps the work. */
const MAX_NODES = 2_000;

function exhausted(context: Context): boolean {
  context.budget.left -= 1;
  return context.depth > MAX_DEPTH || context.budget.left < 0;
}

interface Context {
  root: Schema;
  hints: ValueHints;
  depth: number;
  /** Schema nodes still allowed to be visited, shared by the whole walk. */
  budget: { left: number };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/$defs/X`, `#/definitions/X`, any `#/a/b` pointer). */
function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith("#")) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = isRecord(node) ? node[key] : undefined;
  }
  return isRecord(node) ? node : {};
}

/** The schema to generate from: `$ref` followed, the first non-null branch of `anyOf`/`oneOf`, `allOf` merged. */
function normalize(input: unknown, context: Context): Schema {
  // `$ref` cycles through anyOf/allOf (`{"anyOf": [{"$ref": "#"}]}`) end here.
  if (exhausted(context)) return {};
  let schema: Schema = isRecord(input) ? input : {};
  for (let hops = 0; typeof schema.$ref === "string" && hops < MAX_DEPTH; hops++) {
    schema = { ...resolveRef(schema.$ref, context.root), ...withoutKey(schema, "$ref") };
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const usable = branches.filter((b) => b !== false);
      const branch = usable.find((b) => !(isRecord(b) && b.type === "null")) ?? usable[0];
      schema = { ...withoutKey(schema, key), ...normalize(branch, deeper(context)) };
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = withoutKey(schema, "allOf");
    const properties: Schema = isRecord(merged.properties) ? { ...merged.properties } : {};
    for (const part of schema.allOf) {
      const normal = normalize(part, deeper(context));
      Object.assign(merged, withoutKey(normal, "properties"));
      if (isRecord(normal.properties)) Object.assign(properties, normal.properties);
    }
    if (Object.keys(properties).length > 0) merged.properties = properties;
    schema = merged;
  }
  return schema;
}

function withoutKey(schema: Schema, key: string): Schema {
  const { [key]: _dropped, ...rest } = schema;
  return rest;
}

function deeper(context: Context): Context {
  return { ...context, depth: context.depth + 1 };
}

/** The JSON type a schema describes, inferred from its keywords when `type` is absent. */
function schemaType(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type)
    ? (schema.type.find((t) => t !== "null") ?? schema.type[0])
    : schema.type;
  if (typeof type === "string") return type;
  if (isRecord(schema.properties)) return "object";
  if (isRecord(schema.items) || Array.isArray(schema.prefixItems)) return "array";
  return undefined;
}

const STRING_HINTS: Array<[RegExp, (hints: ValueHints) => string]> = [
  [/expr|formula|equation|calculation|math/, () => "(12 + 30) * 2"],
  [/code|source|snippet|program|script/, (h) => h.code || 'print("hello")'],
  [/lang/, () => "python"],
  [/url|uri|link|href/, () => "https://example.com"],
  [/email/, () => "user@example.com"],
  [/city|location|place|address/, () => "Seattle"],
  [/date|time/, () => "2025-01-01"],
  [/unit/, () => "celsius"],
  [/comment|reason|feedback|review|summary|explanation|note/, () => "Looks good."],
  [/query|question|prompt|search|text|input|message|topic/, (h) => excerpt(h.lastUser) || "hello"],
  [/name|title|label/, () => "demo"],
  [/^id$|_id$|Id$/, () => "1"],
];

function excerpt(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim().slice(0, 200);
}

function stringValue(schema: Schema, key: string, hints: ValueHints): string {
  let value: string | undefined;
  if (typeof schema.format === "string") {
    value = {
      "date-time": "2025-01-01T00:00:00Z",
      date: "2025-01-01",
      time: "00:00:00",
      email: "user@example.com",
      uri: "https://example.com",
      url: "https://example.com",
      uuid: "00000000-0000-4000-8000-000000000000",
    }[schema.format];
  }
  if (value === undefined) {
    const lower = key.toLowerCase();
    const hint = STRING_HINTS.find(([pattern]) => pattern.test(lower) || pattern.test(key));
    value = hint ? hint[1](hints) : "example";
  }
  return clampLength(value, schema);
}

/** `value` padded or cut to the schema's `minLength`/`maxLength`. */
function clampLength(text: string, schema: Schema): string {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  const padded = text.length < min ? text.padEnd(Math.min(min, 10_000), "x") : text;
  return padded.slice(0, Math.max(0, max));
}

/** `value` moved into the schema's bounds (and rounded, for an integer). */
function clampNumber(start: number, schema: Schema, integer: boolean): number {
  let value = integer ? Math.round(start) : start;
  const lowest =
    typeof schema.minimum === "number"
      ? schema.minimum
      : typeof schema.exclusiveMinimum === "number"
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const highest =
    typeof schema.maximum === "number"
      ? schema.maximum
      : typeof schema.exclusiveMaximum === "number"
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  if (lowest !== undefined && value < lowest) value = lowest;
  if (highest !== undefined && value > highest) value = highest;
  if (!integer) return value;
  // Integers a JavaScript client can read back exactly.
  return Math.min(Math.max(Math.ceil(value), Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}

function numberValue(schema: Schema, integer: boolean): number {
  return clampNumber(integer ? 42 : 42.5, schema, integer);
}

function generate(input: unknown, key: string, context: Context): unknown {
  if (exhausted(context)) return null;
  const schema = normalize(input, context);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.find((item) => item !== null) ?? schema.enum[0];
  }
  if ("default" in schema && schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  switch (schemaType(schema)) {
    case "object": {
      const result: Record<string, unknown> = {};
      const properties = isRecord(schema.properties) ? schema.properties : {};
      for (const [name, property] of Object.entries(properties)) {
        // A `false` schema forbids the property: leave it out.
        if (property === false) continue;
        result[name] = generate(property, name, deeper(context));
      }
      return result;
    }
    case "array": {
      if (schema.items === false) return [];
      const itemSchema = isRecord(schema.items) ? schema.items : {};
      const min = typeof schema.minItems === "number" ? schema.minItems : 1;
      const max = typeof schema.maxItems === "number" ? schema.maxItems : MAX_ARRAY_ITEMS;
      const count = Math.max(0, Math.min(Math.max(min, 1), max, MAX_ARRAY_ITEMS));
      return Array.from({ length: count }, () => generate(itemSchema, key, deeper(context)));
    }
    case "integer":
      return numberValue(schema, true);
    case "number":
      return numberValue(schema, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return stringValue(schema, key, context.hints);
  }
}

/**
 * A value valid for `schema`, made up from its keywords and the name of the
 * property it is for (`key`). `root` resolves `$ref`s (defaults to `schema`).
 */
export function valueFromSchema(
  schema: unknown,
  hints: ValueHints = {},
  key = "",
  root: unknown = schema,
): unknown {
  return generate(schema, key, {
    root: isRecord(root) ? root : {},
    hints,
    depth: 0,
    budget: { left: MAX_NODES },
  });
}

function fitValue(value: unknown, input: unknown, key: string, context: Context): unknown {
  if (exhausted(context)) return null;
  if (value === undefined) return generate(input, key, context);
  const raw = isRecord(input) ? input : {};
  for (const branchKey of ["anyOf", "oneOf"] as const) {
    const branches = raw[branchKey];
    if (Array.isArray(branches) && branches.some((b) => fits(value, normalize(b, context)))) {
      const branch = branches.find((b) => fits(value, normalize(b, context)));
      return fitValue(value, branch, key, deeper(context));
    }
  }
  const schema = normalize(input, context);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.includes(value) ? value : generate(schema, key, context);
  }
  switch (schemaType(schema)) {
    case "object": {
      if (!isRecord(value)) return generate(schema, key, context);
      if (!isRecord(schema.properties)) return value;
      const result: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties)) {
        if (property === false) continue;
        result[name] = fitValue(value[name], property, name, deeper(context));
      }
      if (schema.additionalProperties !== false) {
        const declared = schema.properties;
        for (const [name, item] of Object.entries(value)) {
          if (!(name in declared)) result[name] = item;
        }
      }
      return result;
    }
    case "array": {
      if (!Array.isArray(value)) return generate(schema, key, context);
      const items = value.map((item) => fitValue(item, schema.items, key, deeper(context)));
      const min = typeof schema.minItems === "number" ? Math.min(schema.minItems, 100) : 0;
      while (items.length < min) items.push(generate(schema.items, key, deeper(context)));
      return typeof schema.maxItems === "number" ? items.slice(0, schema.maxItems) : items;
    }
    case "string":
      if (typeof value === "string") return clampLength(value, schema);
      return typeof value === "number" || typeof value === "boolean"
        ? clampLength(String(value), schema)
        : generate(schema, key, context);
    case "integer":
    case "number":
      return typeof value === "number" && Number.isFinite(value)
        ? clampNumber(value, schema, schemaType(schema) === "integer")
        : generate(schema, key, context);
    case "boolean":
      return typeof value === "boolean" ? value : generate(schema, key, context);
    case "null":
      return null;
    default:
      return value;
  }
}

/** Whether `value` has the JSON type `schema` asks for (a shallow check, to pick an `anyOf` branch). */
function fits(value: unknown, schema: Schema): boolean {
  switch (schemaType(schema)) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true;
  }
}

/**
 * `value` made valid for `schema`: parts that fit are kept, missing or
 * ill-typed parts are generated as {@link valueFromSchema} would.
 */
export function fitToSchema(
  value: unknown,
  schema: unknown,
  hints: ValueHints = {},
  root: unknown = schema,
): unknown {
  return fitValue(value, schema, "", {
    root: isRecord(root) ? root : {},
    hints,
    depth: 0,
    budget: { left: MAX_NODES },
  });
}
