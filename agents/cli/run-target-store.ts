/**
 * Where each saved `review` run was sent (region, endpoint, components, base
 * URL, or the offline demo), kept next to its checkpoints so `--resume` goes
 * back to the same models instead of whatever the environment says today.
 *
 * Only those non-secret names are written: the fields are copied one by one,
 * so nothing else a target may carry (now or later) reaches the file.
 */
import { ConfigurationError } from "../../src/errors.js";
import type { SqliteCheckpointSaver } from "../checkpoint/sqlite-saver.js";
import type { ReviewTarget } from "./settings.js";

const CREATE_TABLE =
  "CREATE TABLE IF NOT EXISTS review_run_targets (thread_id TEXT PRIMARY KEY, target TEXT NOT NULL)";

/** The stored form: a fixed key order, so equal targets have equal JSON. */
function storable(target: ReviewTarget): ReviewTarget {
  if (target.kind === "demo") return { kind: "demo" };
  const { region, endpointName, coderComponent, reviewerComponent, baseURL } = target;
  return {
    kind: "endpoint",
    region,
    endpointName,
    ...(coderComponent === undefined ? {} : { coderComponent }),
    ...(reviewerComponent === undefined ? {} : { reviewerComponent }),
    ...(baseURL === undefined ? {} : { baseURL }),
  };
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === "string";
}

function parseStored(text: string): ReviewTarget | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === "demo") return { kind: "demo" };
  if (
    v.kind !== "endpoint" ||
    typeof v.region !== "string" ||
    typeof v.endpointName !== "string" ||
    !optionalString(v.coderComponent) ||
    !optionalString(v.reviewerComponent) ||
    !optionalString(v.baseURL)
  ) {
    return undefined;
  }
  return storable(v as ReviewTarget);
}

/** Records where the run `threadId` is sent (its names only, never a credential). */
export function saveRunTarget(
  store: SqliteCheckpointSaver,
  threadId: string,
  target: ReviewTarget,
): void {
  store.db.exec(CREATE_TABLE);
  store.db
    .prepare("INSERT OR REPLACE INTO review_run_targets (thread_id, target) VALUES (?, ?)")
    .run(threadId, JSON.stringify(storable(target)));
}

/**
 * Where the run `threadId` was sent, or undefined for a run saved before
 * targets were recorded.
 * @throws {@link ConfigurationError} `STATE_TARGET_UNREADABLE` when the record is damaged.
 */
export function loadRunTarget(
  store: SqliteCheckpointSaver,
  threadId: string,
): ReviewTarget | undefined {
  store.db.exec(CREATE_TABLE);
  const row = store.db
    .prepare("SELECT target FROM review_run_targets WHERE thread_id = ?")
    .get(threadId) as { target: string } | undefined;
  if (row === undefined) return undefined;
  const target = parseStored(row.target);
  if (target === undefined) {
    // Guessing a target here could send a real run's work to the wrong models.
    throw new ConfigurationError(
      "STATE_TARGET_UNREADABLE",
      `The saved target of run ${threadId} is damaged; start a new run.`,
    );
  }
  return target;
}

/** Whether `a` and `b` send the models' requests to the same place. */
export function sameTarget(a: ReviewTarget, b: ReviewTarget): boolean {
  return JSON.stringify(storable(a)) === JSON.stringify(storable(b));
}

/** One phrase for a message: `endpoint agents (coder, reviewer) in us-west-2 via URL`. */
export function describeTarget(target: ReviewTarget): string {
  if (target.kind === "demo") return "the offline demo";
  const components = [target.coderComponent, target.reviewerComponent]
    .map((c) => c ?? "the endpoint itself")
    .join(", ");
  const via = target.baseURL === undefined ? "" : ` via ${target.baseURL}`;
  return `endpoint ${target.endpointName} (${components}) in ${target.region}${via}`;
}
