import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageShape } from "../../local/emulators/page-shape.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/**
 * A leaver end to end while AWS answers short or empty pages with a NextToken (local/emulators/
 * page-shape.ts): pages of 2 items, cut to 1 ("short"), or an empty first page for every list
 * ("empty-first"), in Identity Center and Organizations alike. Every read must still see everything,
 * so the run removes every membership and direct assignment and places the Deny.
 */

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

function icAccess(stack: LocalStack, userId: string | undefined) {
  const ic = stack.emulators.identityCenter.snapshot();
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  const own = ic.assignments.filter((a) => a.principalId === userId);
  const accounts = new Set(
    ic.assignments
      .filter((a) => a.principalId === userId || groups.includes(a.principalId))
      .map((a) => a.accountId),
  );
  return { groups, own, accounts: [...accounts].sort() };
}

describe.each<PageShape>(["short", "empty-first"])("a leaver under %s pages", (pageShape) => {
  let stack: LocalStack;
  beforeAll(async () => {
    // SCIM keeps the user (DISABLED), so the run finds her whatever the state of the SCIM-delete race
    // (docs/aws-behaviour.md, scimDeactivation); leaver.test.ts runs every switch setting.
    stack = await startTestStack(SECRET, {
      awsBehaviour: { scimDeactivation: "disable" },
    });
    Object.assign(stack.emulators.identityCenter.limits, { pageShape, defaultPageSize: 2 });
    Object.assign(stack.emulators.organizations.limits, { pageShape, pageSize: 2 });
  });
  afterAll(() => stack.stop());

  it("removes every membership and direct assignment and places the Deny", async () => {
    // Prepare: her group access, plus a direct assignment of her own
    const ic = stack.emulators.identityCenter;
    const userId = ic.snapshot().users.find((u) => u.userName === LEAVER)?.userId;
    const before = icAccess(stack, userId);
    expect(before.groups.length).toBeGreaterThanOrEqual(2);
    const management = stack.estate.organization.managementAccountId;
    const direct = String(before.accounts.find((a) => a !== management));
    const developerAccess = ic.snapshot().permissionSets.find((p) => p.name === "DeveloperAccess");
    ic.seed.assignment({
      accountId: direct,
      permissionSetArn: String(developerAccess?.arn),
      principalType: "USER",
      principalId: String(userId),
    });
    const groupAssignments = ic.snapshot().assignments.filter((a) => a.principalType === "GROUP");
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    const listsBefore = ic.snapshot().calls;

    // Act
    await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(oktaUser?.id));

    // Assess: the run held its Deny (hold is 600 s here), nothing of hers is left, groups untouched
    expect(stack.stepFunctions.executions().map((r) => r.status)).toEqual(["RUNNING"]);
    const after = icAccess(stack, userId);
    expect(after.groups).toEqual([]);
    const userGone = ic.snapshot().users.every((u) => u.userId !== userId);
    // an orphan whose deletion 404s stays listed (docs/aws-behaviour.md); otherwise nothing is left
    if (!userGone) expect(after.own).toEqual([]);
    expect(ic.snapshot().assignments.filter((a) => a.principalType === "GROUP")).toEqual(groupAssignments);
    // the paged reads did run under this shape (the run listed her assignments page by page)
    const listsAfter = ic.snapshot().calls.ssoAdmin.ListAccountAssignmentsForPrincipal ?? 0;
    expect(listsAfter).toBeGreaterThan(listsBefore.ssoAdmin.ListAccountAssignmentsForPrincipal ?? 0);

    // the Deny is in an attached SCP (found through paged Organizations lists) and denies her
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    expect(scps.join("")).toContain(String(userId));
    const prover = createDenyProver(stack.estate.organization.rootId);
    expect(
      await prover.isDenied({
        userId: String(userId),
        accountId: direct,
        permissionSetName: "DeveloperAccess",
        scps,
        inline: [],
      }),
    ).toBe(true);

    // evidence: every action done, her direct assignment's deletion among them
    const keys = await stack.adapters.evidence.list("v1/runs/");
    expect(keys).toHaveLength(1);
    const record = JSON.parse(await stack.adapters.evidence.get(String(keys[0])));
    const actions: { kind: string; status: string; target: Record<string, string> }[] = record.body.actions;
    expect(actions.filter((a) => a.status !== "SUCCEEDED")).toEqual([]);
    expect(actions.filter((a) => a.kind === "assignment.delete").map((a) => a.target.accountId)).toContain(
      direct,
    );
    expect(record.body.verification).toMatchObject({ passed: true });
  });
});
