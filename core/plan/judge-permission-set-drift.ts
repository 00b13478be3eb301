import { durationMs } from "../duration.ts";
import type { PolicyPermissionSet } from "../policy/schema.ts";
import { type DenyStatement, isToolStatement } from "../revocation/deny-statement.ts";
import { mergeInlineDeny } from "../revocation/merge-inline-deny.ts";
import { lineDiff } from "./line-diff.ts";
import {
  type Boundary,
  declaredBoundary,
  declaredInlineDocument,
  describeBoundary,
  type ObservedPermissionSetContent,
  type PolicyReference,
  referenceKey,
} from "./permission-set-content.ts";
import { withoutControlTags } from "./permission-set-ownership-tag.ts";

/** A part of a permission set the policy may own, in the order the diff lists them. */
export type ContentField =
  | "description"
  | "sessionDuration"
  | "relayState"
  | "managedPolicies"
  | "customerManagedPolicies"
  | "inlinePolicy"
  | "permissionsBoundary"
  | "tags";

/** The sso-admin writes that make a permission set what the policy declares (each needs a re-provision). */
export interface PermissionSetRepair {
  /** UpdatePermissionSet (only the attributes the policy owns). */
  update?: { sessionDuration: string; description?: string; relayState?: string };
  attachManagedPolicies: string[];
  detachManagedPolicies: string[];
  attachCustomerManagedPolicies: PolicyReference[];
  detachCustomerManagedPolicies: PolicyReference[];
  /** PutInlinePolicyToPermissionSet with the declared statements and the pipeline's revocation Denies, or delete. */
  inlinePolicy?: { put: string } | { delete: true };
  /** PutPermissionsBoundaryToPermissionSet (a boundary the policy declares is never removed by a repair). */
  permissionsBoundary?: { put: Boundary };
  /** TagResource with `set`, UntagResource with `remove`. */
  tags?: { set: Record<string, string>; remove: string[] };
}

/** Whether, and how, a permission set differs from what the policy declares. */
export interface PermissionSetDriftJudgement {
  drifted: boolean;
  /** The parts that differ, in {@link ContentField} order. */
  fields: ContentField[];
  /**
   * A readable diff: `-` lines are what the policy declares, `+` lines what Identity Center holds, one
   * `@@ <field> @@` hunk per differing part; inline policies as normalized JSON. Empty when not drifted.
   */
  diff: string;
  repair: PermissionSetRepair;
}

/**
 * Compares a permission set's declared content with what Identity Center holds. Pure, so the estate
 * plan and a run scoped to one permission set (a CloudTrail-triggered repair) judge the same way.
 *
 * The policy owns only what it declares: a key left out is neither drift nor repaired; the session
 * duration is owned whenever the entry declares content. The pipeline's own revocation Denies in the
 * inline policy (statements whose Sid starts with `OktaAwsLifecycle`, core/revocation/deny-statement.ts)
 * are never drift and are kept by the repair. Policies compare as normalized JSON: key order, a single
 * statement or action given without a list, and the order of actions and resources do not matter.
 */
export function judgePermissionSetDrift(
  declared: PolicyPermissionSet,
  observed: ObservedPermissionSetContent,
): PermissionSetDriftJudgement {
  const hunks: { field: ContentField; lines: string[] }[] = [];
  const repair: PermissionSetRepair = {
    attachManagedPolicies: [],
    detachManagedPolicies: [],
    attachCustomerManagedPolicies: [],
    detachCustomerManagedPolicies: [],
  };
  const differs = (field: ContentField, before: string[], after: string[]): boolean => {
    const lines = lineDiff(before, after);
    if (lines.length > 0) hunks.push({ field, lines });
    return lines.length > 0;
  };

  const attributes = judgeAttributes(declared, observed, differs);
  if (attributes) repair.update = attributes;

  if (declared.managedPolicies !== undefined) {
    const want = [...new Set(declared.managedPolicies)].sort();
    const have = [...observed.managedPolicyArns].sort();
    if (differs("managedPolicies", want, have)) {
      repair.attachManagedPolicies = want.filter((arn) => !have.includes(arn));
      repair.detachManagedPolicies = have.filter((arn) => !want.includes(arn));
    }
  }
  if (declared.customerManagedPolicies !== undefined) {
    const want = sortedReferences(declared.customerManagedPolicies);
    const have = sortedReferences(observed.customerManagedPolicies);
    const wantKeys = want.map(referenceKey);
    const haveKeys = have.map(referenceKey);
    if (differs("customerManagedPolicies", wantKeys, haveKeys)) {
      repair.attachCustomerManagedPolicies = want.filter((ref) => !haveKeys.includes(referenceKey(ref)));
      repair.detachCustomerManagedPolicies = have.filter((ref) => !wantKeys.includes(referenceKey(ref)));
    }
  }
  const inline = declaredInlineDocument(declared);
  if (inline !== undefined) {
    const { customer, tool } = splitObservedInline(observed.inlinePolicy);
    const want = inlineLines(isEmptyDocument(inline) ? null : inline);
    if (differs("inlinePolicy", want, customer)) {
      const text = mergeInlineDeny(
        isEmptyDocument(inline) ? null : JSON.stringify(inline),
        tool as DenyStatement[],
      );
      repair.inlinePolicy = text === null ? { delete: true } : { put: text };
    }
  }
  const boundary = declaredBoundary(declared);
  if (boundary !== undefined) {
    const want = describeBoundary(boundary);
    const have = describeBoundary(observed.permissionsBoundary);
    if (differs("permissionsBoundary", [want], [have])) {
      repair.permissionsBoundary = { put: boundary };
    }
  }
  if (declared.tags !== undefined) {
    // Control tags (the tool's ownership tag, an administrator's assignable tag) are never the
    // policy's: neither drift nor removed by a repair.
    const want = withoutControlTags(declared.tags);
    const have = withoutControlTags(observed.tags);
    const tagLines = (tags: Record<string, string>) =>
      Object.entries(tags)
        .map(([key, value]) => `${key}=${value}`)
        .sort();
    if (differs("tags", tagLines(want), tagLines(have))) {
      repair.tags = {
        set: Object.fromEntries(Object.entries(want).filter(([key, value]) => have[key] !== value)),
        remove: Object.keys(have)
          .filter((key) => !Object.hasOwn(want, key))
          .sort(),
      };
    }
  }

  const diff =
    hunks.length === 0
      ? ""
      : ["--- declared (policy)", "+++ observed (Identity Center)"]
          .concat(hunks.flatMap(({ field, lines }) => [`@@ ${field} @@`, ...lines]))
          .join("\n");
  return { drifted: hunks.length > 0, fields: hunks.map((h) => h.field), diff, repair };
}

