/**
 * JSON text as Python's `json.dumps(value, ensure_ascii=False)` writes it:
 * `", "` between items and `": "` after keys. vLLM re-serializes hermes tool
 * call arguments this way, and Qwen models, trained on such text, emit JSON in
 * the same style, so the demo model writes it too.
 */

/** Serializes `value` the way Python's `json.dumps(value, ensure_ascii=False)` would. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      // JSON has no NaN/Infinity; a model constrained to JSON never writes them.
      return Number.isFinite(value) ? String(value) : "null";
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return value.toString();
    case "object": {
      if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined && typeof item !== "function")
        .map(([key, item]) => `${JSON.stringify(key)}: ${pythonJsonDumps(item)}`);
      return `{${entries.join(", ")}}`;
    }
    default:
      return "null";
  }
}
