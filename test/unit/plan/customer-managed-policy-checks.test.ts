import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountPolicyChecks,
  customerManagedPolicyFindings,
  customerManagedPolicyUses,
} from "../../../core/plan/customer-managed-policy-checks.ts";
import { referenceKey } from "../../../core/plan/permission-set-content.ts";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import type { Policy } from "../../../core/policy/schema.ts";

function policy(): Policy {
  const result = loadPolicy(
    [
      "version: 1",
      "permissionSets:",
      "  Assigned: { sessionDuration: PT2H }",
      "  Deploy:",
      "    customerManagedPolicies: [{ name: deploy }, { name: logs, path: /shared/ }]",
      "    permissionsBoundary: { name: boundary, path: /shared/ }",
      "  Logs:",
      "    customerManagedPolicies: [{ name: logs, path: /shared/ }]",
      "    permissionsBoundary: arn:aws:iam::aws:policy/ReadOnlyAccess",
      "rules:",
      "  - { name: r, group: g, permissionSet: Deploy, targets: { accounts: ['111111111111'] } }",
    ].join("\n"),
    "policy.yaml",
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const SETS = [
  { arn: "arn:ps-assigned", name: "Assigned", sessionDuration: "PT2H" },
  { arn: "arn:ps-deploy", name: "Deploy", sessionDuration: "PT1H" },
  { arn: "arn:ps-logs", name: "Logs", sessionDuration: "PT1H" },
  { arn: "arn:ps-undeclared", name: "Undeclared", sessionDuration: "PT1H" },
];
const A = "111111111111";
const B = "222222222222";
const pair = (accountId: string, permissionSetArn: string) => ({ accountId, permissionSetArn });

describe("customerManagedPolicyUses", () => {
  it("lists each declared set's customer managed policies and customer managed boundary in each account it reaches", () => {
    const uses = customerManagedPolicyUses({
      policy: policy(),
      permissionSets: SETS,
      pairs: [
        pair(B, "arn:ps-logs"),
        pair(A, "arn:ps-deploy"),
        pair(A, "arn:ps-assigned"),
        pair(A, "arn:ps-undeclared"),
        pair(A, "arn:ps-deleted-since"),
        // Provisioned and newly assigned: one use.
        pair(A, "arn:ps-deploy"),
      ],
    });

    expect(
      uses.map((u) => `${u.accountId} ${u.permissionSet} ${referenceKey(u.policy)} ${u.usedAs}`),
    ).toEqual([
      `${A} Deploy /deploy customer-managed-policy`,
      `${A} Deploy /shared/boundary permissions-boundary`,
      `${A} Deploy /shared/logs customer-managed-policy`,
      `${B} Logs /shared/logs customer-managed-policy`,
    ]);
  });
});

describe("customerManagedPolicyFindings", () => {
  const uses = customerManagedPolicyUses({
    policy: policy(),
    permissionSets: SETS,
    pairs: [pair(A, "arn:ps-deploy"), pair(A, "arn:ps-logs"), pair(B, "arn:ps-logs")],
  });

  it("a policy missing in one account is one finding per set using it there, naming the set, account, policy and fix", () => {
    const findings = customerManagedPolicyFindings(uses, [
      { accountId: A, missing: [{ name: "boundary", path: "/shared/" }] },
      { accountId: B, missing: [] },
    ]);

    expect(findings).toEqual([
      {
        kind: "customer-managed-policy-missing",
        message: expect.stringContaining(
          "permission set Deploy references the customer managed policy /shared/boundary as its permissions boundary, which account 111111111111 does not hold",
        ),
        subject: {
          permissionSet: "Deploy",
          accountId: A,
          policyName: "boundary",
          policyPath: "/shared/",
          usedAs: "permissions-boundary",
          fix: "create the IAM policy /shared/boundary in account 111111111111 (for every account at once, e.g. with a CloudFormation StackSet), or remove it from permissionSets.Deploy.permissionsBoundary",
        },
      },
    ]);
  });

  it("an account that could not be asked is one unchecked finding with its problem's fix; nothing is called missing there", () => {
    const problem = {
      accountId: B,
      code: "role-not-assumable",
      message: "B: role not assumable",
      fix: "deploy the roles",
    };
    const findings = customerManagedPolicyFindings(uses, [
      { accountId: A, missing: [] },
      { accountId: B, problem },
    ]);

    expect(findings).toEqual([
      {
        kind: "customer-managed-policy-unchecked",
        message: expect.stringContaining(
          "could not check that account 222222222222 holds the customer managed policies /shared/logs (of Logs): B: role not assumable",
        ),
        subject: {
          accountId: B,
          code: "role-not-assumable",
          permissionSets: "Logs",
          policies: "/shared/logs",
          fix: "deploy the roles",
        },
      },
    ]);
  });

  it("an account without an answer, or a problem in an account no use needs, is no finding", () => {
    const problem = { accountId: "333333333333", code: "x", message: "m", fix: "f" };

    expect(customerManagedPolicyFindings(uses, [{ accountId: "333333333333", problem }])).toEqual([]);
  });

  it("present everywhere: no finding", () => {
    expect(
      customerManagedPolicyFindings(uses, [
        { accountId: A, missing: [] },
        { accountId: B, missing: [] },
      ]),
    ).toEqual([]);
  });
});

describe("accountPolicyChecks (property)", () => {
  const ref = fc.record({ name: fc.constantFrom("a", "b", "c"), path: fc.constantFrom("/", "/x/") });
  // As customerManagedPolicyUses gives them: one per (account, set, policy, use).
  const arbUses = fc.uniqueArray(
    fc.record({
      permissionSet: fc.constantFrom("S1", "S2", "S3"),
      accountId: fc.constantFrom(A, B, "333333333333"),
      policy: ref,
      usedAs: fc.constantFrom("customer-managed-policy" as const, "permissions-boundary" as const),
    }),
    { selector: (u) => `${u.accountId} ${u.permissionSet} ${referenceKey(u.policy)} ${u.usedAs}` },
  );

  it("asks once per (account, policy) that some use needs, and for nothing else", () => {
    fc.assert(
      fc.property(arbUses, (uses) => {
        const asked = accountPolicyChecks(uses).flatMap((c) =>
          c.policies.map((p) => `${c.accountId} ${referenceKey(p)}`),
        );
        const needed = new Set(uses.map((u) => `${u.accountId} ${referenceKey(u.policy)}`));
        expect(asked.length).toBe(new Set(asked).size);
        expect(new Set(asked)).toEqual(needed);
      }),
    );
  });

  it("every use of a policy an account lacks is exactly one missing finding; an unchecked account yields none missing", () => {
    fc.assert(
      fc.property(arbUses, fc.array(ref), fc.constantFrom(A, B), (uses, missing, unchecked) => {
        const answers = accountPolicyChecks(uses).map((c) =>
          c.accountId === unchecked
            ? {
                accountId: c.accountId,
                problem: { accountId: c.accountId, code: "x", message: "m", fix: "f" },
              }
            : { accountId: c.accountId, missing },
        );
        const findings = customerManagedPolicyFindings(uses, answers);
        const missingKeys = new Set(missing.map(referenceKey));
        const expected = new Set(
          uses
            .filter((u) => u.accountId !== unchecked && missingKeys.has(referenceKey(u.policy)))
            .map((u) => `${u.accountId} ${u.permissionSet} ${referenceKey(u.policy)} ${u.usedAs}`),
        );
        const got = findings
          .filter((f) => f.kind === "customer-managed-policy-missing")
          .map(
            (f) =>
              `${f.subject.accountId} ${f.subject.permissionSet} ${f.subject.policyPath}${f.subject.policyName} ${f.subject.usedAs}`,
          );
        expect(got.length).toBe(new Set(got).size);
        expect(new Set(got)).toEqual(expected);
        const uncheckedFindings = findings.filter((f) => f.kind === "customer-managed-policy-unchecked");
        expect(uncheckedFindings.length).toBe(uses.some((u) => u.accountId === unchecked) ? 1 : 0);
      }),
    );
  });
});
