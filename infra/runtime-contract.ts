/**
 * Values the deployed infrastructure and the runtime code must agree on. infra/ keeps its own copy
 * (so SST's type-check never pulls the AWS SDK in through adapters/), and
 * test/unit/infra-permissions.test.ts proves every value equals the runtime's.
 */
export const RUNTIME_CONTRACT = {
  /** adapters/lifecycle-bus.ts `LIFECYCLE_SOURCE` / `LIFECYCLE_DETAIL_TYPE`. */
  lifecycleSource: "okta-aws-lifecycle.ingress",
  lifecycleDetailType: "LifecycleEvent",
  /** The CloudWatch namespace the functions' Powertools Metrics write to. */
  metricNamespace: "OktaAwsLifecycle",
  /** functions/user-reconcile/revocation-timing.ts: seconds from Okta's event to the Deny in force. */
  timeToRevokeMetric: "TimeToRevokeSeconds",
  /** adapters/state-table.ts `STATE_TABLE_KEYS`; `ttl` is only set on items meant to expire. */
  stateTable: { partitionKey: "pk", sortKey: "sk", ttlAttribute: "ttl" },
  /** The state table's partitions: each role may only touch the partitions it owns. */
  statePartitions: {
    denyLedger: "deny",
    evidenceChain: "chain",
    pollerCursor: "cursor",
    sessionTags: "session-tags",
    /** adapters/coalesced-events.ts: events dispatch folded into a waiting run. */
    coalescedEvents: "coalesced",
    /** adapters/lease-lock.ts: the lease that serializes the revocation writers. */
    locks: "locks",
  },
  /** Powertools Idempotency's DynamoDB defaults. */
  idempotencyTable: { partitionKey: "id", ttlAttribute: "expiration" },
  /** adapters/evidence-store.ts `evidenceKey`: every record and snapshot lives under it. */
  evidencePrefix: "v1/",
  /** functions/estate-reconcile/tasks.ts keys its scratch objects `work/estate/<run id>/...`. */
  workPrefix: "work/",
  /** adapters/organizations.ts `DEFAULT_REVOCATION_SCP_PREFIX` and `MANAGED_BY_TAG`. */
  revocationScpPrefix: "okta-aws-lifecycle-revocation",
  managedByTag: { key: "managed-by", value: "okta-aws-lifecycle" },
} as const;