/** Session duration (owned with any content), description and relay state (owned when declared). */
function judgeAttributes(
  declared: PolicyPermissionSet,
  observed: ObservedPermissionSetContent,
  differs: (field: ContentField, before: string[], after: string[]) => boolean,
): PermissionSetRepair["update"] {
  let changed = false;
  if (declared.description !== undefined) {
    changed = differs("description", [declared.description], [observed.description ?? "(none)"]) || changed;
  }
  if (durationMs(declared.sessionDuration) !== durationMs(observed.sessionDuration)) {
    differs("sessionDuration", [declared.sessionDuration], [observed.sessionDuration]);
    changed = true;
  }
  if (declared.relayState !== undefined) {
    changed = differs("relayState", [declared.relayState], [observed.relayState ?? "(none)"]) || changed;
  }
  if (!changed) return undefined;
  return {
    sessionDuration: declared.sessionDuration,
    ...(declared.description === undefined ? {} : { description: declared.description }),
    ...(declared.relayState === undefined ? {} : { relayState: declared.relayState }),
  };
}

function sortedReferences(refs: readonly PolicyReference[]): PolicyReference[] {
  const unique = new Map(refs.map((ref) => [referenceKey(ref), { name: ref.name, path: ref.path }]));
  // Map keys are unique, so no two compare equal.
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, ref]) => ref);
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The observed inline policy split into the customer's part (normalized JSON lines; the raw text when
 * it is not a JSON object, so it still shows in the diff) and the pipeline's own statements.
 */
function splitObservedInline(text: string | null): { customer: string[]; tool: unknown[] } {
  if (text === null || text.trim() === "") return { customer: [], tool: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { customer: text.split("\n"), tool: [] };
  }
  if (!isObject(parsed)) return { customer: text.split("\n"), tool: [] };
  const statements = statementList(parsed.Statement);
  const customer = statements.filter((s) => !isToolStatement(s));
  const tool = statements.filter((s) => isToolStatement(s));
  const onlyTool =
    customer.length === 0 && Object.keys(parsed).every((key) => key === "Version" || key === "Statement");
  return { customer: onlyTool ? [] : inlineLines({ ...parsed, Statement: customer }), tool };
}

function isEmptyDocument(document: JsonObject): boolean {
  return statementList(document.Statement).length === 0;
}

function statementList(statement: unknown): unknown[] {
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

/** A policy document as normalized, pretty-printed JSON lines; none for no document. */
function inlineLines(document: JsonObject | null): string[] {
  if (document === null) return [];
  const normalized = {
    ...document,
    Version: document.Version ?? "2012-10-17",
    Statement: statementList(document.Statement).map(normalizeStatement),
  };
  return JSON.stringify(canonical(normalized), null, 2).split("\n");
}

/** Action, NotAction, Resource and NotResource are sets: one string and a sorted list are the same. */
function normalizeStatement(statement: unknown): unknown {
  if (!isObject(statement)) return statement;
  const out: JsonObject = { ...statement };
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    const value = out[key];
    if (typeof value === "string") out[key] = [value];
    else if (Array.isArray(value)) out[key] = [...value].sort();
  }
  return out;
}

/** Objects with their keys sorted, recursively, so key order never reads as a difference. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}
