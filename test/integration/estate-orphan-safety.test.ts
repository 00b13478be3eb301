/**
 * Estate runs on the local stack's emulators (real SDK clients, dynalite): orphan judgement is
 * fail-safe when the identity store read comes back short or empty (issue 14), and recording identity
 * links costs one Query page and one BatchWriteItem per 25 new links, nothing once settled.
 */
import { DeleteUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentityLinks } from "../../adapters/identity-links.ts";
import type { IdentityCenterState } from "../../core/estate.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";

const manual = { type: "manual" as const, requestedBy: "integration" };

describe("estate runs: orphan safety and identity links", () => {
  let stack: LocalStack;
  let run = 0;
  /** An estate run whose identity store read is cut down by `cut` (a fault, a page bug). */
  const reconcile = (cut?: (state: IdentityCenterState) => IdentityCenterState) => {
    const deps = stack.estateDeps(`orphan-safety-${++run}`);
    if (cut) {
      const read = deps.identityCenter.readState.bind(deps.identityCenter);
      deps.identityCenter = Object.assign(Object.create(deps.identityCenter), {
        readState: async (accounts: readonly string[]) => cut(await read(accounts)),
      });
    }
    return { deps, result: reconcileEstate(deps, { apply: true, trigger: manual, allowDeletes: 10_000 }) };
  };

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
  });
  afterAll(() => stack.stop());

  it("records a link per matched user once: one Query page and a BatchWriteItem per 25, then no write", async () => {
    // Act
    const first = reconcile();
    await first.result;
    const links = first.deps.links as IdentityLinks;
    const afterFirst = { ...links.calls };
    const stored = await links.list();
    const second = reconcile();
    const t0 = performance.now();
    await second.result;
    const settledMs = performance.now() - t0;

    // Assess: every matched Identity Center user is linked to its Okta user
    const icUsers = stack.emulators.identityCenter.snapshot().users;
    expect(stored.length).toBeGreaterThan(100);
    expect(stored.length).toBeLessThanOrEqual(icUsers.length);
    const jane = stack.emulators.okta.state.user("jane.doe@example.com");
    const janeIc = icUsers.find((u) => u.userName === "jane.doe@example.com");
    expect(stored.find((l) => l.oktaUserId === jane?.id)?.identityCenterUserId).toBe(janeIc?.userId);
    // cost: the first run wrote them in batches of 25; the settled second run wrote nothing
    expect(afterFirst.batchWrite).toBe(Math.ceil(stored.length / 25));
    expect(links.calls.batchWrite).toBe(afterFirst.batchWrite);
    expect(links.calls.query - afterFirst.query).toBe(2); // list() above, and the second run's read
    console.info(
      `identity links: ${stored.length} recorded with ${afterFirst.batchWrite} BatchWriteItem + ${afterFirst.query} Query; settled run: 0 writes, 1 Query, ${settledMs.toFixed(0)} ms whole run`,
    );
  });

  it("deletes only the orphan confirmed gone when the identity store read comes back short", async () => {
    // Prepare: one user deleted (as SCIM does), one user and one group the read will drop, each assigned
    const ic = stack.emulators.identityCenter;
    const snap = ic.snapshot();
    const account = String(stack.estate.organization.accounts.find((a) => a.name.endsWith("-dev"))?.id);
    const permissionSetArn = String(snap.permissionSets[0]?.arn);
    const gone = ic.seed.user({ userName: "gone@example.com" });
    const dropped = ic.seed.user({ userName: "dropped@example.com" });
    const droppedGroup = String(snap.groups[0]?.groupId);
    for (const principalId of [gone, dropped])
      ic.seed.assignment({ accountId: account, permissionSetArn, principalType: "USER", principalId });
    const identityStore = new IdentitystoreClient(localClientConfig(stack.url));
    await identityStore.send(new DeleteUserCommand({ IdentityStoreId: snap.identityStoreId, UserId: gone }));
    identityStore.destroy();
    const groupAssignments = snap.assignments.filter((a) => a.principalId === droppedGroup);
    expect(groupAssignments.length).toBeGreaterThan(0);

    // Act: the read misses `dropped` and the group
    const { result } = reconcile((state) => ({
      ...state,
      users: state.users.filter((u) => u.userId !== dropped),
      groups: state.groups.filter((g) => g.groupId !== droppedGroup),
      memberships: state.memberships.filter((m) => m.groupId !== droppedGroup),
    }));
    const { plan, outcomes, input } = await result;

    // Assess: the confirmed orphan is deleted; the principals the read missed keep every assignment
    expect(input.identityCenter.principalCheck).toMatchObject({
      missing: [gone],
      present: [dropped, droppedGroup].sort(),
      storeReadEmpty: false,
    });
    const deleted = plan.actions.flatMap((a) =>
      a.kind === "assignment.delete" ? [a.assignment.principalId] : [],
    );
    expect(deleted).toContain(gone);
    expect(deleted).not.toContain(dropped);
    expect(deleted).not.toContain(droppedGroup);
    expect(outcomes.filter((o) => o.status !== "SUCCEEDED")).toEqual([]);
    const unconfirmed = plan.findings.filter((f) => f.kind === "orphan-unconfirmed");
    expect(new Set(unconfirmed.map((f) => f.subject.principalId))).toEqual(new Set([dropped, droppedGroup]));
    const listed = ic.snapshot().assignments;
    expect(listed.filter((a) => a.principalId === droppedGroup)).toHaveLength(groupAssignments.length);
    expect(listed.some((a) => a.principalId === dropped)).toBe(true);
  });

  it("deletes nothing as orphaned when the identity store read comes back empty, and says so", async () => {
    // Prepare
    const before = stack.emulators.identityCenter.snapshot().assignments.length;
    stack.emulators.identityCenter.resetCallCounts();

    // Act: no user, no group read
    const { result } = reconcile((state) => ({
      ...state,
      users: [],
      groups: [],
      memberships: [],
      unnamed: { userIds: [], groupIds: [] },
    }));
    const { plan, input } = await result;

    // Assess: no Describe call was spent, no assignment went, each is reported as blocked
    expect(input.identityCenter.principalCheck?.storeReadEmpty).toBe(true);
    const calls = stack.emulators.identityCenter.snapshot().calls.identityStore;
    expect(calls.DescribeUser ?? 0).toBe(0);
    expect(calls.DescribeGroup ?? 0).toBe(0);
    expect(plan.actions.filter((a) => a.kind === "assignment.delete")).toEqual([]);
    expect(stack.emulators.identityCenter.snapshot().assignments).toHaveLength(before);
    const unconfirmed = plan.findings.filter((f) => f.kind === "orphan-unconfirmed");
    expect(unconfirmed).toHaveLength(before);
    expect(unconfirmed[0]?.message).toContain("orphan deletion is blocked");
  });
});
