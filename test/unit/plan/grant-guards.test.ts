import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkGrantGuards } from "../../../core/plan/grant-guards.ts";
import { overridesGuards } from "../../../core/plan/guard-override.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";
import { planEstate } from "../../../core/plan/plan-estate.ts";
import { privilegedReason } from "../../../core/plan/privileged-permission-set.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";
import { arn, estate, MGMT } from "../../support/estate-builder.ts";

const NAMES = new Map([
  [arn("dev"), "Developer"],
  [arn("admin"), "Admin"],
]);

const create = (accountId: string, set: string, rule: string, group = "icg-devs"): PlanAction => ({
  kind: "assignment.create",
  assignment: { accountId, permissionSetArn: arn(set), principalType: "GROUP", principalId: group },
  rule,
});
const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));

const policyWith = (guards: object, admin: object = { privileged: true }) =>
  PolicyDocument.parse({
    version: 1,
    permissionSets: { Developer: {}, Admin: admin },
    rules: [{ name: "admins", group: "aws-admins", permissionSet: "Admin", targets: { accounts: [MGMT] } }],
    guards,
  });

describe("privilegedReason", () => {
  it("counts a set marked privileged, AdministratorAccess, IAMFullAccess and inline Allows on *, iam:* or NotAction", () => {
    // Act / Assess
    expect(privilegedReason({ privileged: true })).toBe("marked privileged in the policy");
    expect(
      privilegedReason({
        privileged: false,
        managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
      }),
    ).toContain("AdministratorAccess");
    expect(
      privilegedReason({
        privileged: false,
        managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMFullAccess"],
      }),
    ).toContain("IAMFullAccess");
    for (const statement of [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Allow", Action: ["s3:GetObject", "IAM:*"], Resource: "*" },
      { Effect: "Allow", NotAction: ["s3:*"], Resource: "*" },
    ]) {
      expect(
        privilegedReason({
          privileged: false,
          inlinePolicy: { Version: "2012-10-17", Statement: [statement] },
        }),
      ).toBe("its inline policy allows *:* or iam:*");
    }
  });

  it("does not count read-only sets, Denies on *, an Allow with NotAction iam:*, or an undeclared set", () => {
    // Act / Assess
    expect(
      privilegedReason({
        privileged: false,
        managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        inlinePolicy: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Deny", Action: "*", Resource: "*" },
            { Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" },
          ],
        },
      }),
    ).toBeUndefined();
    expect(privilegedReason(undefined)).toBeUndefined();
    expect(
      privilegedReason({
        privileged: false,
        inlinePolicy: { Version: "2012-10-17", Statement: ["junk", null] },
      }),
    ).toBeUndefined();
  });

  it("reads a Statement given as one object rather than a list", () => {
    // Act / Assess
    expect(
      privilegedReason({
        privileged: false,
        inlinePolicy: {
          Version: "2012-10-17",
          Statement: { Effect: "Allow", Action: "iam:*", Resource: "*" },
        },
      }),
    ).toBe("its inline policy allows *:* or iam:*");
  });
});

