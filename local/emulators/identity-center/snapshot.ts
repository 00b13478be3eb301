/**
 * A read-only copy of the emulated Identity Center for the local stack's `/local/state` page and
 * for tests and benchmarks (which count API calls). Nothing in it aliases the live state.
 */
import type { Assignment, ProvisionedPair } from "../../../core/estate.ts";
import type { AsyncOperations } from "./async-operations.ts";
import type { EmulatorState, ServiceName } from "./state.ts";

export interface PermissionSetSnapshot {
  arn: string;
  name: string;
  sessionDuration: string;
  description?: string;
  inlinePolicy: string | null;
  managedPolicyArns: string[];
  /** Bumped by each change that needs ProvisionPermissionSet to reach accounts. */
  version: number;
}

export interface IdentityCenterSnapshot {
  instanceArn: string;
  identityStoreId: string;
  permissionSets: PermissionSetSnapshot[];
  /** `userName` is absent for a user seeded without one (optional in the model); `userStatus` once SCIM set it. */
  users: { userId: string; userName?: string; displayName?: string; userStatus?: "ENABLED" | "DISABLED" }[];
  groups: { groupId: string; displayName?: string }[];
  memberships: { membershipId: string; groupId: string; userId: string }[];
  assignments: Assignment[];
  provisioned: ProvisionedPair[];
  operations: {
    /** Every asynchronous operation still IN_PROGRESS. */
    inProgress: number;
    /** Assignment creations + deletions IN_PROGRESS (the limit is 10). */
    outstandingAssignmentOps: number;
    succeeded: number;
    failed: number;
  };
  /** Calls received per operation (throttled and failed ones included). */
  calls: Record<ServiceName, Record<string, number>>;
  /** Calls answered with ThrottlingException per operation. */
  throttled: Record<ServiceName, Record<string, number>>;
}

const counts = (byService: Record<ServiceName, Map<string, number>>) => ({
  ssoAdmin: Object.fromEntries(byService.ssoAdmin),
  identityStore: Object.fromEntries(byService.identityStore),
});

export function takeSnapshot(state: EmulatorState, asyncOperations: AsyncOperations): IdentityCenterSnapshot {
  asyncOperations.settle();
  const ops = [...state.operations.values()];
  return {
    instanceArn: state.instanceArn,
    identityStoreId: state.identityStoreId,
    permissionSets: [...state.permissionSets.values()].map((ps) => ({
      arn: ps.arn,
      name: ps.name,
      sessionDuration: ps.sessionDuration,
      ...(ps.description === undefined ? {} : { description: ps.description }),
      inlinePolicy: ps.inlinePolicy,
      managedPolicyArns: ps.managedPolicies.map((p) => p.Arn),
      version: ps.version,
    })),
    users: [...state.users.values()].map((u) => ({
      userId: u.userId,
      ...(u.userName === undefined ? {} : { userName: u.userName }),
      ...(u.displayName === undefined ? {} : { displayName: u.displayName }),
      ...(u.userStatus === undefined ? {} : { userStatus: u.userStatus }),
    })),
    groups: [...state.groups.values()].map((g) => ({
      groupId: g.groupId,
      ...(g.displayName === undefined ? {} : { displayName: g.displayName }),
    })),
    memberships: [...state.memberships.values()].map((m) => ({
      membershipId: m.membershipId,
      groupId: m.groupId,
      userId: m.userId,
    })),
    assignments: [...state.assignments.values()].map((a) => ({ ...a })),
    provisioned: [...state.provisioned.values()].map((p) => ({
      accountId: p.accountId,
      permissionSetArn: p.permissionSetArn,
      outdated: state.isOutdated(p),
    })),
    operations: {
      inProgress: asyncOperations.inProgress(),
      outstandingAssignmentOps: asyncOperations.outstandingAssignmentOps(),
      succeeded: ops.filter((op) => op.status === "SUCCEEDED").length,
      failed: ops.filter((op) => op.status === "FAILED").length,
    },
    calls: counts(state.calls),
    throttled: counts(state.throttled),
  };
}
