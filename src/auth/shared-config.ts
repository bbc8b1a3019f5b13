/**
 * A minimal reader for the AWS shared config file (`~/.aws/config`), just
 * enough to find the active profile's `region`.
 *
 * Why not the AWS SDK's loader: it now lives inside `@smithy/core` (not a
 * dependency of ours) and is asynchronous, while `createSageMakerOpenAIClient`
 * needs the region synchronously to build the base URL. The parsing follows
 * the SDK's rules: `[default]` or `[profile name]` sections, `key = value`
 * lines, `#`/`;` comments at line start or after whitespace, indented lines are
 * sub-properties, and a later value wins.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

function sectionProfile(header: string): string | undefined {
  const name = header.trim();
  if (name === "default") {
    return "default";
  }
  const match = /^profile\s+(\S+)$/.exec(name);
  return match?.[1];
}

/**
 * The `region` of `profile` in the text of a shared config file, or
 * `undefined` when the profile or its region is absent. Never throws.
 */
export function profileRegionFromConfig(text: string, profile: string): string | undefined {
  let current: string | undefined;
  let region: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.split(/(?:^|\s)[;#]/)[0] ?? "";
    if (line.trim() === "") {
      continue;
    }
    const header = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (header !== null) {
      current = sectionProfile(header[1] ?? "");
      continue;
    }
    if (current !== profile || /^\s/.test(line)) {
      continue;
    }
    const equals = line.indexOf("=");
    if (equals > 0 && line.slice(0, equals).trim() === "region") {
      region = line.slice(equals + 1).trim();
    }
  }
  return region === "" ? undefined : region;
}

/** The active profile, the config file consulted, and the region found there, if any. */
export interface ProfileRegion {
  profile: string;
  file: string;
  region?: string;
}

/**
 * Reads the active profile's region (`AWS_PROFILE`, else `default`) from
 * `AWS_CONFIG_FILE`, else `~/.aws/config`. A missing or unreadable file means
 * no region, not an error: the caller reports every source it tried.
 */
export function readProfileRegion(env: NodeJS.ProcessEnv = process.env): ProfileRegion {
  const profile = env.AWS_PROFILE || "default";
  const file = env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { profile, file };
  }
  const region = profileRegionFromConfig(text, profile);
  return region === undefined ? { profile, file } : { profile, file, region };
}
