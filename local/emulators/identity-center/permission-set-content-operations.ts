/**
 * sso-admin permission-set content beyond the inline and AWS managed policies: customer managed policy
 * references, the permissions boundary, tags, and UpdatePermissionSet (description, session duration,
 * relay state). Shapes, limits and patterns are the sso-admin model's (botocore
 * data/sso-admin/2020-07-20/service-2.json, vendored in test/fixtures/aws/models/sso-admin.json):
 * CustomerManagedPolicyReference {Name 1-128 [\w+=,.@-]+, Path 1-512 ((/[A-Za-z0-9.,+@=_-]+)*)/},
 * PermissionsBoundary {CustomerManagedPolicyReference | ManagedPolicyArn}, TagList (0-75), TagKeyList
 * (1-75), TagKey 1-128, TagValue 0-256, RelayState 1-240, PermissionSetDescription 1-700.
 *
 * Behaviour from the API reference pages of each operation:
 * - AttachCustomerManagedPolicyReferenceToPermissionSet: "Attaches the specified customer managed
 *   policy"; the IAM policy is only looked up in each account at provisioning, so the attach itself
 *   does not check that it exists. A reference attached twice: ConflictException, as for
 *   AttachManagedPolicyToPermissionSet (the operation lists ConflictException). Path defaults to "/"
 *   (CustomerManagedPolicyReference.Path documentation).
 * - Managed policies per permission set: the AWS and customer managed ones together count against the
 *   quota (IAM Identity Center quotas page, 10 by default); past it, ServiceQuotaExceededException
 *   (listed for both attach operations in the model).
 * - PutPermissionsBoundaryToPermissionSet replaces the boundary ("Attaches an Amazon Web Services
 *   managed or customer managed policy to the specified PermissionSet as a permissions boundary"; a
 *   permission set has one); exactly one of the union's members.
 * - GetPermissionsBoundaryForPermissionSet without a boundary: the reference is silent; the switch
 *   `permissionsBoundaryAbsent` (aws-behaviour-switches.ts) answers ResourceNotFoundException or an
 *   empty PermissionsBoundary; the adapter reads both as "no boundary".
 * - Tags: TagResource adds or overwrites by key, UntagResource removes keys (missing keys are no error),
 *   ListTagsForResource lists them; the ResourceArn is a permission set here (TaggableResourceArn).
 *   Tags live on the permission set only ("Tags can only be applied to permission sets and cannot be
 *   applied to corresponding roles", Tag documentation), so they never need a re-provision.
 * - Every change that reaches accounts through ProvisionPermissionSet (policies, boundary, session
 *   duration, relay state) bumps the set's version, so its accounts read
 *   LATEST_PERMISSION_SET_NOT_PROVISIONED until re-provisioned ("you will need to call
 *   ProvisionPermissionSet after this action", each operation's note).
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import { type OperationContext, requireInstance, requirePermissionSet } from "./context.ts";
import { conflict, notFound, serviceQuotaExceeded, validationError } from "./errors.ts";
import { paginate, readPageRequest } from "./pagination.ts";
import { PATTERNS, RequestFields } from "./request-fields.ts";
import type { CustomerManagedPolicyRecord, PermissionSetRecord } from "./state.ts";

/** Managed policies (AWS and customer managed) per permission set: IAM Identity Center quotas, default. */
export const MANAGED_POLICIES_PER_PERMISSION_SET = 10;
const POLICY_NAME = /^[\w+=,.@-]+$/;
const POLICY_PATH = /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/;
const TAG_KEY = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const RELAY_STATE = /^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\] (){}]+$/;
const TAGGABLE_PERMISSION_SET =
  /^arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;

function permissionSetOf(ctx: OperationContext, fields: RequestFields): PermissionSetRecord {
  const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
  const arn = fields.string("PermissionSetArn", { pattern: PATTERNS.permissionSetArn });
  fields.done();
  requireInstance(ctx.state, instanceArn);
  return requirePermissionSet(ctx.state, arn);
}

