/**
 * The deployment record: which SageMaker resources a deploy asked for, so that
 * clean-up deletes exactly those. Written to disk before each create call, so
 * a crash part-way cannot leave a billed resource nobody knows the name of.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { isValidResourceName } from "../addressing/names.js";
import { isValidRegion } from "../addressing/region.js";
import { DeploymentPlanError } from "./errors.js";
import type { CreateCall } from "./steps.js";

/** An inference component in a {@link DeploymentRecord}. */
export interface RecordedComponent {
  /** The SageMaker name, used in the OpenAI base URL and for deletion. */
  inferenceComponentName: string;
  /** The logical name from the plan (e.g. `coder`), if known. */
  component?: string;
}

/** What a deploy created (or would create, for a dry run). JSON-serialisable. */
export interface DeploymentRecord {
  /** Format version of this record. */
  version: 1;
  region: string;
  /** ISO 8601 time the deploy started. */
  createdAt: string;
  endpointName?: string;
  endpointConfigName?: string;
  modelNames: string[];
  inferenceComponents: RecordedComponent[];
}

/** A record with nothing in it yet. */
export function emptyRecord(region: string, createdAt: Date = new Date()): DeploymentRecord {
  return {
    version: 1,
    region,
    createdAt: createdAt.toISOString(),
    modelNames: [],
    inferenceComponents: [],
  };
}

/**
 * Adds the resource a create call asks for to `record` (in place). `component`
 * is the logical name of an inference component.
 */
export function noteCreated(record: DeploymentRecord, call: CreateCall, component?: string): void {
  switch (call.operation) {
    case "CreateModel":
      record.modelNames.push(call.input.ModelName ?? "");
      break;
    case "CreateEndpointConfig":
      record.endpointConfigName = call.input.EndpointConfigName;
      break;
    case "CreateEndpoint":
      record.endpointName = call.input.EndpointName;
      break;
    case "CreateInferenceComponent":
      record.inferenceComponents.push({
        inferenceComponentName: call.input.InferenceComponentName ?? "",
        ...(component !== undefined && { component }),
      });
      break;
  }
}

function bad(message: string, cause?: unknown): DeploymentPlanError {
  return new DeploymentPlanError("INVALID_RECORD", `Deployment record: ${message}`, { cause });
}

function optionalName(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !isValidResourceName(value)) {
    throw bad(
      `${what} ${JSON.stringify(value)?.slice(0, 80) ?? "undefined"} is not a SageMaker name (1-63 letters, digits and hyphens).`,
    );
  }
  return value;
}

/**
 * Checks that `value` (e.g. `JSON.parse` of a record file) is a well-formed
 * record and returns a clean copy with only the known fields. Every name must
 * satisfy SageMaker's name rule and the region must look like a region.
 *
 * @throws {@link DeploymentPlanError} `INVALID_RECORD` saying which field is wrong.
 */
export function parseDeploymentRecord(value: unknown): DeploymentRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad("expected a JSON object.");
  }
  const v = value as Record<string, unknown>;
  if (v.version !== 1)
    throw bad(`unsupported version ${JSON.stringify(v.version) ?? "undefined"}; expected 1.`);
  if (typeof v.region !== "string" || !isValidRegion(v.region)) {
    throw bad('region must be an AWS region name like "us-west-2".');
  }
  if (typeof v.createdAt !== "string" || Number.isNaN(Date.parse(v.createdAt))) {
    throw bad("createdAt must be an ISO 8601 date string.");
  }
  if (!Array.isArray(v.modelNames)) throw bad("modelNames must be an array.");
  if (!Array.isArray(v.inferenceComponents)) throw bad("inferenceComponents must be an array.");
  const modelNames = v.modelNames.map((name) => {
    const checked = optionalName(name, "every model name");
    if (checked === undefined) throw bad("modelNames must hold strings.");
    return checked;
  });
  const inferenceComponents = v.inferenceComponents.map((entry): RecordedComponent => {
    if (typeof entry !== "object" || entry === null)
      throw bad("inferenceComponents must hold objects.");
    const e = entry as Record<string, unknown>;
    const name = optionalName(e.inferenceComponentName, "Inference component name");
    if (name === undefined) throw bad("every inference component needs an inferenceComponentName.");
    if (e.component !== undefined && typeof e.component !== "string")
      throw bad("component must be a string.");
    return {
      inferenceComponentName: name,
      ...(e.component !== undefined && { component: e.component }),
    };
  });
  const endpointName = optionalName(v.endpointName, "Endpoint name");
  const endpointConfigName = optionalName(v.endpointConfigName, "Endpoint config name");
  return {
    version: 1,
    region: v.region,
    createdAt: v.createdAt,
    ...(endpointName !== undefined && { endpointName }),
    ...(endpointConfigName !== undefined && { endpointConfigName }),
    modelNames,
    inferenceComponents,
  };
}

/** Reads and checks a record file written by a deploy. */
export async function readDeploymentRecord(path: string): Promise<DeploymentRecord> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw bad(`cannot read ${JSON.stringify(path)}; pass the file a deploy wrote.`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(`${JSON.stringify(path)} is not JSON.`, error);
  }
  return parseDeploymentRecord(json);
}

/** The record as the JSON text deploy writes: stable key order, two-space indent, final newline. */
export function formatDeploymentRecord(record: DeploymentRecord): string {
  // A replacer list fixes the key order; it applies at every depth, so it names the nested keys too.
  const keys: Array<keyof DeploymentRecord | keyof RecordedComponent> = [
    "version",
    "region",
    "createdAt",
    "endpointName",
    "endpointConfigName",
    "modelNames",
    "inferenceComponents",
    "component",
    "inferenceComponentName",
  ];
  return `${JSON.stringify(record, keys, 2)}\n`;
}

/**
 * Creates the record file, refusing to replace an existing one: it may be the
 * only note of another deployment that is still running (and billed).
 */
export async function createRecordFile(path: string, record: DeploymentRecord): Promise<void> {
  try {
    await writeFile(path, formatDeploymentRecord(record), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new DeploymentPlanError(
        "RECORD_EXISTS",
        `Record file ${JSON.stringify(path)} already exists. Clean that deployment up first, or choose another path.`,
      );
    }
    throw bad(`cannot create ${JSON.stringify(path)}.`, error);
  }
}

/** Replaces the record file atomically, so a crash mid-write cannot leave half a record. */
export async function updateRecordFile(path: string, record: DeploymentRecord): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, formatDeploymentRecord(record));
  await rename(temporary, path);
}
