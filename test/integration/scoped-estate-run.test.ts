/**
 * A scoped estate run (core/plan/estate-scope.ts) against the emulators through the real adapters: it
 * reads its pair's truth only, repairs drift there (a hand-made assignment removed, a deleted grant
 * made again), leaves the same drift elsewhere for the full read, and keeps the guards: past
 * `guards.maxDeletes` it applies nothing and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assignment } from "../../core/estate.ts";
import type { EstateScope } from "../../core/plan/estate-scope.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";
import { startTestStack } from "../support/test-stack.ts";

describe("a scoped estate run", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(randomHookSecret(), { pollMs: 5 });
    // A settled estate first: whatever a scoped run does below is the scope's drift only.
    await reconcileEstate(stack.estateDeps("scoped-settle", { pollMs: 5 }), {
      apply: true,
      trigger: { type: "manual", requestedBy: "test" },
      allowDeletes: 1_000,
    });
  });
  afterAll(async () => stack.stop());

  const ic = () => stack.emulators.identityCenter.snapshot();
  const trigger = (pair: { accountId: string; permissionSetArn: string }) => ({
    type: "identity-center-event" as const,
    eventName: "CreateAccountAssignment",
    ...pair,
  });
  const holds = (a: Assignment) =>
    ic().assignments.some(
      (x) =>
        x.accountId === a.accountId &&
        x.permissionSetArn === a.permissionSetArn &&
        x.principalId === a.principalId,
    );
  /** Two accounts holding the same granted group assignment, and a group of the policy with no rule on that set. */
  function drift() {
    const granted = ic().assignments.filter((a) => a.principalType === "GROUP");
    const [first] = granted;
    if (!first) throw new Error("the settled demo holds no group assignment");
    const second = granted.find(
      (a) =>
        a.permissionSetArn === first.permissionSetArn &&
        a.principalId === first.principalId &&
        a.accountId !== first.accountId,
    );
    if (!second) throw new Error("no second account with the same assignment");
    return { first: first as Assignment, second: second as Assignment };
  }

  async function removeByHand(a: Assignment) {
    await stack.adapters.identityCenter.deleteAssignment(a);
    for (let i = 0; i < 200 && holds(a); i++) await new Promise((r) => setTimeout(r, 10));
  }
  const pairOf = (a: Assignment) => ({ accountId: a.accountId, permissionSetArn: a.permissionSetArn });

  it("makes a deleted grant again in its pair only, reading that pair's assignments alone", async () => {
    // Prepare: the same grant deleted by hand in two accounts
    const { first, second } = drift();
    await removeByHand(first);
    await removeByHand(second);
    expect([holds(first), holds(second)]).toEqual([false, false]);
    const scope: EstateScope = { pairs: [pairOf(first)], permissionSetArns: [] };
    stack.emulators.identityCenter.resetCallCounts();

    // Act
    const run = await reconcileEstate(stack.estateDeps("scoped-regrant", { pollMs: 5 }), {
      apply: true,
      trigger: trigger(pairOf(first)),
      scope,
    });

    // Assess
    expect(run.plan.actions.map((a) => a.kind)).toEqual(["assignment.create"]);
    expect(run.outcomes.map((o) => o.status)).toEqual(["SUCCEEDED"]);
    expect(holds(first)).toBe(true);
    expect(holds(second)).toBe(false); // the other account waits for the full read
    const calls = ic().calls.ssoAdmin;
    expect(calls.ListAccountAssignments).toBe(1);
    expect(calls.ListPermissionSetsProvisionedToAccount).toBe(2);
    // The run's record, and no access snapshot: it read a pair, not the estate
    expect(run.evidence.map((e) => e.key.split("/").pop())).toEqual([
      expect.stringMatching(/scoped-regrant\.estate\.json$/),
    ]);
  });

  it("keeps guards.maxDeletes: a hand-made assignment past it stays, with the reason; within it, it goes", async () => {
    // Prepare: a (group, permission set) pair some rule declares, held by hand on an account no rule
    // of that pair targets (ownership: declared)
    const handMade = declaredButUntargeted();
    stack.emulators.identityCenter.seed.assignment(handMade);
    const scope: EstateScope = { pairs: [pairOf(handMade)], permissionSetArns: [] };
    const strict = { ...stack.policy, guards: { ...stack.policy.guards, maxDeletes: 0 } };

    // Act
    const held = await reconcileEstate(stack.estateDeps("scoped-guarded", { policy: strict, pollMs: 5 }), {
      apply: true,
      trigger: trigger(pairOf(handMade)),
      scope,
    });
    const stillHeld = holds(handMade);
    const repaired = await reconcileEstate(stack.estateDeps("scoped-repair", { pollMs: 5 }), {
      apply: true,
      trigger: trigger(pairOf(handMade)),
      scope,
    });

    // Assess
    expect(held.plan.status).toBe("blocked");
    expect(held.applied).toBe(false);
    expect(held.plan.violations.map((v) => v.guard)).toEqual(["max-deletes"]);
    expect(stillHeld).toBe(true);
    expect(repaired.plan.actions.map((a) => a.kind)).toEqual(["assignment.delete"]);
    expect(repaired.outcomes.map((o) => o.status)).toEqual(["SUCCEEDED"]);
    expect(holds(handMade)).toBe(false);
  });

  function declaredButUntargeted(): Assignment {
    for (const a of ic().assignments.filter((x) => x.principalType === "GROUP")) {
      try {
        return { ...(a as Assignment), accountId: untargetedAccount(a as Assignment) };
      } catch {
        // every account is targeted for this pair: try the next
      }
    }
    throw new Error("the demo policy targets every account with every pair it declares");
  }

  it("a full read asks for account tags only when a rule targets tags", async () => {
    // Prepare
    const [first] = stack.policy.rules;
    if (!first) throw new Error("the demo policy has no rule");
    const byTag = { ...first, name: "by-tag", targets: { accounts: [], ous: [], tags: { team: "data" } } };
    const tagged = { ...stack.policy, rules: [...stack.policy.rules, byTag] };
    const tagReads = () => stack.emulators.organizations.callCounts().ListTagsForResource ?? 0;

    // Act
    stack.emulators.organizations.resetCallCounts();
    await reconcileEstate(stack.estateDeps("full-no-tags"), { apply: false, trigger: { type: "schedule" } });
    const withoutTagRules = tagReads();
    await reconcileEstate(stack.estateDeps("full-tags", { policy: tagged }), {
      apply: false,
      trigger: { type: "schedule" },
    });

    // Assess
    expect(stack.policy.rules.some((r) => r.targets.tags !== undefined)).toBe(false);
    expect(withoutTagRules).toBe(0);
    expect(tagReads()).toBe(stack.estate.organization.accounts.length);
  });

  /** An active member account no rule of the assignment's (group, permission set) targets. */
  function untargetedAccount(a: Assignment): string {
    const org = stack.estate.organization;
    const setName = ic().permissionSets.find((p) => p.arn === a.permissionSetArn)?.name;
    const groupName = ic().groups.find((g) => g.groupId === a.principalId)?.displayName;
    const nameOf = (group: unknown) =>
      typeof group === "string"
        ? group
        : stack.emulators.okta.state.group((group as { id: string }).id)?.name;
    const rules = stack.policy.rules.filter(
      (r) => r.permissionSet === setName && nameOf(r.group) === groupName,
    );
    const ancestors = (accountId: string) => {
      const chain = [org.rootId];
      let id = org.accounts.find((x) => x.id === accountId)?.parentId;
      for (; id; id = org.units.find((u) => u.id === id)?.parentId) chain.push(id);
      return chain;
    };
    const account = org.accounts.find(
      (x) =>
        x.id !== org.managementAccountId &&
        (x.status ?? "ACTIVE") === "ACTIVE" &&
        !rules.some(
          (r) =>
            r.targets.tags !== undefined ||
            r.targets.accounts?.includes(x.id) ||
            r.targets.ous?.some((ou) => ancestors(x.id).includes(ou)),
        ),
    );
    if (!account) throw new Error(`every account is targeted for ${groupName} ${setName}`);
    return account.id;
  }
});
