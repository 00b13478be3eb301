/**
 * Seeding: puts an estate into the emulator directly, bypassing the API, its rate limits, its
 * latency and its call counts (the local stack's demo estate, test fixtures, benchmarks).
 */
import type { Assignment } from "../../../core/estate.ts";
import type { IdFactory } from "./ids.ts";
import { assignmentKey, type EmulatorState, pairKey, type UserStatus } from "./state.ts";

/** A seed that refers to something the emulator does not hold (or duplicates what it holds). */
export class SeedError extends Error {
  override name = "SeedError";
}

export interface SeedPermissionSet {
  name: string;
  /** @default "PT1H" */
  sessionDuration?: string;
  description?: string;
  inlinePolicy?: string;
  managedPolicyArns?: string[];
  /** Customer managed policy references (path defaults to "/"). @default none */
  customerManagedPolicies?: { name: string; path?: string }[];
}

export interface SeedUser {
  /** Optional in the identitystore model: leave it out to hold a user without one. */
  userName?: string;
  /** identitystore `UserStatus`, as a SCIM source sets it. @default absent */
  userStatus?: UserStatus;
  displayName?: string;
  email?: string;
  /** e.g. the Okta user id, as SCIM provisioning records it. */
  externalId?: { issuer: string; id: string };
}

export interface SeedHelpers {
  /** Returns the new permission set's ARN. */
  permissionSet(input: SeedPermissionSet): string;
  /** Returns the new user's id. */
  user(input: SeedUser): string;
  /** Returns the new group's id; leave `displayName` out to hold an unnamed group (optional in the model). */
  group(input: { displayName?: string; description?: string }): string;
  /**
   * Sets a user's `UserStatus`, as Identity Center's SCIM endpoint does for `active` (identitystore's
   * API cannot): the local SCIM model's `scimDeactivation: disable`.
   */
  userStatus(userId: string, status: UserStatus): void;
  /** Returns the new membership's id. */
  membership(groupId: string, userId: string): string;
  /** Sets a user's external ids, as a SCIM identity source does (identitystore's API cannot). */
  externalIds(userId: string, externalIds: { issuer: string; id: string }[]): void;
  /** Adds an assignment and provisions its permission set to the account (as a SUCCEEDED creation would). */
  assignment(assignment: Assignment): void;
  /** Provisions the latest version of a permission set to an account. */
  provision(accountId: string, permissionSetArn: string): void;
  /** Enables attributes for access control with these keys and sources (CreateInstanceAccessControlAttributeConfiguration). */
  accessControlAttributes(attributes: { key: string; source: string }[]): void;
}

export function createSeedHelpers(state: EmulatorState, ids: IdFactory, now: () => number): SeedHelpers {
  const requirePermissionSet = (arn: string) => {
    if (!state.permissionSets.has(arn)) throw new SeedError(`No permission set ${arn}`);
  };
  return {
    permissionSet(input) {
      if ([...state.permissionSets.values()].some((ps) => ps.name === input.name)) {
        throw new SeedError(`Permission set ${input.name} already exists`);
      }
      const arn = ids.permissionSetArn(state.instanceArn);
      state.permissionSets.set(arn, {
        arn,
        name: input.name,
        sessionDuration: input.sessionDuration ?? "PT1H",
        ...(input.description === undefined ? {} : { description: input.description }),
        createdAt: now(),
        inlinePolicy: input.inlinePolicy ?? null,
        managedPolicies: (input.managedPolicyArns ?? []).map((policyArn) => ({
          Name: policyArn.slice(policyArn.lastIndexOf("/") + 1),
          Arn: policyArn,
        })),
        ...(input.customerManagedPolicies?.length
          ? {
              customerManagedPolicies: input.customerManagedPolicies.map((ref) => ({
                Name: ref.name,
                Path: ref.path ?? "/",
              })),
            }
          : {}),
        version: 1,
      });
      return arn;
    },

    user(input) {
      if (input.userName !== undefined && state.findUserByUserName(input.userName))
        throw new SeedError(`User ${input.userName} already exists`);
      const userId = ids.uuid();
      state.users.set(userId, {
        userId,
        ...(input.userName === undefined ? {} : { userName: input.userName }),
        ...(input.userStatus === undefined ? {} : { userStatus: input.userStatus }),
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.email === undefined
          ? {}
          : { emails: [{ Value: input.email, Type: "work", Primary: true }] }),
        ...(input.externalId === undefined
          ? {}
          : { externalIds: [{ Issuer: input.externalId.issuer, Id: input.externalId.id }] }),
        createdAt: now(),
      });
      return userId;
    },

    group(input) {
      if (input.displayName !== undefined && state.findGroupByDisplayName(input.displayName)) {
        throw new SeedError(`Group ${input.displayName} already exists`);
      }
      const groupId = ids.uuid();
      state.groups.set(groupId, {
        groupId,
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.description === undefined ? {} : { description: input.description }),
        createdAt: now(),
      });
      return groupId;
    },

    externalIds(userId, externalIds) {
      const user = state.users.get(userId);
      if (!user) throw new SeedError(`No user ${userId}`);
      user.externalIds = externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id }));
    },

    userStatus(userId, status) {
      const user = state.users.get(userId);
      if (!user) throw new SeedError(`No user ${userId}`);
      user.userStatus = status;
    },

    membership(groupId, userId) {
      if (!state.groups.has(groupId)) throw new SeedError(`No group ${groupId}`);
      if (!state.users.has(userId)) throw new SeedError(`No user ${userId}`);
      const existing = state.findMembership(groupId, userId);
      if (existing) return existing.membershipId;
      const membershipId = ids.uuid();
      state.memberships.set(membershipId, { membershipId, groupId, userId, createdAt: now() });
      return membershipId;
    },

    assignment(assignment) {
      requirePermissionSet(assignment.permissionSetArn);
      if (!state.principalExists(assignment.principalType, assignment.principalId)) {
        throw new SeedError(`No ${assignment.principalType} ${assignment.principalId}`);
      }
      state.assignments.set(assignmentKey(assignment), { ...assignment });
      if (!state.provisioned.has(pairKey(assignment.accountId, assignment.permissionSetArn))) {
        state.markProvisioned(assignment.accountId, assignment.permissionSetArn);
      }
    },

    accessControlAttributes(attributes) {
      state.accessControlAttributes = attributes.map((a) => ({ Key: a.key, Source: [a.source] }));
    },
    provision(accountId, permissionSetArn) {
      requirePermissionSet(permissionSetArn);
      state.markProvisioned(accountId, permissionSetArn);
    },
  };
}
