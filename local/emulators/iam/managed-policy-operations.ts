/**
 * Customer managed policies (IAM API Reference: CreatePolicy, GetPolicy, DeletePolicy; shapes from the
 * model, botocore iam 2010-05-08 `Policy`). A policy's ARN is `arn:aws:iam::<account>:policy<path><name>`
 * (IAM User Guide, "IAM identifiers", ARNs). "IAM user, group, role, and policy names must be unique
 * within the account. Names are not distinguished by case" (CreatePolicy, PolicyName), so a name is
 * taken whatever the path. A document is checked like any policy (policy-document.ts) and is at most
 * 6,144 non-whitespace characters (IAM User Guide, "IAM and AWS STS quotas", managed policy size).
 * Versions are not modelled: a policy has its one default version `v1` and no attachments.
 * AWS managed policies (`arn:aws:iam::aws:policy/...`) are not held here: GetPolicy answers NoSuchEntity.
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { accessDenied, entityAlreadyExists, invalidInput, noSuchEntity } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { checkAggregateSize, checkPolicyDocument } from "./policy-document.ts";
import { tagList } from "./shapes.ts";
import type { AccountIam, ManagedPolicyRecord } from "./state.ts";

export const MANAGED_POLICY_SIZE = 6_144;
/** The policy's one version (CreatePolicy: "the first version ... is set as the default version", v1). */
const DEFAULT_VERSION_ID = "v1";

export const managedPolicyArn = (accountId: string, policy: Pick<ManagedPolicyRecord, "path" | "name">) =>
  `arn:aws:iam::${accountId}:policy${policy.path}${policy.name}`;

/** `arn:<partition>:iam::<account or aws>:policy<path><name>`; anything else is InvalidInput. */
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy((?:\/[A-Za-z0-9.,+@=_-]+)*\/)([\w+=,.@-]+)$/;

/** Adds a policy after the checks CreatePolicy makes (the seed helpers share them). */
export function addManagedPolicy(
  ctx: Pick<IamContext, "ids" | "now">,
  account: AccountIam,
  policy: { name: string; document: string; path?: string; description?: string; tags?: Map<string, string> },
): ManagedPolicyRecord {
  if (account.policies.has(policy.name.toLowerCase()))
    throw entityAlreadyExists(
      `A policy called ${policy.name} already exists. Duplicate names are not allowed.`,
    );
  checkPolicyDocument(policy.document);
  checkAggregateSize([policy.document], MANAGED_POLICY_SIZE, "PolicySize");
  const record: ManagedPolicyRecord = {
    name: policy.name,
    id: ctx.ids.policyId(),
    path: policy.path ?? "/",
    document: policy.document,
    description: policy.description,
    createdAt: new Date(ctx.now()),
    tags: policy.tags ?? new Map(),
  };
  account.policies.set(policy.name.toLowerCase(), record);
  return record;
}

/** The model's `Policy` (GetPolicy and CreatePolicy return its tags). */
function policyShape(accountId: string, policy: ManagedPolicyRecord) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: managedPolicyArn(accountId, policy),
    Path: policy.path,
    DefaultVersionId: DEFAULT_VERSION_ID,
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.createdAt,
    UpdateDate: policy.createdAt,
    Tags: policy.tags.size > 0 ? tagList(policy.tags) : undefined,
  };
}

export function managedPolicyOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const accountOf = (request: Parameters<AwsQueryOperation>[1]) =>
    ctx.state.account(ctx.caller(request, "iam").accountId);
  /** The policy an ARN names in the caller's account. */
  const requirePolicy = (account: AccountIam, arn: string, action: string): ManagedPolicyRecord => {
    const match = POLICY_ARN.exec(arn);
    if (match === null) throw invalidInput(`ARN ${arn} is not valid.`);
    const [, owner, path, name] = match as unknown as [string, string, string, string];
    // Another account's IAM policies have no resource-based policy to admit the caller: IAM refuses.
    if (owner !== "aws" && owner !== account.accountId)
      throw accessDenied(`User is not authorized to perform: iam:${action} on resource: policy ${arn}`);
    const policy = owner === "aws" ? undefined : account.policies.get(name.toLowerCase());
    if (policy === undefined || policy.path !== path || policy.name !== name)
      throw noSuchEntity(`Policy ${arn} was not found.`);
    return policy;
  };
  return {
    CreatePolicy(input, request) {
      const fields = new QueryFields(input);
      const name = fields.string("PolicyName", RULES.policyName);
      const document = fields.string("PolicyDocument", RULES.policyDocument);
      const path = fields.optionalString("Path", RULES.policyPath);
      const description = fields.optionalString("Description", { pattern: "[\\s\\S]*", min: 0, max: 1000 });
      const tags = fields.tags();
      fields.done();
      const account = accountOf(request);
      const policy = addManagedPolicy(ctx, account, {
        name,
        document,
        path,
        description,
        tags: new Map(tags.map((t) => [t.Key, t.Value])),
      });
      return { Policy: policyShape(account.accountId, policy) };
    },
    GetPolicy(input, request) {
      const fields = new QueryFields(input);
      const arn = fields.string("PolicyArn", RULES.arn);
      fields.done();
      const account = accountOf(request);
      return { Policy: policyShape(account.accountId, requirePolicy(account, arn, "GetPolicy")) };
    },
    DeletePolicy(input, request) {
      const fields = new QueryFields(input);
      const arn = fields.string("PolicyArn", RULES.arn);
      fields.done();
      const account = accountOf(request);
      const policy = requirePolicy(account, arn, "DeletePolicy");
      account.policies.delete(policy.name.toLowerCase());
      return undefined;
    },
  };
}
