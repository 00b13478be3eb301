/**
 * Organizations answers a policy write with `ConcurrentModificationException` ("currently being modified
 * by a different request. Try again later") or `PolicyChangesInProgressException` ("Changes to the
 * effective policy are in progress ... Try the operation again later") while another change settles
 * (both listed for AttachPolicy and UpdatePolicy in the service model). The SDK's standard retry
 * strategy retries neither (they are not throttling, transient or 5xx codes), so the adapter retries
 * its own writes, with exponential backoff and full jitter, before the workflow's task retry.
 */

/** The conflicts a policy write is retried on. */
export const POLICY_CONFLICT_ERRORS = [
  "ConcurrentModificationException",
  "PolicyChangesInProgressException",
] as const;

export interface ConflictRetry {
  /**
   * Attempts per write, the first included.
   * @default 6
   */
  maxAttempts: number;
  /**
   * The cap of the first wait; each later cap doubles (full jitter: the wait is random below the cap).
   * @default 200
   */
  baseDelayMs: number;
  /**
   * The largest cap. The defaults wait at most about 6 s per write, well inside a task's time.
   * @default 3200
   */
  maxDelayMs: number;
  /** @default setTimeout */
  sleep: (ms: number) => Promise<void>;
  /** A random source in [0, 1). @default Math.random */
  random: () => number;
}

export const DEFAULT_CONFLICT_RETRY: ConflictRetry = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 3_200,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const isConflict = (error: unknown) =>
  (POLICY_CONFLICT_ERRORS as readonly string[]).includes(String((error as { name?: unknown })?.name));

/**
 * Runs `write`, again after a backoff while it answers one of {@link POLICY_CONFLICT_ERRORS}; the last
 * conflict is rethrown as is (the workflow's task retry takes over: usecases/shared/dependency-unavailable.ts).
 */
export async function retryPolicyConflicts<T>(write: () => Promise<T>, retry: ConflictRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error) || attempt >= retry.maxAttempts) throw error;
      const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      await retry.sleep(retry.random() * cap);
    }
  }
}
