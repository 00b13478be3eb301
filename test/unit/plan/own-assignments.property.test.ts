/**
 * A user run acts only on the user it is about. Whether AWS's ListAccountAssignmentsForPrincipal,
 * asked about a USER, also returns group-inherited items (each naming the GROUP) is undocumented
 * (docs/aws-behaviour.md, listForPrincipalIncludesInherited): whatever the list holds, no plan for a
 * principal contains an action on a different principal.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Assignment } from "../../../core/estate.ts";
import { ownAssignments } from "../../../core/plan/own-assignments.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";
import { planUserRun } from "../../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";

const NOW = "2026-06-01T12:00:00.000Z";
const USER = "ic-jane";
const principalIds = [USER, "ic-john", "g-devs", "g-ops"];
const accounts = ["111111111111", "222222222222"];
const sets = ["arn:ps/dev", "arn:ps/admin"];

const assignmentArb: fc.Arbitrary<Assignment> = fc.record({
  accountId: fc.constantFrom(...accounts),
  permissionSetArn: fc.constantFrom(...sets),
  principalType: fc.constantFrom("USER" as const, "GROUP" as const),
  principalId: fc.constantFrom(...principalIds),
});

const truthArb: fc.Arbitrary<UserTruth> = fc
  .record({
    status: fc.constantFrom("ACTIVE" as const, "SUSPENDED" as const, "DEPROVISIONED" as const),
    found: fc.boolean(),
    // what ListAccountAssignmentsForPrincipal(USER) answered: the user's own, inherited, anything
    listed: fc.array(assignmentArb, { maxLength: 8 }),
    groupAssignments: fc.array(assignmentArb, { maxLength: 6 }),
    memberOf: fc.subarray(["g-devs", "g-ops"]),
    oktaGroups: fc.subarray(["aws-devs", "aws-ops"]),
    deleted: fc.boolean(),
  })
  .map((t) => ({
    observedAt: NOW,
    okta: {
      found: t.found,
      status: t.found ? t.status : null,
      login: "jane.doe@example.com",
      groups: t.oktaGroups.map((name) => ({ id: `00g-${name}`, name })),
    },
    groupAssignments: Object.fromEntries(
      ["g-devs", "g-ops"].map((g) => [g, t.groupAssignments.filter((a) => a.principalId === g)]),
    ),
    icGroupsByName: { "aws-devs": "g-devs", "aws-ops": "g-ops" },
    permissionSetNames: { "arn:ps/dev": "Dev", "arn:ps/admin": "Admin" },
    identityCenter: {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1234567890",
      userId: USER,
      userName: "jane.doe@example.com",
      resolution: {
        outcome: "resolved",
        userId: USER,
        via: "link",
        detail: "test",
        ...(t.deleted ? { deleted: true } : {}),
      },
      memberships: t.memberOf.map((g) => ({
        membershipId: `m-${g}`,
        groupId: g,
        groupName: g === "g-devs" ? "aws-devs" : "aws-ops",
      })),
      directAssignments: t.listed,
      groupAssignments: t.groupAssignments.filter((a) => t.memberOf.includes(a.principalId)),
      denies: [],
    },
  }));

/** The principal an action acts on. */
function principalOf(a: PlanAction): string | null {
  switch (a.kind) {
    case "assignment.delete":
    case "assignment.create":
      return a.assignment.principalType === "USER" ? a.assignment.principalId : null;
    case "membership.add":
    case "membership.remove":
      return a.userId;
    case "deny.add":
    case "deny.lift":
      return a.deny.userId;
    default:
      return null;
  }
}

describe("a user run's plan acts only on its user", () => {
  it("never deletes or touches an assignment, membership or Deny of another principal", () => {
    fc.assert(
      fc.property(truthArb, (truth) => {
        // Act
        const plan = planUserRun(truth, {
          holdMs: 3_600_000,
          now: NOW,
          change: {
            membershipSync: true,
            sessionTagAttributes: [],
            leftGroupNames: [],
            permissionSetNames: truth.permissionSetNames ?? {},
            changedAt: NOW,
          },
        });

        // Assess: every deletion the workflow applies names the user, and so does every core action
        for (const d of plan.assignmentDeletions) {
          expect(d.PrincipalType).toBe("USER");
          expect(d.PrincipalId).toBe(USER);
        }
        for (const a of plan.actions) {
          if (a.kind === "assignment.delete") expect(a.assignment.principalType).toBe("USER");
          const principal = principalOf(a);
          if (principal !== null) expect(principal).toBe(USER);
        }
        for (const a of plan.membershipAdditions) expect(a.MemberId.UserId).toBe(USER);
        for (const d of [...plan.denies, ...plan.lifts]) expect(d.userId).toBe(USER);
        // and a leaver loses exactly the user's own direct assignments, each once
        if (plan.decision === "revoke") {
          const own = ownAssignments(truth.identityCenter.directAssignments, "USER", USER);
          expect(plan.assignmentDeletions).toHaveLength(own.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("ownAssignments", () => {
  it("keeps exactly the items naming the principal", () => {
    fc.assert(
      fc.property(
        fc.array(assignmentArb),
        fc.constantFrom("USER" as const, "GROUP" as const),
        fc.constantFrom(...principalIds),
        (list, type, id) => {
          const own = ownAssignments(list, type, id);
          expect(own.every((a) => a.principalType === type && a.principalId === id)).toBe(true);
          expect(own).toHaveLength(
            list.filter((a) => a.principalType === type && a.principalId === id).length,
          );
        },
      ),
    );
  });
});
