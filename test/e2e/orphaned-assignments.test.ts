/**
 * Estate runs under both answers AWS may give for an assignment whose user SCIM deleted
 * (`orphanedAssignmentDeletion`, docs/aws-behaviour.md) and with identity-store entries without a name:
 * the orphan is reported and its deletion counts as done (noted), the unnamed group is skipped and
 * reported, and no run fails, the first or any later one.
 */
import { DeleteUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";

const manual = { type: "manual" as const, requestedBy: "e2e" };

describe.each(["fails-404", "succeeds"] as const)("orphaned assignments in estate runs (%s)", (value) => {
  let stack: LocalStack;
  let run = 0;
  const reconcile = () =>
    reconcileEstate(stack.estateDeps(`orphans-${value}-${++run}`), { apply: true, trigger: manual });

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      hookSecret: randomHookSecret(),
      pollMs: 5,
      awsBehaviour: { orphanedAssignmentDeletion: value },
    });
  });
  afterAll(() => stack.stop());

  it("reports the orphan, counts its deletion as done, and skips an unnamed group, run after run", async () => {
    // Prepare: a user with a direct assignment is deleted from the identity store (as SCIM does);
    // a group pushed without a DisplayName holds an assignment
    const ic = stack.emulators.identityCenter;
    const snap = ic.snapshot();
    const account = String(stack.estate.organization.accounts.find((a) => a.name.endsWith("-dev"))?.id);
    const permissionSetArn = String(snap.permissionSets[0]?.arn);
    const userId = ic.seed.user({ userName: "gone@example.com" });
    ic.seed.assignment({ accountId: account, permissionSetArn, principalType: "USER", principalId: userId });
    const unnamed = ic.seed.group({});
    ic.seed.assignment({
      accountId: account,
      permissionSetArn,
      principalType: "GROUP",
      principalId: unnamed,
    });
    const identityStore = new IdentitystoreClient(localClientConfig(stack.url));
    await identityStore.send(
      new DeleteUserCommand({ IdentityStoreId: snap.identityStoreId, UserId: userId }),
    );
    identityStore.destroy();

    // Act
    const first = await reconcile();
    const second = await reconcile();

    // Assess: reported, done, and the unnamed group's assignment left alone
    expect(first.applied).toBe(true);
    const kinds = first.plan.findings.map((f) => f.kind);
    expect(kinds).toContain("orphaned-assignment");
    expect(kinds).toContain("unnamed-identity-store-entry");
    expect(first.outcomes.filter((o) => o.status !== "SUCCEEDED")).toEqual([]);
    const deletion = first.outcomes.find(
      (o) => o.kind === "assignment.delete" && o.target.principalId === userId,
    );
    expect(deletion?.status).toBe("SUCCEEDED");
    const listed = ic.snapshot().assignments;
    expect(listed.some((a) => a.principalId === unnamed)).toBe(true);
    if (value === "fails-404") {
      expect(deletion?.note).toContain("already deleted");
      expect(listed.some((a) => a.principalId === userId)).toBe(true); // AWS keeps listing it
      expect(second.outcomes.filter((o) => o.status !== "SUCCEEDED")).toEqual([]);
    } else {
      expect(deletion?.note).toBeUndefined();
      expect(listed.some((a) => a.principalId === userId)).toBe(false);
      expect(second.plan.findings.map((f) => f.kind)).not.toContain("orphaned-assignment");
    }
    expect(second.applied).toBe(true);
  });
});