describe("checkGrantGuards", () => {
  it("stops a privileged set granted in more accounts than maxPrivilegedAccounts, naming the set and why", () => {
    // Prepare
    const actions = accounts(4).map((id) => create(id, "admin", "admins", "icg-admins"));

    // Act
    const violations = checkGrantGuards({
      policy: policyWith({ maxPrivilegedAccounts: 3, maxRuleWidening: 10 }),
      actions,
      permissionSetNames: NAMES,
    });

    // Assess
    expect(violations).toEqual([
      {
        guard: "max-privileged-accounts",
        message:
          "The plan grants the privileged permission set 'Admin' (marked privileged in the policy) in 4 more accounts; guards.maxPrivilegedAccounts is 3.",
      },
    ]);
  });

  it("lets the same grants through for a set that is not privileged, and at the limit", () => {
    // Act / Assess
    expect(
      checkGrantGuards({
        policy: policyWith({ maxPrivilegedAccounts: 3 }, {}),
        actions: accounts(4).map((id) => create(id, "admin", "admins")),
        permissionSetNames: NAMES,
      }),
    ).toEqual([]);
    expect(
      checkGrantGuards({
        policy: policyWith({ maxPrivilegedAccounts: 3 }),
        actions: accounts(3).map((id) => create(id, "admin", "admins")),
        permissionSetNames: NAMES,
      }),
    ).toEqual([]);
  });

  it("does not count a permission set Identity Center does not name as privileged", () => {
    // Act / Assess
    expect(
      checkGrantGuards({
        policy: policyWith({ maxPrivilegedAccounts: 0 }),
        actions: [create("111111111111", "unknown", "admins")],
        permissionSetNames: NAMES,
      }),
    ).toEqual([]);
  });

  it("stops too many new assignments and a rule that newly reaches too many accounts", () => {
    // Prepare: two groups in 6 accounts = 12 assignments, rule devs reaches 6 accounts
    const actions = accounts(6).flatMap((id) => [
      create(id, "dev", "devs", "icg-devs"),
      create(id, "dev", "devs", "icg-other"),
    ]);

    // Act
    const violations = checkGrantGuards({
      policy: policyWith({ maxNewAssignments: 11, maxRuleWidening: 5 }),
      actions,
      permissionSetNames: NAMES,
    });

    // Assess
    expect(violations.map((v) => v.guard)).toEqual(["max-new-assignments", "max-rule-widening"]);
    expect(violations[1]?.message).toBe(
      "Rule 'devs' reaches 6 accounts it did not; guards.maxRuleWidening is 5.",
    );
  });

  it("never blocks a plan whose grants stay within every limit (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 20 }),
            fc.constantFrom("dev", "admin"),
            fc.constantFrom("a", "b"),
          ),
          {
            maxLength: 60,
          },
        ),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 80 }),
        (grants, maxPrivilegedAccounts, maxRuleWidening, maxNewAssignments) => {
          // Prepare
          const actions = grants.map(([account, set, rule], i) =>
            create(String(100000000000 + account), set, rule, `icg-${i}`),
          );
          const distinct = (pick: (g: (typeof grants)[number]) => boolean) =>
            new Set(grants.filter(pick).map(([account]) => account)).size;

          // Act
          const guards = checkGrantGuards({
            policy: policyWith({ maxPrivilegedAccounts, maxRuleWidening, maxNewAssignments }),
            actions,
            permissionSetNames: NAMES,
          }).map((v) => v.guard);

          // Assess: each guard trips exactly when its own count exceeds its limit
          expect(guards.includes("max-new-assignments")).toBe(actions.length > maxNewAssignments);
          expect(guards.includes("max-privileged-accounts")).toBe(
            distinct(([, set]) => set === "admin") > maxPrivilegedAccounts,
          );
          expect(guards.filter((g) => g === "max-rule-widening").length).toBe(
            ["a", "b"].filter((rule) => distinct(([, , r]) => r === rule) > maxRuleWidening).length,
          );
        },
      ),
    );
  });
});

describe("planEstate with grant guards", () => {
  it("blocks a policy edit granting the privileged set to every account", () => {
    // Prepare: the admins' rule now targets the root (every account), Admin is privileged
    const input = estate((e) => {
      e.policy.permissionSets.Admin = { sessionDuration: "PT4H", privileged: true };
      e.policy.guards.maxPrivilegedAccounts = 1;
      const admins = e.policy.rules.find((r) => r.name === "admins");
      if (admins) admins.targets = { accounts: [], ous: ["r-root"] };
    });

    // Act
    const plan = planEstate(input);

    // Assess
    expect(plan.status).toBe("blocked");
    expect(plan.violations.map((v) => v.guard)).toEqual(["max-privileged-accounts"]);
    expect(plan.actions.filter((a) => a.kind === "assignment.create")).toHaveLength(2);
  });
});

describe("overridesGuards", () => {
  const blocked = (guards: string[], creates: number, deletes: number) => ({
    status: "blocked" as const,
    violations: guards.map((guard) => ({ guard: guard as never, message: "" })),
    actions: [
      ...accounts(creates).map((id) => create(id, "dev", "devs")),
      ...accounts(deletes).map(
        (id): PlanAction => ({
          kind: "assignment.delete",
          assignment: {
            accountId: id,
            permissionSetArn: arn("dev"),
            principalType: "GROUP",
            principalId: "g",
          },
          why: "",
        }),
      ),
    ],
  });

  it("applies a plan blocked by grant guards only with --allow-grants covering its creations", () => {
    // Act / Assess
    expect(overridesGuards(blocked(["max-privileged-accounts"], 5, 0), { allowGrants: 5 })).toBe(true);
    expect(overridesGuards(blocked(["max-privileged-accounts"], 5, 0), { allowGrants: 4 })).toBe(false);
    expect(overridesGuards(blocked(["max-privileged-accounts"], 5, 0), { allowDeletes: 100 })).toBe(false);
  });

  it("needs both allowances when both kinds of guard tripped, and never overrides other guards", () => {
    // Act / Assess
    const both = blocked(["max-deletes", "max-new-assignments"], 3, 3);
    expect(overridesGuards(both, { allowGrants: 3 })).toBe(false);
    expect(overridesGuards(both, { allowGrants: 3, allowDeletes: 3 })).toBe(true);
    expect(overridesGuards(blocked(["abac-canary"], 0, 0), { allowGrants: 100, allowDeletes: 100 })).toBe(
      false,
    );
    expect(overridesGuards(blocked(["empty-okta-read"], 0, 1), { allowDeletes: 100 })).toBe(false);
    expect(overridesGuards({ ...blocked([], 0, 0), status: "ready" }, { allowGrants: 1 })).toBe(false);
  });
});
