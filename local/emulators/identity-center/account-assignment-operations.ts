/**
 * sso-admin account-assignment operations. Create/Delete are asynchronous (IN_PROGRESS, then
 * SUCCEEDED or FAILED after the configured latency) and subject to the outstanding-operation and
 * per-account limits (async-operations.ts). ListAccountAssignments needs (account, permission set),
 * as in AWS; ListAccountAssignmentsForPrincipal lists one principal's assignments.
 * Modelling choices where AWS documents nothing: deleting an assignment that does not exist
 * succeeds (idempotent), and deleting the last assignment of a pair unprovisions the pair.
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
import type { AssignmentRecord, OperationKind, OperationRecord, PrincipalType } from "./state.ts";

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
): OperationRecord {
  return ctx.asyncOperations.start({
    kind,
    accountIds: [a.accountId],
    targetId: a.accountId,
    permissionSetArn: a.permissionSetArn,
    principalType: a.principalType,
    principalId: a.principalId,
  });
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
  const page = paginate(ops, pageRequest, `List${kind}Status:${status}`, ctx.limits.defaultPageSize);
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
      // The principal may already be gone from the identity store: its assignments can still be deleted.
      const op = startAssignmentOperation(ctx, "DeleteAccountAssignment", readAssignmentRequest(ctx, input));
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
      const page = paginate(matching, pageRequest, scope, ctx.limits.defaultPageSize);
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
      const matching = [...state.assignments.values()].filter(
        (a) =>
          a.principalId === principalId &&
          a.principalType === principalType &&
          (accountFilter === undefined || a.accountId === accountFilter),
      );
      const scope = `ListAccountAssignmentsForPrincipal:${principalType}:${principalId}:${accountFilter}`;
      const page = paginate(matching, pageRequest, scope, ctx.limits.defaultPageSize);
      return { AccountAssignments: page.items.map(toAssignment), NextToken: page.nextToken };
    },
  };
}
