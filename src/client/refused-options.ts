/**
 * The OpenAI `ClientOptions` the package's clients refuse: each would replace
 * the bearer token or send requests (and the token) somewhere other than the
 * SageMaker base URL. One list for `createSageMakerOpenAIClient` and every
 * client built on it (`ChatSageMakerOpenAI`'s `configuration`, the Strands
 * adapter's `clientOptions`).
 */
import type { ClientOptions } from "openai";
import { ValidationError } from "../errors.js";

/**
 * Refused OpenAI client options: other credentials (`apiKey`, `adminAPIKey`,
 * `workloadIdentity`, `credential`, `x509Transport`, `webhookSecret`), OpenAI
 * account routing (`organization`, `project`) and other targets (`provider`,
 * `dataResidency`, which would replace the base URL).
 */
export const REFUSED_CLIENT_OPTIONS = [
  "apiKey",
  "adminAPIKey",
  "organization",
  "project",
  "webhookSecret",
  "workloadIdentity",
  "credential",
  "x509Transport",
  "provider",
  "dataResidency",
] as const satisfies ReadonlyArray<keyof ClientOptions>;

/** One of {@link REFUSED_CLIENT_OPTIONS}. */
export type RefusedClientOption = (typeof REFUSED_CLIENT_OPTIONS)[number];

/**
 * Throws `INVALID_OPTIONS` naming every refused option that `options` sets
 * (to anything, `null` included); `where` names the caller in the message.
 */
export function refuseClientOptions(options: object, where: string): void {
  const given = REFUSED_CLIENT_OPTIONS.filter(
    (key) => (options as Record<string, unknown>)[key] !== undefined,
  );
  if (given.length === 0) return;
  throw new ValidationError(
    "INVALID_OPTIONS",
    `${where} does not take the OpenAI client option${given.length > 1 ? "s" : ""} ${given.join(", ")}: ` +
      "requests authenticate with SageMaker bearer tokens and go to the SageMaker base URL. Remove " +
      `${given.length > 1 ? "them" : "it"} (pass tokenProvider to supply tokens yourself, baseURL to change the target).`,
  );
}
