/**
 * IAM access keys (IAM API Reference: CreateAccessKey, ListAccessKeys, UpdateAccessKey,
 * DeleteAccessKey, GetAccessKeyLastUsed). At most 2 keys per user (IAM User Guide, "IAM and AWS STS
 * quotas": LimitExceeded past it). The secret is shown only by CreateAccessKey. A key never used
 * reports `ServiceName` and `Region` as `N/A` and no `LastUsedDate` (API Reference,
 * AccessKeyLastUsed); a key signing a request here records that use (caller.ts).
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { accessDenied, limitExceeded, noSuchEntity, validationError } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { targetUser } from "./lookups.ts";
import { paginate } from "./pagination.ts";
import { accessKeyMetadata } from "./shapes.ts";
import type { UserRecord } from "./state.ts";

export const ACCESS_KEYS_PER_USER = 2;

const keyOf = (user: UserRecord, accessKeyId: string) => {
  const key = user.accessKeys.find((k) => k.id === accessKeyId);
  if (key === undefined) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
};

export function accessKeyOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const scope = (request: Parameters<AwsQueryOperation>[1]) => {
    const caller = ctx.caller(request, "iam");
    return { caller, account: ctx.state.account(caller.accountId) };
  };
  return {
    CreateAccessKey(input, request) {
      const { caller, account } = scope(request);
      const user = targetUser(new QueryFields(input), caller, account);
      if (user.accessKeys.length >= ACCESS_KEYS_PER_USER)
        throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
      const key = {
        id: ctx.ids.accessKeyId(),
        secret: ctx.ids.secretAccessKey(),
        status: "Active" as const,
        createdAt: new Date(ctx.now()),
      };
      user.accessKeys.push(key);
      return { AccessKey: { ...accessKeyMetadata(user, key), SecretAccessKey: key.secret } };
    },
    ListAccessKeys(input, request) {
      const fields = new QueryFields(input);
      const { caller, account } = scope(request);
      const user = targetUser(fields, caller, account);
      const page = paginate(fields, user.accessKeys);
      return {
        AccessKeyMetadata: page.items.map((key) => accessKeyMetadata(user, key)),
        IsTruncated: page.IsTruncated,
        Marker: page.Marker,
      };
    },
    UpdateAccessKey(input, request) {
      const fields = new QueryFields(input);
      const accessKeyId = fields.string("AccessKeyId", RULES.accessKeyId);
      const status = input.Status;
      if (status !== "Active" && status !== "Inactive") {
        // The model's statusType also lists `Expired`, which only AWS sets.
        throw validationError(
          `1 validation error detected: Value '${String(status ?? null)}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
        );
      }
      const { caller, account } = scope(request);
      keyOf(targetUser(fields, caller, account), accessKeyId).status = status;
      return undefined;
    },
    DeleteAccessKey(input, request) {
      const fields = new QueryFields(input);
      const accessKeyId = fields.string("AccessKeyId", RULES.accessKeyId);
      const { caller, account } = scope(request);
      const user = targetUser(fields, caller, account);
      keyOf(user, accessKeyId);
      user.accessKeys = user.accessKeys.filter((k) => k.id !== accessKeyId);
      return undefined;
    },
    GetAccessKeyLastUsed(input, request) {
      const fields = new QueryFields(input);
      const accessKeyId = fields.string("AccessKeyId", RULES.accessKeyId);
      fields.done();
      const { caller, account } = scope(request);
      const found = ctx.state.findAccessKey(accessKeyId);
      // The model lists no error for GetAccessKeyLastUsed; a key that is not the account's is refused
      // like any resource the caller may not read (AccessDenied, a common error), an undocumented choice.
      if (found === undefined || found.account !== account) {
        throw accessDenied(
          `User: ${caller.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${accessKeyId}`,
        );
      }
      const used = found.key.lastUsed;
      return {
        UserName: found.user.name,
        AccessKeyLastUsed: used
          ? { LastUsedDate: used.date, ServiceName: used.service, Region: used.region }
          : { ServiceName: "N/A", Region: "N/A" },
      };
    },
  };
}
