import { type Retrier, type StateMachineDefinition, sdk, type TaskState } from "./asl.ts";
import {
  deleteAssignmentsProcessor,
  IDENTITY_STORE_RETRY,
  MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS,
  provisionProcessor,
} from "./identity-center-operations.ts";
import { membershipAdditionsProcessor } from "./membership-additions.ts";

/** The Lambda task handlers of user-reconcile, by the name each is deployed and wired under. */
export const USER_RECONCILE_TASKS = [
  "readUserTruth",
  "planUserRun",
  "applyDenies",
  "revokeCredentials",
  "loadAssignmentDeletions",
  "recordAssignmentDeletions",
  "clearOktaSessions",
  "verifyUserRun",
  "writeUserEvidence",
  "liftDenies",
  "liftCredentialDenies",
] as const;
export type UserReconcileTask = (typeof USER_RECONCILE_TASKS)[number];

/** Lambda ARNs (or any Task resource) for each task handler. */
export type UserReconcileResources = Record<UserReconcileTask, string>;

/** Errors a task handler throws when a dependency is briefly unavailable: retried, then the run fails loudly. */
export const TRANSIENT_TASK_ERRORS = [
  // The Lambda service's transient 500s, the set Step Functions recommends retrying ("Handle Lambda
  // service exceptions", docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
  "Lambda.ClientExecutionTimeoutException",
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  "DependencyUnavailableError",
  // A crashed or timed-out function (direct Lambda ARN tasks report the runtime's error type). Every
  // task is safe to run again: they read the truth, write idempotently, and the evidence store
  // returns the record a retried write already claimed. Found by the chaos harness (issue 8).
  "Runtime.ExitError",
  "Sandbox.Timedout",
  "Lambda.Unknown",
];

const TASK_RETRY: Retrier = {
  ErrorEquals: TRANSIENT_TASK_ERRORS,
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  MaxAttempts: 6,
  JitterStrategy: "FULL",
};

/**
 * The tasks that are safe to wait for outlast a burst: the read-only ones (ReadTruth, Verify), since in
 * a layoff hundreds of runs share sso-admin's ~20 TPS, and a read that stays throttled through
 * TASK_RETRY's six tries failed the run before it had done anything (issue 17: 49 of 250 runs,
 * `readUserTruth: Rate exceeded`); and WriteEvidence, since the evidence chain takes one record at a
 * time and a retried write returns the record it already claimed (19 of 1,000 runs lost their record
 * to chain contention). Waiting longer (up to about 12 minutes in all) only makes a run slower.
 */
export const PATIENT_TASK_RETRY: Retrier = {
  ErrorEquals: ["DependencyUnavailableError"],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  MaxAttempts: 16,
  JitterStrategy: "FULL",
};

const patientTask = (resource: string, resultPath: string, next: string): TaskState => ({
  ...task(resource, resultPath, next),
  Retry: [PATIENT_TASK_RETRY, TASK_RETRY],
});

const task = (resource: string, resultPath: string, next: string): TaskState => ({
  Type: "Task",
  Resource: resource,
  ResultPath: resultPath,
  Retry: [TASK_RETRY],
  Next: next,
});

/** The states between a run's start and its Deny in force: the local runtime runs them first. */
export const USER_RECONCILE_DENY_PATH: ReadonlySet<string> = new Set(["ReadTruth", "Plan", "ApplyDeny"]);

/**
 * user-reconcile: read the user's truth, plan, and (for a leaver) put the Deny in force first, then
 * remove every assignment and membership, clear Okta sessions, read back to verify, write evidence,
 * hold the Deny for the session window and lift it. The same definition runs in AWS and locally.
 */
