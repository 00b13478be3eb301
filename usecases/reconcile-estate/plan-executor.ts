import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import type { ActionOutcome } from "../../core/evidence/record.ts";
import { denyKey } from "../../core/plan/deny-key.ts";
import {
  isPrincipalDeletedFailure,
  PRINCIPAL_ALREADY_DELETED,
} from "../../core/plan/orphaned-assignments.ts";
import { type Finding, isRevocationUpkeep, type PlanAction } from "../../core/plan/plan.ts";
import { POLL_BACKOFF } from "../../workflows/identity-center-operations.ts";
import { ALREADY_A_MEMBER } from "../../workflows/membership-additions.ts";
import { type EnforceDeniesDeps, enforceDenies } from "../reconcile-user/enforce-denies.ts";
import {
  type ManagementAccountPort,
  ManagementComponentUnavailableError,
} from "../reconcile-user/management-account-access.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { denyWriteFindings } from "./deny-write-findings.ts";
import type { ThrottleBudget } from "./throttle-budget.ts";

/** The Identity Center calls the executor makes. */
export type ExecutorIdentityCenter = Pick<
  IdentityCenterAdapter,
  | "createAssignment"
  | "deleteAssignment"
  | "assignmentCreationStatus"
  | "assignmentDeletionStatus"
  | "provisionPermissionSet"
  | "provisionPermissionSetEverywhere"
  | "provisioningStatus"
  | "createMembership"
  | "deleteMembership"
  | "listUserGroupMemberships"
  | "readPermissionSetContent"
  | "deletePermissionSet"
  | "permissionSetExists"
>;

export interface PlanExecutorDeps {
  identityCenter: ExecutorIdentityCenter;
  ledger: DenyLedger;
  enforce: EnforceDeniesDeps;
  budget: ThrottleBudget;
  /**
   * The first wait before reading an asynchronous operation's status; each later wait doubles, up to
   * POLL_BACKOFF_MAX_FACTOR times this (the workflows' polls back off the same way). @default 1000
   */
  pollMs?: number;
  /** Attempts per call on throttling / conflict / 5xx. @default 8 */
  maxAttempts?: number;
  onProgress?: (done: number, total: number, action: PlanAction) => void;
  now: () => string;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([
  "ThrottlingException",
  "ConflictException",
  "InternalServerException",
  "TooManyRequestsException",
]);

/**
 * DeletePermissionSet's ConflictException means the set is in use (assigned, provisioned, or being
 * deprovisioned: local/emulators/identity-center/permission-set-operations.ts cites it): not retried
 * within the run, the set stays pending for the next one.
 */
const DELETE_PERMISSION_SET_RETRYABLE = new Set(
  [...RETRYABLE].filter((name) => name !== "ConflictException"),
);

/** The note of a permission-set deletion AWS refused as in use (ConflictException). */
export const PERMISSION_SET_STILL_IN_USE = "still in use (ConflictException): a later run deletes it";

/** The note of a permission-set deletion whose set was already gone. */
export const PERMISSION_SET_ALREADY_DELETED =
  "already deleted: DescribePermissionSet answered ResourceNotFoundException";

/** The budget's lock key of all-accounts re-provisions (they are run one at a time). */
const ALL_PROVISIONED_ACCOUNTS = "ALL_PROVISIONED_ACCOUNTS";

/** The longest wait between status polls, as a multiple of the first: the workflows' own backoff. */
export const POLL_BACKOFF_MAX_FACTOR = POLL_BACKOFF.maxSeconds / POLL_BACKOFF.firstSeconds;

/** The wait before the `poll`-th status read (0-based) of one operation. */
export function pollDelayMs(firstMs: number, poll: number): number {
  return firstMs * Math.min(POLL_BACKOFF_MAX_FACTOR, 2 ** poll);
}

/** Thrown when an asynchronous operation ends FAILED. */
class OperationFailedError extends Error {
  override name = "OperationFailedError";
}

function target(action: PlanAction): Record<string, string> {
  switch (action.kind) {
    case "deny.add":
    case "deny.lift":
      return {
        userId: action.deny.userId,
        scope: action.deny.scope === "all" ? "all" : action.deny.scope.permissionSetName,
      };
    case "permission-set.reprovision":
      return action.target.type === "AWS_ACCOUNT"
        ? { accountId: action.target.accountId, permissionSetArn: action.permissionSetArn }
        : {
            targetType: action.target.type,
            permissionSetArn: action.permissionSetArn,
            outdatedAccountIds: action.target.outdatedAccountIds.join(","),
          };
    case "assignment.create":
    case "assignment.delete":
      return {
        accountId: action.assignment.accountId,
        permissionSetArn: action.assignment.permissionSetArn,
        principalType: action.assignment.principalType,
        principalId: action.assignment.principalId,
      };
    case "membership.add":
    case "membership.remove":
      return { groupId: action.groupId, userId: action.userId };
    case "permission-set.delete":
      return { permissionSet: action.name, permissionSetArn: action.permissionSetArn };
  }
}

/**
 * Applies a plan's actions in their order (revocations first) through one throttle budget: each
 * asynchronous operation holds an operation slot and its account's lock until it is polled to
 * SUCCEEDED or FAILED; throttling and conflicts are retried with jittered backoff. Every action gets an
 * outcome with the AWS request id, for evidence. One failed action never stops the others.
 */
export class PlanExecutor {
  private readonly deps: PlanExecutorDeps;
  private readonly sleep: (ms: number) => Promise<void>;
  private attempts = 0;
  /** The management component's session, opened by the first deletion in the management account. */
  private component: Promise<ManagementAccountPort> | undefined;
  /**
   * What the Deny write found (the mass fallback and the leavers it covers, Denies dropped, placements
   * skipped): findings for the run's evidence, as a user run records them.
   */
  readonly denyFindings: Finding[] = [];

