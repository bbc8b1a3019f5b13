/**
 * Where each saved `review` run was sent (region, endpoint, components, base
 * URL, or the offline demo), as the run registry (`run-store.ts`) records it
 * next to the checkpoints, so `--resume` goes back to the same models instead
 * of whatever the environment says today.
 *
 * Only those non-secret names are written: the fields are copied one by one,
 * so nothing else a target may carry (now or later) reaches the store.
 */
import { ConfigurationError } from "../../src/errors.js";
import type { ReviewTarget } from "./settings.js";

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

/** The stored form of `target` (JSON of its names only, never a credential). */
export function targetRecord(target: ReviewTarget): string {
  return JSON.stringify(storable(target));
}

/**
 * The target stored for run `threadId`.
 * @throws {@link ConfigurationError} `STATE_TARGET_UNREADABLE` when the record is damaged.
 */
export function parseTargetRecord(text: string, threadId: string): ReviewTarget {
  const target = parseStored(text);
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
  return targetRecord(a) === targetRecord(b);
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
