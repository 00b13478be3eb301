/** Step Functions execution names: 1-80 characters of `[A-Za-z0-9_-]`. */
const MAX = 80;

/**
 * The user-reconcile execution name for one lifecycle event: the same Okta event always yields the
 * same name, so a duplicate that slips past ingress deduplication cannot start a second run
 * (StartExecution answers ExecutionAlreadyExists).
 */
export function userExecutionName(oktaUserId: string, oktaEventId: string): string {
  return `user-${oktaUserId}-${oktaEventId}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, MAX);
}