/** Reads a CustomerManagedPolicyReference structure at `path`; Path defaults to "/". */
function readReference(fields: RequestFields, path: string): CustomerManagedPolicyRecord {
  const name = fields.string(`${path}.Name`, { min: 1, max: 128, pattern: POLICY_NAME });
  const policyPath = fields.optionalString(`${path}.Path`, { min: 1, max: 512, pattern: POLICY_PATH });
  return { Name: name, Path: policyPath ?? "/" };
}

const sameReference = (a: CustomerManagedPolicyRecord, b: CustomerManagedPolicyRecord) =>
  a.Name === b.Name && a.Path === b.Path;

/** Reads and checks a TagList member (0-75 tags); `required` as in TagResource. */
export function readTags(
  fields: RequestFields,
  path: string,
  required: boolean,
): { Key: string; Value: string }[] {
  const list = fields.optionalList(path);
  if (list === undefined && required) fields.problem(path, undefined, "Member must not be null");
  if (list !== undefined && list.length > 75) {
    fields.problem(path, `[${list.length} items]`, "Member must have length less than or equal to 75");
  }
  return (list ?? []).map((_, index) => ({
    Key: fields.string(`${path}.${index}.Key`, { min: 1, max: 128, pattern: TAG_KEY }),
    Value: fields.string(`${path}.${index}.Value`, { min: 0, max: 256, pattern: TAG_KEY }),
  }));
}

