/**
 * Inline policies of users and roles (IAM API Reference: Put/Get/Delete/ListUserPolicies,
 * Put/Get/Delete/ListRolePolicies). Put replaces a policy of the same name; documents are checked
 * and counted against the aggregate quotas (policy-document.ts) and returned URL-encoded.
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { noSuchEntity } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { requireRole, requireUser } from "./lookups.ts";
import { paginate } from "./pagination.ts";
import {
  checkAggregateSize,
  checkPolicyDocument,
  ROLE_POLICY_SIZE,
  USER_POLICY_SIZE,
} from "./policy-document.ts";
import { urlEncodedDocument } from "./shapes.ts";
import type { AccountIam } from "./state.ts";

interface Holder {
  /** `User` or `Role`: the request members are `<kind>Name`. */
  kind: "User" | "Role";
  find(account: AccountIam, name: string): { name: string; inlinePolicies: Map<string, string> };
  quota: number;
  quotaName: string;
}

const HOLDERS: Holder[] = [
  { kind: "User", find: requireUser, quota: USER_POLICY_SIZE, quotaName: "UserPolicySize" },
  { kind: "Role", find: requireRole, quota: ROLE_POLICY_SIZE, quotaName: "RolePolicySize" },
];

export function inlinePolicyOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const operations: Record<string, AwsQueryOperation> = {};
  for (const holder of HOLDERS) {
    const nameMember = `${holder.kind}Name`;
    const nameRule = holder.kind === "User" ? RULES.existingUserName : RULES.roleName;
    const read = (input: unknown, request: Parameters<AwsQueryOperation>[1], withDocument = false) => {
      const fields = new QueryFields(input);
      const name = fields.string(nameMember, nameRule);
      const policyName = fields.string("PolicyName", RULES.policyName);
      const document = withDocument ? fields.string("PolicyDocument", RULES.policyDocument) : "";
      fields.done();
      const account = ctx.state.account(ctx.caller(request, "iam").accountId);
      return { entity: holder.find(account, name), policyName, document };
    };
    const policyOf = (entity: { name: string; inlinePolicies: Map<string, string> }, policyName: string) => {
      const document = entity.inlinePolicies.get(policyName);
      if (document === undefined)
        throw noSuchEntity(
          `The ${holder.kind.toLowerCase()} policy with name ${policyName} cannot be found.`,
        );
      return document;
    };
    operations[`Put${holder.kind}Policy`] = (input, request) => {
      const { entity, policyName, document } = read(input, request, true);
      checkPolicyDocument(document);
      const others = [...entity.inlinePolicies]
        .filter(([name]) => name !== policyName)
        .map(([, text]) => text);
      checkAggregateSize([...others, document], holder.quota, holder.quotaName);
      entity.inlinePolicies.set(policyName, document);
      return undefined;
    };
    operations[`Get${holder.kind}Policy`] = (input, request) => {
      const { entity, policyName } = read(input, request);
      return {
        [nameMember]: entity.name,
        PolicyName: policyName,
        PolicyDocument: urlEncodedDocument(policyOf(entity, policyName)),
      };
    };
    operations[`Delete${holder.kind}Policy`] = (input, request) => {
      const { entity, policyName } = read(input, request);
      policyOf(entity, policyName);
      entity.inlinePolicies.delete(policyName);
      return undefined;
    };
    operations[`List${holder.kind}Policies`] = (input, request) => {
      const fields = new QueryFields(input);
      const name = fields.string(nameMember, nameRule);
      fields.done();
      const account = ctx.state.account(ctx.caller(request, "iam").accountId);
      const entity = holder.find(account, name);
      const page = paginate(fields, [...entity.inlinePolicies.keys()].sort());
      return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
    };
  }
  return operations;
}
