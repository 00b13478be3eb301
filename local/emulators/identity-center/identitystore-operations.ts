/**
 * identitystore operations: users, groups, group memberships, and the lookups the pipeline leans
 * on (GetUserId by userName, GetGroupMembershipId to delete a membership). Responses carry AWS
 * fields only.
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import { epochSeconds, type OperationContext } from "./context.ts";
import { resourceNotFound, uniquenessConflict } from "./errors.ts";
import { paginate, readPageRequest } from "./pagination.ts";
import { PATTERNS, RequestFields } from "./request-fields.ts";
import type { EmulatorState, GroupRecord, MembershipRecord, UserRecord } from "./state.ts";

const USER_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

function userOut(state: EmulatorState, u: UserRecord): Record<string, unknown> {
  return {
    IdentityStoreId: state.identityStoreId,
    UserId: u.userId,
    ...(u.userName === undefined ? {} : { UserName: u.userName }),
    ...(u.externalIds === undefined ? {} : { ExternalIds: u.externalIds }),
    ...(u.name === undefined ? {} : { Name: u.name }),
    ...(u.displayName === undefined ? {} : { DisplayName: u.displayName }),
    ...(u.emails === undefined ? {} : { Emails: u.emails }),
    ...(u.userStatus === undefined ? {} : { UserStatus: u.userStatus }),
    CreatedAt: epochSeconds(u.createdAt),
  };
}

function groupOut(state: EmulatorState, g: GroupRecord): Record<string, unknown> {
  return {
    IdentityStoreId: state.identityStoreId,
    GroupId: g.groupId,
    ...(g.displayName === undefined ? {} : { DisplayName: g.displayName }),
    ...(g.description === undefined ? {} : { Description: g.description }),
    CreatedAt: epochSeconds(g.createdAt),
  };
}

function membershipOut(state: EmulatorState, m: MembershipRecord): Record<string, unknown> {
  return {
    IdentityStoreId: state.identityStoreId,
    MembershipId: m.membershipId,
    GroupId: m.groupId,
    MemberId: { UserId: m.userId },
    CreatedAt: epochSeconds(m.createdAt),
  };
}

/** Starts reading a request: every identitystore call names the identity store. */
function open(input: unknown): { fields: RequestFields; identityStoreId: string } {
  const fields = new RequestFields(input);
  const identityStoreId = fields.string("IdentityStoreId", {
    min: 1,
    max: 36,
    pattern: PATTERNS.identityStoreId,
  });
  return { fields, identityStoreId };
}

function requireStore(state: EmulatorState, identityStoreId: string): void {
  if (identityStoreId !== state.identityStoreId)
    throw resourceNotFound(
      "IDENTITY_STORE",
      identityStoreId,
      `Identity store ${identityStoreId} does not exist`,
    );
}

function requireUser(state: EmulatorState, userId: string): UserRecord {
  const user = state.users.get(userId);
  if (!user) throw resourceNotFound("USER", userId, `User ${userId} does not exist`);
  return user;
}

function requireGroup(state: EmulatorState, groupId: string): GroupRecord {
  const group = state.groups.get(groupId);
  if (!group) throw resourceNotFound("GROUP", groupId, `Group ${groupId} does not exist`);
  return group;
}

