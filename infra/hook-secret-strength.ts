/**
 * The minimum strength of the okta-hook secret (the `Authorization` value Okta sends), checked at
 * deploy (infra/secrets.ts): the hook secret is all that stands between the internet and the
 * revocation pipeline, so a guessable one must fail the deploy, not wait for an attacker. Pure.
 */

/** Characters of the secret after an optional scheme word (`Bearer `, `Basic `): 128 bits as hex. */
export const MIN_HOOK_SECRET_LENGTH = 32;
/** Distinct characters: random text of 32 characters has about 14 even as hex; a pattern has few. */
export const MIN_HOOK_SECRET_DISTINCT = 8;

/** Thrown at deploy for a weak hook secret; names the secret and the fix, never the value. */
export class HookSecretTooWeakError extends Error {
  override name = "HookSecretTooWeakError";
}

/** What is wrong with `secret`, or `null` when it is strong enough. */
export function hookSecretProblem(secret: string): string | null {
  if (secret.trim() === "") return "is empty";
  const token = secret.trim().replace(/^[A-Za-z][A-Za-z0-9-]*\s+(?=\S)/, "");
  const length = [...token].length;
  if (length < MIN_HOOK_SECRET_LENGTH)
    return `has ${length} characters after the scheme; use at least ${MIN_HOOK_SECRET_LENGTH}`;
  const distinct = new Set(token).size;
  if (distinct < MIN_HOOK_SECRET_DISTINCT)
    return `uses only ${distinct} distinct characters; use at least ${MIN_HOOK_SECRET_DISTINCT}`;
  return null;
}

/** Returns `secret` when it is strong enough; throws {@link HookSecretTooWeakError} otherwise. */
export function checkHookSecret(name: string, secret: string): string {
  const problem = hookSecretProblem(secret);
  if (problem === null) return secret;
  throw new HookSecretTooWeakError(
    `${name} is too weak: it ${problem}. Set a random one, for example: npx sst secret set ${name} "Bearer $(openssl rand -base64 32)" --stage <stage> (docs/deploy.md, "Secrets")`,
  );
}
