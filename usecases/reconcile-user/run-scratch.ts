import type { UserRunPlan } from "../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../core/plan/user-truth.ts";
import {
  type ManagementDeletionRouting,
  type RoutedDeletions,
  routeManagementDeletions,
  type SkippedDeletion,
} from "./management-assignment-deletions.ts";
import type { OperationOutcome, UserRunHead, UserRunState, Verification } from "./run-state.ts";
import { settledOutcomes } from "./settled-outcome.ts";

/**
 * Keeps a user run's state payload small whatever the user holds. Step Functions allows 256 KiB per
 * state input, output and task result (States.DataLimitExceeded past it), and a user's truth, plan,
 * deletion outcomes and read-back grow with their assignments (a leaver with 1,000 direct assignments
 * planned 576 KB). So a truth, plan or read-back larger than {@link INLINE_LIMIT_BYTES} lives in the
 * run's scratch space (`work/user/<run id>/...`, the work bucket), the state carries its key and what
 * the workflow's Choice and Map states read, the assignment deletions run in batches loaded from
 * scratch, and each batch's outcomes go back there. A task gets the full state back through
 * {@link hydrate}. A small one stays in the state: most users hold a few groups, and a round trip to
 * the bucket for every piece in every task was most of a leaver run's calls (22 S3 requests a leaver;
 * in a layoff, the local stack's S3 stood in line behind them).
 */
export interface RunScratch {
  /** Stores `value`; `json`, when given, is its JSON text already made (large values are not serialized twice). */
  put(key: string, value: unknown, json?: string): Promise<void>;
  get<T>(key: string): Promise<T>;
}

/** Assignment deletions per batch: one batch's items and outcomes stay far below the quota. */
export const DELETION_BATCH_SIZE = 100;

export const scratchKey = (runId: string, name: string) => `work/user/${runId}/${name}.json`;

/**
 * The largest truth, plan or read-back kept in the state itself (JSON bytes). Three of them at the
 * limit, with the rest of a run's state, stay far below the 256 KiB payload quota.
 */
export const INLINE_LIMIT_BYTES = 16 * 1024;

/** The value's JSON when it is too large to stay in the state; `null` when it fits. */
function tooLargeJson(value: unknown): string | null {
  const json = JSON.stringify(value);
  return Buffer.byteLength(json, "utf8") <= INLINE_LIMIT_BYTES ? null : json;
}

/**
 * The state's stand-in for the offloaded truth: its key, and whether Okta found the user and their
 * login, which the tasks after the plan that need nothing else read from here (session clear,
 * credentials) instead of reading the whole truth back (416 KB for a group on 1,000 accounts).
 */
export interface OffloadedTruth {
  scratchKey: string;
  okta: Pick<UserTruth["okta"], "found" | "login">;
}

/** The plan as the state carries it: its per-assignment lists are in scratch. */
export type CompactPlan = Omit<UserRunPlan, "assignmentDeletions" | "actions" | "accountsAffected"> & {
  runId: string;
  startedAt: string;
  scratchKey: string;
  assignmentDeletionCount: number;
  /** Batch indexes the DeleteAssignments Map iterates over. */
  deletionBatches: number[];
};

/** What a deletion batch's record step leaves in the state (`failed` counts settled outcomes). */
export interface DeletionBatchSummary {
  batch: number;
  scratchKey: string;
  succeeded: number;
  failed: number;
  /** Where the batch's skipped management-account deletions are, when there are any. */
  skippedScratchKey?: string;
}

type FullPlan = NonNullable<UserRunState["plan"]>;

/** The truth as the state carries it: itself when small, else its key in scratch. */
export async function offloadTruth(
  scratch: RunScratch,
  runId: string,
  truth: UserTruth,
): Promise<UserTruth | OffloadedTruth> {
  const json = tooLargeJson(truth);
  if (json === null) return truth;
  const key = scratchKey(runId, "truth");
  await scratch.put(key, truth, json);
  return { scratchKey: key, okta: { found: truth.okta.found, login: truth.okta.login } };
}

/** A plan small enough, with no assignment deletion to load in batches, as the state carries it. */
export type InlinePlan = FullPlan & { assignmentDeletionCount: 0; deletionBatches: [] };

/**
 * The plan as the state carries it: itself when small and without assignment deletions (the deletion
 * batches load the plan from scratch), else compact, its lists in scratch.
 */
export async function offloadPlan(scratch: RunScratch, plan: FullPlan): Promise<CompactPlan | InlinePlan> {
  const json = tooLargeJson(plan);
  if (plan.assignmentDeletions.length === 0 && json === null)
    return { ...plan, assignmentDeletionCount: 0, deletionBatches: [] };
  const key = scratchKey(plan.runId, "plan");
  await scratch.put(key, plan, json ?? undefined);
  const { assignmentDeletions, actions: _actions, accountsAffected: _accounts, ...rest } = plan;
  const batches = Math.ceil(assignmentDeletions.length / DELETION_BATCH_SIZE);
  return {
    ...rest,
    scratchKey: key,
    assignmentDeletionCount: assignmentDeletions.length,
    deletionBatches: Array.from({ length: batches }, (_, i) => i),
  };
}

/**
 * The read-back as the state carries it: itself when small, else its verdict in the state and its
 * details (one check per account the user had access to) in scratch.
 */
