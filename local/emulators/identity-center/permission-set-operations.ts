/**
 * sso-admin permission-set operations: create/describe/list/delete, the inline policy (with the
 * 10,240 non-whitespace-byte limit), managed policies, and provisioning with its async status.
 * Every change that only reaches accounts through ProvisionPermissionSet bumps the set's version;
 * a provisioned pair below that version is "LATEST_PERMISSION_SET_NOT_PROVISIONED".
 */
import { durationMs } from "../../../core/duration.ts";
import type { AwsOperation } from "../aws-json-protocol.ts";
import {
  epochSeconds,
  type OperationContext,
  requireInstance,
  requireOperation,
  requirePermissionSet,
  statusFields,
} from "./context.ts";
import { conflict, serviceQuotaExceeded, validationError } from "./errors.ts";
import { paginate, readPageRequest } from "./pagination.ts";
import { MANAGED_POLICIES_PER_PERMISSION_SET, readTags } from "./permission-set-content-operations.ts";
import { PATTERNS, PROVISIONING_STATUSES, RequestFields, STATUS_VALUES } from "./request-fields.ts";
import type { OperationRecord, PermissionSetRecord } from "./state.ts";

/** Identity Center quota: non-whitespace characters of an inline policy, counted in bytes. */
export const INLINE_POLICY_MAX_NON_WHITESPACE_BYTES = 10_240;
const INLINE_POLICY_MAX_BYTES = 32_768;
const SESSION_MIN_MS = 3_600_000;
const SESSION_MAX_MS = 12 * SESSION_MIN_MS;

function describe(ps: PermissionSetRecord): Record<string, unknown> {
  return {
    Name: ps.name,
    PermissionSetArn: ps.arn,
    ...(ps.description === undefined ? {} : { Description: ps.description }),
    CreatedDate: epochSeconds(ps.createdAt),
    SessionDuration: ps.sessionDuration,
    ...(ps.relayState === undefined ? {} : { RelayState: ps.relayState }),
  };
}

function provisioningStatus(op: OperationRecord): Record<string, unknown> {
  return {
    ...statusFields(op),
    ...(op.targetId === undefined ? {} : { AccountId: op.targetId }),
    PermissionSetArn: op.permissionSetArn,
  };
}

/** Reads `InstanceArn` + `PermissionSetArn`, validates, and returns the permission set. */
function permissionSetOf(ctx: OperationContext, fields: RequestFields): PermissionSetRecord {
  const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
  const arn = fields.string("PermissionSetArn", { pattern: PATTERNS.permissionSetArn });
  fields.done();
  requireInstance(ctx.state, instanceArn);
  return requirePermissionSet(ctx.state, arn);
}

function checkSessionDuration(fields: RequestFields, value: string | undefined): void {
  if (value === undefined) return;
  let ms: number;
  try {
    ms = durationMs(value);
  } catch {
    fields.problem("SessionDuration", value, "Member must be an ISO-8601 duration such as PT1H or PT12H");
    return;
  }
  if (ms < SESSION_MIN_MS || ms > SESSION_MAX_MS) {
    fields.problem("SessionDuration", value, "Member must be between PT1H and PT12H");
  }
}