/** The `MemberId` union: only `UserId` exists today. */
function readMemberId(fields: RequestFields): string {
  const member = fields.optionalObject("MemberId");
  if (member === undefined) {
    fields.problem("MemberId", undefined, "Member must not be null");
    return "";
  }
  return fields.string("MemberId.UserId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
}

/** The deprecated-but-supported `Filters` of ListUsers/ListGroups: at most one, on `path`. */
function readFilter(fields: RequestFields, path: string): string | undefined {
  const filters = fields.optionalList("Filters");
  if (filters === undefined) return undefined;
  if (filters.length > 1) {
    fields.problem("Filters", "[...]", "Member must have length less than or equal to 1");
    return undefined;
  }
  if (filters.length === 0) return undefined;
  fields.string("Filters.0.AttributePath", { oneOf: [path] });
  return fields.string("Filters.0.AttributeValue", { min: 1, max: 1024 });
}

type AlternateIdentifier =
  | { kind: "unique"; path: string; value: string }
  | { kind: "external"; issuer: string; id: string };

function readAlternateIdentifier(
  fields: RequestFields,
  uniquePaths: readonly string[],
): AlternateIdentifier | undefined {
  const alternate = fields.optionalObject("AlternateIdentifier");
  if (alternate === undefined) {
    fields.problem("AlternateIdentifier", undefined, "Member must not be null");
    return undefined;
  }
  if (alternate.ExternalId !== undefined) {
    const issuer = fields.string("AlternateIdentifier.ExternalId.Issuer", { min: 1, max: 100 });
    const id = fields.string("AlternateIdentifier.ExternalId.Id", { min: 1, max: 256 });
    return { kind: "external", issuer, id };
  }
  if (alternate.UniqueAttribute !== undefined) {
    const path = fields.string("AlternateIdentifier.UniqueAttribute.AttributePath", { oneOf: uniquePaths });
    const value = fields.string("AlternateIdentifier.UniqueAttribute.AttributeValue", { min: 1 });
    return { kind: "unique", path, value };
  }
  fields.problem("AlternateIdentifier", "{}", "Exactly one of ExternalId or UniqueAttribute must be set");
  return undefined;
}

export function identityStoreOperations(ctx: OperationContext): Record<string, AwsOperation> {
  const { state } = ctx;
  return {
    CreateUser(input) {
      const { fields, identityStoreId } = open(input);
      const userName = fields.string("UserName", { min: 1, max: 128, pattern: USER_NAME });
      const displayName = fields.optionalString("DisplayName", { min: 1, max: 1024 });
      const name = fields.optionalObject("Name");
      const emails = fields.optionalList("Emails");
      fields.done();
      requireStore(state, identityStoreId);
      if (state.findUserByUserName(userName))
        throw uniquenessConflict(`Duplicate UserName: ${userName} already exists`);
      const user: UserRecord = { userId: ctx.ids.uuid(), userName, createdAt: ctx.now() };
      if (displayName !== undefined) user.displayName = displayName;
      if (name !== undefined) user.name = name as Record<string, string>;
      if (emails !== undefined) user.emails = emails as NonNullable<UserRecord["emails"]>;
      state.users.set(user.userId, user);
      return { IdentityStoreId: state.identityStoreId, UserId: user.userId };
    },

    DescribeUser(input) {
      const { fields, identityStoreId } = open(input);
      const userId = fields.string("UserId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      fields.done();
      requireStore(state, identityStoreId);
      return userOut(state, requireUser(state, userId));
    },

    ListUsers(input) {
      const { fields, identityStoreId } = open(input);
      const userName = readFilter(fields, "UserName");
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireStore(state, identityStoreId);
      const users = [...state.users.values()].filter(
        (u) => userName === undefined || u.userName === userName,
      );
      const page = paginate(users, pageRequest, `ListUsers:${userName}`, ctx.limits);
      return { Users: page.items.map((u) => userOut(state, u)), NextToken: page.nextToken };
    },

    GetUserId(input) {
      const { fields, identityStoreId } = open(input);
      const alternate = readAlternateIdentifier(fields, ["userName", "emails.value"]);
      fields.done();
      requireStore(state, identityStoreId);
      const user = [...state.users.values()].find((u) => {
        if (alternate?.kind === "external") {
          return u.externalIds?.some((e) => e.Issuer === alternate.issuer && e.Id === alternate.id) ?? false;
        }
        if (alternate?.path === "userName") return u.userName === alternate.value;
        return u.emails?.some((e) => e.Value === alternate?.value) ?? false;
      });
      if (!user) throw resourceNotFound("USER", undefined, "USER not found");
      return { IdentityStoreId: state.identityStoreId, UserId: user.userId };
    },

    DeleteUser(input) {
      const { fields, identityStoreId } = open(input);
      const userId = fields.string("UserId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      fields.done();
      requireStore(state, identityStoreId);
      requireUser(state, userId);
      state.users.delete(userId);
      for (const m of [...state.memberships.values()])
        if (m.userId === userId) state.memberships.delete(m.membershipId);
      return {};
    },

    CreateGroup(input) {
      const { fields, identityStoreId } = open(input);
      const displayName = fields.optionalString("DisplayName", { min: 1, max: 1024 });
      const description = fields.optionalString("Description", { min: 1, max: 1024 });
      fields.done();
      requireStore(state, identityStoreId);
      if (displayName !== undefined && state.findGroupByDisplayName(displayName)) {
        throw uniquenessConflict(`Duplicate DisplayName: ${displayName} already exists`);
      }
      const group: GroupRecord = { groupId: ctx.ids.uuid(), createdAt: ctx.now() };
      if (displayName !== undefined) group.displayName = displayName;
      if (description !== undefined) group.description = description;
      state.groups.set(group.groupId, group);
      return { IdentityStoreId: state.identityStoreId, GroupId: group.groupId };
    },

    DescribeGroup(input) {
      const { fields, identityStoreId } = open(input);
      const groupId = fields.string("GroupId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      fields.done();
      requireStore(state, identityStoreId);
      return groupOut(state, requireGroup(state, groupId));
    },

    ListGroups(input) {
      const { fields, identityStoreId } = open(input);
      const displayName = readFilter(fields, "DisplayName");
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireStore(state, identityStoreId);
      const groups = [...state.groups.values()].filter(
        (g) => displayName === undefined || g.displayName === displayName,
      );
      const page = paginate(groups, pageRequest, `ListGroups:${displayName}`, ctx.limits);
      return { Groups: page.items.map((g) => groupOut(state, g)), NextToken: page.nextToken };
    },

    GetGroupId(input) {
      const { fields, identityStoreId } = open(input);
      const alternate = readAlternateIdentifier(fields, ["displayName"]);
      fields.done();
      requireStore(state, identityStoreId);
      const group = alternate?.kind === "unique" ? state.findGroupByDisplayName(alternate.value) : undefined;
      if (!group) throw resourceNotFound("GROUP", undefined, "GROUP not found");
      return { IdentityStoreId: state.identityStoreId, GroupId: group.groupId };
    },

    DeleteGroup(input) {
      const { fields, identityStoreId } = open(input);
      const groupId = fields.string("GroupId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      fields.done();
      requireStore(state, identityStoreId);
      requireGroup(state, groupId);
      state.groups.delete(groupId);
      for (const m of [...state.memberships.values()])
        if (m.groupId === groupId) state.memberships.delete(m.membershipId);
      return {};
    },

    CreateGroupMembership(input) {
      const { fields, identityStoreId } = open(input);
      const groupId = fields.string("GroupId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      const userId = readMemberId(fields);
      fields.done();
      requireStore(state, identityStoreId);
      requireGroup(state, groupId);
      requireUser(state, userId);
      if (state.findMembership(groupId, userId))
        throw uniquenessConflict(`User ${userId} is already a member of ${groupId}`);
      const membership: MembershipRecord = {
        membershipId: ctx.ids.uuid(),
        groupId,
        userId,
        createdAt: ctx.now(),
      };
      state.memberships.set(membership.membershipId, membership);
      return { IdentityStoreId: state.identityStoreId, MembershipId: membership.membershipId };
    },

    DeleteGroupMembership(input) {
      const { fields, identityStoreId } = open(input);
      const membershipId = fields.string("MembershipId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      fields.done();
      requireStore(state, identityStoreId);
      if (!state.memberships.delete(membershipId))
        throw resourceNotFound(
          "GROUP_MEMBERSHIP",
          membershipId,
          `GroupMembership ${membershipId} does not exist`,
        );
      return {};
    },

    DescribeGroupMembership(input) {
      const { fields, identityStoreId } = open(input);
      const membershipId = fields.string("MembershipId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      fields.done();
      requireStore(state, identityStoreId);
      const membership = state.memberships.get(membershipId);
      if (!membership)
        throw resourceNotFound(
          "GROUP_MEMBERSHIP",
          membershipId,
          `GroupMembership ${membershipId} does not exist`,
        );
      return membershipOut(state, membership);
    },

    GetGroupMembershipId(input) {
      const { fields, identityStoreId } = open(input);
      const groupId = fields.string("GroupId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      const userId = readMemberId(fields);
      fields.done();
      requireStore(state, identityStoreId);
      const membership = state.findMembership(groupId, userId);
      if (!membership) throw resourceNotFound("GROUP_MEMBERSHIP", undefined, "GROUP_MEMBERSHIP not found");
      return { IdentityStoreId: state.identityStoreId, MembershipId: membership.membershipId };
    },

    ListGroupMemberships(input) {
      const { fields, identityStoreId } = open(input);
      const groupId = fields.string("GroupId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireStore(state, identityStoreId);
      requireGroup(state, groupId);
      const members = [...state.memberships.values()].filter((m) => m.groupId === groupId);
      const page = paginate(members, pageRequest, `ListGroupMemberships:${groupId}`, ctx.limits);
      return { GroupMemberships: page.items.map((m) => membershipOut(state, m)), NextToken: page.nextToken };
    },

    ListGroupMembershipsForMember(input) {
      const { fields, identityStoreId } = open(input);
      const userId = readMemberId(fields);
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireStore(state, identityStoreId);
      requireUser(state, userId);
      const memberships = [...state.memberships.values()].filter((m) => m.userId === userId);
      const page = paginate(memberships, pageRequest, `ListGroupMembershipsForMember:${userId}`, ctx.limits);
      return { GroupMemberships: page.items.map((m) => membershipOut(state, m)), NextToken: page.nextToken };
    },

    IsMemberInGroups(input) {
      const { fields, identityStoreId } = open(input);
      const userId = readMemberId(fields);
      const groupIds = fields.stringList("GroupIds", 1, 100, {
        min: 1,
        max: 47,
        pattern: PATTERNS.resourceId,
      });
      fields.done();
      requireStore(state, identityStoreId);
      requireUser(state, userId);
      return {
        Results: groupIds.map((groupId) => ({
          GroupId: groupId,
          MemberId: { UserId: userId },
          MembershipExists: state.findMembership(groupId, userId) !== undefined,
        })),
      };
    },
  };
}
