/**
 * Container environment values that must not be printed. `--env HF_TOKEN=hf_…`
 * is how a gated model is deployed, and a dry run, a suggested command line or
 * an error message is often pasted into a chat or a CI log. The values go to
 * SageMaker as given; only what is printed is masked. The deployment record
 * never holds environment values at all.
 */
/** What a masked value is printed as. */
export const MASKED_VALUE = "****";

const SECRET_NAME = /TOKEN|SECRET|KEY|PASSWORD/i;

/** Whether a variable name looks like it holds a secret: it contains TOKEN, SECRET, KEY or PASSWORD, in any case. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy of `environment` with the value of every secret-looking name replaced by {@link MASKED_VALUE}. */
export function maskEnvironment<T extends string | null>(
  environment: Readonly<Record<string, T>>,
): Record<string, T | typeof MASKED_VALUE> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      value !== null && isSecretName(name) ? MASKED_VALUE : value,
    ]),
  );
}

/**
 * A command line as it may be printed: the value of every `--env NAME=VALUE`
 * (or `--env=NAME=VALUE`) whose name looks secret is masked; an `--env`
 * argument without a name is masked whole, since its value cannot be told apart.
 */
export function maskEnvArguments(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    if (arg.startsWith("--env=")) return `--env=${maskAssignment(arg.slice("--env=".length))}`;
    return argv[i - 1] === "--env" ? maskAssignment(arg) : arg;
  });
}

function maskAssignment(assignment: string): string {
  const at = assignment.indexOf("=");
  if (at <= 0) return MASKED_VALUE;
  const name = assignment.slice(0, at);
  return isSecretName(name) ? `${name}=${MASKED_VALUE}` : assignment;
}

/**
 * `text` with every occurrence of the secret-looking values of `environment`
 * masked: for messages that may quote what was sent, such as a SageMaker
 * validation error about a container environment.
 */
export function maskSecretValues(
  text: string,
  environment: Readonly<Record<string, string | null>> | undefined,
): string {
  let masked = text;
  for (const [name, value] of Object.entries(environment ?? {})) {
    if (value !== null && value !== "" && isSecretName(name)) {
      masked = masked.replaceAll(value, MASKED_VALUE);
    }
  }
  return masked;
}