function checkInlinePolicy(document: string): void {
  const nonWhitespaceBytes = Buffer.byteLength(document.replace(/\s/g, ""), "utf8");
  if (nonWhitespaceBytes > INLINE_POLICY_MAX_NON_WHITESPACE_BYTES) {
    throw validationError(
      `The inline policy has ${nonWhitespaceBytes} non-whitespace bytes; the maximum is ${INLINE_POLICY_MAX_NON_WHITESPACE_BYTES}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw validationError("The inline policy is not a valid JSON policy document");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationError("The inline policy must be a JSON object");
  }
}

export function permissionSetOperations(ctx: OperationContext): Record<string, AwsOperation> {
  const { state } = ctx;
  return {
    CreatePermissionSet(input) {
      const fields = new RequestFields(input);
      const name = fields.string("Name", { min: 1, max: 32, pattern: PATTERNS.permissionSetName });
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const description = fields.optionalString("Description", { min: 1, max: 700 });
      const sessionDuration = fields.optionalString("SessionDuration", { min: 1, max: 100 });
      const relayState = fields.optionalString("RelayState", { min: 1, max: 240 });
      const tags = readTags(fields, "Tags", false);
      checkSessionDuration(fields, sessionDuration);
      fields.done();
      requireInstance(state, instanceArn);
      for (const ps of state.permissionSets.values()) {
        if (ps.name === name) throw conflict(`PermissionSet with name ${name} already exists`);
      }
      const ps: PermissionSetRecord = {
        arn: ctx.ids.permissionSetArn(state.instanceArn),
        name,
        sessionDuration: sessionDuration ?? "PT1H",
        createdAt: ctx.now(),
        inlinePolicy: null,
        managedPolicies: [],
        version: 1,
      };
      if (description !== undefined) ps.description = description;
      if (relayState !== undefined) ps.relayState = relayState;
      if (tags.length > 0) ps.tags = tags;
      state.permissionSets.set(ps.arn, ps);
      return { PermissionSet: describe(ps) };
    },

    DescribePermissionSet(input) {
      return { PermissionSet: describe(permissionSetOf(ctx, new RequestFields(input))) };
    },

    ListPermissionSets(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireInstance(state, instanceArn);
      const page = paginate([...state.permissionSets.keys()], pageRequest, "ListPermissionSets", ctx.limits);
      return { PermissionSets: page.items, NextToken: page.nextToken };
    },

    // AWS refuses to delete a set that still has account assignments or is still provisioned (the last
    // assignment's deletion deprovisions it, asynchronously) with a ConflictException; the API reference
    // lists the error without saying when. Field reports: "ConflictException: Could not delete because
    // PermissionSet has ApplicationProfile associated with it"
    // (https://github.com/hashicorp/terraform-provider-aws/issues/26757), and an AWS maintainer: the API
    // "does not allow deleting a permission set that already has account assignments", and deletion
    // fails while accounts are still being deprovisioned
    // (https://github.com/aws-samples/aws-iam-identity-center-extensions/pull/89).
    DeletePermissionSet(input) {
      const ps = permissionSetOf(ctx, new RequestFields(input));
      const inUse =
        [...state.provisioned.values()].some((p) => p.permissionSetArn === ps.arn) ||
        [...state.operations.values()].some(
          (op) => op.permissionSetArn === ps.arn && op.status === "IN_PROGRESS",
        );
      if (inUse) {
        throw conflict("Could not delete because PermissionSet has ApplicationProfile associated with it.");
      }
      state.permissionSets.delete(ps.arn);
      return {};
    },

    PutInlinePolicyToPermissionSet(input) {
      const fields = new RequestFields(input);
      const document = fields.string("InlinePolicy", {
        min: 1,
        max: INLINE_POLICY_MAX_BYTES,
        pattern: /^[\t\n\r\u0020-\u00FF]+$/,
      });
      const ps = permissionSetOf(ctx, fields);
      checkInlinePolicy(document);
      ps.inlinePolicy = document;
      ps.version++;
      return {};
    },

    GetInlinePolicyForPermissionSet(input) {
      const ps = permissionSetOf(ctx, new RequestFields(input));
      // The model's note on the response member: "For Length Constraints, if a valid ARN is provided for
      // a permission set, it is possible for an empty inline policy to be returned" (its min length of 1
      // notwithstanding): a set without one answers "", as this does. Readers take "" and absent as none.
      return { InlinePolicy: ps.inlinePolicy ?? "" };
    },

    DeleteInlinePolicyFromPermissionSet(input) {
      const ps = permissionSetOf(ctx, new RequestFields(input));
      if (ps.inlinePolicy !== null) {
        ps.inlinePolicy = null;
        ps.version++;
      }
      return {};
    },

    AttachManagedPolicyToPermissionSet(input) {
      const fields = new RequestFields(input);
      const policyArn = fields.string("ManagedPolicyArn", {
        min: 20,
        max: 2048,
        pattern: PATTERNS.managedPolicyArn,
      });
      const ps = permissionSetOf(ctx, fields);
      if (ps.managedPolicies.some((p) => p.Arn === policyArn)) {
        throw conflict(`Managed policy ${policyArn} is already attached to ${ps.arn}`);
      }
      if (
        ps.managedPolicies.length + (ps.customerManagedPolicies?.length ?? 0) >=
        MANAGED_POLICIES_PER_PERMISSION_SET
      ) {
        throw serviceQuotaExceeded(
          `A permission set can have at most ${MANAGED_POLICIES_PER_PERMISSION_SET} managed policies attached`,
        );
      }
      ps.managedPolicies.push({ Name: policyArn.slice(policyArn.lastIndexOf("/") + 1), Arn: policyArn });
      ps.version++;
      return {};
    },

    DetachManagedPolicyFromPermissionSet(input) {
      const fields = new RequestFields(input);
      const policyArn = fields.string("ManagedPolicyArn", {
        min: 20,
        max: 2048,
        pattern: PATTERNS.managedPolicyArn,
      });
      const ps = permissionSetOf(ctx, fields);
      const before = ps.managedPolicies.length;
      ps.managedPolicies = ps.managedPolicies.filter((p) => p.Arn !== policyArn);
      if (ps.managedPolicies.length === before) {
        throw validationError(`Managed policy ${policyArn} is not attached to ${ps.arn}`);
      }
      ps.version++;
      return {};
    },

    ListManagedPoliciesInPermissionSet(input) {
      const fields = new RequestFields(input);
      const pageRequest = readPageRequest(fields);
      const ps = permissionSetOf(ctx, fields);
      const page = paginate(ps.managedPolicies, pageRequest, `ListManagedPolicies:${ps.arn}`, ctx.limits);
      return { AttachedManagedPolicies: page.items, NextToken: page.nextToken };
    },

    // API reference, ProvisionPermissionSet (and the botocore model): TargetType AWS_ACCOUNT |
    // ALL_PROVISIONED_ACCOUNTS, TargetId optional; one RequestId either way. ALL_PROVISIONED_ACCOUNTS
    // pushes the latest version to every account the set is provisioned to (the console's "update in
    // all provisioned accounts"); the status's AccountId is an optional member, absent here since no
    // single account is the target. The reference is silent on a TargetId sent with
    // ALL_PROVISIONED_ACCOUNTS (ignored here; the pipeline never sends one) and on an account busy
    // with another operation (ConflictException, as for one account; the pipeline retries either way).
    ProvisionPermissionSet(input) {
      const fields = new RequestFields(input);
      const targetType = fields.string("TargetType", { oneOf: ["AWS_ACCOUNT", "ALL_PROVISIONED_ACCOUNTS"] });
      const targetId = fields.optionalString("TargetId", { pattern: PATTERNS.accountId });
      if (targetType === "AWS_ACCOUNT" && targetId === undefined) {
        fields.problem("TargetId", undefined, "Member must not be null when TargetType is AWS_ACCOUNT");
      }
      const ps = permissionSetOf(ctx, fields);
      const accountIds =
        targetType === "AWS_ACCOUNT" && targetId !== undefined
          ? [targetId]
          : [...state.provisioned.values()]
              .filter((p) => p.permissionSetArn === ps.arn)
              .map((p) => p.accountId);
      const op = ctx.asyncOperations.start({
        kind: "ProvisionPermissionSet",
        accountIds,
        ...(targetType === "AWS_ACCOUNT" && targetId !== undefined ? { targetId } : {}),
        permissionSetArn: ps.arn,
      });
      return { PermissionSetProvisioningStatus: provisioningStatus(op) };
    },

    DescribePermissionSetProvisioningStatus(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const requestId = fields.string("ProvisionPermissionSetRequestId", { pattern: PATTERNS.requestId });
      fields.done();
      requireInstance(state, instanceArn);
      return {
        PermissionSetProvisioningStatus: provisioningStatus(
          requireOperation(state, requestId, "ProvisionPermissionSet"),
        ),
      };
    },

    ListPermissionSetProvisioningStatus(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const status = fields.optionalString("Filter.Status", { oneOf: STATUS_VALUES });
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireInstance(state, instanceArn);
      const ops = [...state.operations.values()].filter(
        (op) => op.kind === "ProvisionPermissionSet" && (status === undefined || op.status === status),
      );
      const page = paginate(ops, pageRequest, `ListPermissionSetProvisioningStatus:${status}`, ctx.limits);
      return {
        PermissionSetsProvisioningStatus: page.items.map((op) => ({
          Status: op.status,
          RequestId: op.requestId,
          CreatedDate: epochSeconds(op.createdAt),
        })),
        NextToken: page.nextToken,
      };
    },

    ListPermissionSetsProvisionedToAccount(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const accountId = fields.string("AccountId", { pattern: PATTERNS.accountId });
      const filter = fields.optionalString("ProvisioningStatus", { oneOf: PROVISIONING_STATUSES });
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireInstance(state, instanceArn);
      const arns = [...state.provisioned.values()]
        .filter((p) => p.accountId === accountId && matchesFilter(state.isOutdated(p), filter))
        .map((p) => p.permissionSetArn);
      const page = paginate(
        arns,
        pageRequest,
        `ListPermissionSetsProvisionedToAccount:${accountId}:${filter}`,
        ctx.limits,
      );
      return { PermissionSets: page.items, NextToken: page.nextToken };
    },

    // The accounts a set is provisioned to, filtered as ListPermissionSetsProvisionedToAccount is
    // (sso-admin model: InstanceArn and PermissionSetArn required, ProvisioningStatus
    // LATEST_PERMISSION_SET_PROVISIONED | LATEST_PERMISSION_SET_NOT_PROVISIONED, MaxResults 1-100;
    // ResourceNotFoundException for an unknown set; API reference "ListAccountsForProvisionedPermissionSet").
    ListAccountsForProvisionedPermissionSet(input) {
      const fields = new RequestFields(input);
      const filter = fields.optionalString("ProvisioningStatus", { oneOf: PROVISIONING_STATUSES });
      const pageRequest = readPageRequest(fields);
      const ps = permissionSetOf(ctx, fields);
      const accountIds = [...state.provisioned.values()]
        .filter((p) => p.permissionSetArn === ps.arn && matchesFilter(state.isOutdated(p), filter))
        .map((p) => p.accountId);
      const page = paginate(
        accountIds,
        pageRequest,
        `ListAccountsForProvisionedPermissionSet:${ps.arn}:${filter}`,
        ctx.limits,
      );
      return { AccountIds: page.items, NextToken: page.nextToken };
    },
  };
}

function matchesFilter(outdated: boolean, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  return filter === "LATEST_PERMISSION_SET_NOT_PROVISIONED" ? outdated : !outdated;
}
