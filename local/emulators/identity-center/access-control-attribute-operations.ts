/**
 * sso-admin attributes for access control (ABAC): the instance's mapping from attribute keys to the
 * identity store attribute each session tag is read from. Shapes and limits are the sso-admin model's
 * (botocore data/sso-admin/2020-07-20/service-2.json, vendored in test/fixtures/aws/models/sso-admin.json):
 * InstanceAccessControlAttributeConfiguration {AccessControlAttributes: 0-50 of {Key, Value: {Source:
 * exactly 1}}}, AccessControlAttributeKey 1-128 `[\p{L}\p{Z}\p{N}_.:\/=+\-@]+`,
 * AccessControlAttributeValueSource 0-256; Describe's Status ENABLED | CREATION_IN_PROGRESS |
 * CREATION_FAILED.
 *
 * Behaviour from the API reference pages:
 * - CreateInstanceAccessControlAttributeConfiguration "Enables the attributes-based access control
 *   (ABAC) feature for the specified IAM Identity Center instance"; on an instance where it is already
 *   enabled, ConflictException (listed for the operation in the model; the page does not say which
 *   error, so this is the model's only fit). Enabling is answered ENABLED at once (the emulator has no
 *   CREATION_IN_PROGRESS phase).
 * - Update "Updates the IAM Identity Center identity store attributes", replacing the list; Delete
 *   "Disables the attributes-based access control (ABAC) feature ... and deletes all of the attribute
 *   mappings"; both on an instance without it: ResourceNotFoundException.
 * - Describe on an instance without the feature: the reference is silent; the switch
 *   `accessControlAttributesAbsent` (aws-behaviour-switches.ts) answers ResourceNotFoundException or
 *   200 without a configuration; `doctor` reads both as "not enabled".
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import { type OperationContext, requireInstance } from "./context.ts";
import { conflict, notFound } from "./errors.ts";
import { PATTERNS, RequestFields } from "./request-fields.ts";
import type { AccessControlAttributeRecord } from "./state.ts";

const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const SOURCE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@[\]{}$\\"]*$/u;
const MAX_ATTRIBUTES = 50;

/** Reads InstanceArn and the configuration's attribute list, validating every member. */
function readConfiguration(ctx: OperationContext, input: unknown): AccessControlAttributeRecord[] {
  const fields = new RequestFields(input);
  const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
  const path = "InstanceAccessControlAttributeConfiguration.AccessControlAttributes";
  const list = fields.optionalList(path);
  if (list === undefined) fields.problem(path, undefined, "Member must not be null");
  if (list !== undefined && list.length > MAX_ATTRIBUTES) {
    fields.problem(
      path,
      `[${list.length} items]`,
      `Member must have length less than or equal to ${MAX_ATTRIBUTES}`,
    );
  }
  const attributes = (list ?? []).map((_, i) => ({
    Key: fields.string(`${path}.${i}.Key`, { min: 1, max: 128, pattern: KEY }),
    Source: fields.stringList(`${path}.${i}.Value.Source`, 1, 1, { max: 256, pattern: SOURCE }),
  }));
  fields.done();
  requireInstance(ctx.state, instanceArn);
  return attributes;
}

function notEnabled(): Error {
  return notFound("Attribute-based access control is not enabled for this instance");
}

export function accessControlAttributeOperations(ctx: OperationContext): Record<string, AwsOperation> {
  return {
    CreateInstanceAccessControlAttributeConfiguration(input) {
      const attributes = readConfiguration(ctx, input);
      if (ctx.state.accessControlAttributes !== undefined)
        throw conflict("Attribute-based access control is already enabled for this instance");
      ctx.state.accessControlAttributes = attributes;
      return {};
    },
    UpdateInstanceAccessControlAttributeConfiguration(input) {
      const attributes = readConfiguration(ctx, input);
      if (ctx.state.accessControlAttributes === undefined) throw notEnabled();
      ctx.state.accessControlAttributes = attributes;
      return {};
    },
    DeleteInstanceAccessControlAttributeConfiguration(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      fields.done();
      requireInstance(ctx.state, instanceArn);
      if (ctx.state.accessControlAttributes === undefined) throw notEnabled();
      ctx.state.accessControlAttributes = undefined;
      return {};
    },
    DescribeInstanceAccessControlAttributeConfiguration(input) {
      const fields = new RequestFields(input);
      const instanceArn = fields.string("InstanceArn", { pattern: PATTERNS.instanceArn });
      fields.done();
      requireInstance(ctx.state, instanceArn);
      const attributes = ctx.state.accessControlAttributes;
      if (attributes === undefined) {
        if (ctx.behaviour.accessControlAttributesAbsent === "not-found") throw notEnabled();
        return {};
      }
      return {
        Status: "ENABLED",
        InstanceAccessControlAttributeConfiguration: {
          AccessControlAttributes: attributes.map((a) => ({ Key: a.Key, Value: { Source: [...a.Source] } })),
        },
      };
    },
  };
}
