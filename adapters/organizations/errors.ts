/**
 * Organizations answered with something the adapter cannot rely on (a missing id or name). Names the
 * operation and the field, e.g. `ListAccountsForParent: Accounts[].Id: required`.
 */
export class UnexpectedOrganizationsResponseError extends Error {
  override name = "UnexpectedOrganizationsResponseError";
  readonly operation: string;
  readonly field: string;
  constructor(operation: string, field: string, problem: string) {
    super(`${operation} returned an unexpected response: ${field}: ${problem}`);
    this.operation = operation;
    this.field = field;
  }
}

/** A response field the adapter needs: present and non-empty, or an UnexpectedOrganizationsResponseError. */
export function required<T>(operation: string, field: string, value: T | undefined | null): T {
  if (value === undefined || value === null || value === "") {
    throw new UnexpectedOrganizationsResponseError(operation, field, "required");
  }
  return value;
}

/**
 * Which Organizations errors a caller should retry, with backoff and jitter:
 * - `TooManyRequestsException`: Organizations' throttle (HTTP 400; the SDK's standard retry strategy
 *   retries it, tune `maxAttempts` on the injected client);
 * - `ConcurrentModificationException`: another request is changing the same target;
 * - `PolicyChangesInProgressException`: a change to the effective policy is still settling;
 * - `ServiceException`: a 5xx.
 * The adapter already retried its policy writes on the two conflicts (retry-conflicts.ts).
 */
export const RETRYABLE_ORGANIZATIONS_ERRORS = [
  "TooManyRequestsException",
  "ConcurrentModificationException",
  "PolicyChangesInProgressException",
  "ServiceException",
] as const;

export function isRetryableOrganizationsError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && (RETRYABLE_ORGANIZATIONS_ERRORS as readonly string[]).includes(name);
}

/**
 * The revocation SCP slots are missing or misconfigured: none configured or found, or an id that is not
 * one of the tool's slots. Revocation cannot use SCPs until the deploy (or the local stack) creates them.
 */
export class RevocationScpSlotError extends Error {
  override name = "RevocationScpSlotError";
}
