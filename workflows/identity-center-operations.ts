import { type MapState, type Retrier, type State, sdk } from "./asl.ts";

/**
 * Retry for Identity Center SDK tasks: throttling (about 20 TPS shared), conflicts (one permission-set
 * update per account at a time) and transient 5xx, with FULL jitter so concurrent runs spread out.
 */
export const SSO_ADMIN_RETRY: Retrier = {
  ErrorEquals: [
    "SsoAdmin.ThrottlingException",
    "SsoAdmin.ConflictException",
    "SsoAdmin.InternalServerException",
  ],
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxDelaySeconds: 20,
  MaxAttempts: 12,
  JitterStrategy: "FULL",
};

/**
 * The prefixes Step Functions may give identitystore SDK-integration errors. The developer guide's list
 * of supported AWS SDK integrations names `Identitystore` ("Exception prefix", after the Java SDK v2
 * client); `IdentityStore` is the spelling of the service's own abbreviation. Both are retried, so a
 * rename either way never turns a throttle into a failed removal.
 */
export const IDENTITY_STORE_ERROR_PREFIXES = ["Identitystore", "IdentityStore"] as const;

const TRANSIENT_IDENTITY_STORE_ERRORS = [
  "ThrottlingException",
  "ConflictException",
  "InternalServerException",
];

export const IDENTITY_STORE_RETRY: Retrier = {
  ErrorEquals: IDENTITY_STORE_ERROR_PREFIXES.flatMap((prefix) =>
    TRANSIENT_IDENTITY_STORE_ERRORS.map((code) => `${prefix}.${code}`),
  ),
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxDelaySeconds: 20,
  MaxAttempts: 12,
  JitterStrategy: "FULL",
};

/** At most 10 asynchronous assignment operations may be outstanding (design.md). */
export const MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS = 10;

/**
 * Status polls of an asynchronous Identity Center operation back off: the first read after
 * `firstSeconds`, each later wait twice the one before, up to `maxSeconds`. Most operations finish in
 * seconds, so the first reads come quickly, and a slow one (a permission set re-provisioned to many
 * accounts) costs a few calls of the shared ~20 TPS budget instead of one a second. Wait has no
 * backoff of its own: the delay is a counter in the item (`$.poll.seconds`) that a Pass doubles with
 * `States.MathAdd` (Step Functions intrinsic functions) and the Wait reads through `SecondsPath`.
 */
export const POLL_BACKOFF = { firstSeconds: 1, maxSeconds: 8 } as const;

interface AsyncOperationSpec {
  /** Unique prefix for the state names (ASL names are unique across the machine). */
  prefix: string;
  start: { action: string; parameters: Record<string, string>; requestIdPath: string };
  describe: { action: string; requestIdParameter: string; statusRoot: string };
  /** Fields copied from the item into the outcome, for evidence. */
  report: Record<string, string>;
}

/**
 * The iteration of a Map that starts one asynchronous Identity Center operation and polls it to
 * completion (Step Functions has no `.sync` for these): Start -> Wait -> Describe -> Choice, the waits
 * backing off (POLL_BACKOFF). The
 * outcome is `{status: SUCCEEDED|FAILED, requestId, ...}`; a call that still fails after its retries
 * is caught and reported FAILED, so one bad operation never hides the others' results.
 */
