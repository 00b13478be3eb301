/**
 * Asynchronous Identity Center operations: assignment creation/deletion and permission-set
 * provisioning. They answer IN_PROGRESS at once and complete `limits.latencyMs` later; completion
 * is applied lazily (on the next call or snapshot, in completion order), so no timers are left
 * running and an injected clock drives everything.
 *
 * Limits enforced when an operation starts (design.md, "Facts about AWS"):
 * - at most `maxOutstandingAssignmentOps` (10) creations + deletions IN_PROGRESS: the next one is a
 *   ThrottlingException. AWS documents the limit ("CreateAccountAssignment has a maximum rate of 10
 *   outstanding async calls", IAM Identity Center quotas page) but not the error; callers past it
 *   observed `ThrottlingException: There are too many requests processing. Please try again later.`
 *   (aws-samples/aws-iam-identity-center-extensions issue #87), so that is what the emulator answers.
 *   ServiceQuotaExceededException is documented for resource counts, not concurrency.
 * - one permission-set update per account at a time: an operation touching an account with another
 *   operation IN_PROGRESS is a ConflictException ("retry with backoff").
 */
import { conflict, TOO_MANY_OUTSTANDING, throttling } from "./errors.ts";
import type { IdFactory } from "./ids.ts";
import type { EmulatorFaults, EmulatorLimits } from "./options.ts";
import {
  assignmentKey,
  type EmulatorState,
  type OperationKind,
  type OperationRecord,
  type PrincipalType,
  pairKey,
} from "./state.ts";

const ASSIGNMENT_KINDS: readonly OperationKind[] = ["CreateAccountAssignment", "DeleteAccountAssignment"];

const INJECTED_FAILURE =
  "Request failed: the emulator was told to fail this operation (faults.failNextOperations). Retry it.";

export interface StartRequest {
  kind: OperationKind;
  accountIds: string[];
  targetId?: string;
  permissionSetArn: string;
  principalType?: PrincipalType;
  principalId?: string;
  /** Known at the start: the operation will end FAILED with this reason (a deleted principal's 404). */
  failureReason?: string;
}

export interface AsyncOperationsDeps {
  state: EmulatorState;
  limits: EmulatorLimits;
  faults: EmulatorFaults;
  ids: IdFactory;
  now: () => number;
}

export class AsyncOperations {
  private readonly deps: AsyncOperationsDeps;

  constructor(deps: AsyncOperationsDeps) {
    this.deps = deps;
  }

  /** Assignment creations and deletions still IN_PROGRESS. */
  outstandingAssignmentOps(): number {
    let count = 0;
    for (const op of this.deps.state.operations.values()) {
      if (op.status === "IN_PROGRESS" && ASSIGNMENT_KINDS.includes(op.kind)) count++;
    }
    return count;
  }

  /** Every operation still IN_PROGRESS. */
  inProgress(): number {
    let count = 0;
    for (const op of this.deps.state.operations.values()) if (op.status === "IN_PROGRESS") count++;
    return count;
  }

  /** Starts an operation or throws ThrottlingException / ConflictException. */
  start(request: StartRequest): OperationRecord {
    const { state, limits, faults, ids, now } = this.deps;
    if (
      ASSIGNMENT_KINDS.includes(request.kind) &&
      this.outstandingAssignmentOps() >= limits.maxOutstandingAssignmentOps
    ) {
      throw throttling(TOO_MANY_OUTSTANDING);
    }
    const busy = this.busyAccount(request.accountIds);
    if (busy !== undefined) {
      throw conflict(
        `Account ${busy} has another permission-set operation in progress; only one permission set per account is updated at a time. Retry with backoff.`,
      );
    }
    const { failureReason, ...operation } = request;
    const failing = failureReason === undefined && faults.failNextOperations > 0;
    if (failing) faults.failNextOperations--;
    const createdAt = now();
    const op: OperationRecord = {
      ...operation,
      requestId: ids.uuid(),
      createdAt,
      completesAt: createdAt + limits.latencyMs,
      status: "IN_PROGRESS",
      willFail: failureReason ?? (failing ? INJECTED_FAILURE : null),
    };
    state.operations.set(op.requestId, op);
    return op;
  }

  /** Completes every operation whose time has come, oldest first. */
  settle(): void {
    const t = this.deps.now();
    const due = [...this.deps.state.operations.values()]
      .filter((op) => op.status === "IN_PROGRESS" && op.completesAt <= t)
      .sort((a, b) => a.completesAt - b.completesAt);
    for (const op of due) this.complete(op);
  }

  private busyAccount(accountIds: readonly string[]): string | undefined {
    for (const op of this.deps.state.operations.values()) {
      if (op.status !== "IN_PROGRESS") continue;
      const shared = op.accountIds.find((id) => accountIds.includes(id));
      if (shared !== undefined) return shared;
    }
    return undefined;
  }

  private complete(op: OperationRecord): void {
    if (op.willFail !== null) {
      op.status = "FAILED";
      op.failureReason = op.willFail;
      return;
    }
    op.status = "SUCCEEDED";
    const { state } = this.deps;
    if (op.kind === "ProvisionPermissionSet") {
      for (const accountId of op.accountIds) state.markProvisioned(accountId, op.permissionSetArn);
      return;
    }
    const [accountId] = op.accountIds;
    if (accountId === undefined || op.principalType === undefined || op.principalId === undefined) return;
    const assignment = {
      accountId,
      permissionSetArn: op.permissionSetArn,
      principalType: op.principalType,
      principalId: op.principalId,
    };
    if (op.kind === "CreateAccountAssignment") {
      state.assignments.set(assignmentKey(assignment), assignment);
      // Creation provisions the permission set to an account that lacks it (AWS API reference); an
      // outdated pair stays outdated until ProvisionPermissionSet.
      if (!state.provisioned.has(pairKey(accountId, op.permissionSetArn))) {
        state.markProvisioned(accountId, op.permissionSetArn);
      }
      return;
    }
    state.assignments.delete(assignmentKey(assignment));
    // The last assignment gone, the role is removed: the pair is no longer provisioned.
    if (!state.pairInUse(accountId, op.permissionSetArn))
      state.provisioned.delete(pairKey(accountId, op.permissionSetArn));
  }
}
