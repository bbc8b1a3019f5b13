/**
 * Which region a token is minted for: the explicit option, else `AWS_REGION`,
 * else `AWS_DEFAULT_REGION`, else the active profile's `region` in the shared
 * config file. Whatever the source, the value must have the shape of an AWS
 * region, because the same value later becomes part of the endpoint hostname.
 */
import { assertRegion } from "../addressing/region.js";
import { ConfigurationError } from "../errors.js";
import { readProfileRegion } from "./shared-config.js";

/**
 * Resolves and validates the region synchronously (no network).
 *
 * Throws `INVALID_REGION` naming the source of a malformed value, or
 * `REGION_UNRESOLVED` (a {@link ConfigurationError}) listing every source tried.
 * Empty environment variables count as unset, as in the AWS SDKs.
 *
 * @param option - how messages name the explicit `region` (a command line passes `"--region"`).
 */
export function resolveRegion(
  region?: string,
  env: NodeJS.ProcessEnv = process.env,
  option = "`region`",
): string {
  if (region !== undefined) {
    return assertRegion(region, `the ${option} option`);
  }
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"] as const) {
    const value = env[name];
    if (value !== undefined && value !== "") {
      return assertRegion(value, `the ${name} environment variable`);
    }
  }
  const fromProfile = readProfileRegion(env);
  if (fromProfile.region !== undefined) {
    return assertRegion(
      fromProfile.region,
      `profile "${fromProfile.profile}" in ${fromProfile.file}`,
    );
  }
  throw new ConfigurationError(
    "REGION_UNRESOLVED",
    `No AWS region configured: pass ${option}, set AWS_REGION or AWS_DEFAULT_REGION, or set ` +
      `\`region\` for profile "${fromProfile.profile}" in ${fromProfile.file} ` +
      "(AWS_PROFILE selects the profile, AWS_CONFIG_FILE the file).",
  );
}
