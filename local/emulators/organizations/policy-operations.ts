/**
 * Service control policies: create, update, describe, delete, list, and attach to / detach from the
 * root, OUs and accounts, with the limits Organizations enforces (content size, SCPs per target, at
 * least one SCP per target, no deleting an attached policy, unique names).
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import type { OperationContext } from "./context.ts";
import {
  awsManagedPolicy,
  duplicatePolicy,
  duplicatePolicyAttachment,
  invalidInput,
  lastPolicyOnTarget,
  policyInUse,
  policyNotAttached,
  policyNotFound,
  policyTypeNotEnabled,
  targetNotFound,
  tooManyPoliciesOnTarget,
} from "./errors.ts";
import { paginate } from "./pagination.ts";
import { checkScpContent } from "./policy-document.ts";
import { optionalString, requiredString, tagList } from "./request.ts";
import type { PolicyRecord } from "./state.ts";

const POLICY_TYPES = new Set([
  "SERVICE_CONTROL_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "TAG_POLICY",
  "BACKUP_POLICY",
  "AISERVICES_OPT_OUT_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
]);

/** Only SCPs are modelled; another valid type is refused rather than silently accepted. */
function scpType(input: unknown, name: string): "SERVICE_CONTROL_POLICY" {
  const type = requiredString(input, name, 40);
  if (type === "SERVICE_CONTROL_POLICY") return type;
  throw invalidInput(
    "INVALID_ENUM",
    POLICY_TYPES.has(type)
      ? `The emulator models SERVICE_CONTROL_POLICY only, not ${type}.`
      : `${name} must be a valid policy type.`,
  );
}

export function policyOperations({
  state,
  limits,
  ids,
  behaviour,
}: OperationContext): Record<string, AwsOperation> {
  const summary = (p: PolicyRecord) => ({
    Id: p.id,
    Arn: state.policyArn(p),
    Name: p.name,
    Description: p.description,
    Type: p.type,
    AwsManaged: p.awsManaged,
  });
  const policyJson = (p: PolicyRecord) => ({ Policy: { PolicySummary: summary(p), Content: p.content } });
  const policy = (input: unknown) => {
    const found = state.policies.get(requiredString(input, "PolicyId", 130));
    if (!found) throw policyNotFound();
    return found;
  };
  const target = (input: unknown) => {
    const id = requiredString(input, "TargetId", 100);
    if (state.targetType(id) === undefined) throw targetNotFound();
    return id;
  };
  const nameTaken = (name: string, except?: string) =>
    [...state.policies.values()].some((p) => p.name === name && p.id !== except);

  return {
    CreatePolicy: (input) => {
      const content = requiredString(input, "Content", 1_000_000);
      const description = requiredString(input, "Description", 512, true);
      const name = requiredString(input, "Name", 128);
      const type = scpType(input, "Type");
      const tags = tagList(input);
      checkScpContent(content, limits.maxPolicyChars);
      if (nameTaken(name)) throw duplicatePolicy();
      const created: PolicyRecord = {
        id: ids.policyId(),
        name,
        description,
        type,
        content,
        awsManaged: false,
      };
      state.policies.set(created.id, created);
      for (const t of tags) state.tagsOf(created.id).set(t.Key, t.Value);
      return policyJson(created);
    },

    UpdatePolicy: (input) => {
      const updated = policy(input);
      const name = optionalString(input, "Name", 128);
      const description = optionalString(input, "Description", 512, true);
      const content = optionalString(input, "Content", 1_000_000);
      if (updated.awsManaged) throw awsManagedPolicy();
      if (content !== undefined) checkScpContent(content, limits.maxPolicyChars);
      if (name !== undefined && nameTaken(name, updated.id)) throw duplicatePolicy();
      Object.assign(updated, {
        name: name ?? updated.name,
        description: description ?? updated.description,
        content: content ?? updated.content,
      });
      return policyJson(updated);
    },

    DescribePolicy: (input) => policyJson(policy(input)),

    DeletePolicy: (input) => {
      const deleted = policy(input);
      if (deleted.awsManaged) throw awsManagedPolicy();
      if (state.targetsOf(deleted.id).length > 0) throw policyInUse();
      state.policies.delete(deleted.id);
      state.tags.delete(deleted.id);
      return {};
    },

    ListPolicies: (input) => {
      const type = scpType(input, "Filter");
      const policies = [...state.policies.values()].filter((p) => p.type === type);
      const page = paginate(policies, input, `policies:${type}`, limits);
      return { Policies: page.items.map(summary), NextToken: page.nextToken };
    },

    AttachPolicy: (input) => {
      const attached = policy(input);
      const targetId = target(input);
      // SCPs disabled on the root (scp-policy-type.ts): nothing can be attached.
      if (!behaviour.scpPolicyTypeEnabled) throw policyTypeNotEnabled();
      const current = state.policiesOn(targetId);
      if (current.includes(attached.id)) throw duplicatePolicyAttachment();
      if (current.length >= limits.maxPoliciesPerTarget) throw tooManyPoliciesOnTarget();
      state.attachments.set(targetId, [...current, attached.id]);
      return {};
    },

    DetachPolicy: (input) => {
      const detached = policy(input);
      const targetId = target(input);
      const current = state.policiesOn(targetId);
      if (!current.includes(detached.id)) throw policyNotAttached();
      if (current.length === 1) throw lastPolicyOnTarget();
      state.attachments.set(
        targetId,
        current.filter((id) => id !== detached.id),
      );
      return {};
    },

    ListPoliciesForTarget: (input) => {
      const targetId = target(input);
      const type = scpType(input, "Filter");
      const policies = state.policiesOn(targetId).map((id) => state.policies.get(id) as PolicyRecord);
      const page = paginate(policies, input, `policies-for:${targetId}:${type}`, limits);
      return { Policies: page.items.map(summary), NextToken: page.nextToken };
    },

    ListTargetsForPolicy: (input) => {
      const listed = policy(input);
      const targets = state.targetsOf(listed.id).map((id) => ({
        TargetId: id,
        Arn: state.targetArn(id),
        Name: state.targetName(id),
        Type: state.targetType(id),
      }));
      const page = paginate(targets, input, `targets:${listed.id}`, limits);
      return { Targets: page.items, NextToken: page.nextToken };
    },
  };
}
