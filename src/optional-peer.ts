/**
 * Loading an optional peer dependency with an error that says what to install.
 *
 * The adapters' frameworks (`@strands-agents/sdk`, `@ai-sdk/openai-compatible`)
 * are optional peers: the main entry never imports them, and an adapter's
 * subpath loads its framework when the subpath itself is first imported. Without
 * this, a missing peer surfaces as Node's `ERR_MODULE_NOT_FOUND` from deep in the
 * import graph; with it, the import fails with a {@link ConfigurationError} whose
 * code is `MISSING_PEER` and whose message is the install command.
 *
 * Auth's default credential chain (`@aws-sdk/credential-provider-node`) and
 * deploy's `@aws-sdk/client-sagemaker` are optional peers too, loaded later: on
 * first use rather than on import, through {@link lazyOptionalPeer}.
 */
import { ConfigurationError } from "./errors.js";

/** What {@link loadOptionalPeer} needs to know about the peer. */
export interface OptionalPeer<T> {
  /** The npm package name, e.g. `@strands-agents/sdk`. */
  packageName: string;
  /** The supported semver range, shown in the install command, e.g. `^1.19.0`. */
  range: string;
  /** The package subpath that needs it, e.g. `sagemaker-openai-agents/strands`. */
  neededBy: string;
  /** Imports the peer; a literal `import("...")` so that types and bundlers see it. */
  load: () => Promise<T>;
}

// Node's codes for "not installed" and "installed, but without this entry point" (an older major).
const NOT_FOUND_CODES = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);
const NOT_EXPORTED_CODE = "ERR_PACKAGE_PATH_NOT_EXPORTED";

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether `error` says that `packageName` itself cannot be found, as opposed to
 * a module that the peer imports being absent (that is a broken install, not a
 * missing peer, and keeps its own message).
 */
function isPeerMissing(error: unknown, packageName: string): boolean {
  const code = errorCode(error);
  if (code === NOT_EXPORTED_CODE) return errorMessage(error).includes(packageName);
  if (typeof code === "string" && NOT_FOUND_CODES.has(code)) {
    return errorMessage(error).includes(`'${packageName}`);
  }
  return false;
}

/**
 * Imports an optional peer dependency.
 *
 * @throws ConfigurationError `MISSING_PEER` when the package is not installed, or
 *   is installed in a version without the entry point needed (the message names the
 *   package, the range and the `npm install` command); `PEER_LOAD_FAILED` when the
 *   package is there but failed while loading (the original error is the `cause`).
 */
export async function loadOptionalPeer<T>(peer: OptionalPeer<T>): Promise<T> {
  try {
    return await peer.load();
  } catch (error) {
    const install = `npm install ${peer.packageName}@${peer.range}`;
    if (isPeerMissing(error, peer.packageName)) {
      throw new ConfigurationError(
        "MISSING_PEER",
        `${peer.neededBy} needs the optional peer dependency ${peer.packageName} (${peer.range}), ` +
          `which is not installed or is an unsupported version. Install it: ${install}`,
        { cause: error },
      );
    }
    throw new ConfigurationError(
      "PEER_LOAD_FAILED",
      `${peer.neededBy} could not load ${peer.packageName}: ${errorMessage(error)}. ` +
        `Check that a supported version (${peer.range}) is installed correctly: ${install}`,
      { cause: error },
    );
  }
}

/**
 * {@link loadOptionalPeer} on first call, the result shared by later calls. A
 * failed load is forgotten, so the next call tries the import again: installing
 * the peer needs no restart of anything but the process that lacked it.
 */
export function lazyOptionalPeer<T>(peer: OptionalPeer<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= loadOptionalPeer(peer).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
