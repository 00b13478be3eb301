import { describe, expect, it } from "vitest";
import type { ObservedPermissionSetContent } from "../../../core/plan/permission-set-content.ts";
import { planPermissionSetContent } from "../../../core/plan/plan-permission-set-content.ts";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import type { Policy } from "../../../core/policy/schema.ts";

const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

function policy(drift: "report" | "repair", extra = ""): Policy {
  const result = loadPolicy(
    [
      "version: 1",
      `permissionSetDrift: ${drift}`,
      "permissionSets:",
      "  Assigned: { sessionDuration: PT2H }",
      `  ReadOnly: { managedPolicies: [${READ_ONLY}], tags: { owner: platform }, description: Read }`,
      "  Ops:",
      "    sessionDuration: PT4H",
      "    relayState: https://console.aws.amazon.com/",
      "    permissionsBoundary: { name: ops-boundary }",
      "    inlinePolicy: { Statement: [{ Effect: Allow, Action: 'ec2:*', Resource: '*' }] }",
      extra,
      "rules:",
      "  - { name: r, group: g, permissionSet: ReadOnly, targets: { accounts: ['111111111111'] } }",
    ].join("\n"),
    "policy.yaml",
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const observed = (content: Partial<ObservedPermissionSetContent>): ObservedPermissionSetContent => ({
  description: null,
  sessionDuration: "PT1H",
  relayState: null,
  managedPolicyArns: [],
  customerManagedPolicies: [],
  inlinePolicy: null,
  permissionsBoundary: null,
  tags: {},
  ...content,
});

const existing = [
  { arn: "arn:ps-assigned", name: "Assigned", sessionDuration: "PT2H" },
  { arn: "arn:ps-readonly", name: "ReadOnly", sessionDuration: "PT1H" },
  { arn: "arn:ps-other", name: "NotInPolicy", sessionDuration: "PT1H" },
];
const readOnlyAsDeclared = observed({
  managedPolicyArns: [READ_ONLY],
  tags: { owner: "platform" },
  description: "Read",
});

describe("planPermissionSetContent", () => {
  it("creates a declared set Identity Center lacks, with its attributes and then its policies", () => {
    const plan = planPermissionSetContent({
      policy: policy("report"),
      existing,
      observed: { ReadOnly: readOnlyAsDeclared },
    });
    expect(plan.findings).toEqual([]);
    expect(plan.steps).toEqual([
      {
        kind: "create",
        name: "Ops",
        attributes: {
          sessionDuration: "PT4H",
          relayState: "https://console.aws.amazon.com/",
          tags: { "okta-aws-lifecycle:managed": "true" },
        },
        repair: {
          attachManagedPolicies: [],
          detachManagedPolicies: [],
          attachCustomerManagedPolicies: [],
          detachCustomerManagedPolicies: [],
          inlinePolicy: {
            put: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }],
            }),
          },
          permissionsBoundary: { put: { customerManagedPolicy: { name: "ops-boundary", path: "/" } } },
        },
      },
    ]);
  });

  it("creates a set with a description and tags and no relay state", () => {
    const plan = planPermissionSetContent({
      policy: policy(
        "report",
        "  Audit: { description: Auditors, tags: { team: audit }, managedPolicies: [] }",
      ),
      existing,
      observed: { ReadOnly: readOnlyAsDeclared },
      only: ["Audit"],
    });
    expect(plan.steps).toEqual([
      {
        kind: "create",
        name: "Audit",
        attributes: {
          sessionDuration: "PT1H",
          description: "Auditors",
          tags: { team: "audit", "okta-aws-lifecycle:managed": "true" },
        },
        repair: {
          attachManagedPolicies: [],
          detachManagedPolicies: [],
          attachCustomerManagedPolicies: [],
          detachCustomerManagedPolicies: [],
        },
      },
    ]);
  });

  it("reports drift with its diff and writes nothing under report; repairs under repair; never touches undeclared or content-less sets", () => {
    const drifted = {
      ReadOnly: observed({ managedPolicyArns: [ADMIN], tags: { owner: "platform" }, description: "Read" }),
    };
    const withOps = [...existing, { arn: "arn:ps-ops", name: "Ops", sessionDuration: "PT4H" }];
    const opsAsDeclared = observed({
      sessionDuration: "PT4H",
      relayState: "https://console.aws.amazon.com/",
      permissionsBoundary: { customerManagedPolicy: { name: "ops-boundary", path: "/" } },
      inlinePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }),
    });
    const report = planPermissionSetContent({
      policy: policy("report"),
      existing: withOps,
      observed: { ...drifted, Ops: opsAsDeclared },
    });
    expect(report.steps).toEqual([]);
    expect(report.findings).toEqual([
      {
        kind: "permission-set-drift",
        message:
          "permission set 'ReadOnly' differs from the policy in managedPolicies: reported only (set permissionSetDrift: repair to write the declared content back)",
        subject: {
          permissionSet: "ReadOnly",
          permissionSetArn: "arn:ps-readonly",
          fields: "managedPolicies",
          diff: `--- declared (policy)\n+++ observed (Identity Center)\n@@ managedPolicies @@\n-${READ_ONLY}\n+${ADMIN}`,
        },
      },
    ]);

    const repair = planPermissionSetContent({
      policy: policy("repair"),
      existing: withOps,
      observed: { ...drifted, Ops: opsAsDeclared },
    });
    expect(repair.findings[0]?.message).toContain(
      "the declared content is written back and the set re-provisioned",
    );
    expect(repair.steps).toEqual([
      {
        kind: "repair",
        name: "ReadOnly",
        permissionSetArn: "arn:ps-readonly",
        fields: ["managedPolicies"],
        repair: expect.objectContaining({
          attachManagedPolicies: [READ_ONLY],
          detachManagedPolicies: [ADMIN],
        }),
      },
    ]);
  });

  it("scopes to some sets, and reports sets it could not read or cannot repair instead of writing them", () => {
    const scoped = planPermissionSetContent({
      policy: policy("repair"),
      existing,
      observed: {},
      only: ["ReadOnly"],
    });
    expect(scoped.steps).toEqual([]);
    expect(scoped.findings.map((f) => f.message)).toEqual([
      "permission set 'ReadOnly' could not be read, so its drift is unknown: not read",
    ]);
    const unreadable = planPermissionSetContent({
      policy: policy("repair"),
      existing,
      observed: { ReadOnly: readOnlyAsDeclared },
      unreadable: { ReadOnly: "AccessDeniedException" },
      only: ["ReadOnly"],
    });
    expect(unreadable.findings.map((f) => f.message)).toEqual([
      "permission set 'ReadOnly' could not be read, so its drift is unknown: AccessDeniedException",
    ]);

    // The declared inline policy plus the pipeline's Denies already in place exceed 10,240 characters.
    const denies = Array.from({ length: 60 }, (_, i) => ({
      Sid: `OktaAwsLifecycleUser${i}`,
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { "identitystore:userId": [`user-${i}-${"x".repeat(120)}`] } },
    }));
    const full = planPermissionSetContent({
      policy: policy("repair"),
      existing: [...existing, { arn: "arn:ps-ops", name: "Ops", sessionDuration: "PT4H" }],
      observed: {
        ReadOnly: readOnlyAsDeclared,
        Ops: observed({ sessionDuration: "PT4H", inlinePolicy: JSON.stringify({ Statement: denies }) }),
      },
      only: ["Ops"],
    });
    expect(full.steps).toEqual([]);
    expect(full.findings[0]?.message).toMatch(
      /^permission set 'Ops' cannot be repaired: the inline policy with the revocation Denies would be \d+ non-whitespace characters/,
    );
  });
});
