import { describe, expect, it } from "vitest";
import type { Trigger } from "../../../core/evidence/record.ts";
import {
  actionInScope,
  narrowPlanToScope,
  scopeAccountIds,
  scopeOfTriggers,
} from "../../../core/plan/estate-scope.ts";
import type { Plan, PlanAction } from "../../../core/plan/plan.ts";

const SET_A = "arn:aws:sso:::permissionSet/ssoins-1/ps-a";
const SET_B = "arn:aws:sso:::permissionSet/ssoins-1/ps-b";
const ACCOUNT_1 = "111111111111";
const ACCOUNT_2 = "222222222222";
const sso = (permissionSetArn: string, accountId?: string): Trigger => ({
  type: "identity-center-event",
  eventName: accountId ? "CreateAccountAssignment" : "PutInlinePolicyToPermissionSet",
  permissionSetArn,
  ...(accountId ? { accountId } : {}),
});
const assignment = (accountId: string, permissionSetArn: string, principalId = "g-1") => ({
  accountId,
  permissionSetArn,
  principalType: "GROUP" as const,
  principalId,
});
const remove = (accountId: string, permissionSetArn: string, principalId = "g-1"): PlanAction => ({
  kind: "assignment.delete",
  assignment: assignment(accountId, permissionSetArn, principalId),
  why: "owned by the policy but no rule grants it",
});
const grant = (accountId: string, permissionSetArn: string): PlanAction => ({
  kind: "assignment.create",
  assignment: assignment(accountId, permissionSetArn),
  rule: "r",
});

describe("scopeOfTriggers", () => {
  it("gathers the pairs and permission sets of Identity Center triggers, sorted and unique", () => {
    // Act
    const scope = scopeOfTriggers([
      sso(SET_B, ACCOUNT_2),
      sso(SET_A, ACCOUNT_1),
      sso(SET_B, ACCOUNT_2),
      sso(SET_B),
    ]);

    // Assess
    expect(scope).toEqual({
      pairs: [
        { accountId: ACCOUNT_1, permissionSetArn: SET_A },
        { accountId: ACCOUNT_2, permissionSetArn: SET_B },
      ],
      permissionSetArns: [SET_B],
    });
    expect(scope && scopeAccountIds(scope)).toEqual([ACCOUNT_1, ACCOUNT_2]);
  });

  it("asks for the whole estate when any trigger is not an Identity Center change, or there is none", () => {
    expect(
      scopeOfTriggers([
        sso(SET_A, ACCOUNT_1),
        { type: "account-event", accountId: ACCOUNT_1, eventName: "MoveAccount" },
      ]),
    ).toBeUndefined();
    expect(scopeOfTriggers([{ type: "schedule" }])).toBeUndefined();
    expect(scopeOfTriggers([])).toBeUndefined();
  });
});

describe("actionInScope", () => {
  const scope = { pairs: [{ accountId: ACCOUNT_1, permissionSetArn: SET_A }], permissionSetArns: [SET_B] };

  it("keeps assignment changes of the scoped pairs only", () => {
    expect(actionInScope(remove(ACCOUNT_1, SET_A), scope)).toBe(true);
    expect(actionInScope(grant(ACCOUNT_1, SET_A), scope)).toBe(true);
    expect(actionInScope(remove(ACCOUNT_2, SET_A), scope)).toBe(false);
    expect(actionInScope(grant(ACCOUNT_1, SET_B), scope)).toBe(false);
  });

  it("keeps changes to a scoped permission set itself, never Denies or memberships", () => {
    const reprovision = (permissionSetArn: string): PlanAction => ({
      kind: "permission-set.reprovision",
      permissionSetArn,
      target: { type: "ALL_PROVISIONED_ACCOUNTS", outdatedAccountIds: [ACCOUNT_1] },
      cause: "drift",
      why: "edited",
    });
    expect(actionInScope(reprovision(SET_B), scope)).toBe(true);
    expect(actionInScope(reprovision(SET_A), scope)).toBe(false);
    expect(actionInScope({ kind: "membership.add", groupId: "g", userId: "u", why: "w" }, scope)).toBe(false);
    const deny = { userId: "u", reason: "leaver" } as unknown as Extract<
      PlanAction,
      { kind: "deny.add" }
    >["deny"];
    expect(actionInScope({ kind: "deny.add", deny, inlinePermissionSetArns: [SET_B] }, scope)).toBe(false);
  });
});

describe("narrowPlanToScope", () => {
  const scope = { pairs: [{ accountId: ACCOUNT_1, permissionSetArn: SET_A }], permissionSetArns: [] };
  const plan = (over: Partial<Plan>): Plan => ({
    status: "ready",
    violations: [],
    actions: [],
    findings: [],
    managedAssignmentCount: 2,
    ...over,
  });

  it("drops what is outside the scope and judges the percentage guards not at all on a handful", () => {
    // Prepare: one hand-made assignment in scope is half the pair's managed assignments; others elsewhere
    const full = plan({
      status: "blocked",
      violations: [
        { guard: "max-delete-percent", message: "50%" },
        { guard: "max-deletes", message: "3" },
      ],
      actions: [remove(ACCOUNT_1, SET_A, "g-hand"), remove(ACCOUNT_2, SET_A), remove(ACCOUNT_2, SET_B)],
      findings: [
        {
          kind: "unmanaged-assignment",
          message: "in scope",
          subject: { accountId: ACCOUNT_1, permissionSetArn: SET_A },
        },
        {
          kind: "unmanaged-assignment",
          message: "other account",
          subject: { accountId: ACCOUNT_2, permissionSetArn: SET_A },
        },
        {
          kind: "unmanaged-assignment",
          message: "other set",
          subject: { accountId: ACCOUNT_1, permissionSetArn: SET_B },
        },
        { kind: "unnamed-identity-store-entry", message: "global", subject: { userId: "u" } },
      ],
    });

    // Act
    const narrowed = narrowPlanToScope(full, scope, 5);

    // Assess
    expect(narrowed.status).toBe("ready");
    expect(narrowed.violations).toEqual([]);
    expect(narrowed.actions).toEqual([remove(ACCOUNT_1, SET_A, "g-hand")]);
    expect(narrowed.findings.map((f) => f.message)).toEqual(["in scope", "global"]);
  });

  it("keeps the guards that judge the reads, and counts maxDeletes over the scope's actions", () => {
    // Prepare
    const full = plan({
      violations: [{ guard: "empty-okta-read", message: "Okta returned none of the groups" }],
      actions: [remove(ACCOUNT_1, SET_A, "g-1"), remove(ACCOUNT_1, SET_A, "g-2")],
    });

    // Act
    const narrowed = narrowPlanToScope(full, scope, 1);

    // Assess
    expect(narrowed.status).toBe("blocked");
    expect(narrowed.violations.map((v) => v.guard)).toEqual(["empty-okta-read", "max-deletes"]);
    expect(narrowed.violations[1]?.message).toContain("deletes 2 assignments; guards.maxDeletes is 1");
  });
});
