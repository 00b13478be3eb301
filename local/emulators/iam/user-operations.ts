/**
 * IAM users (IAM API Reference: CreateUser, GetUser, ListUsers, DeleteUser, TagUser, UntagUser,
 * ListUserTags). Quotas (IAM User Guide, "IAM and AWS STS quotas"): 5,000 users per account, 50 tags
 * per user. DeleteUser refuses while anything is attached ("you must delete the items attached to the
 * user manually", API Reference, DeleteUser) with DeleteConflict.
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { deleteConflict, entityAlreadyExists, limitExceeded } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { requireUser, targetUser } from "./lookups.ts";
import { paginate } from "./pagination.ts";
import { tagList, userShape } from "./shapes.ts";

export const USERS_PER_ACCOUNT = 5_000;
export const TAGS_PER_ENTITY = 50;

export function userOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const accountOf = (request: Parameters<AwsQueryOperation>[1]) => {
    const caller = ctx.caller(request, "iam");
    return { caller, account: ctx.state.account(caller.accountId) };
  };
  return {
    CreateUser(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("UserName", RULES.userName);
      const path = fields.optionalString("Path", RULES.path) ?? "/";
      const tags = fields.tags();
      fields.done();
      const { account } = accountOf(request);
      if (account.user(name)) throw entityAlreadyExists(`User with name ${name} already exists.`);
      if (account.users.size >= USERS_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_PER_ACCOUNT}`);
      const user = {
        name,
        id: ctx.ids.userId(),
        path,
        createdAt: new Date(ctx.now()),
        tags: new Map(tags.map((t) => [t.Key, t.Value])),
        accessKeys: [],
        mfaDevices: [],
        inlinePolicies: new Map(),
      };
      account.users.set(name.toLowerCase(), user);
      return { User: userShape(account.accountId, user, true) };
    },
    GetUser(input, request) {
      const { caller, account } = accountOf(request);
      return {
        User: userShape(account.accountId, targetUser(new QueryFields(input), caller, account), true),
      };
    },
    ListUsers(input, request) {
      const fields = new QueryFields(input);
      const prefix = fields.optionalString("PathPrefix", RULES.path) ?? "/";
      const { account } = accountOf(request);
      const users = [...account.users.values()]
        .filter((u) => u.path.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const page = paginate(fields, users);
      return {
        Users: page.items.map((u) => userShape(account.accountId, u)),
        IsTruncated: page.IsTruncated,
        Marker: page.Marker,
      };
    },
    DeleteUser(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("UserName", RULES.existingUserName);
      fields.done();
      const { account } = accountOf(request);
      const user = requireUser(account, name);
      // The order AWS checks in is undocumented; each message names what to delete first.
      if (user.loginProfile) throw deleteConflict("Cannot delete entity, must delete login profile first.");
      if (user.accessKeys.length > 0)
        throw deleteConflict("Cannot delete entity, must delete access keys first.");
      if (user.inlinePolicies.size > 0)
        throw deleteConflict("Cannot delete entity, must delete policies first.");
      if (user.mfaDevices.length > 0)
        throw deleteConflict("Cannot delete entity, must delete MFA device first.");
      account.users.delete(user.name.toLowerCase());
      return undefined;
    },
    TagUser(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("UserName", RULES.existingUserName);
      const tags = fields.tags();
      fields.done();
      const { account } = accountOf(request);
      const user = requireUser(account, name);
      const merged = new Map(user.tags);
      for (const tag of tags) merged.set(tag.Key, tag.Value);
      if (merged.size > TAGS_PER_ENTITY)
        throw limitExceeded(`Cannot exceed quota for TagsPerUser: ${TAGS_PER_ENTITY}`);
      for (const tag of tags) user.tags.set(tag.Key, tag.Value);
      return undefined;
    },
    UntagUser(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("UserName", RULES.existingUserName);
      const keys = Array.isArray(input.TagKeys) ? (input.TagKeys as string[]) : [];
      fields.done();
      const user = requireUser(accountOf(request).account, name);
      for (const key of keys) user.tags.delete(key);
      return undefined;
    },
    ListUserTags(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("UserName", RULES.existingUserName);
      const { account } = accountOf(request);
      fields.done();
      const user = requireUser(account, name);
      const page = paginate(fields, tagList(user.tags));
      return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  };
}
