/**
 * Which Identity Center errors a caller should retry (with backoff and jitter):
 * - `ThrottlingException`: over the ~20 TPS rate, or past 10 outstanding assignment operations.
 * - `ConflictException`: another permission-set update is in progress on the account (AWS:
 *   "a retry with appropriate backoff logic is the recommended response").
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
    error instanceof Error && (RETRYABLE_IDENTITY_CENTER_ERRORS as readonly string[]).includes(error.name)
  );
}
