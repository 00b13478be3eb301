import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Policy } from "../../core/policy/schema.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";

const manual = { type: "manual" as const, requestedBy: "e2e" };

/*
 * Issue 18 on the local stack: the demo's ABAC-scoped DataEngineer and its two data engineers
 * without a `team` in Okta, the canary proof, and a grant guard stopping a too-wide policy edit.
 */
describe("ABAC and grant guards on the local stack", () => {
  let stack: LocalStack;
  let run = 0;
  const reconcile = (apply: boolean, policy?: Policy, extra: { allowGrants?: number } = {}) =>
    reconcileEstate(stack.estateDeps(`abac-${++run}`, policy ? { policy } : {}), {
      apply,
      trigger: manual,
      ...extra,
    });
  const demoPolicy = () => structuredClone(stack.estateDeps("policy").policy);

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
  });
  afterAll(() => stack.stop());

  it("reports exactly the two data engineers without team, and the canary blocks nothing", async () => {
    // Prepare: who lacks team in the demo's Okta, among aws-data-engineers' members
    const okta = stack.estate.okta;
    const engineers = new Set(
      okta.memberships.filter((m) => m.group === "aws-data-engineers").map((m) => m.user),
    );
    const lacking = okta.users
      .filter((u) => engineers.has(u.login) && u.status === "ACTIVE" && !u.profile?.team)
      .map((u) => u.login)
      .sort();

    // Act
    const result = await reconcile(false);

    // Assess
    expect(lacking).toHaveLength(2);
    const missing = result.plan.findings.filter((f) => f.kind === "abac-attribute-missing");
    const byId = new Map(result.input.okta.users.map((u) => [u.id, u.login]));
    expect(missing.map((f) => byId.get(String(f.subject.oktaUserId))).sort()).toEqual(lacking);
    expect(missing.every((f) => f.subject.permissionSet === "DataEngineer")).toBe(true);
    expect(result.plan.violations).toEqual([]);
    expect(result.plan.actions.filter((a) => a.kind === "assignment.create")).toEqual([]);
    // The canary proved the declared DataEngineer: 12 teams x 3 cases x 2 actions, none against expectation.
    expect(result.input.abacCanary?.unproven).toEqual([]);
    expect(result.input.abacCanary?.evaluated).toHaveLength(72);
    expect(result.plan.findings.filter((f) => f.kind === "abac-canary-unproven")).toEqual([]);
  });

  it("blocks a policy edit granting the privileged set to every account, and applies nothing", async () => {
    // Prepare: aws-developers get PlatformAdmin at the root
    const policy = demoPolicy();
    policy.rules.push({
      name: "developers-admin-everywhere",
      group: "aws-developers",
      permissionSet: "PlatformAdmin",
      targets: { accounts: [], ous: [stack.estate.organization.rootId] },
    });
    const before = stack.emulators.identityCenter.snapshot().assignments.length;

    // Act
    const blocked = await reconcile(true, policy);
    const tooFew = await reconcile(true, policy, { allowGrants: 1 });

    // Assess
    expect(blocked.plan.status).toBe("blocked");
    expect(blocked.plan.violations.map((v) => v.guard)).toEqual(
      expect.arrayContaining(["max-privileged-accounts", "max-rule-widening"]),
    );
    expect(blocked.plan.violations.find((v) => v.guard === "max-privileged-accounts")?.message).toContain(
      "'PlatformAdmin' (marked privileged in the policy)",
    );
    expect(blocked.applied).toBe(false);
    expect(tooFew.applied).toBe(false);
    expect(stack.emulators.identityCenter.snapshot().assignments).toHaveLength(before);
    const key = blocked.evidence.find(
      (e) => e.key.endsWith(".estate.json") || e.key.includes(".estate"),
    )?.key;
    const record = JSON.parse(await stack.adapters.evidence.get(String(key))) as {
      body: { plan: { blockedReason: string | null } };
    };
    expect(record.body.plan.blockedReason).toContain("guards.maxPrivilegedAccounts is 3");
  });

  it("blocks a DataEngineer whose declared policies let a session without team reach every team", async () => {
    // Prepare: only the Deny on other teams' resources, over managed policies that allow everything
    const policy = demoPolicy();
    const set = policy.permissionSets.DataEngineer;
    if (set === undefined) throw new Error("the demo policy has no DataEngineer");
    policy.permissionSets.DataEngineer = {
      ...set,
      managedPolicies: ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess"],
      inlinePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: ["athena:*", "glue:*"],
            Resource: "*",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
            Condition: { StringNotEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } },
          },
        ],
      },
    };

    // Act
    const result = await reconcile(false, policy);

    // Assess
    expect(result.plan.status).toBe("blocked");
    const canary = result.plan.violations.filter((v) => v.guard === "abac-canary").map((v) => v.message);
    // Every team in Okta is asked about; only the untagged sessions are wrongly allowed (12 teams).
    expect(canary).toEqual(
      ["athena:StartQueryExecution", "glue:GetTable"].map(
        (action) =>
          `ABAC canary: permission set 'DataEngineer', ${action}: no team tag on team=catalog's resource is allowed, must be denied; ` +
          "no team tag on team=checkout's resource is allowed, must be denied; no team tag on team=data's resource is allowed, must be denied; and 9 more.",
      ),
    );
  });
});
