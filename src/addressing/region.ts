/**
 * AWS region validation. A region becomes a label of the hostname that
 * receives the bearer token, so it is checked against the shape of real AWS
 * regions before it is used anywhere: `us-west-2.evil.com`, `evil.com/x?` or
 * `us-west-2#` must never reach a URL.
 */
import { ValidationError } from "../errors.js";

/**
 * One AWS partition: the regions whose names match `pattern` live under
 * `dnsSuffix`. Suffixes are those of the partition table the AWS SDKs ship
 * (`@aws-sdk/core`'s partitions data); outside `aws`, `aws-cn` and `aws-us-gov`
 * the SageMaker runtime host is assumed to follow the partition's standard
 * `<service>.<region>.<dnsSuffix>` pattern, which we have not been able to verify.
 */
interface Partition {
  readonly id: string;
  readonly pattern: RegExp;
  readonly dnsSuffix: string;
}

// Every piece between dashes is plain ASCII lowercase letters or digits (no `\w`, no
// `i` flag, no `u` flag), so no dot, slash, `#`, `?`, `@`, space, upper case or
// look-alike letter can pass. `$` in JS (without `m`) matches only at the very end.
const PARTITIONS: readonly Partition[] = [
  {
    id: "aws",
    pattern: /^(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]{2,16}-[1-9][0-9]?$/,
    dnsSuffix: "amazonaws.com",
  },
  { id: "aws-cn", pattern: /^cn-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "amazonaws.com.cn" },
  { id: "aws-us-gov", pattern: /^us-gov-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "amazonaws.com" },
  { id: "aws-iso", pattern: /^us-iso-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "c2s.ic.gov" },
  { id: "aws-iso-b", pattern: /^us-isob-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "sc2s.sgov.gov" },
  { id: "aws-iso-e", pattern: /^eu-isoe-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "cloud.adc-e.uk" },
  { id: "aws-iso-f", pattern: /^us-isof-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "csp.hci.ic.gov" },
  { id: "aws-eusc", pattern: /^eusc-de-[a-z]{2,16}-[1-9][0-9]?$/, dnsSuffix: "amazonaws.eu" },
];

/** Every DNS suffix a validated region can map to; tests assert hosts end in one of these. */
export const REGION_DNS_SUFFIXES: readonly string[] = [
  ...new Set(PARTITIONS.map((partition) => partition.dnsSuffix)),
];

function partitionOf(region: unknown): Partition | undefined {
  if (typeof region !== "string" || region.length > 32) {
    return undefined;
  }
  return PARTITIONS.find((partition) => partition.pattern.test(region));
}

/**
 * Whether `region` has the shape of an AWS region name (e.g. `us-west-2`,
 * `us-gov-west-1`, `cn-north-1`, `eu-isoe-west-1`). Shape only: a well-formed
 * region that AWS has not opened yet passes.
 */
export function isValidRegion(region: unknown): region is string {
  return partitionOf(region) !== undefined;
}

/**
 * Returns `region` unchanged if it has the shape of an AWS region, else throws a
 * {@link ValidationError} with code `INVALID_REGION`.
 *
 * @param source - where the value came from (e.g. `"the AWS_REGION environment variable"`),
 *   named in the error so the user knows what to fix.
 */
export function assertRegion(region: unknown, source = "the region option"): string {
  requirePartition(region, source);
  return region as string;
}

/**
 * The DNS suffix of the partition `region` belongs to: `amazonaws.com.cn` for
 * China regions, `amazonaws.com` for the commercial and GovCloud regions, and
 * the partition's own suffix for the isolated and sovereign ones.
 * Throws `INVALID_REGION` if `region` is not region-shaped.
 */
export function regionDnsSuffix(region: string, source = "the region option"): string {
  return requirePartition(region, source).dnsSuffix;
}

function requirePartition(region: unknown, source: string): Partition {
  const partition = partitionOf(region);
  if (partition !== undefined) {
    return partition;
  }
  const shown =
    typeof region === "string" ? JSON.stringify(region.slice(0, 64)) : `a ${typeof region}`;
  throw new ValidationError(
    "INVALID_REGION",
    `Invalid AWS region ${shown} from ${source}: expected a lower-case region name such as ` +
      `"us-west-2", "us-gov-west-1" or "cn-north-1".`,
  );
}