export function permissionSetContentOperations(ctx: OperationContext): Record<string, AwsOperation> {
  const { state } = ctx;
  /** The permission set a tagging call names by ResourceArn (InstanceArn is optional there). */
  const resolveTagged = (fields: RequestFields): PermissionSetRecord => {
    const instanceArn = fields.optionalString("InstanceArn", { pattern: PATTERNS.instanceArn });
    const resourceArn = fields.string("ResourceArn", {
      min: 10,
      max: 2048,
      pattern: TAGGABLE_PERMISSION_SET,
    });
    fields.done();
    if (instanceArn !== undefined) requireInstance(state, instanceArn);
    return requirePermissionSet(state, resourceArn);
  };
  const countManaged = (ps: PermissionSetRecord) =>
    ps.managedPolicies.length + (ps.customerManagedPolicies?.length ?? 0);

  return {
    UpdatePermissionSet(input) {
      const fields = new RequestFields(input);
      const description = fields.optionalString("Description", { min: 1, max: 700 });
      const sessionDuration = fields.optionalString("SessionDuration", {
        min: 1,
        max: 100,
        pattern: /^PT(?=\d)(\d+H)?(\d+M)?$/,
      });
      const relayState = fields.optionalString("RelayState", { min: 1, max: 240, pattern: RELAY_STATE });
      const ps = permissionSetOf(ctx, fields);
      if (sessionDuration !== undefined) {
        const hours = sessionHours(sessionDuration);
        if (hours < 1 || hours > 12) throw validationError("SessionDuration must be between PT1H and PT12H");
        ps.sessionDuration = sessionDuration;
      }
      if (description !== undefined) ps.description = description;
      if (relayState !== undefined) ps.relayState = relayState;
      if (sessionDuration !== undefined || relayState !== undefined) ps.version++;
      return {};
    },

    AttachCustomerManagedPolicyReferenceToPermissionSet(input) {
      const fields = new RequestFields(input);
      const reference = readReference(fields, "CustomerManagedPolicyReference");
      const ps = permissionSetOf(ctx, fields);
      const attached = ps.customerManagedPolicies ?? [];
      if (attached.some((r) => sameReference(r, reference))) {
        throw conflict(
          `Customer managed policy ${reference.Path}${reference.Name} is already attached to ${ps.arn}`,
        );
      }
      if (countManaged(ps) >= MANAGED_POLICIES_PER_PERMISSION_SET) {
        throw serviceQuotaExceeded(
          `A permission set can have at most ${MANAGED_POLICIES_PER_PERMISSION_SET} managed policies attached`,
        );
      }
      ps.customerManagedPolicies = [...attached, reference];
      ps.version++;
      return {};
    },

    DetachCustomerManagedPolicyReferenceFromPermissionSet(input) {
      const fields = new RequestFields(input);
      const reference = readReference(fields, "CustomerManagedPolicyReference");
      const ps = permissionSetOf(ctx, fields);
      const attached = ps.customerManagedPolicies ?? [];
      if (!attached.some((r) => sameReference(r, reference))) {
        throw notFound(
          `Customer managed policy ${reference.Path}${reference.Name} is not attached to ${ps.arn}`,
        );
      }
      ps.customerManagedPolicies = attached.filter((r) => !sameReference(r, reference));
      ps.version++;
      return {};
    },

    ListCustomerManagedPolicyReferencesInPermissionSet(input) {
      const fields = new RequestFields(input);
      const pageRequest = readPageRequest(fields);
      const ps = permissionSetOf(ctx, fields);
      const page = paginate(
        ps.customerManagedPolicies ?? [],
        pageRequest,
        `ListCustomerManagedPolicyReferences:${ps.arn}`,
        ctx.limits,
      );
      return { CustomerManagedPolicyReferences: page.items, NextToken: page.nextToken };
    },

    PutPermissionsBoundaryToPermissionSet(input) {
      const fields = new RequestFields(input);
      const boundary = fields.optionalObject("PermissionsBoundary");
      if (boundary === undefined) fields.problem("PermissionsBoundary", undefined, "Member must not be null");
      const hasArn = boundary?.ManagedPolicyArn !== undefined;
      const hasReference = boundary?.CustomerManagedPolicyReference !== undefined;
      if (boundary !== undefined && hasArn === hasReference) {
        fields.problem(
          "PermissionsBoundary",
          "{...}",
          "Member must have exactly one of ManagedPolicyArn or CustomerManagedPolicyReference",
        );
      }
      const arn = hasArn
        ? fields.string("PermissionsBoundary.ManagedPolicyArn", {
            min: 20,
            max: 2048,
            pattern: PATTERNS.managedPolicyArn,
          })
        : undefined;
      const reference = hasReference
        ? readReference(fields, "PermissionsBoundary.CustomerManagedPolicyReference")
        : undefined;
      const ps = permissionSetOf(ctx, fields);
      ps.permissionsBoundary =
        arn !== undefined
          ? { ManagedPolicyArn: arn }
          : { CustomerManagedPolicyReference: reference as CustomerManagedPolicyRecord };
      ps.version++;
      return {};
    },

    GetPermissionsBoundaryForPermissionSet(input) {
      const ps = permissionSetOf(ctx, new RequestFields(input));
      if (ps.permissionsBoundary !== undefined) return { PermissionsBoundary: ps.permissionsBoundary };
      if (ctx.behaviour.permissionsBoundaryAbsent === "not-found") {
        throw notFound(`Permissions boundary for ${ps.arn} not found`);
      }
      return {};
    },

    DeletePermissionsBoundaryFromPermissionSet(input) {
      const ps = permissionSetOf(ctx, new RequestFields(input));
      if (ps.permissionsBoundary === undefined)
        throw notFound(`Permissions boundary for ${ps.arn} not found`);
      delete ps.permissionsBoundary;
      ps.version++;
      return {};
    },

    TagResource(input) {
      const fields = new RequestFields(input);
      const tags = readTags(fields, "Tags", true);
      const ps = resolveTagged(fields);
      const merged = new Map((ps.tags ?? []).map((t) => [t.Key, t.Value]));
      for (const tag of tags) merged.set(tag.Key, tag.Value);
      if (merged.size > 75) throw serviceQuotaExceeded("A permission set can have at most 75 tags");
      ps.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return {};
    },

    UntagResource(input) {
      const fields = new RequestFields(input);
      const keys = fields.stringList("TagKeys", 1, 75, { min: 1, max: 128, pattern: TAG_KEY });
      const ps = resolveTagged(fields);
      ps.tags = (ps.tags ?? []).filter((t) => !keys.includes(t.Key));
      return {};
    },

    ListTagsForResource(input) {
      const fields = new RequestFields(input);
      const pageRequest = readPageRequest(fields);
      const ps = resolveTagged(fields);
      const page = paginate(ps.tags ?? [], pageRequest, `ListTagsForResource:${ps.arn}`, ctx.limits);
      return { Tags: page.items, NextToken: page.nextToken };
    },
  };
}

/** Hours of a `PT#H#M` duration (the forms the pattern admits). */
function sessionHours(duration: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration) as RegExpExecArray;
  return Number(match[1] ?? 0) + Number(match[2] ?? 0) / 60;
}
