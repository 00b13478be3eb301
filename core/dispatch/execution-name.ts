import { createHash } from "node:crypto";

/** Step Functions execution names: 1-80 characters of `[A-Za-z0-9_-]`. */
export const MAX_EXECUTION_NAME = 80;

/** Okta ids (`00u...`) are letters and digits: such an id never holds the `-` that ends it in a name. */
const PLAIN_ID = /^[A-Za-z0-9]+$/;
/** Okta event uuids are hex digits and dashes. */
const PLAIN_EVENT_ID = /^[A-Za-z0-9_-]+$/;

/**
 * A name for ids that cannot be used as they are (characters outside `[A-Za-z0-9_-]`, or too long):
 * `<prefix><readable, sanitized and cut>-<digest><suffix>`, where the digest is the first 64 bits of
 * SHA-256 over `identity`. Sanitizing alone is not injective (`a.b` and `a/b` both read `a_b`, and two
 * ids cut at the 80th character read alike); the digest keeps distinct ids apart. `identity` must
 * encode the ids injectively as well-formed text (JSON.stringify escapes lone surrogates), since UTF-8
 * encoding would turn every lone surrogate into the same replacement character.
 */
export function digestedExecutionName(
  prefix: string,
  readable: string,
  identity: string,
  suffix: string,
): string {
  const digest = createHash("sha256").update(identity, "utf8").digest("hex").slice(0, 16);
  const room = MAX_EXECUTION_NAME - prefix.length - 1 - digest.length - suffix.length;
  return `${prefix}${readable.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, room)}-${digest}${suffix}`;
}

/** Whether `oktaUserId` can appear as it is in an execution name that must stay injective. */
export function isPlainOktaId(oktaUserId: string): boolean {
  return PLAIN_ID.test(oktaUserId);
}

/**
 * The user-reconcile execution name for one lifecycle event: the same Okta event always yields the
 * same name, so a duplicate that slips past ingress deduplication cannot start a second run
 * (StartExecution answers ExecutionAlreadyExists), and different events never share one.
 * Real Okta ids read as they are (`user-<user id>-<event uuid>`); any other pair gets a
 * `user_`-prefixed name with a digest ({@link digestedExecutionName}), so the two forms never meet.
 */
export function userExecutionName(oktaUserId: string, oktaEventId: string): string {
  const plain = `user-${oktaUserId}-${oktaEventId}`;
  if (isPlainOktaId(oktaUserId) && PLAIN_EVENT_ID.test(oktaEventId) && plain.length <= MAX_EXECUTION_NAME)
    return plain;
  return digestedExecutionName(
    "user_",
    `${oktaUserId}-${oktaEventId}`,
    JSON.stringify([oktaUserId, oktaEventId]),
    "",
  );
}
