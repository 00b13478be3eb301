import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  judgePermissionSetDrift,
  type PermissionSetRepair,
} from "../../../core/plan/judge-permission-set-drift.ts";
import type { ObservedPermissionSetContent } from "../../../core/plan/permission-set-content.ts";
import type { PolicyPermissionSet } from "../../../core/policy/schema.ts";
import { isToolStatement } from "../../../core/revocation/deny-statement.ts";
import { denyStatement } from "../../../core/revocation/deny-statements.ts";

/** What Identity Center holds after the repair's sso-admin writes, as the API reference describes each. */
function applied(
  observed: ObservedPermissionSetContent,
  repair: PermissionSetRepair,
): ObservedPermissionSetContent {
  const key = (r: { name: string; path: string }) => r.path + r.name;
  const detach = new Set(repair.detachCustomerManagedPolicies.map(key));
  const after: ObservedPermissionSetContent = {
    ...observed,
    managedPolicyArns: [
      ...observed.managedPolicyArns.filter((arn) => !repair.detachManagedPolicies.includes(arn)),
      ...repair.attachManagedPolicies,
    ],
    customerManagedPolicies: [
      ...observed.customerManagedPolicies.filter((r) => !detach.has(key(r))),
      ...repair.attachCustomerManagedPolicies,
    ],
  };
  if (repair.inlinePolicy) after.inlinePolicy = "put" in repair.inlinePolicy ? repair.inlinePolicy.put : null;
  if (repair.permissionsBoundary) after.permissionsBoundary = repair.permissionsBoundary.put;
  if (repair.update) {
    after.sessionDuration = repair.update.sessionDuration;
    if (repair.update.description !== undefined) after.description = repair.update.description;
    if (repair.update.relayState !== undefined) after.relayState = repair.update.relayState;
  }
  if (repair.tags) {
    const tags = { ...observed.tags, ...repair.tags.set };
    for (const k of repair.tags.remove) delete tags[k];
    after.tags = tags;
  }
  return after;
}

const arn = fc.constantFrom(
  ...["ReadOnlyAccess", "AdministratorAccess", "SecurityAudit", "ViewOnlyAccess"].map(
    (n) => `arn:aws:iam::aws:policy/${n}`,
  ),
);
const ref = fc.record({ name: fc.constantFrom("deploy", "helpers"), path: fc.constantFrom("/", "/ci/") });
const statement = fc.record({
  Effect: fc.constantFrom("Allow", "Deny"),
  Action: fc.oneof(
    fc.constantFrom("s3:GetObject", "ec2:*"),
    fc.uniqueArray(fc.constantFrom("s3:List*", "iam:Get*", "kms:Decrypt"), { minLength: 1 }),
  ),
  Resource: fc.constant("*"),
});
const document = fc.record({
  Version: fc.constant("2012-10-17"),
  Statement: fc.array(statement, { maxLength: 3 }),
});
const tags = fc.dictionary(fc.constantFrom("owner", "tier", "team"), fc.constantFrom("a", "b"));
const duration = fc.constantFrom("PT1H", "PT4H", "PT12H");
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const declared = fc
  .record({
    sessionDuration: duration,
    description: maybe(fc.constantFrom("one", "two")),
    relayState: maybe(fc.constantFrom("https://a.example/", "https://b.example/")),
    managedPolicies: maybe(fc.uniqueArray(arn)),
    customerManagedPolicies: maybe(fc.uniqueArray(ref, { selector: (r) => r.path + r.name })),
    inlinePolicy: maybe(document),
    permissionsBoundary: maybe(fc.oneof(arn, ref)),
    tags: maybe(tags),
  })
  .map(
    (d) =>
      Object.fromEntries(
        Object.entries({ ...d, privileged: false }).filter(([, v]) => v !== undefined),
      ) as unknown as PolicyPermissionSet,
  );

const toolDenies = fc
  .uniqueArray(fc.constantFrom("u-1", "u-2", "u-3"), { maxLength: 2 })
  .map((ids) => ids.map((id) => denyStatement({ StringEquals: { "identitystore:userId": [id] } })));

const observed = fc
  .record({
    description: fc.option(fc.constantFrom("one", "three")),
    sessionDuration: duration,
    relayState: fc.option(fc.constantFrom("https://a.example/", "https://c.example/")),
    managedPolicyArns: fc.uniqueArray(arn),
    customerManagedPolicies: fc.uniqueArray(ref, { selector: (r) => r.path + r.name }),
    customer: fc.option(document),
    denies: toolDenies,
    permissionsBoundary: fc.option(
      fc.oneof(
        arn.map((a) => ({ managedPolicyArn: a })),
        ref.map((r) => ({ customerManagedPolicy: r })),
      ),
    ),
    tags,
  })
  .map(({ customer, denies, ...rest }): ObservedPermissionSetContent => {
    const statements = [...(customer?.Statement ?? []), ...denies];
    return {
      ...rest,
      inlinePolicy:
        statements.length === 0 ? null : JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    };
  });

const denyIds = (inline: string | null) =>
  inline === null
    ? []
    : (JSON.parse(inline).Statement as unknown[]).filter(isToolStatement).map((s) => JSON.stringify(s));

describe("judgePermissionSetDrift (properties)", () => {
  it("after its repair is applied, nothing has drifted and the pipeline's Denies are all still there", () => {
    fc.assert(
      fc.property(declared, observed, (decl, before) => {
        const judgement = judgePermissionSetDrift(decl, before);
        const after = applied(before, judgement.repair);
        expect(judgePermissionSetDrift(decl, after)).toMatchObject({ drifted: false, diff: "" });
        expect(denyIds(after.inlinePolicy)).toEqual(denyIds(before.inlinePolicy));
        // No drift, no write; and the diff names every drifted field.
        if (!judgement.drifted) expect(after).toEqual(before);
        for (const field of judgement.fields) expect(judgement.diff).toContain(`@@ ${field} @@`);
      }),
      { numRuns: 300 },
    );
  });
});
