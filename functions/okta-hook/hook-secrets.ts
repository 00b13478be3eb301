/** Thrown when not one of the configured hook secrets could be read (the handler answers 503). */
export class HookSecretsUnavailableError extends Error {
  override name = "HookSecretsUnavailableError";
}

/**
 * Reads the active hook secrets (current and next) with `read` (Powertools Parameters, cached). A
 * secret that cannot be read, or is empty, is left out, so a rotation slot that is not in use never
 * blocks deliveries signed with the other; only when none is usable does it throw. Errors carry the
 * secret ids, never values.
 */
export async function readHookSecrets(
  secretIds: readonly string[],
  read: (secretId: string) => Promise<unknown>,
  onUnreadable: (secretId: string, error: unknown) => void = () => {},
): Promise<string[]> {
  const results = await Promise.allSettled(secretIds.map((id) => read(id)));
  const secrets: string[] = [];
  results.forEach((result, i) => {
    const id = secretIds[i] ?? "";
    if (result.status === "rejected") onUnreadable(id, result.reason);
    else if (typeof result.value === "string" && result.value.length > 0) secrets.push(result.value);
  });
  if (secrets.length === 0) {
    throw new HookSecretsUnavailableError(`none of the hook secrets could be read: ${secretIds.join(", ")}`);
  }
  return secrets;
}
