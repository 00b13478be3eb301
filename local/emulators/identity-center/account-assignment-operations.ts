/**
 * sso-admin account-assignment operations. Create/Delete are asynchronous (IN_PROGRESS, then
 * SUCCEEDED or FAILED after the configured latency) and subject to the outstanding-operation and
 * per-account limits (async-operations.ts). ListAccountAssignments needs (account, permission set),
 * as in AWS; ListAccountAssignmentsForPrincipal lists one principal's assignments.
 * Modelling choices where AWS documents nothing: deleting an assignment that does not exist
 * succeeds (idempotent), and deleting the last assignment of a pair unprovisions the pair.
 *
 * Two undocumented answers follow the AWS behaviour switches (aws-behaviour-switches.ts):
 * - an assignment whose user or group was deleted from the identity store stays listed (SCIM deletes
 *   the principal, not its assignments), and deleting it ends FAILED with a 404 reason
 *   (`orphanedAssignmentDeletion: "fails-404"`, the answer reported in hashicorp/terraform-provider-aws
 *   issue 19341: "Received a 404 status error: the USER assignee <id> was not found in directory
 *   <store>", seen after SCIM auto-provisioning deleted the user) or SUCCEEDED (`"succeeds"`);
 * - ListAccountAssignmentsForPrincipal for a USER lists only the user's own assignments, or also
 *   those inherited through its groups, each naming the GROUP (`listForPrincipalIncludesInherited`;
 *   the API reference says only "the accounts the principal has access to").
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import {
  epochSeconds,
  type OperationContext,
  requireInstance,
  requireOperation,
  requirePermissionSet,
  statusFields,
} from "./context.ts";
import { notFound } from "./errors.ts";
import { paginate, readPageRequest } from "./pagination.ts";
import { PATTERNS, PRINCIPAL_TYPES, RequestFields, STATUS_VALUES } from "./request-fields.ts";
import {
  type AssignmentRecord,
  assignmentKey,
  type OperationKind,
  type OperationRecord,
  type PrincipalType,
} from "./state.ts";

function operationStatus(op: OperationRecord): Record<string, unknown> {
  return {
    ...statusFields(op),
    TargetId: op.targetId,
    TargetType: "AWS_ACCOUNT",
    PermissionSetArn: op.permissionSetArn,
    PrincipalType: op.principalType,
    PrincipalId: op.principalId,
  };
}

const toAssignment = (a: AssignmentRecord) => ({
  AccountId: a.accountId,
  PermissionSetArn: a.permissionSetArn,
  PrincipalType: a.principalType,
  PrincipalId: a.principalId,
});

/** The six members of a Create/DeleteAccountAssignment request, validated. */
function readAssignmentRequest(ctx: OperationContext, input: unknown): AssignmentRecord {
  const fields = new RequestFields(input);
  const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
  const accountId = fields.string("TargetId", { pattern: PATTERNS.accountId });
  fields.string("TargetType", { oneOf: ["AWS_ACCOUNT"] });
  const permissionSetArn = fields.string("PermissionSetArn", { pattern: PATTERNS.permissionSetArn });
  const principalType = fields.string("PrincipalType", { oneOf: PRINCIPAL_TYPES }) as PrincipalType;
  const principalId = fields.string("PrincipalId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
  fields.done();
  requireInstance(ctx.state, instanceArn);
  requirePermissionSet(ctx.state, permissionSetArn);
  return { accountId, permissionSetArn, principalType, principalId };
}

function startAssignmentOperation(
  ctx: OperationContext,
  kind: OperationKind,
  a: AssignmentRecord,
  failureReason?: string,
): OperationRecord {
  return ctx.asyncOperations.start({
    kind,
    accountIds: [a.accountId],
    targetId: a.accountId,
    permissionSetArn: a.permissionSetArn,
    principalType: a.principalType,
    principalId: a.principalId,
    ...(failureReason === undefined ? {} : { failureReason }),
  });
}

/**
 * The FailureReason a deletion of an existing assignment whose principal the identity store no longer
 * holds ends with, under `orphanedAssignmentDeletion: "fails-404"` (terraform-provider-aws issue 19341);
 * `undefined` when the deletion goes through.
 */
function orphanFailure(ctx: OperationContext, a: AssignmentRecord): string | undefined {
  if (ctx.behaviour.orphanedAssignmentDeletion !== "fails-404") return undefined;
  if (ctx.state.principalExists(a.principalType, a.principalId)) return undefined;
  if (!ctx.state.assignments.has(assignmentKey(a))) return undefined;
  return `Received a 404 status error: the ${a.principalType} assignee ${a.principalId} was not found in directory ${ctx.state.identityStoreId}`;
}

/**
 * What ListAccountAssignmentsForPrincipal answers for a principal: its own assignments and, for a USER
 * under `listForPrincipalIncludesInherited`, its groups' assignments (each naming the GROUP).
 */
function assignmentsForPrincipal(
  ctx: OperationContext,
  principalType: string,
  principalId: string,
): AssignmentRecord[] {
  const { state } = ctx;
  // By type, so that scanning a large estate's assignments builds no key per assignment.
  const ids = { USER: new Set<string>(), GROUP: new Set<string>() };
  if (principalType === "USER" || principalType === "GROUP") ids[principalType].add(principalId);
  if (principalType === "USER" && ctx.behaviour.listForPrincipalIncludesInherited) {
    for (const m of state.memberships.values()) if (m.userId === principalId) ids.GROUP.add(m.groupId);
  }
  const result: AssignmentRecord[] = [];
  for (const a of state.assignments.values())
    if ((a.principalType === "USER" ? ids.USER : ids.GROUP).has(a.principalId)) result.push(a);
  return result;
}

/** Describe<Kind>Status: `requestMember` names the request id member. */
function describeStatus(ctx: OperationContext, input: unknown, requestMember: string, kind: OperationKind) {
  const fields = new RequestFields(input);
  const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
  const requestId = fields.string(requestMember, { pattern: PATTERNS.requestId });
  fields.done();
  requireInstance(ctx.state, instanceArn);
  return operationStatus(requireOperation(ctx.state, requestId, kind));
}

/** List<Kind>Status with the optional `Filter.Status`. */
function listStatuses(ctx: OperationContext, input: unknown, kind: OperationKind) {
  const fields = new RequestFields(input);
  const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
  const status = fields.optionalString("Filter.Status", { oneOf: STATUS_VALUES });
  const pageRequest = readPageRequest(fields);
  fields.done();
  requireInstance(ctx.state, instanceArn);
  const ops = [...ctx.state.operations.values()].filter(
    (op) => op.kind === kind && (status === undefined || op.status === status),
  );
  const page = paginate(ops, pageRequest, `List${kind}Status:${status}`, ctx.limits);
  const items = page.items.map((op) => ({
    Status: op.status,
    RequestId: op.requestId,
    CreatedDate: epochSeconds(op.createdAt),
  }));
  return { items, nextToken: page.nextToken };
}

export function accountAssignmentOperations(ctx: OperationContext): Record<string, AwsOperation> {
  const { state } = ctx;
  return {
    CreateAccountAssignment(input) {
      const assignment = readAssignmentRequest(ctx, input);
      if (!state.principalExists(assignment.principalType, assignment.principalId)) {
        throw notFound(`Principal ${assignment.principalType} ${assignment.principalId} does not exist`);
      }
      const op = startAssignmentOperation(ctx, "CreateAccountAssignment", assignment);
      return { AccountAssignmentCreationStatus: operationStatus(op) };
    },

    DeleteAccountAssignment(input) {
      const assignment = readAssignmentRequest(ctx, input);
      const op = startAssignmentOperation(
        ctx,
        "DeleteAccountAssignment",
        assignment,
        orphanFailure(ctx, assignment),
      );
      return { AccountAssignmentDeletionStatus: operationStatus(op) };
    },

    DescribeAccountAssignmentCreationStatus(input) {
      return {
        AccountAssignmentCreationStatus: describeStatus(
          ctx,
          input,
          "AccountAssignmentCreationRequestId",
          "CreateAccountAssignment",
        ),
      };
    },

    DescribeAccountAssignmentDeletionStatus(input) {
      return {
        AccountAssignmentDeletionStatus: describeStatus(
          ctx,
          input,
          "AccountAssignmentDeletionRequestId",
          "DeleteAccountAssignment",
        ),
      };
    },

    ListAccountAssignmentCreationStatus(input) {
      const { items, nextToken } = listStatuses(ctx, input, "CreateAccountAssignment");
      return { AccountAssignmentsCreationStatus: items, NextToken: nextToken };
    },

    ListAccountAssignmentDeletionStatus(input) {
      const { items, nextToken } = listStatuses(ctx, input, "DeleteAccountAssignment");
      return { AccountAssignmentsDeletionStatus: items, NextToken: nextToken };
    },

    ListAccountAssignments(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const accountId = fields.string("AccountId", { pattern: PATTERNS.accountId });
      const permissionSetArn = fields.string("PermissionSetArn", { pattern: PATTERNS.permissionSetArn });
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireInstance(state, instanceArn);
      requirePermissionSet(state, permissionSetArn);
      const matching = [...state.assignments.values()].filter(
        (a) => a.accountId === accountId && a.permissionSetArn === permissionSetArn,
      );
      const scope = `ListAccountAssignments:${accountId}:${permissionSetArn}`;
      const page = paginate(matching, pageRequest, scope, ctx.limits);
      return { AccountAssignments: page.items.map(toAssignment), NextToken: page.nextToken };
    },

    ListAccountAssignmentsForPrincipal(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      const principalId = fields.string("PrincipalId", { min: 1, max: 47, pattern: PATTERNS.resourceId });
      const principalType = fields.string("PrincipalType", { oneOf: PRINCIPAL_TYPES });
      const accountFilter = fields.optionalString("Filter.AccountId", { pattern: PATTERNS.accountId });
      const pageRequest = readPageRequest(fields);
      fields.done();
      requireInstance(state, instanceArn);
      const matching = assignmentsForPrincipal(ctx, principalType, principalId).filter(
        (a) => accountFilter === undefined || a.accountId === accountFilter,
      );
      const scope = `ListAccountAssignmentsForPrincipal:${principalType}:${principalId}:${accountFilter}`;
      const page = paginate(matching, pageRequest, scope, ctx.limits);
      return { AccountAssignments: page.items.map(toAssignment), NextToken: page.nextToken };
    },
  };
}
