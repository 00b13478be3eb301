import type { OktaTruth } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import { abacAttributesOf } from "./abac-attributes.ts";
import type { Finding, GuardViolation } from "./plan.ts";
import { isLeaver } from "./plan-users.ts";

/** Stands in for "another team" when Okta holds only one value: the session must still be denied there. */
export const CANARY_OTHER_VALUE = "canary-other-value";

/**
 * One question the canary asks the IAM policy simulator: may a session with these principal tags
 * perform the action on a resource with these tags, under the permission set's policies?
 */
export interface CanaryCase {
  permissionSet: string;
  action: string;
  /** `aws:PrincipalTag/<key>` values; a key left out is a session without that tag. */
  principalTags: Record<string, string>;
  /** `aws:ResourceTag/<key>` values. */
  resourceTags: Record<string, string>;
  expect: "allowed" | "denied";
  /** The property in words, for the guard's message. */
  why: string;
}

/** The policies a permission set is proven with: its documents, or why it cannot be proven. */
export type CanaryDocuments = { documents: string[] } | { unprovable: string };

/**
 * A simulator's answer to one case: "denied" covers explicit and implicit denies; `unproven` when the
 * simulator could not evaluate the case as asked (a condition key it was not given, say): never read
 * as "denied", since a real session would carry that key.
 */
export type CanaryOutcome = "allowed" | "denied" | { unproven: string };

/**
 * Evaluates canary cases: the IAM policy simulator behind a port (local/runtime/abac-canary-prover.ts
 * on the CLI and local stack, adapters/iam/simulate-custom-policy-prover.ts deployed).
 */
export interface AbacCanaryProver {
  evaluate(c: CanaryCase, documents: readonly string[]): Promise<CanaryOutcome>;
}

/** What the canary found, handed to the planner (PlanInput.abacCanary). */
export interface AbacCanaryResult {
  /** Each case with the simulator's answer. */
  evaluated: { case: CanaryCase; outcome: "allowed" | "denied" }[];
  /** Sets the canary could not prove, and why. */
  unproven: { permissionSet: string; why: string }[];
}

/** The values an attribute takes among the Okta users who keep access, sorted. */
function valuesOf(okta: OktaTruth, oktaAttribute: string): string[] {
  const values = okta.users.flatMap((u) => {
    const v = (u.profile?.[oktaAttribute] ?? "").trim();
    return v === "" || isLeaver(u) ? [] : [v];
  });
  return [...new Set(values)].sort();
}

/**
 * The canary proof's cases (issue 18): for each ABAC-scoped permission set, each canary action, each
 * attribute and each of its values found in Okta, a session tagged with the value is allowed on a
 * resource tagged with it, denied on one tagged with another value, and a session without the tag is
 * denied. The set's other attributes match on both sides, so only the one under test differs.
 */
export function abacCanaryCases(policy: Policy, okta: OktaTruth): CanaryCase[] {
  const cases: CanaryCase[] = [];
  for (const permissionSet of Object.keys(policy.permissionSets).sort()) {
    const attributes = abacAttributesOf(policy, permissionSet);
    for (const action of policy.permissionSets[permissionSet]?.abac?.canaryActions ?? []) {
      for (const attribute of attributes) {
        const same = Object.fromEntries(
          attributes.filter((a) => a.key !== attribute.key).map((a) => [a.key, "canary"]),
        );
        const values = valuesOf(okta, attribute.oktaAttribute);
        for (const [index, value] of values.entries()) {
          const other =
            values.length > 1 ? (values[(index + 1) % values.length] as string) : CANARY_OTHER_VALUE;
          const base = { permissionSet, action };
          const tag = (v: string) => ({ ...same, [attribute.key]: v });
          cases.push(
            {
              ...base,
              principalTags: tag(value),
              resourceTags: tag(value),
              expect: "allowed",
              why: `${attribute.key}=${value} on its own resource`,
            },
            {
              ...base,
              principalTags: tag(value),
              resourceTags: tag(other),
              expect: "denied",
              why: `${attribute.key}=${value} on ${attribute.key}=${other}'s resource`,
            },
            {
              ...base,
              principalTags: same,
              resourceTags: tag(value),
              expect: "denied",
              why: `no ${attribute.key} tag on ${attribute.key}=${value}'s resource`,
            },
          );
        }
      }
    }
  }
  return cases;
}

/**
 * The canary's verdict: a case answered against its expectation blocks the plan (the `abac-canary`
 * guard, never overridden: a session that reaches another team's resources, or any with its tag
 * missing, is an over-grant). A set the canary could not prove, or no proof at all while the policy
 * has ABAC-scoped sets, is a finding.
 */
export function judgeAbacCanary(
  policy: Policy,
  result: AbacCanaryResult | undefined,
): { violations: GuardViolation[]; findings: Finding[] } {
  const scoped = Object.keys(policy.permissionSets).filter((n) => abacAttributesOf(policy, n).length > 0);
  if (scoped.length === 0) return { violations: [], findings: [] };
  if (result === undefined) {
    return {
      violations: [],
      findings: [
        {
          kind: "abac-canary-unproven",
          message: `The ABAC canary proof did not run (no IAM policy simulator in this runtime): ${scoped.sort().join(", ")} unproven; run \`plan\` from the CLI or the local stack to prove them.`,
          subject: { permissionSets: scoped.sort().join(",") },
        },
      ],
    };
  }
  const failed = new Map<string, string[]>();
  for (const { case: c, outcome } of result.evaluated) {
    if (outcome === c.expect) continue;
    const key = `${c.permissionSet}|${c.action}`;
    failed.set(key, [...(failed.get(key) ?? []), `${c.why} is ${outcome}, must be ${c.expect}`]);
  }
  const violations: GuardViolation[] = [...failed]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, problems]) => {
      const [permissionSet, action] = key.split("|");
      return {
        guard: "abac-canary",
        message: `ABAC canary: permission set '${permissionSet}', ${action}: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? `; and ${problems.length - 3} more` : ""}.`,
      };
    });
  const findings: Finding[] = result.unproven.map((u) => ({
    kind: "abac-canary-unproven",
    message: `The ABAC canary could not prove permission set '${u.permissionSet}': ${u.why}.`,
    subject: { permissionSet: u.permissionSet },
  }));
  return { violations, findings };
}

/** Stands in for managed policies the canary cannot read: the worst case, everything allowed. */
export const MANAGED_POLICY_STAND_IN = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "ManagedPoliciesWorstCase", Effect: "Allow", Action: "*", Resource: "*" }],
});

/**
 * The documents a set is proven with, from its declaration: the inline policy, and for its AWS or
 * customer managed policies (whose documents the plan does not read) a stand-in allowing everything,
 * so the ABAC scoping must hold whatever they grant. A set that declares no content cannot be proven.
 */
export function canaryDocuments(decl: Policy["permissionSets"][string] | undefined): CanaryDocuments {
  if (decl === undefined) return { unprovable: "it is not declared" };
  if (typeof decl.inlinePolicy === "string")
    return { unprovable: `its inline policy file ${decl.inlinePolicy} was not read` };
  const managed = (decl.managedPolicies?.length ?? 0) + (decl.customerManagedPolicies?.length ?? 0) > 0;
  const documents = [
    ...(decl.inlinePolicy === undefined ? [] : [JSON.stringify(decl.inlinePolicy)]),
    ...(managed ? [MANAGED_POLICY_STAND_IN] : []),
  ];
  return documents.length === 0
    ? { unprovable: "it declares no policies (add inlinePolicy or managedPolicies to prove it)" }
    : { documents };
}
