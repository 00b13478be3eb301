/**
 * IAM roles with their trust policies (IAM API Reference: CreateRole, GetRole, ListRoles, DeleteRole).
 * `MaxSessionDuration` 3,600 to 43,200 seconds, default 3,600 (CreateRole); a trust policy is checked
 * like any policy and is at most 2,048 characters (policy-document.ts); 1,000 roles per account
 * (IAM and AWS STS quotas).
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { deleteConflict, entityAlreadyExists, limitExceeded } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { requireRole } from "./lookups.ts";
import { paginate } from "./pagination.ts";
import { checkAggregateSize, checkPolicyDocument, TRUST_POLICY_SIZE } from "./policy-document.ts";
import { roleShape } from "./shapes.ts";
import type { AccountIam, RoleRecord } from "./state.ts";

export const ROLES_PER_ACCOUNT = 1_000;
export const DEFAULT_MAX_SESSION_DURATION = 3_600;

/** Adds a role after the checks CreateRole makes (the seed helpers share them). */
export function addRole(
  ctx: Pick<IamContext, "ids" | "now">,
  account: AccountIam,
  role: {
    name: string;
    trustPolicy: string;
    path?: string;
    description?: string;
    maxSessionDuration?: number;
    tags?: Map<string, string>;
  },
): RoleRecord {
  if (account.role(role.name)) throw entityAlreadyExists(`Role with name ${role.name} already exists.`);
  if (account.roles.size >= ROLES_PER_ACCOUNT)
    throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ROLES_PER_ACCOUNT}`);
  checkPolicyDocument(role.trustPolicy);
  checkAggregateSize([role.trustPolicy], TRUST_POLICY_SIZE, "ACLSizePerRole");
  const record: RoleRecord = {
    name: role.name,
    id: ctx.ids.roleId(),
    path: role.path ?? "/",
    createdAt: new Date(ctx.now()),
    trustPolicy: role.trustPolicy,
    description: role.description,
    maxSessionDuration: role.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    tags: role.tags ?? new Map(),
    inlinePolicies: new Map(),
  };
  account.roles.set(role.name.toLowerCase(), record);
  return record;
}

export function roleOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const accountOf = (request: Parameters<AwsQueryOperation>[1]) =>
    ctx.state.account(ctx.caller(request, "iam").accountId);
  return {
    CreateRole(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("RoleName", RULES.roleName);
      const trustPolicy = fields.string("AssumeRolePolicyDocument", RULES.policyDocument);
      const path = fields.optionalString("Path", RULES.path);
      const description = fields.optionalString("Description", {
        pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*",
        min: 0,
        max: 1000,
      });
      const maxSessionDuration = fields.optionalInteger("MaxSessionDuration", 3_600, 43_200);
      const tags = fields.tags();
      fields.done();
      const account = accountOf(request);
      const role = addRole(ctx, account, {
        name,
        trustPolicy,
        path,
        description,
        maxSessionDuration,
        tags: new Map(tags.map((t) => [t.Key, t.Value])),
      });
      return { Role: roleShape(account.accountId, role, true) };
    },
    GetRole(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("RoleName", RULES.roleName);
      fields.done();
      const account = accountOf(request);
      return { Role: roleShape(account.accountId, requireRole(account, name), true) };
    },
    ListRoles(input, request) {
      const fields = new QueryFields(input);
      const prefix = fields.optionalString("PathPrefix", RULES.path) ?? "/";
      const account = accountOf(request);
      const roles = [...account.roles.values()]
        .filter((r) => r.path.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const page = paginate(fields, roles);
      return {
        Roles: page.items.map((r) => roleShape(account.accountId, r)),
        IsTruncated: page.IsTruncated,
        Marker: page.Marker,
      };
    },
    DeleteRole(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("RoleName", RULES.roleName);
      fields.done();
      const account = accountOf(request);
      const role = requireRole(account, name);
      if (role.inlinePolicies.size > 0)
        throw deleteConflict("Cannot delete entity, must delete policies first.");
      account.roles.delete(role.name.toLowerCase());
      return undefined;
    },
  };
}