  constructor(deps: PlanExecutorDeps) {
    this.deps = deps;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Applies the actions; the result has one outcome per action, in the same order, followed by the
   * re-provisions the Deny write made necessary that the plan did not list.
   */
  async execute(actions: readonly PlanAction[]): Promise<ActionOutcome[]> {
    const byAction = new Map<PlanAction, ActionOutcome>();
    const extra: ActionOutcome[] = [];
    let done = 0;
    const report = (action: PlanAction, outcome: ActionOutcome) => {
      byAction.set(action, isRevocationUpkeep(action) ? { ...outcome, cause: "revocation" } : outcome);
      this.deps.onProgress?.(++done, actions.length, action);
    };
    // Denies (adds and lifts) are one policy write: apply them to the ledger, then enforce once.
    const denyActions = actions.filter((a) => a.kind === "deny.add" || a.kind === "deny.lift");
    const planned = actions.filter((a) => a.kind === "permission-set.reprovision");
    const everywhere = new Set(
      planned.filter((a) => a.target.type === "ALL_PROVISIONED_ACCOUNTS").map((a) => a.permissionSetArn),
    );
    // Single-account re-provisions: the plan's, and those the Deny write asks for that no
    // all-accounts call of the plan already covers.
    const reprovisions = new Map<
      string,
      { permissionSetArn: string; accountId: string; action?: PlanAction }
    >();
    if (denyActions.length > 0) {
      const startedAt = this.deps.now();
      const ledger = await this.deps.ledger.list();
      for (const a of denyActions) {
        if (a.kind === "deny.add") await this.deps.ledger.add(a.deny);
        else {
          const entry = ledger.find((l) => denyKey(l.deny) === denyKey(a.deny));
          if (entry) await this.deps.ledger.remove(entry.denyId);
        }
      }
      const enforced = await enforceDenies(this.deps.enforce);
      this.denyFindings.push(...denyWriteFindings(enforced));
      // A refused placement fails its own action; the Deny actions themselves are in the ledger.
      for (const f of enforced.failures)
        extra.push({
          kind: `deny.place.${f.placement}`,
          target: { target: f.target },
          requestId: null,
          status: "FAILED",
          error: f.error,
          startedAt,
          finishedAt: enforced.at,
          attempts: 1,
        });
      for (const r of enforced.reprovisions)
        if (!everywhere.has(r.PermissionSetArn))
          reprovisions.set(`${r.PermissionSetArn}|${r.TargetId}`, {
            permissionSetArn: r.PermissionSetArn,
            accountId: r.TargetId,
          });
      for (const a of denyActions) {
        report(a, {
          kind: a.kind,
          target: target(a),
          requestId: null,
          status: "SUCCEEDED",
          error: null,
          startedAt,
          finishedAt: enforced.at,
          attempts: 1,
        });
      }
    }
    for (const a of planned)
      if (a.target.type === "AWS_ACCOUNT")
        reprovisions.set(`${a.permissionSetArn}|${a.target.accountId}`, {
          permissionSetArn: a.permissionSetArn,
          accountId: a.target.accountId,
          action: a,
        });
    await Promise.all(
      [...reprovisions.values()].map(async (r) => {
        const outcome = await this.asyncOperation(
          r.accountId,
          "permission-set.reprovision",
          { accountId: r.accountId, permissionSetArn: r.permissionSetArn },
          () => this.deps.identityCenter.provisionPermissionSet(r.permissionSetArn, r.accountId),
          (id) => this.deps.identityCenter.provisioningStatus(id),
        );
        if (r.action) report(r.action, outcome);
        else extra.push({ ...outcome, cause: "revocation" }); // the Deny write's own
      }),
    );
    // An all-accounts call updates every account of its set: one at a time, after the single ones,
    // so they do not conflict with each other (one permission-set update per account at a time).
    for (const a of planned) {
      if (a.target.type !== "ALL_PROVISIONED_ACCOUNTS") continue;
      report(
        a,
        await this.asyncOperation(
          ALL_PROVISIONED_ACCOUNTS,
          a.kind,
          target(a),
          () => this.deps.identityCenter.provisionPermissionSetEverywhere(a.permissionSetArn),
          (id) => this.deps.identityCenter.provisioningStatus(id),
        ),
      );
    }
    // Deletions before grants (permission sets after assignments: AWS refuses to delete one still
    // assigned); within a phase, everything runs concurrently through the budget.
    for (const phase of [
      ["assignment.delete", "membership.remove"],
      ["permission-set.delete"],
      ["assignment.create", "membership.add"],
    ]) {
      await Promise.all(
        actions.filter((a) => phase.includes(a.kind)).map(async (a) => report(a, await this.apply(a))),
      );
    }
    return [...actions.flatMap((a) => byAction.get(a) ?? []), ...extra];
  }

  private async apply(a: PlanAction): Promise<ActionOutcome> {
    const ic = this.deps.identityCenter;
    switch (a.kind) {
      case "assignment.create":
        return this.asyncOperation(
          a.assignment.accountId,
          a.kind,
          target(a),
          () => ic.createAssignment(a.assignment),
          (id) => ic.assignmentCreationStatus(id),
        );
      case "assignment.delete": {
        const via = await this.deletionRoute(a.assignment.accountId);
        if ("skipped" in via) return this.skipped(a.kind, target(a), via.skipped);
        if ("failed" in via) return this.measured(a.kind, target(a), async () => Promise.reject(via.failed));
        return this.asyncOperation(
          a.assignment.accountId,
          a.kind,
          target(a),
          () => via.ic.deleteAssignment(a.assignment),
          (id) => via.ic.assignmentDeletionStatus(id),
          // Its principal already deleted from the identity store: AWS's 404 means there is nothing to do.
          (reason) => isPrincipalDeletedFailure(reason, a.assignment.principalId),
        );
      }
      case "membership.add":
        // Already a member (AWS: ConflictException UNIQUENESS_CONSTRAINT_VIOLATION) is done, not retried.
        return this.measured(a.kind, target(a), async (_, setNote) => {
          const added = await this.call(() => ic.createMembership(a.groupId, a.userId));
          if (added.alreadyMember) setNote(ALREADY_A_MEMBER);
        });
      case "membership.remove":
        return this.syncCall(a.kind, target(a), async () => {
          const membership = (await ic.listUserGroupMemberships(a.userId)).find(
            (m) => m.groupId === a.groupId,
          );
          if (membership) await ic.deleteMembership(membership.membershipId);
        });
      case "permission-set.delete":
        return this.deletePermissionSet(a);
      default:
        throw new Error(`${a.kind} is applied with the Deny write`);
    }
  }

  /**
   * Who deletes an assignment in `accountId`. A delegated administrator may not delete assignments in the
   * management account (core/topology.ts): the management component does, its session opened once per
   * execution; without the component the deletion is skipped (SKIPPED, with why), not failed.
   */
  private async deletionRoute(
    accountId: string,
  ): Promise<
    | { ic: Pick<ExecutorIdentityCenter, "deleteAssignment" | "assignmentDeletionStatus"> }
    | { skipped: string }
    | { failed: unknown }
  > {
    const access = this.deps.enforce.managementAccess;
    if (access?.kind !== "component" || accountId !== this.deps.enforce.managementAccountId)
      return { ic: this.deps.identityCenter };
    this.component ??= access.connect("estate");
    try {
      return { ic: await this.component };
    } catch (error) {
      if (isTransient(error)) {
        this.component = undefined; // the next deletion tries again
        return { failed: error };
      }
      const unavailable =
        error instanceof ManagementComponentUnavailableError
          ? error
          : new ManagementComponentUnavailableError(access.roleArn, { cause: error });
      return { skipped: `${unavailable.message}; or delete it by hand from the management account` };
    }
  }

  /**
   * Deletes a permission set the plan found unused: reads what it is (evidence `before`), calls
   * DeletePermissionSet and reads it back (`after`: DescribePermissionSet's ResourceNotFoundException).
   * A ConflictException means it is in use again (assigned or provisioned since the plan read it):
   * SKIPPED with a note, reported as permission-set-delete-pending, never retried here (the next run
   * judges it again). A set already gone counts as deleted. Any other error fails this action alone.
   */
  private async deletePermissionSet(
    a: Extract<PlanAction, { kind: "permission-set.delete" }>,
  ): Promise<ActionOutcome> {
    const ic = this.deps.identityCenter;
    const arn = a.permissionSetArn;
    const startedAt = this.deps.now();
    const attemptsBefore = this.attempts;
    let before: Record<string, unknown> | undefined;
    const outcome = (
      status: ActionOutcome["status"],
      fields: { error?: string; note?: string; after?: Record<string, unknown> },
    ): ActionOutcome => ({
      kind: a.kind,
      target: target(a),
      requestId: null,
      status,
      error: fields.error ?? null,
      ...(fields.note === undefined ? {} : { note: fields.note }),
      startedAt,
      finishedAt: this.deps.now(),
      attempts: this.attempts - attemptsBefore,
      ...(before === undefined ? {} : { before }),
      ...(fields.after === undefined ? {} : { after: fields.after }),
    });
    try {
      before = { name: a.name, ...(await this.call(() => ic.readPermissionSetContent(arn))) };
      await this.call(() => ic.deletePermissionSet(arn), DELETE_PERMISSION_SET_RETRYABLE);
    } catch (error) {
      const e = error as Error;
      if (e.name === "ResourceNotFoundException")
        return outcome("SUCCEEDED", { note: PERMISSION_SET_ALREADY_DELETED, after: { exists: false } });
      if (e.name === "ConflictException")
        return outcome("SKIPPED", { note: `${PERMISSION_SET_STILL_IN_USE}: ${e.message}` });
      return outcome("FAILED", { error: `${e.name}: ${e.message}` });
    }
    try {
      const exists = await this.call(() => ic.permissionSetExists(arn));
      return exists
        ? outcome("FAILED", {
            error: "read back: DescribePermissionSet still finds the set after DeletePermissionSet",
            after: { exists: true },
          })
        : outcome("SUCCEEDED", {
            note: "read back: DescribePermissionSet answers ResourceNotFoundException",
            after: { exists: false },
          });
    } catch (error) {
      const e = error as Error;
      return outcome("FAILED", { error: `deleted, but the read-back failed: ${e.name}: ${e.message}` });
    }
  }

  /** An action left out by design, with why. */
  private skipped(kind: string, t: Record<string, string>, why: string): ActionOutcome {
    const at = this.deps.now();
    return {
      kind,
      target: t,
      requestId: null,
      status: "SKIPPED",
      error: null,
      note: why,
      startedAt: at,
      finishedAt: at,
      attempts: 0,
    };
  }

  /** One call with retries on throttling, conflicts and 5xx (the paced client spaces the calls). */
  private async call<T>(work: () => Promise<T>, retryable: ReadonlySet<string> = RETRYABLE): Promise<T> {
    const max = this.deps.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      this.attempts++;
      try {
        return await work();
      } catch (error) {
        const name = (error as Error).name;
        if (!retryable.has(name) || attempt >= max) throw error;
        await this.sleep(Math.random() * Math.min(20_000, 250 * 2 ** attempt)); // FULL jitter
      }
    }
  }