export function userReconcileDefinition(r: UserReconcileResources): StateMachineDefinition {
  return {
    Comment: "okta-aws-lifecycle user-reconcile: converge one user on Okta's truth (leaver branch)",
    StartAt: "CoalescingWindow",
    States: {
      // A coalesced (trailing) run reads the truth only after its window closed (core/dispatch/coalesce.ts).
      CoalescingWindow: {
        Type: "Choice",
        Choices: [{ Variable: "$.notBefore", IsPresent: true, Next: "AwaitWindowEnd" }],
        Default: "ReadTruth",
      },
      AwaitWindowEnd: { Type: "Wait", TimestampPath: "$.notBefore", Next: "ReadTruth" },
      ReadTruth: patientTask(r.readUserTruth, "$.truth", "Plan"),
      Plan: task(r.planUserRun, "$.plan", "Decide"),
      Decide: {
        Type: "Choice",
        Choices: [
          { Variable: "$.plan.decision", StringEquals: "revoke", Next: "ApplyDeny" },
          { Variable: "$.plan.decision", StringEquals: "adjust", Next: "ApplyDeny" },
        ],
        Default: "WriteEvidence",
      },
      // A Deny write that still fails after its retries must not stop the removals, the Okta session
      // clear, verification or evidence: the run goes on and is recorded (and alarmed) as partial.
      ApplyDeny: {
        ...task(r.applyDenies, "$.deny", "ReprovisionForDeny"),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.denyError", Next: "AccessReadOrNot" }],
      },
      ReprovisionForDeny: {
        Type: "Map",
        Comment: "Inline Denies take effect once re-provisioned; one account, so one at a time.",
        ItemsPath: "$.deny.reprovisions",
        MaxConcurrency: 1,
        ItemProcessor: provisionProcessor("DenyProvision"),
        ResultPath: "$.denyProvisioning",
        Next: "AccessReadOrNot",
      },
      // A leaver the pipeline holds a record of was denied before their access was read (the Deny-first
      // plan names the recorded user): read the whole truth now and plan again; that plan never names
      // one, so this runs once (merge-deny-first-plan.ts, which always sets reapplyDeny).
      AccessReadOrNot: {
        Type: "Choice",
        Choices: [{ Variable: "$.plan.deniedFirstAs", IsPresent: true, Next: "ReadAccess" }],
        Default: "CredentialsOrNot",
      },
      ReadAccess: patientTask(r.readUserTruth, "$.truth", "PlanAccess"),
      PlanAccess: task(r.planUserRun, "$.plan", "ReapplyOrNot"),
      // The whole truth changed the Denies (another user than the record, a conflict, a reactivation):
      // applied again, once (the whole truth is read now, so AccessReadOrNot goes on).
      ReapplyOrNot: {
        Type: "Choice",
        Choices: [
          { Variable: "$.plan.reapplyDeny", BooleanEquals: true, Next: "ApplyDeny" },
          { Variable: "$.plan.decision", StringEquals: "revoke", Next: "CredentialsOrNot" },
          { Variable: "$.plan.decision", StringEquals: "adjust", Next: "CredentialsOrNot" },
        ],
        Default: "WriteEvidence",
      },
      // A leaver's IAM users, keys and federated sessions (issue 16), after the Identity Center Deny and
      // before the deletions; the task does nothing without the policy's credentials section.
      CredentialsOrNot: {
        Type: "Choice",
        Choices: [{ Variable: "$.plan.decision", StringEquals: "revoke", Next: "RevokeCredentials" }],
        Default: "DeleteAssignments",
      },
      // A failure here never stops the Identity Center path: recorded, and the run goes on.
      RevokeCredentials: {
        ...task(r.revokeCredentials, "$.credentials", "DeleteAssignments"),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.credentialsError", Next: "DeleteAssignments" }],
      },
      // In batches loaded from the run's scratch space, each batch's outcomes written back there: the
      // state carries batch summaries, so a user with thousands of assignments stays far below the
      // 256 KiB payload quota (usecases/reconcile-user/run-scratch.ts). One batch at a time, each with
      // up to the 10 outstanding operations AWS allows.
      DeleteAssignments: {
        Type: "Map",
        ItemsPath: "$.plan.deletionBatches",
        MaxConcurrency: 1,
        ItemSelector: {
          "runId.$": "$.runId",
          "planKey.$": "$.plan.scratchKey",
          "batch.$": "$$.Map.Item.Value",
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "LoadDeletions",
          States: {
            LoadDeletions: {
              ...task(r.loadAssignmentDeletions, "$.load", "DeleteBatch"),
              // It deletes the batch's management-account assignments through the management component
              // itself in a delegated-admin deployment (usecases/reconcile-user/management-assignment-deletions.ts).
              Parameters: { "runId.$": "$.runId", "planKey.$": "$.planKey", "batch.$": "$.batch" },
            },
            DeleteBatch: {
              Type: "Map",
              ItemsPath: "$.load.items",
              MaxConcurrency: MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS,
              ItemProcessor: deleteAssignmentsProcessor("Delete"),
              ResultPath: "$.outcomes",
              Next: "RecordDeletions",
            },
            RecordDeletions: {
              Type: "Task",
              Resource: r.recordAssignmentDeletions,
              Parameters: {
                "runId.$": "$.runId",
                "batch.$": "$.batch",
                "outcomes.$": "$.outcomes",
                "routed.$": "$.load.routed",
                "skipped.$": "$.load.skipped",
              },
              Retry: [TASK_RETRY],
              End: true,
            },
          },
        },
        ResultPath: "$.deletions",
        Next: "RemoveMemberships",
      },
      RemoveMemberships: {
        Type: "Map",
        ItemsPath: "$.plan.membershipRemovals",
        MaxConcurrency: 5,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "RemoveMembership",
          States: {
            RemoveMembership: {
              Type: "Task",
              Resource: sdk("identitystore", "deleteGroupMembership"),
              Parameters: { "IdentityStoreId.$": "$.IdentityStoreId", "MembershipId.$": "$.MembershipId" },
              ResultPath: null,
              Retry: [IDENTITY_STORE_RETRY],
              Catch: [
                { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MembershipRemovalFailed" },
              ],
              Next: "MembershipRemoved",
            },
            MembershipRemoved: {
              Type: "Pass",
              Parameters: { status: "SUCCEEDED", "membershipId.$": "$.MembershipId" },
              End: true,
            },
            MembershipRemovalFailed: {
              Type: "Pass",
              Parameters: { status: "FAILED", "membershipId.$": "$.MembershipId", "error.$": "$.error" },
              End: true,
            },
          },
        },
        ResultPath: "$.removals",
        Next: "AddMemberships",
      },
      AddMemberships: {
        Type: "Map",
        Comment: "Only when the policy owns membership sync (SCIM lag repair for a joiner or mover).",
        ItemsPath: "$.plan.membershipAdditions",
        MaxConcurrency: 5,
        ItemProcessor: membershipAdditionsProcessor(),
        ResultPath: "$.additions",
        Next: "ClearOktaSessions",
      },
      // A clear yields Okta's rate limit to the reads that revoke (adapters/okta/rate-limit-headroom.ts):
      // it hands back how long until room comes, and waits exactly that here, holding no Lambda.
      ClearOktaSessions: {
        ...patientTask(r.clearOktaSessions, "$.oktaSessions", "OktaRoomOrVerify"),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.oktaSessionsError", Next: "Verify" }],
      },
      OktaRoomOrVerify: {
        Type: "Choice",
        Choices: [{ Variable: "$.oktaSessions.waitSeconds", IsPresent: true, Next: "AwaitOktaRoom" }],
        Default: "Verify",
      },
      AwaitOktaRoom: {
        Type: "Wait",
        Comment:
          "Until the clear's Okta bucket has room beyond the reads' share (at most 15 minutes in all).",
        SecondsPath: "$.oktaSessions.waitSeconds",
        Next: "ClearOktaSessions",
      },
      Verify: patientTask(r.verifyUserRun, "$.verification", "WriteEvidence"),
      WriteEvidence: patientTask(r.writeUserEvidence, "$.evidence", "HoldOrFinish"),
      HoldOrFinish: {
        Type: "Choice",
        Choices: [
          { Variable: "$.deny.denyIds[0]", IsPresent: true, Next: "Hold" },
          { Variable: "$.credentials.liftAt", IsPresent: true, Next: "HoldCredentials" },
        ],
        Default: "Done",
      },
      Hold: {
        Type: "Wait",
        Comment: "Keep the Deny for the longest session duration, then lift it (shortened locally).",
        SecondsPath: "$.plan.holdSeconds",
        Next: "LiftCredentialsOrNot",
      },
      HoldCredentials: {
        Type: "Wait",
        Comment: "Only credential Denies (no Identity Center user): kept until their liftAt.",
        TimestampPath: "$.credentials.liftAt",
        Next: "LiftCredentialsOrNot",
      },
      LiftCredentialsOrNot: {
        Type: "Choice",
        Choices: [{ Variable: "$.credentials.liftAt", IsPresent: true, Next: "LiftCredentialDenies" }],
        Default: "LiftDenyOrNot",
      },
      LiftCredentialDenies: {
        ...task(r.liftCredentialDenies, "$.credentialLift", "LiftDenyOrNot"),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.credentialLiftError", Next: "LiftDenyOrNot" }],
      },
      LiftDenyOrNot: {
        Type: "Choice",
        Choices: [{ Variable: "$.deny.denyIds[0]", IsPresent: true, Next: "LiftDeny" }],
        Default: "WriteLiftEvidence",
      },
      LiftDeny: task(r.liftDenies, "$.lift", "ReprovisionForLift"),
      ReprovisionForLift: {
        Type: "Map",
        ItemsPath: "$.lift.reprovisions",
        MaxConcurrency: 1,
        ItemProcessor: provisionProcessor("LiftProvision"),
        ResultPath: "$.liftProvisioning",
        Next: "WriteLiftEvidence",
      },
      WriteLiftEvidence: task(r.writeUserEvidence, "$.liftEvidence", "Done"),
      Done: { Type: "Succeed" },
    },
  };
}