export async function offloadVerification(
  scratch: RunScratch,
  runId: string,
  verification: Verification,
): Promise<Verification | (Pick<Verification, "passed" | "verifiedAt"> & { scratchKey: string })> {
  const json = tooLargeJson(verification);
  if (json === null) return verification;
  const key = scratchKey(runId, "verification");
  await scratch.put(key, verification, json);
  return { passed: verification.passed, verifiedAt: verification.verifiedAt, scratchKey: key };
}

/**
 * Task LoadAssignmentDeletions: one batch of the plan's assignment deletions. In a delegated-admin
 * deployment it deletes the batch's management-account assignments itself, through the management
 * component, or skips them without it (management-assignment-deletions.ts); the workflow deletes the rest.
 */
export function loadAssignmentDeletions(
  scratch: RunScratch,
  routing: ManagementDeletionRouting = NO_ROUTING,
) {
  return async (input: { planKey: string; batch: number; runId?: string }): Promise<RoutedDeletions> => {
    const plan = await scratch.get<FullPlan>(input.planKey);
    const from = input.batch * DELETION_BATCH_SIZE;
    const items = plan.assignmentDeletions.slice(from, from + DELETION_BATCH_SIZE);
    return routeManagementDeletions(routing, items, input.runId ?? plan.runId);
  };
}

const NO_ROUTING: ManagementDeletionRouting = { managementAccountId: undefined };

/** Task RecordAssignmentDeletions: keeps a batch's outcomes in scratch, leaves a summary in the state. */
export function recordAssignmentDeletions(scratch: RunScratch) {
  return async (input: {
    runId: string;
    batch: number;
    outcomes: OperationOutcome[];
    /** Deleted through the management component by the load step. @default [] */
    routed?: OperationOutcome[];
    /** Left out by the load step (no management component). @default [] */
    skipped?: SkippedDeletion[];
  }): Promise<DeletionBatchSummary> => {
    const key = scratchKey(input.runId, `deletions-${input.batch}`);
    const outcomes = [...input.outcomes, ...(input.routed ?? [])];
    await scratch.put(key, outcomes);
    const skipped = input.skipped ?? [];
    const skippedKey = scratchKey(input.runId, `deletions-${input.batch}-skipped`);
    if (skipped.length > 0) await scratch.put(skippedKey, skipped);
    // As the run counts them: a deletion AWS ended FAILED for a deleted principal is done (settled-outcome.ts).
    const succeeded = settledOutcomes(outcomes).filter((o) => o.status === "SUCCEEDED").length;
    return {
      batch: input.batch,
      scratchKey: key,
      succeeded,
      failed: outcomes.length - succeeded,
      ...(skipped.length > 0 ? { skippedScratchKey: skippedKey } : {}),
    };
  };
}

const isOffloaded = (value: unknown): value is { scratchKey: string } =>
  typeof value === "object" && value !== null && "scratchKey" in value;

/**
 * The state as a task that reads only the truth's Okta facts gets it: as it is, unless its truth is a
 * stand-in from before the stand-in carried them (a run in flight across an upgrade): then hydrated.
 */
export async function withTruthHead(
  scratch: RunScratch | undefined,
  state: UserRunState,
): Promise<UserRunHead> {
  const truth: unknown = state.truth;
  if (isOffloaded(truth) && !("okta" in truth)) return hydrate(scratch, state);
  return state as UserRunHead;
}

/**
 * The state as the tasks read it: the truth, the full plan and every deletion outcome back in place
 * of their stand-ins. A state that carries them inline (a run started before this layout, a test)
 * is returned as it is.
 */
export async function hydrate(scratch: RunScratch | undefined, state: UserRunState): Promise<UserRunState> {
  if (scratch === undefined) return state;
  const raw = state as unknown as Record<string, unknown>;
  const summaries =
    Array.isArray(raw.deletions) && raw.deletions.every(isOffloaded)
      ? (raw.deletions as DeletionBatchSummary[]).sort((a, b) => a.batch - b.batch)
      : undefined;
  const skippedKeys = (summaries ?? []).flatMap((d) => (d.skippedScratchKey ? [d.skippedScratchKey] : []));
  const [truth, plan, verification, deletions, skippedDeletions] = await Promise.all([
    isOffloaded(raw.truth) ? scratch.get<UserTruth>(raw.truth.scratchKey) : state.truth,
    isOffloaded(raw.plan) ? scratch.get<FullPlan>(raw.plan.scratchKey) : state.plan,
    isOffloaded(raw.verification)
      ? scratch.get<Verification>(raw.verification.scratchKey)
      : state.verification,
    summaries
      ? Promise.all(summaries.map((d) => scratch.get<OperationOutcome[]>(d.scratchKey))).then((batches) =>
          batches.flat(),
        )
      : state.deletions,
    skippedKeys.length > 0
      ? Promise.all(skippedKeys.map((k) => scratch.get<SkippedDeletion[]>(k))).then((b) => b.flat())
      : state.skippedDeletions,
  ]);
  return {
    ...state,
    ...(truth === undefined ? {} : { truth }),
    ...(plan === undefined ? {} : { plan }),
    ...(verification === undefined ? {} : { verification }),
    ...(deletions === undefined ? {} : { deletions }),
    ...(skippedDeletions === undefined ? {} : { skippedDeletions }),
  };
}