export function asyncOperationProcessor(spec: AsyncOperationSpec): MapState["ItemProcessor"] {
  const p = spec.prefix;
  const states: Record<string, State> = {
    [`${p}Start`]: {
      Type: "Task",
      Resource: sdk("ssoadmin", spec.start.action),
      Parameters: spec.start.parameters,
      ResultSelector: { "RequestId.$": spec.start.requestIdPath },
      ResultPath: "$.operation",
      Retry: [SSO_ADMIN_RETRY],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: `${p}Errored` }],
      Next: `${p}PollFirst`,
    },
    [`${p}PollFirst`]: {
      Type: "Pass",
      Result: { seconds: POLL_BACKOFF.firstSeconds },
      ResultPath: "$.poll",
      Next: `${p}Wait`,
    },
    [`${p}Wait`]: { Type: "Wait", SecondsPath: "$.poll.seconds", Next: `${p}Describe` },
    [`${p}Describe`]: {
      Type: "Task",
      Resource: sdk("ssoadmin", spec.describe.action),
      Parameters: {
        "InstanceArn.$": "$.InstanceArn",
        [`${spec.describe.requestIdParameter}.$`]: "$.operation.RequestId",
      },
      ResultSelector: {
        "RequestId.$": `${spec.describe.statusRoot}.RequestId`,
        "Status.$": `${spec.describe.statusRoot}.Status`,
        "Detail.$": spec.describe.statusRoot,
      },
      ResultPath: "$.operation",
      Retry: [SSO_ADMIN_RETRY],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: `${p}Errored` }],
      Next: `${p}IsDone`,
    },
    [`${p}IsDone`]: {
      Type: "Choice",
      Choices: [
        { Variable: "$.operation.Status", StringEquals: "IN_PROGRESS", Next: `${p}PollAgain` },
        { Variable: "$.operation.Status", StringEquals: "SUCCEEDED", Next: `${p}Succeeded` },
      ],
      Default: `${p}Failed`,
    },
    [`${p}PollAgain`]: {
      Type: "Choice",
      Choices: [
        // Doubling past half the cap would overshoot it: wait the cap from there on.
        {
          Variable: "$.poll.seconds",
          NumericGreaterThanEquals: POLL_BACKOFF.maxSeconds / 2,
          Next: `${p}PollAtCap`,
        },
      ],
      Default: `${p}PollLonger`,
    },
    [`${p}PollLonger`]: {
      Type: "Pass",
      Parameters: { "seconds.$": "States.MathAdd($.poll.seconds, $.poll.seconds)" },
      ResultPath: "$.poll",
      Next: `${p}Wait`,
    },
    [`${p}PollAtCap`]: {
      Type: "Pass",
      Result: { seconds: POLL_BACKOFF.maxSeconds },
      ResultPath: "$.poll",
      Next: `${p}Wait`,
    },
    [`${p}Succeeded`]: {
      Type: "Pass",
      Parameters: { status: "SUCCEEDED", "requestId.$": "$.operation.RequestId", ...spec.report },
      End: true,
    },
    [`${p}Failed`]: {
      Type: "Pass",
      Parameters: {
        status: "FAILED",
        "requestId.$": "$.operation.RequestId",
        "detail.$": "$.operation.Detail",
        ...spec.report,
      },
      End: true,
    },
    [`${p}Errored`]: {
      Type: "Pass",
      Parameters: { status: "FAILED", "error.$": "$.error", ...spec.report },
      End: true,
    },
  };
  return { ProcessorConfig: { Mode: "INLINE" }, StartAt: `${p}Start`, States: states };
}

/** Deletes account assignments (items: DeleteAccountAssignment parameters) and polls each. */
export function deleteAssignmentsProcessor(prefix: string) {
  return asyncOperationProcessor({
    prefix,
    start: {
      action: "deleteAccountAssignment",
      parameters: {
        "InstanceArn.$": "$.InstanceArn",
        "TargetId.$": "$.TargetId",
        "TargetType.$": "$.TargetType",
        "PermissionSetArn.$": "$.PermissionSetArn",
        "PrincipalType.$": "$.PrincipalType",
        "PrincipalId.$": "$.PrincipalId",
      },
      requestIdPath: "$.AccountAssignmentDeletionStatus.RequestId",
    },
    describe: {
      action: "describeAccountAssignmentDeletionStatus",
      requestIdParameter: "AccountAssignmentDeletionRequestId",
      statusRoot: "$.AccountAssignmentDeletionStatus",
    },
    report: {
      "accountId.$": "$.TargetId",
      "permissionSetArn.$": "$.PermissionSetArn",
      "principalId.$": "$.PrincipalId",
    },
  });
}

/** Re-provisions permission sets to accounts (items: ProvisionPermissionSet parameters) and polls each. */
export function provisionProcessor(prefix: string) {
  return asyncOperationProcessor({
    prefix,
    start: {
      action: "provisionPermissionSet",
      parameters: {
        "InstanceArn.$": "$.InstanceArn",
        "PermissionSetArn.$": "$.PermissionSetArn",
        "TargetId.$": "$.TargetId",
        "TargetType.$": "$.TargetType",
      },
      requestIdPath: "$.PermissionSetProvisioningStatus.RequestId",
    },
    describe: {
      action: "describePermissionSetProvisioningStatus",
      requestIdParameter: "ProvisionPermissionSetRequestId",
      statusRoot: "$.PermissionSetProvisioningStatus",
    },
    report: { "accountId.$": "$.TargetId", "permissionSetArn.$": "$.PermissionSetArn" },
  });
}
