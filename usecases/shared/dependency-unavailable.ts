import { OktaNetworkError, OktaRateLimitError, OktaServerError } from "../../adapters/okta.ts";

/**
 * The error name the workflows retry (`TRANSIENT_TASK_ERRORS` in workflows/user-reconcile.ts): a
 * dependency was briefly unavailable. Keeps the original error as `cause`.
 */
export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
}

/**
 * Whether a failure is worth retrying: AWS throttling, conflicts and 5xx (what the SDK marks
 * `$retryable`, or answers with a 5xx status), the Identity Center and Organizations errors their
 * adapters call retryable, and Okta's rate limit, 5xx and network failures.
 */
export function isTransient(error: unknown): boolean {
  if (
    error instanceof OktaRateLimitError ||
    error instanceof OktaServerError ||
    error instanceof OktaNetworkError
  )
    return true;
  const e = error as { name?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  if (e === null || typeof e !== "object") return false;
  if (e.$retryable !== undefined) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return (
    typeof e.name === "string" &&
    [
      "ThrottlingException",
      "ConflictException",
      "InternalServerException",
      "TooManyRequestsException",
      "ConcurrentModificationException",
      // Organizations: a policy change still settling (the adapter retried it first).
      "PolicyChangesInProgressException",
      "ServiceException",
      "ProvisionedThroughputExceededException",
      "RequestLimitExceeded",
      "SlowDown",
      // adapters/lease-lock.ts: another run held the revocation lease for the whole wait.
      "LeaseBusyError",
      // adapters/evidence-store.ts: too many concurrent evidence writers for one append's attempts.
      "ChainContentionError",
    ].includes(e.name)
  );
}

/**
 * Every handler of a workflow, each rethrowing transient failures as DependencyUnavailableError. The
 * task factories return their handlers through this, so the deployed functions and the local stack
 * classify failures alike.
 */
export function retryableTasks<K extends string, I>(
  workflow: string,
  tasks: Record<K, (input: I) => Promise<unknown>>,
): Record<K, (input: I) => Promise<unknown>> {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      (input: I) =>
        retryableByWorkflow(`${workflow} ${name}`, () => (task as (input: I) => Promise<unknown>)(input)),
    ]),
  ) as Record<K, (input: I) => Promise<unknown>>;
}

/** Runs `task`; a transient failure is rethrown as DependencyUnavailableError so the workflow retries it. */
export async function retryableByWorkflow<T>(what: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof DependencyUnavailableError || !isTransient(error)) throw error;
    throw new DependencyUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
  }
}
