import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PERMISSION_SET_OWNERSHIP_TAG } from "../../../core/plan/permission-set-ownership-tag.ts";
import {
  isOwnedPermissionSet,
  type PermissionSetUse,
  type PermissionSetWithTags,
  planPermissionSetDeletions,
} from "../../../core/plan/plan-permission-set-deletions.ts";

const OWNED = { [PERMISSION_SET_OWNERSHIP_TAG.key]: PERMISSION_SET_OWNERSHIP_TAG.value };
const arn = (name: string) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${name.toLowerCase()}`;
const set = (name: string, tags: Record<string, string> = OWNED): PermissionSetWithTags => ({
  arn: arn(name),
  name,
  tags,
});
const UNUSED: PermissionSetUse = { assignments: 0, provisionedAccounts: 0 };

describe("planPermissionSetDeletions", () => {
  it("deletes an owned set the policy dropped once nothing uses it, and no other set", () => {
    // Prepare
    const sets = [
      set("Dropped"),
      set("Declared"),
      set("ByHand", { owner: "platform" }),
      set("TaggedFalse", { [PERMISSION_SET_OWNERSHIP_TAG.key]: "false" }),
    ];
    const use = new Map(sets.map((s) => [s.arn, UNUSED]));

    // Act
    const plan = planPermissionSetDeletions({
      declaredNames: new Set(["Declared"]),
      sets,
      use,
      maxPermissionSetDeletes: 1,
    });

    // Assess
    expect(plan).toEqual({
      droppedArns: [arn("Dropped")],
      deletions: [{ kind: "permission-set.delete", name: "Dropped", permissionSetArn: arn("Dropped") }],
      findings: [],
      violations: [],
    });
  });

  it("leaves a dropped set still assigned, provisioned or unread for a later run, saying why", () => {
    // Prepare
    const sets = [set("Assigned"), set("Provisioned"), set("Unread")];
    const use = new Map([
      [arn("Assigned"), { assignments: 2, provisionedAccounts: 1 }],
      [arn("Provisioned"), { assignments: 0, provisionedAccounts: 3 }],
    ]);

    // Act
    const plan = planPermissionSetDeletions({
      declaredNames: new Set(),
      sets,
      use,
      maxPermissionSetDeletes: 1,
    });

    // Assess
    expect(plan.deletions).toEqual([]);
    expect(plan.violations).toEqual([]);
    expect(plan.findings.map((f) => [f.kind, f.subject.permissionSet, f.message])).toEqual([
      [
        "permission-set-delete-pending",
        "Assigned",
        expect.stringContaining("it still has 2 assignments and is provisioned to 1 accounts"),
      ],
      [
        "permission-set-delete-pending",
        "Provisioned",
        expect.stringMatching(
          /provisioned to 3 accounts without an assignment there, and sso-admin has no call that deprovisions a set.*by hand/,
        ),
      ],
      [
        "permission-set-delete-pending",
        "Unread",
        expect.stringContaining("its assignments could not be read"),
      ],
    ]);
    expect(plan.findings[0]?.subject.permissionSetArn).toBe(arn("Assigned"));
    expect(plan.droppedArns).toEqual([arn("Assigned"), arn("Provisioned"), arn("Unread")]);
  });

  it("trips the max-permission-set-deletes guard past the limit, naming the sets and the fix", () => {
    // Prepare
    const sets = [set("B"), set("A")];
    const use = new Map(sets.map((s) => [s.arn, UNUSED]));

    // Act
    const plan = planPermissionSetDeletions({
      declaredNames: new Set(),
      sets,
      use,
      maxPermissionSetDeletes: 1,
    });

    // Assess
    expect(plan.deletions.map((d) => d.name)).toEqual(["A", "B"]);
    expect(plan.violations).toEqual([
      {
        guard: "max-permission-set-deletes",
        message: expect.stringMatching(
          /deletes 2 permission sets \(A, B\); guards.maxPermissionSetDeletes is 1.*--allow-deletes/,
        ),
      },
    ]);
  });

  it("never deletes a set without the ownership tag or one the policy declares (property)", () => {
    const arbSet = fc.record({
      name: fc.constantFrom("A", "B", "C", "D"),
      owned: fc.boolean(),
      assignments: fc.nat(3),
      provisionedAccounts: fc.nat(3),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbSet, { selector: (s) => s.name }),
        fc.subarray(["A", "B", "C", "D"]),
        (raw, declared) => {
          const sets = raw.map((s) => set(s.name, s.owned ? OWNED : {}));
          const use = new Map(raw.map((s) => [arn(s.name), s]));
          const plan = planPermissionSetDeletions({
            declaredNames: new Set(declared),
            sets,
            use,
            maxPermissionSetDeletes: 10,
          });
          for (const deletion of plan.deletions) {
            const source = sets.find((s) => s.arn === deletion.permissionSetArn);
            expect(source !== undefined && isOwnedPermissionSet(source)).toBe(true);
            expect(declared).not.toContain(deletion.name);
            expect(use.get(deletion.permissionSetArn)).toMatchObject(UNUSED);
          }
          // Every owned, dropped set is either deleted or pending: none is forgotten.
          const dropped = raw.filter((s) => s.owned && !declared.includes(s.name)).length;
          expect(plan.deletions.length + plan.findings.length).toBe(dropped);
          expect(plan.droppedArns).toHaveLength(dropped);
        },
      ),
    );
  });
});
