/**
 * Orphan judgement is fail-safe (issue 14): whatever the identity store read returned (complete, short
 * or empty) and whatever the run confirmed, an estate plan deletes an assignment as orphaned only when
 * its principal was confirmed gone, the read was not empty, and the policy owns its permission set.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Assignment } from "../../../core/estate.ts";
import { planEstate } from "../../../core/plan/plan-estate.ts";
import { arn, DEV, estate, PROD } from "../../support/estate-builder.ts";

const strangers = ["ic-x1", "ic-x2", "icg-x1", "icg-x2"];
const principalArb = fc.constantFrom(...strangers, "ic-ana", "ic-ben", "icg-devs", "icg-admins");
const assignmentArb: fc.Arbitrary<Assignment> = fc.record({
  accountId: fc.constantFrom(DEV, PROD),
  permissionSetArn: fc.constantFrom(arn("dev"), arn("admin"), arn("billing")),
  principalType: fc.constantFrom("USER" as const, "GROUP" as const),
  principalId: principalArb,
});

describe("orphan judgement (property)", () => {
  it("deletes an orphan only when its principal is confirmed gone, the read was not empty, and the set is owned", () => {
    fc.assert(
      fc.property(
        fc.array(assignmentArb, { maxLength: 12 }),
        fc.subarray(["ic-ana", "ic-ben"]),
        fc.subarray(["icg-devs", "icg-admins"]),
        fc.subarray(strangers),
        fc.boolean(),
        fc.constantFrom("declared" as const, "permission-sets" as const, "all" as const),
        (extra, readUsers, readGroups, missing, empty, scope) => {
          // Prepare: a possibly short read, and what the run confirmed
          const input = estate((e) => {
            e.identityCenter.permissionSets.push({
              arn: arn("billing"),
              name: "Billing",
              sessionDuration: "PT1H",
            });
            e.identityCenter.assignments.push(...extra);
            e.identityCenter.users = e.identityCenter.users.filter((u) => readUsers.includes(u.userId));
            e.identityCenter.groups = e.identityCenter.groups.filter((g) => readGroups.includes(g.groupId));
            e.identityCenter.principalCheck = { missing, present: [], unchecked: [], storeReadEmpty: empty };
            e.policy.ownership.scope = scope;
          });
          const read = new Set([...readUsers, ...readGroups]);

          // Act
          const plan = planEstate(input);

          // Assess: every deletion of an unread principal is a confirmed, owned orphan
          for (const action of plan.actions) {
            if (action.kind !== "assignment.delete" || read.has(action.assignment.principalId)) continue;
            expect(empty).toBe(false);
            expect(missing).toContain(action.assignment.principalId);
            if (scope !== "all") expect(action.assignment.permissionSetArn).not.toBe(arn("billing"));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