  /** Runs one action's calls and reports its outcome: request id, final status, timing, attempts. */
  private async measured(
    kind: string,
    t: Record<string, string>,
    work: (setRequestId: (id: string) => void, setNote: (note: string) => void) => Promise<void>,
  ): Promise<ActionOutcome> {
    const startedAt = this.deps.now();
    const before = this.attempts;
    let requestId: string | null = null;
    let note: string | undefined;
    const done = (status: "SUCCEEDED" | "FAILED", error: string | null): ActionOutcome => ({
      kind,
      target: t,
      requestId,
      status,
      error,
      ...(note === undefined ? {} : { note }),
      startedAt,
      finishedAt: this.deps.now(),
      attempts: this.attempts - before,
    });
    try {
      await work(
        (id) => {
          requestId = id;
        },
        (text) => {
          note = text;
        },
      );
      return done("SUCCEEDED", null);
    } catch (error) {
      return done("FAILED", String((error as Error).message));
    }
  }

  private syncCall(
    kind: string,
    t: Record<string, string>,
    work: () => Promise<void>,
  ): Promise<ActionOutcome> {
    return this.measured(kind, t, () => this.call(work));
  }

  /**
   * Starts an asynchronous operation and polls it to SUCCEEDED or FAILED, holding its budget slot. A
   * FAILED whose reason `alreadyDone` accepts counts as SUCCEEDED, with the reason noted.
   */
  private asyncOperation(
    accountId: string,
    kind: string,
    t: Record<string, string>,
    start: () => Promise<{ requestId: string }>,
    status: (requestId: string) => Promise<{ status: string; failureReason?: string }>,
    alreadyDone: (failureReason: string | undefined) => boolean = () => false,
  ): Promise<ActionOutcome> {
    return this.deps.budget.operation(accountId, () =>
      this.measured(kind, t, async (setRequestId, setNote) => {
        const { requestId } = await this.call(start);
        setRequestId(requestId);
        for (let poll = 0; ; poll++) {
          await this.sleep(pollDelayMs(this.deps.pollMs ?? 1000, poll));
          const s = await this.call(() => status(requestId));
          if (s.status === "SUCCEEDED") return;
          if (s.status === "FAILED" && alreadyDone(s.failureReason)) {
            setNote(`${PRINCIPAL_ALREADY_DELETED}: ${s.failureReason}`);
            return;
          }
          if (s.status === "FAILED") throw new OperationFailedError(s.failureReason ?? "FAILED");
        }
      }),
    );
  }
}
