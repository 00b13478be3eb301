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
  /** usecases/reconcile-user/revocation-timing.ts: seconds from Okta's event to the Deny in force. */
  timeToRevokeMetric: "TimeToRevokeSeconds",
  /** usecases/reconcile-user/revocation-pending.ts: seconds a leaver's revocation has been pending. */
  revocationPendingMetric: "RevocationPendingSeconds",
  /** usecases/reconcile-user/run-signals.ts `USER_RUN_SIGNAL_METRICS`: counts the alarms watch. */
  userRunSignals: {
    unverifiable: "UnverifiableUserRuns",
    revocations: "Revocations",
    partial: "PartialRevocations",
    dropped: "DeniesDropped",
    skipped: "DenyPlacementsSkipped",
    massFallback: "MassFallbacks",
  },
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
    /** adapters/estate-windows.ts: which estate run claimed a window, and the runs folded into it. */
    estateWindows: "estate-windows",
    /** adapters/lease-lock.ts: the lease that serializes the revocation writers. */
    locks: "locks",
    /**
     * adapters/deny-ledger.ts's change counter and adapters/revocation-write-marker.ts's last write:
     * a burst of leavers' Denies carried by one SCP write.
     */
    revocationWrites: "revocation",
    /** adapters/identity-links.ts: Okta user id -> Identity Center user, found while Okta answered. */
    identityLinks: "identity-link",
    /** adapters/shared-call-budget.ts `BUDGET_PARTITION`: the sso-admin token bucket the functions share. */
    sharedBudgets: "budget",
  },
  /** Powertools Idempotency's DynamoDB defaults. */
  idempotencyTable: { partitionKey: "id", ttlAttribute: "expiration" },
  /** adapters/evidence-store.ts `evidenceKey`: every record and snapshot lives under it. */
  evidencePrefix: "v1/",
  /** usecases/reconcile-estate/tasks.ts keys its scratch objects `work/estate/<run id>/...`. */
  workPrefix: "work/",
  /** adapters/organizations.ts `DEFAULT_REVOCATION_SCP_PREFIX` and `MANAGED_BY_TAG`. */
  revocationScpPrefix: "okta-aws-lifecycle-revocation",
  managedByTag: { key: "managed-by", value: "okta-aws-lifecycle" },
  /**
   * adapters/organizations/revocation-scps.ts `revocationScpSlot`: what a slot is created with, its
   * Description marker and its empty content (`REVOCATION_SCP_MARKER`, `REVOCATION_SCP_PLACEHOLDER`).
   */
  revocationScpSlot: {
    description:
      "Managed by okta-aws-lifecycle: revocation Denies on identitystore:userId. Changes are overwritten.",
    placeholder:
      '{"Version":"2012-10-17","Statement":[{"Sid":"EmptyRevocationSlot","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"},"StringLike":{"aws:PrincipalArn":"*"}}}]}',
  },
  /**
   * adapters/organizations/credentials-guardrail-slot.ts: the credentials guardrail slot's Description
   * marker and the placeholder it is created with and lifted to (`GUARDRAIL_SLOT_PLACEHOLDER`). The
   * placeholder denies nothing any principal can match, like the revocation slots' empty content.
   */
  guardrailScpSlot: {
    description:
      "Managed by okta-aws-lifecycle: the credentials guardrail (issue 16), or a placeholder when off. Changes are overwritten.",
    placeholder:
      '{"Version":"2012-10-17","Statement":[{"Sid":"EmptyGuardrailSlot","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"},"StringLike":{"aws:PrincipalArn":"*"}}}]}',
  },
  /** adapters/organizations/revocation-scps.ts `DEFAULT_REVOCATION_SCP_SLOTS`. */
  defaultRevocationScpSlots: 2,
  /**
   * Tags on permission sets, the first two put by an administrator (docs/deploy.md, "Tag the
   * permission sets"); IAM conditions on them (`aws:ResourceTag`, which sso supports on the PermissionSet resource type):
   * - `assignable`: the estate reconcile may create assignments of it (a set the policy declares);
   * - `managementAccount`: provisioned to the management account, so the Deny tasks may rewrite its
   *   inline policy;
   * - `managed`: the tool's own, put on every set it creates
   *   (core/plan/permission-set-ownership-tag.ts `PERMISSION_SET_OWNERSHIP_TAG`), marking the set as its own.
   */
  permissionSetTags: {
    assignable: { key: "okta-aws-lifecycle:assignable", value: "true" },
    managementAccount: { key: "okta-aws-lifecycle:management-account", value: "true" },
    managed: { key: "okta-aws-lifecycle:managed", value: "true" },
  },
} as const;
