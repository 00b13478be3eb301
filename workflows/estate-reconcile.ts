import type { MapState, Retrier, StateMachineDefinition, TaskState } from "./asl.ts";
import { MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS } from "./identity-center-operations.ts";
import { TRANSIENT_TASK_ERRORS } from "./user-reconcile.ts";

export const ESTATE_RECONCILE_TASKS = [
  "coalesceEstateRun",
  "planEstateRun",
  "applyEstateDenies",
  "applyEstateBatch",
  "writeEstateEvidence",
  "sweepCredentials",
] as const;
export type EstateReconcileTask = (typeof ESTATE_RECONCILE_TASKS)[number];
export type EstateReconcileResources = Record<EstateReconcileTask, string>;

/**
 * Batches run in parallel up to the outstanding-operations limit; each batch keeps one operation in
 * flight and 1/10 of the call rate, so the whole run stays inside the shared sso-admin budget.
 */
export const ESTATE_MAP_CONCURRENCY = MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS;

const RETRY: Retrier = {
  ErrorEquals: TRANSIENT_TASK_ERRORS,
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  MaxAttempts: 6,
  JitterStrategy: "FULL",
};
const task = (resource: string, resultPath: string | null, next: string): TaskState => ({
  Type: "Task",
  Resource: resource,
  ResultPath: resultPath,
  Retry: [RETRY],
  Next: next,
});

/**
 * estate-reconcile: fold an event-driven run into its window's run (or wait for the window to close),
 * read the estate and plan (the plan goes to the work bucket: at 1,000 accounts it
 * outgrows a state payload), stop if a guard blocked it, put Denies in force, then delete before
 * creating, in batches through an inline Map whose concurrency comes from the limits (batching keeps
 * a 1,000-account run at about a hundred iterations, far inside the 25,000-event history), and write
 * the run's evidence and access snapshot, then sweep IAM users and access keys outside Identity Center
 * (usecases/reconcile-estate/credential-sweep.ts). Triggered by a schedule, a policy change, Organizations
 * account events and on demand; the same definition runs in AWS and locally.
 */
export function estateReconcileDefinition(r: EstateReconcileResources): StateMachineDefinition {
  const batchMap = (
    itemsPath: string,
    resultPath: string,
    phase: "delete" | "create",
    next: string,
  ): MapState => ({
    Type: "Map",
    ItemsPath: itemsPath,
    MaxConcurrency: ESTATE_MAP_CONCURRENCY,
    ItemSelector: { "planKey.$": "$.plan.planKey", "batch.$": "$$.Map.Item.Value", phase },
    ItemProcessor: {
      ProcessorConfig: { Mode: "INLINE" },
      StartAt: `${resultPath}Batch`,
      States: {
        [`${resultPath}Batch`]: { Type: "Task", Resource: r.applyEstateBatch, Retry: [RETRY], End: true },
      },
    },
    // Each batch's outcomes are in the work bucket (WriteEvidence reads them there): keeping the
    // iterations' summaries would grow the state with the plan (a summary per batch).
    ResultPath: null,
    Next: next,
  });
  return {
    Comment: "okta-aws-lifecycle estate-reconcile: make Identity Center equal the policy for what it owns",
    StartAt: "Coalesce",
    States: {
      // Event-driven runs of one window fold into the first, which reads the estate only after the
      // window closed (core/dispatch/estate-window.ts): N tagged accounts, one run.
      Coalesce: task(r.coalesceEstateRun, "$.coalescing", "CoalescingWindow"),
      CoalescingWindow: {
        Type: "Choice",
        Choices: [
          { Variable: "$.coalescing.coalesced", BooleanEquals: true, Next: "Coalesced" },
          { Variable: "$.coalescing.notBefore", IsPresent: true, Next: "AwaitWindowEnd" },
        ],
        Default: "Plan",
      },
      AwaitWindowEnd: { Type: "Wait", TimestampPath: "$.coalescing.notBefore", Next: "Plan" },
      Coalesced: {
        Type: "Succeed",
        Comment: "The window's run (named in $.coalescing.into) reads the estate after this trigger.",
      },
      Plan: task(r.planEstateRun, "$.plan", "Decide"),
      Decide: {
        Type: "Choice",
        Choices: [
          { Variable: "$.plan.status", StringEquals: "blocked", Next: "WriteEvidence" },
          { Variable: "$.plan.hasActions", BooleanEquals: false, Next: "WriteEvidence" },
        ],
        Default: "ApplyDenies",
      },
      ApplyDenies: task(r.applyEstateDenies, "$.denies", "Deletions"),
      Deletions: batchMap("$.plan.deleteBatches", "deletions", "delete", "Grants"),
      Grants: batchMap("$.plan.createBatches", "grants", "create", "WriteEvidence"),
      WriteEvidence: task(r.writeEstateEvidence, "$.evidence", "SweepCredentials"),
      // IAM users and keys outside Identity Center (issue 16): its own reads, guard and evidence record,
      // whatever the Identity Center plan did; a no-op without the policy's credentials section.
      SweepCredentials: task(r.sweepCredentials, "$.credentials", "Done"),
      Done: { Type: "Succeed" },
    },
  };
}
