/**
 * Which Identity Center errors a caller should retry (with backoff and jitter):
 * - `ThrottlingException`: over the ~20 TPS rate, or past 10 outstanding assignment operations.
 * - `ConflictException`: another permission-set update is in progress on the account (AWS:
 *   "a retry with appropriate backoff logic is the recommended response"), or, in identitystore, a
 *   concurrent write (`Reason: CONCURRENT_MODIFICATION`). Not one with `Reason:
 *   UNIQUENESS_CONSTRAINT_VIOLATION`: the user, group or membership already exists, and asking again
 *   gets the same answer ({@link isUniquenessConflict}).
 * - `InternalServerException`: a 5xx.
 * The SDK's standard retry strategy already retries throttling and 5xx (tune `maxAttempts` /
 * `retryMode` on the injected clients); it does not retry ConflictException, so workflows do
 * (Step Functions `Retry` on `SsoAdmin.ConflictException`). Everything else is not retryable.
 */
export const RETRYABLE_IDENTITY_CENTER_ERRORS = [
  "ThrottlingException",
  "ConflictException",
  "InternalServerException",
] as const;

export function isRetryableIdentityCenterError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (RETRYABLE_IDENTITY_CENTER_ERRORS as readonly string[]).includes(error.name) &&
    !isUniquenessConflict(error)
  );
}

/**
 * An identitystore ConflictException whose `Reason` (an enum of the identitystore model 2020-06-15:
 * CONCURRENT_MODIFICATION, UNIQUENESS_CONSTRAINT_VIOLATION) says the thing already exists: for
 * CreateGroupMembership, the user is already a member.
 */
export function isUniquenessConflict(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === "ConflictException" &&
    (error as { Reason?: unknown }).Reason === "UNIQUENESS_CONSTRAINT_VIOLATION"
  );
}
