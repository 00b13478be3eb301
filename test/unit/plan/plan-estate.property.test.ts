import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Assignment, IdentityCenterState } from "../../../core/estate.ts";
import { applyPlan } from "../../../core/plan/apply-plan.ts";
import { countDeletes } from "../../../core/plan/plan.ts";
import { planEstate } from "../../../core/plan/plan-estate.ts";
import { resolveRuleAccounts } from "../../../core/policy/resolve-targets.ts";
import { estateArb, type RandomEstate } from "../../support/estate-arbitraries.ts";

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };
const key = (a: Assignment) => `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;

/** Oracle, written independently of the planner: the group assignments the policy asks for. */
function oracleDesired(e: RandomEstate): Set<string> {
  const desired = new Set<string>();
  for (const rule of e.policy.rules) {
    const name =
      typeof rule.group === "string" ? rule.group : "name" in rule.group ? rule.group.name : undefined;
    const group = e.identityCenter.groups.find((g) => g.displayName === name);
    const ps = e.identityCenter.permissionSets.find((p) => p.name === rule.permissionSet);
    if (!group || !ps) continue;
    for (const accountId of resolveRuleAccounts(rule, e.organization).accountIds) {
      desired.add(
        key({ accountId, permissionSetArn: ps.arn, principalType: "GROUP", principalId: group.groupId }),
      );
    }
  }
  return desired;
}

/** Oracle: which group assignments the policy owns. */
function oracleOwns(e: RandomEstate, a: Assignment): boolean {
  if (a.principalType !== "GROUP") return false;
  const { scope } = e.policy.ownership;
  const ps = e.identityCenter.permissionSets.find((p) => p.arn === a.permissionSetArn);
  if (scope === "all") return true;
  if (scope === "permission-sets") return ps !== undefined && ps.name in e.policy.permissionSets;
  const group = e.identityCenter.groups.find((g) => g.groupId === a.principalId);
  return e.policy.rules.some((r) => r.group === group?.displayName && r.permissionSet === ps?.name);
}

function leaverIcIds(e: RandomEstate): Set<string> {
  const leavers = e.okta.users.filter((u) => u.status === "SUSPENDED" || u.status === "DEPROVISIONED");
  return new Set(
    e.identityCenter.users.filter((u) => leavers.some((l) => l.login === u.userName)).map((u) => u.userId),
  );
}

const ownedSet = (e: RandomEstate, ic: IdentityCenterState) =>
  new Set(ic.assignments.filter((a) => oracleOwns(e, a)).map(key));

describe("planEstate (property)", () => {
  it("applying a plan yields the desired state for everything the policy owns", () => {
    fc.assert(
      fc.property(estateArb, (e) => {
        // Act
        const after = applyPlan(e.identityCenter, planEstate(e).actions);
        // Assess
        expect([...ownedSet(e, after)].sort()).toEqual([...oracleDesired(e)].sort());
        const leavers = leaverIcIds(e);
        expect(after.memberships.filter((m) => leavers.has(m.userId))).toEqual([]);
        expect(
          after.assignments.filter((a) => a.principalType === "USER" && leavers.has(a.principalId)),
        ).toEqual([]);
      }),
      RUNS,
    );
  });

  it("planning again after applying finds nothing to do", () => {
    fc.assert(
      fc.property(estateArb, (e) => {
        const first = planEstate(e);
        const again = planEstate({ ...e, identityCenter: applyPlan(e.identityCenter, first.actions) });
        expect(again.actions).toEqual([]);
      }),
      RUNS,
    );
  });

  it("re-provisions each permission set with at most one call, and leaves none outdated", () => {
    fc.assert(
      fc.property(estateArb, (e) => {
        // Act
        const plan = planEstate(e);
        const calls = plan.actions.flatMap((a) => (a.kind === "permission-set.reprovision" ? [a] : []));
        // Assess
        const sets = calls.map((a) => a.permissionSetArn);
        expect(new Set(sets).size).toBe(sets.length);
        const after = applyPlan(e.identityCenter, plan.actions);
        expect(after.provisioned.filter((p) => p.outdated)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("never deletes what the policy does not own", () => {
    fc.assert(
      fc.property(estateArb, (e) => {
        const leavers = leaverIcIds(e);
        const stale = (groupId: string, userId: string) => {
          const g = e.identityCenter.groups.find((x) => x.groupId === groupId);
          const okta = e.okta.groups.find((x) => x.name === g?.displayName);
          const login = e.identityCenter.users.find((u) => u.userId === userId)?.userName;
          const oktaUser = e.okta.users.find((u) => u.login === login);
          return okta?.memberIds != null && oktaUser !== undefined && !okta.memberIds.includes(oktaUser.id);
        };
        for (const action of planEstate(e).actions) {
          if (action.kind === "assignment.delete") {
            const a = action.assignment;
            const allowed =
              oracleOwns(e, a) ||
              (a.principalType === "USER" &&
                (leavers.has(a.principalId) || e.policy.ownership.directUserAssignments === "delete"));
            expect(allowed, JSON.stringify(action)).toBe(true);
          }
          if (action.kind === "membership.remove") {
            const allowed =
              leavers.has(action.userId) ||
              (e.policy.ownership.membershipSync && stale(action.groupId, action.userId));
            expect(allowed, JSON.stringify(action)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it("blocks the plan whenever a delete guard is exceeded", () => {
    fc.assert(
      fc.property(estateArb, (e) => {
        const plan = planEstate(e);
        const deletes = countDeletes(plan.actions);
        const assignmentDeletes = plan.actions.filter((a) => a.kind === "assignment.delete").length;
        const managed = e.identityCenter.assignments.filter((a) => oracleOwns(e, a)).length;
        const exceeded =
          deletes > e.policy.guards.maxDeletes ||
          (managed > 0 && (assignmentDeletes * 100) / managed > e.policy.guards.maxDeletePercent);
        if (exceeded) expect(plan.status).toBe("blocked");
        expect(plan.status === "blocked").toBe(plan.violations.length > 0);
      }),
      RUNS,
    );
  });

  it("an empty Okta read never yields an applicable deletion", () => {
    fc.assert(
      fc.property(estateArb, (e) => {
        const plan = planEstate({ ...e, okta: { users: [], groups: [] } });
        expect(plan.status === "blocked" || countDeletes(plan.actions) === 0).toBe(true);
        expect(plan.status).toBe("blocked");
      }),
      RUNS,
    );
  });

  it("is deterministic and independent of the order Identity Center lists things in", () => {
    fc.assert(
      fc.property(estateArb, fc.integer(), (e, seed) => {
        const shuffle = <T>(xs: readonly T[]) =>
          xs
            .map((x, i) => ({ x, k: Math.sin(seed + i) }))
            .sort((p, q) => p.k - q.k)
            .map((p) => p.x);
        const ic = e.identityCenter;
        const shuffled = {
          ...e,
          identityCenter: {
            ...ic,
            assignments: shuffle(ic.assignments),
            memberships: shuffle(ic.memberships),
            users: shuffle(ic.users),
          },
        };
        expect(planEstate(shuffled)).toEqual(planEstate(e));
      }),
      RUNS,
    );
  });
});
