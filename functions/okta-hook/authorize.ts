import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether the `Authorization` header equals one of the active hook secrets (current and next, so a
 * rotation never produces a 401 that Okta would not retry). Comparing SHA-256 digests with
 * `timingSafeEqual`, and always checking every secret, leaks neither content nor length by timing.
 */
export function isAuthorized(header: string | undefined, secrets: readonly string[]): boolean {
  const presented = digest(header ?? "");
  let ok = false;
  for (const secret of secrets) {
    if (secret.length > 0 && timingSafeEqual(presented, digest(secret)) && header !== undefined) ok = true;
  }
  return ok;
}
