/**
 * IAM Identity Center through the AWS SDK v3: sso-admin for permission sets, assignments and
 * provisioning; identitystore for users, groups and memberships. The only code that calls these
 * APIs. Lists are followed to the end; every response field the adapter relies on is validated
 * (UnexpectedIdentityCenterResponseError names the field). Reads are minimal: assignments are only
 * listed for provisioned (account, permission set) pairs.
 *
 * The adapter does not retry: configure the injected clients' retry strategy (`maxAttempts`,
 * `retryMode`), and retry the errors in {@link RETRYABLE_IDENTITY_CENTER_ERRORS} in the caller
 * (ConflictException is not retried by the SDK).
 */

import {
  CreateGroupMembershipCommand,
  DeleteGroupMembershipCommand,
  DescribeUserCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  type IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-identitystore";
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand,
  type ProvisioningStatus,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import type {
  Assignment,
  IcGroup,
  IcMembership,
  IcPermissionSet,
  IcUser,
  IdentityCenterState,
  PrincipalType,
  ProvisionedPair,
} from "../core/estate.ts";
import { ownAssignments } from "../core/plan/own-assignments.ts";
import type { ObservedPermissionSetContent } from "../core/plan/permission-set-content.ts";
import type { IdentityCenterUserIdentity, IdentityCenterUserPort } from "../core/ports.ts";
import { collectPages } from "./identity-center/collect-pages.ts";
import { PermissionSetContentAdapter } from "./identity-center/permission-set-content.ts";
import * as schema from "./identity-center/response-schemas.ts";
import { isUniquenessConflict } from "./identity-center/retryable-errors.ts";
import { parseResponse } from "./identity-center/unexpected-response-error.ts";

export {
  isRetryableIdentityCenterError,
  isUniquenessConflict,
  RETRYABLE_IDENTITY_CENTER_ERRORS,
} from "./identity-center/retryable-errors.ts";
export { UnexpectedIdentityCenterResponseError } from "./identity-center/unexpected-response-error.ts";

export interface IdentityCenterAdapterOptions {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  /** `arn:aws:sso:::instance/ssoins-...` */
  instanceArn: string;
  /** `d-...` */
  identityStoreId: string;
  /** MaxResults sent with every list call (1..100); the service's default page size when absent. */
  pageSize?: number;
}

/** The state of an asynchronous operation (assignment creation/deletion, provisioning). */
export interface OperationProgress {
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  /** Present when AWS gives one (FAILED operations). */
  failureReason?: string;
}

export interface GroupMembershipOfUser {
  membershipId: string;
  groupId: string;
}

export interface GroupMember {
  membershipId: string;
  userId: string;
}

/** A membership added, or found already there (`alreadyMember`: AWS answered it exists). */
export interface MembershipCreation {
  membershipId: string;
  alreadyMember: boolean;
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

const assignmentOrder = byKey<Assignment>(
  (a) => `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`,
);

const toAssignment = (a: {
  AccountId: string;
  PermissionSetArn: string;
  PrincipalType: PrincipalType;
  PrincipalId: string;
}): Assignment => ({
  accountId: a.AccountId,
  permissionSetArn: a.PermissionSetArn,
  principalType: a.PrincipalType,
  principalId: a.PrincipalId,
});

const progress = (s: { Status: OperationProgress["status"]; FailureReason?: string | undefined }) => {
  const out: OperationProgress = { status: s.Status };
  if (s.FailureReason !== undefined && s.FailureReason !== "") out.failureReason = s.FailureReason;
  return out;
};

export class IdentityCenterAdapter implements IdentityCenterUserPort {
  private readonly ssoAdmin: SSOAdminClient;
  private readonly identityStore: IdentitystoreClient;
  private readonly instanceArn: string;
  private readonly identityStoreId: string;
  private readonly pageSize: number | undefined;

  constructor(options: IdentityCenterAdapterOptions) {
    this.ssoAdmin = options.ssoAdmin;
    this.identityStore = options.identityStore;
    this.instanceArn = options.instanceArn;
    this.identityStoreId = options.identityStoreId;
    this.pageSize = options.pageSize;
  }

  // ---- identitystore -------------------------------------------------------------------------

  /** The Identity Center user id for a userName, or `null` when there is none. */
  async findUserIdByUserName(userName: string): Promise<string | null> {
    try {
      const output = await this.identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId: this.identityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: userName } },
        }),
      );
      return parseResponse("GetUserId", schema.userId, output).UserId;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return null;
      throw error;
    }
  }

  /**
   * The Identity Center user whose external id (what the identity source's SCIM stored) is
   * `(issuer, id)`, or `null` when there is none.
   */
  async findUserIdByExternalId(issuer: string, externalId: string): Promise<string | null> {
    try {
      const output = await this.identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId: this.identityStoreId,
          AlternateIdentifier: { ExternalId: { Issuer: issuer, Id: externalId } },
        }),
      );
      return parseResponse("GetUserId", schema.userId, output).UserId;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return null;
      throw error;
    }
  }

  /** A user's name and external ids, or `null` when the user no longer exists. */
  async describeUser(userId: string): Promise<IdentityCenterUserIdentity | null> {
    try {
      const output = await this.identityStore.send(
        new DescribeUserCommand({ IdentityStoreId: this.identityStoreId, UserId: userId }),
      );
      const user = parseResponse("DescribeUser", schema.describeUser, output);
      return {
        userId: user.UserId,
        userName: user.UserName ?? null,
        externalIds: user.ExternalIds.map((e) => ({ issuer: e.Issuer, id: e.Id })),
      };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return null;
      throw error;
    }
  }

  /** The users with a UserName (see {@link listUsersWithUnnamed}). */
  async listUsers(): Promise<IcUser[]> {
    return (await this.listUsersWithUnnamed()).named;
  }

  /**
   * Every user: those with a UserName, and the ids of those without one (`UserName` is optional in the
   * identitystore model; nothing can match such a user to Okta, so callers skip and report it).
   */
  async listUsersWithUnnamed(): Promise<{ named: IcUser[]; unnamedIds: string[] }> {
    const users = await collectPages("ListUsers", async (NextToken) => {
      const output = await this.identityStore.send(
        new ListUsersCommand({ IdentityStoreId: this.identityStoreId, MaxResults: this.pageSize, NextToken }),
      );
      const page = parseResponse("ListUsers", schema.usersPage, output);
      return { items: page.Users, nextToken: page.NextToken };
    });
    return {
      named: users
        .flatMap((u) => (u.UserName === undefined ? [] : [{ userId: u.UserId, userName: u.UserName }]))
        .sort(byKey((u) => u.userName)),
      unnamedIds: users.flatMap((u) => (u.UserName === undefined ? [u.UserId] : [])).sort(),
    };
  }

  /** The groups with a DisplayName (see {@link listGroupsWithUnnamed}). */
  async listGroups(): Promise<IcGroup[]> {
    return (await this.listGroupsWithUnnamed()).named;
  }

  /**
   * Every group: those with a DisplayName, and the ids of those without one (`DisplayName` is optional
   * in the identitystore model; nothing can match such a group to Okta, so callers skip and report it).
   */
  async listGroupsWithUnnamed(): Promise<{ named: IcGroup[]; unnamedIds: string[] }> {
    const groups = await collectPages("ListGroups", async (NextToken) => {
      const output = await this.identityStore.send(
        new ListGroupsCommand({
          IdentityStoreId: this.identityStoreId,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListGroups", schema.groupsPage, output);
      return { items: page.Groups, nextToken: page.NextToken };
    });
    return {
      named: groups
        .flatMap((g) =>
          g.DisplayName === undefined ? [] : [{ groupId: g.GroupId, displayName: g.DisplayName }],
        )
        .sort(byKey((g) => g.displayName)),
      unnamedIds: groups.flatMap((g) => (g.DisplayName === undefined ? [g.GroupId] : [])).sort(),
    };
  }

  /**
   * The groups a user belongs to, with the membership ids needed to remove them; none once the user
   * was deleted from the identity store (a ResourceNotFoundException: its memberships went with it).
   */
  async listUserGroupMemberships(userId: string): Promise<GroupMembershipOfUser[]> {
    try {
      return await this.membershipsOfMember(userId);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
  }

  private async membershipsOfMember(userId: string): Promise<GroupMembershipOfUser[]> {
    const memberships = await collectPages("ListGroupMembershipsForMember", async (NextToken) => {
      const output = await this.identityStore.send(
        new ListGroupMembershipsForMemberCommand({
          IdentityStoreId: this.identityStoreId,
          MemberId: { UserId: userId },
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListGroupMembershipsForMember", schema.membershipsPage, output);
      return { items: page.GroupMemberships, nextToken: page.NextToken };
    });
    return memberships
      .map((m) => ({ membershipId: m.MembershipId, groupId: m.GroupId }))
      .sort(byKey((m) => m.groupId));
  }

  async listGroupMemberships(groupId: string): Promise<GroupMember[]> {
    const memberships = await collectPages("ListGroupMemberships", async (NextToken) => {
      const output = await this.identityStore.send(
        new ListGroupMembershipsCommand({
          IdentityStoreId: this.identityStoreId,
          GroupId: groupId,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListGroupMemberships", schema.membershipsPage, output);
      return { items: page.GroupMemberships, nextToken: page.NextToken };
    });
    return memberships
      .map((m) => ({ membershipId: m.MembershipId, userId: m.MemberId.UserId }))
      .sort(byKey((m) => m.userId));
  }

  /**
   * Adds a user to a group. A user who is already a member is done, not an error: AWS answers
   * ConflictException `Reason: UNIQUENESS_CONSTRAINT_VIOLATION`, which asking again would only repeat,
   * and the existing membership's id is read (GetGroupMembershipId). Any other ConflictException
   * (CONCURRENT_MODIFICATION) is thrown for the caller to retry.
   */
  async createMembership(groupId: string, userId: string): Promise<MembershipCreation> {
    const member = { IdentityStoreId: this.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } };
    try {
      const output = await this.identityStore.send(new CreateGroupMembershipCommand(member));
      const { MembershipId } = parseResponse("CreateGroupMembership", schema.membershipId, output);
      return { membershipId: MembershipId, alreadyMember: false };
    } catch (error) {
      if (!isUniquenessConflict(error)) throw error;
    }
    const existing = await this.identityStore.send(new GetGroupMembershipIdCommand(member));
    const { MembershipId } = parseResponse("GetGroupMembershipId", schema.membershipId, existing);
    return { membershipId: MembershipId, alreadyMember: true };
  }

  async deleteMembership(membershipId: string): Promise<void> {
    await this.identityStore.send(
      new DeleteGroupMembershipCommand({ IdentityStoreId: this.identityStoreId, MembershipId: membershipId }),
    );
  }

  // ---- sso-admin: permission sets ------------------------------------------------------------

  /** Every permission set with its name and session duration (one Describe per set). */
  async listPermissionSets(): Promise<IcPermissionSet[]> {
    const arns = await collectPages("ListPermissionSets", async (NextToken) => {
      const output = await this.ssoAdmin.send(
        new ListPermissionSetsCommand({
          InstanceArn: this.instanceArn,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListPermissionSets", schema.arnsPage, output);
      return { items: page.PermissionSets, nextToken: page.NextToken };
    });
    const sets: IcPermissionSet[] = [];
    for (const arn of arns) {
      const output = await this.ssoAdmin.send(
        new DescribePermissionSetCommand({ InstanceArn: this.instanceArn, PermissionSetArn: arn }),
      );
      const { PermissionSet } = parseResponse("DescribePermissionSet", schema.describePermissionSet, output);
      sets.push({
        arn: PermissionSet.PermissionSetArn,
        name: PermissionSet.Name,
        sessionDuration: PermissionSet.SessionDuration,
      });
    }
    return sets.sort(byKey((s) => s.name));
  }

  /**
   * A permission set's tags (ListTagsForResource with the set as ResourceArn, paged: one call per set
   * for up to 50 tags, the service's page size when none is given).
   */
  async listPermissionSetTags(permissionSetArn: string): Promise<Record<string, string>> {
    const tags = await collectPages("ListTagsForResource", async (NextToken) => {
      const output = await this.ssoAdmin.send(
        new ListTagsForResourceCommand({
          InstanceArn: this.instanceArn,
          ResourceArn: permissionSetArn,
          NextToken,
        }),
      );
      const page = parseResponse("ListTagsForResource", schema.tagsPage, output);
      return { items: page.Tags, nextToken: page.NextToken };
    });
    return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  }

  /** What a permission set is (attributes, policies, boundary, tags): read before it is deleted, for evidence. */
  async readPermissionSetContent(permissionSetArn: string): Promise<ObservedPermissionSetContent> {
    return new PermissionSetContentAdapter({
      ssoAdmin: this.ssoAdmin,
      instanceArn: this.instanceArn,
      ...(this.pageSize === undefined ? {} : { pageSize: this.pageSize }),
    }).read(permissionSetArn);
  }

  /**
   * DeletePermissionSet. AWS refuses with ConflictException while the set is assigned or provisioned
   * anywhere, or still being deprovisioned (local/emulators/identity-center/permission-set-operations.ts cites it).
   */
  async deletePermissionSet(permissionSetArn: string): Promise<void> {
    await this.ssoAdmin.send(
      new DeletePermissionSetCommand({ InstanceArn: this.instanceArn, PermissionSetArn: permissionSetArn }),
    );
  }

  /** Whether a permission set exists: DescribePermissionSet, ResourceNotFoundException meaning it does not. */
  async permissionSetExists(permissionSetArn: string): Promise<boolean> {
    try {
      await this.ssoAdmin.send(
        new DescribePermissionSetCommand({
          InstanceArn: this.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === "ResourceNotFoundException") return false;
      throw error;
    }
  }

  /**
   * The permission sets provisioned to an account; `outdated` when the latest version is not
   * provisioned there. Two filtered lists (latest / not latest): the union is every provisioned set.
   */
  async listProvisionedPermissionSets(
    accountId: string,
  ): Promise<{ permissionSetArn: string; outdated: boolean }[]> {
    const current = await this.provisionedToAccount(accountId, "LATEST_PERMISSION_SET_PROVISIONED");
    const outdated = await this.provisionedToAccount(accountId, "LATEST_PERMISSION_SET_NOT_PROVISIONED");
    return [
      ...current.map((permissionSetArn) => ({ permissionSetArn, outdated: false })),
      ...outdated.map((permissionSetArn) => ({ permissionSetArn, outdated: true })),
    ].sort(byKey((p) => p.permissionSetArn));
  }

  /** The inline policy document of a permission set, or `null` when it has none. */
  async getInlinePolicy(permissionSetArn: string): Promise<string | null> {
    const output = await this.ssoAdmin.send(
      new GetInlinePolicyForPermissionSetCommand({
        InstanceArn: this.instanceArn,
        PermissionSetArn: permissionSetArn,
      }),
    );
    const { InlinePolicy } = parseResponse("GetInlinePolicyForPermissionSet", schema.inlinePolicy, output);
    return InlinePolicy === undefined || InlinePolicy === "" ? null : InlinePolicy;
  }

  /** Replaces the inline policy; accounts only see it after {@link provisionPermissionSet}. */
  async putInlinePolicy(permissionSetArn: string, document: string): Promise<void> {
    await this.ssoAdmin.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: this.instanceArn,
        PermissionSetArn: permissionSetArn,
        InlinePolicy: document,
      }),
    );
  }

  /** Removes the inline policy (when no statement is left in it). */
  async deleteInlinePolicy(permissionSetArn: string): Promise<void> {
    await this.ssoAdmin.send(
      new DeleteInlinePolicyFromPermissionSetCommand({
        InstanceArn: this.instanceArn,
        PermissionSetArn: permissionSetArn,
      }),
    );
  }

  /** Starts provisioning the latest version of a permission set to one account. */
  async provisionPermissionSet(permissionSetArn: string, accountId: string): Promise<{ requestId: string }> {
    const output = await this.ssoAdmin.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: this.instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetType: "AWS_ACCOUNT",
        TargetId: accountId,
      }),
    );
    return {
      requestId: parseResponse("ProvisionPermissionSet", schema.provisioning, output)
        .PermissionSetProvisioningStatus.RequestId,
    };
  }

  /**
   * Provisions the set's latest version to every account it is provisioned to, in one asynchronous
   * operation (`TargetType: ALL_PROVISIONED_ACCOUNTS`, no TargetId: sso-admin API reference,
   * ProvisionPermissionSet).
   */
  async provisionPermissionSetEverywhere(permissionSetArn: string): Promise<{ requestId: string }> {
    const output = await this.ssoAdmin.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: this.instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetType: "ALL_PROVISIONED_ACCOUNTS",
      }),
    );
    return {
      requestId: parseResponse("ProvisionPermissionSet", schema.provisioning, output)
        .PermissionSetProvisioningStatus.RequestId,
    };
  }

  async provisioningStatus(requestId: string): Promise<OperationProgress> {
    const output = await this.ssoAdmin.send(
      new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: this.instanceArn,
        ProvisionPermissionSetRequestId: requestId,
      }),
    );
    return progress(
      parseResponse("DescribePermissionSetProvisioningStatus", schema.provisioning, output)
        .PermissionSetProvisioningStatus,
    );
  }

  // ---- sso-admin: account assignments --------------------------------------------------------

  /** The assignments of one (account, permission set) pair. */
  async listAssignments(accountId: string, permissionSetArn: string): Promise<Assignment[]> {
    const assignments = await collectPages("ListAccountAssignments", async (NextToken) => {
      const output = await this.ssoAdmin.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: this.instanceArn,
          AccountId: accountId,
          PermissionSetArn: permissionSetArn,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListAccountAssignments", schema.assignmentsPage, output);
      return { items: page.AccountAssignments, nextToken: page.NextToken };
    });
    return assignments.map(toAssignment).sort(assignmentOrder);
  }

  /**
   * A principal's direct assignments in every account (a user's group assignments are the groups').
   * Only items naming the principal asked about are returned: whether AWS also lists a USER's
   * group-inherited assignments (each naming the GROUP) is undocumented (docs/aws-behaviour.md).
   */
  async listAssignmentsForPrincipal(
    principalId: string,
    principalType: PrincipalType,
  ): Promise<Assignment[]> {
    const assignments = await collectPages("ListAccountAssignmentsForPrincipal", async (NextToken) => {
      const output = await this.ssoAdmin.send(
        new ListAccountAssignmentsForPrincipalCommand({
          InstanceArn: this.instanceArn,
          PrincipalId: principalId,
          PrincipalType: principalType,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListAccountAssignmentsForPrincipal", schema.assignmentsPage, output);
      return { items: page.AccountAssignments, nextToken: page.NextToken };
    });
    return ownAssignments(assignments.map(toAssignment), principalType, principalId).sort(assignmentOrder);
  }

  /** Starts creating an assignment (which provisions the permission set to the account if needed). */
  async createAssignment(assignment: Assignment): Promise<{ requestId: string }> {
    const output = await this.ssoAdmin.send(
      new CreateAccountAssignmentCommand(this.assignmentInput(assignment)),
    );
    const { AccountAssignmentCreationStatus } = parseResponse(
      "CreateAccountAssignment",
      schema.assignmentCreation,
      output,
    );
    return { requestId: AccountAssignmentCreationStatus.RequestId };
  }

  /** Starts deleting an assignment. Live role sessions survive it (design.md, principle 4). */
  async deleteAssignment(assignment: Assignment): Promise<{ requestId: string }> {
    const output = await this.ssoAdmin.send(
      new DeleteAccountAssignmentCommand(this.assignmentInput(assignment)),
    );
    const { AccountAssignmentDeletionStatus } = parseResponse(
      "DeleteAccountAssignment",
      schema.assignmentDeletion,
      output,
    );
    return { requestId: AccountAssignmentDeletionStatus.RequestId };
  }

  async assignmentCreationStatus(requestId: string): Promise<OperationProgress> {
    const output = await this.ssoAdmin.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: this.instanceArn,
        AccountAssignmentCreationRequestId: requestId,
      }),
    );
    return progress(
      parseResponse("DescribeAccountAssignmentCreationStatus", schema.assignmentCreation, output)
        .AccountAssignmentCreationStatus,
    );
  }

  async assignmentDeletionStatus(requestId: string): Promise<OperationProgress> {
    const output = await this.ssoAdmin.send(
      new DescribeAccountAssignmentDeletionStatusCommand({
        InstanceArn: this.instanceArn,
        AccountAssignmentDeletionRequestId: requestId,
      }),
    );
    return progress(
      parseResponse("DescribeAccountAssignmentDeletionStatus", schema.assignmentDeletion, output)
        .AccountAssignmentDeletionStatus,
    );
  }

  // ---- the whole picture ---------------------------------------------------------------------

  /**
   * Identity Center as the planner sees it, for the given accounts. Calls: ListPermissionSets +
   * one DescribePermissionSet per set; the provisioned pairs listed from the smaller side: two
   * ListAccountsForProvisionedPermissionSet per permission set when there are fewer sets than
   * accounts (the usual shape: 6 sets, 1,000 accounts), else two ListPermissionSetsProvisionedToAccount
   * per account; one ListAccountAssignments per *provisioned* pair (never per account x permission set);
   * ListUsers, ListGroups and one ListGroupMemberships per group. `denies` is empty: the deny
   * ledger lives elsewhere. Users and groups without a name are listed in `unnamed`, not `users` /
   * `groups` (their memberships are kept, so nobody's access is misread).
   */
  async readState(
    accountIds: readonly string[],
    options: {
      /** Reads only the pairs this accepts (a scoped estate run). @default every provisioned pair */
      pairs?: (accountId: string, permissionSetArn: string) => boolean;
    } = {},
  ): Promise<IdentityCenterState> {
    const permissionSets = await this.listPermissionSets();
    const provisioned: ProvisionedPair[] = [];
    const assignments: Assignment[] = [];
    // A scoped read lists only the accounts and sets its pairs name: 2 calls for one pair or one set.
    const accepts = options.pairs ?? (() => true);
    const accounts = [...new Set(accountIds)].filter((a) => permissionSets.some((ps) => accepts(a, ps.arn)));
    const sets = permissionSets.filter((ps) => accounts.some((a) => accepts(a, ps.arn)));
    for (const pair of await this.listProvisionedPairs(accounts, sets)) {
      if (!accepts(pair.accountId, pair.permissionSetArn)) continue;
      provisioned.push(pair);
      assignments.push(...(await this.listAssignments(pair.accountId, pair.permissionSetArn)));
    }
    const users = await this.listUsersWithUnnamed();
    const groups = await this.listGroupsWithUnnamed();
    const memberships: IcMembership[] = [];
    for (const group of [...groups.named, ...groups.unnamedIds.map((groupId) => ({ groupId }))]) {
      for (const member of await this.listGroupMemberships(group.groupId)) {
        memberships.push({ groupId: group.groupId, userId: member.userId });
      }
    }
    return {
      instanceArn: this.instanceArn,
      identityStoreId: this.identityStoreId,
      permissionSets,
      users: users.named,
      groups: groups.named,
      memberships,
      provisioned,
      assignments: assignments.sort(assignmentOrder),
      denies: [],
      unnamed: { userIds: users.unnamedIds, groupIds: groups.unnamedIds },
    };
  }

  /**
   * Every provisioned (account, permission set) pair among `accountIds`, sorted by account then set.
   * Both listings answer the same pairs (sso-admin API reference: ListAccountsForProvisionedPermissionSet
   * "lists all the AWS accounts where the specified permission set is provisioned",
   * ListPermissionSetsProvisionedToAccount "lists all the permission sets that are provisioned to a
   * specified AWS account"); each costs two filtered listings per item, so the smaller side is read.
   * Accounts outside `accountIds` (suspended, or not this run's) are left out either way.
   */
  private async listProvisionedPairs(
    accountIds: readonly string[],
    permissionSets: readonly IcPermissionSet[],
  ): Promise<ProvisionedPair[]> {
    const accounts = [...new Set(accountIds)].sort();
    const pairs: ProvisionedPair[] = [];
    if (permissionSets.length < accounts.length) {
      const wanted = new Set(accounts);
      for (const { arn } of permissionSets) {
        for (const { accountId, outdated } of await this.listAccountsProvisionedWith(arn)) {
          if (wanted.has(accountId)) pairs.push({ accountId, permissionSetArn: arn, outdated });
        }
      }
    } else {
      for (const accountId of accounts) {
        for (const pair of await this.listProvisionedPermissionSets(accountId))
          pairs.push({ accountId, ...pair });
      }
    }
    return pairs.sort(byKey((p) => `${p.accountId} ${p.permissionSetArn}`));
  }

  /**
   * The accounts a permission set is provisioned to; `outdated` when its latest version is not
   * provisioned there. Two filtered lists (latest / not latest), as listProvisionedPermissionSets.
   */
  async listAccountsProvisionedWith(
    permissionSetArn: string,
  ): Promise<{ accountId: string; outdated: boolean }[]> {
    const current = await this.accountsForProvisionedSet(
      permissionSetArn,
      "LATEST_PERMISSION_SET_PROVISIONED",
    );
    const outdated = await this.accountsForProvisionedSet(
      permissionSetArn,
      "LATEST_PERMISSION_SET_NOT_PROVISIONED",
    );
    return [
      ...current.map((accountId) => ({ accountId, outdated: false })),
      ...outdated.map((accountId) => ({ accountId, outdated: true })),
    ].sort(byKey((p) => p.accountId));
  }

  private async accountsForProvisionedSet(
    permissionSetArn: string,
    status: ProvisioningStatus,
  ): Promise<string[]> {
    return collectPages("ListAccountsForProvisionedPermissionSet", async (NextToken) => {
      const output = await this.ssoAdmin.send(
        new ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: this.instanceArn,
          PermissionSetArn: permissionSetArn,
          ProvisioningStatus: status,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListAccountsForProvisionedPermissionSet", schema.accountIdsPage, output);
      return { items: page.AccountIds, nextToken: page.NextToken };
    });
  }

  private async provisionedToAccount(accountId: string, status: ProvisioningStatus): Promise<string[]> {
    return collectPages("ListPermissionSetsProvisionedToAccount", async (NextToken) => {
      const output = await this.ssoAdmin.send(
        new ListPermissionSetsProvisionedToAccountCommand({
          InstanceArn: this.instanceArn,
          AccountId: accountId,
          ProvisioningStatus: status,
          MaxResults: this.pageSize,
          NextToken,
        }),
      );
      const page = parseResponse("ListPermissionSetsProvisionedToAccount", schema.arnsPage, output);
      return { items: page.PermissionSets, nextToken: page.NextToken };
    });
  }

  private assignmentInput(a: Assignment) {
    return {
      InstanceArn: this.instanceArn,
      TargetId: a.accountId,
      TargetType: "AWS_ACCOUNT" as const,
      PermissionSetArn: a.permissionSetArn,
      PrincipalType: a.principalType,
      PrincipalId: a.principalId,
    };
  }
}
