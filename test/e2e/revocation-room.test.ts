import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DenyEntry } from "../../core/estate.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 12, critical 2: once the Denies in force outgrow a management-account permission set's inline
 * policy (10,240 characters), a leaver run used to fail after the SCP write, before the inline Deny,
 * the removals, the Okta session clear and the evidence. A reorg leaves exactly that many Denies.
 */

const SECRET = randomHookSecret();
const LEAVER = "ethan.nguyen@example.com"; // PlatformAdmin everywhere, the management account included

describe("a leaver after a reorg filled the management account's inline policies", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET);
  });
  afterAll(() => stack.stop());

  it("is revoked fully, with evidence; the movers' Denies that no longer fit are findings and alarmed", async () => {
    // Prepare: 300 movers lost PlatformAdmin in the management account within the hold window
    const mgmt = stack.estate.organization.managementAccountId;
    const now = new Date();
    for (let i = 0; i < 300; i++) {
      const mover: DenyEntry = {
        userId: `9067c9d2f1-${String(i).padStart(4, "0")}-4e0d-a3b1-5f2c8e7d6a90`,
        scope: { permissionSetName: "PlatformAdmin", accountIds: [mgmt] },
        reason: "mover",
        createdAt: new Date(now.getTime() - 60_000).toISOString(),
        expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
      };
      await stack.adapters.ledger.add(mover);
    }
    const ic = () => stack.emulators.identityCenter.snapshot();
    const userId = String(ic().users.find((u) => u.userName === LEAVER)?.userId);
    expect(ic().memberships.filter((m) => m.userId === userId).length).toBeGreaterThan(0);
    const user = stack.emulators.okta.state.user(LEAVER);

    // Act: HR deactivates him
    const res = await oktaAdmin(stack, "POST", `/api/v1/users/${user?.id}/lifecycle/deactivate`);
    const key = await stack.waitForEvidence(String(user?.id));
    const record = JSON.parse(await stack.adapters.evidence.get(key));

    // Assess: everything removed and verified, the run still holding its Deny (not failed)
    expect(res.status).toBe(200);
    expect(ic().memberships.filter((m) => m.userId === userId)).toEqual([]);
    expect(stack.stepFunctions.executions().find((e) => e.name.includes(String(user?.id)))?.status).toBe(
      "RUNNING",
    );
    expect(record.body.verification.passed).toBe(true);
    // his PlatformAdmin session in the management account is denied by evaluation
    const inline = String(ic().permissionSets.find((p) => p.name === "PlatformAdmin")?.inlinePolicy);
    const prover = createDenyProver(stack.estate.organization.rootId);
    expect(
      await prover.isDenied({
        userId,
        accountId: mgmt,
        permissionSetName: "PlatformAdmin",
        scps: [],
        inline: [inline],
      }),
    ).toBe(true);
    // what did not fit is named in evidence and alarmed
    const dropped = record.body.plan.findings.filter((f: { kind: string }) => f.kind === "deny-dropped");
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((f: { subject: { userId: string } }) => f.subject.userId !== userId)).toBe(true);
    // (the evidence task reports its signals as it returns, just after the record is stored)
    for (let i = 0; i < 100 && stack.signals.DeniesDropped === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(stack.signals.DeniesDropped).toBe(1);
  });

  it("goes on when the SCP write is refused: removals, Okta session clear and evidence, as an alarmed partial run", async () => {
    // Prepare: Organizations refuses the SCP updates of the run (as it would a policy the role cannot
    // touch): the Identity Center Deny's, and the credential step's (issue 16), which writes the SCPs again
    const LEAVER2 = "priya.patel@example.com";
    const ic = () => stack.emulators.identityCenter.snapshot();
    const userId = String(ic().users.find((u) => u.userName === LEAVER2)?.userId);
    expect(ic().memberships.filter((m) => m.userId === userId).length).toBeGreaterThan(0);
    const user = stack.emulators.okta.state.user(LEAVER2);
    const refusal = {
      operation: "UpdatePolicy",
      type: "AccessDeniedException",
      status: 403,
      message: "You don't have permissions to access this resource.",
    };
    stack.emulators.organizations.faults.failNext.push(refusal, { ...refusal });

    // Act
    await oktaAdmin(stack, "POST", `/api/v1/users/${user?.id}/lifecycle/deactivate`);
    const record = JSON.parse(
      await stack.adapters.evidence.get(await stack.waitForEvidence(String(user?.id))),
    );

    // Assess: access removed and Okta sessions cleared despite the refused SCP write
    expect(ic().memberships.filter((m) => m.userId === userId)).toEqual([]);
    expect(stack.emulators.okta.operations.sessionClears.map((c) => c.userId)).toContain(user?.id);
    const refused = record.body.actions.filter((a: { kind: string }) => a.kind === "deny.place.scp");
    expect(refused).toEqual([
      expect.objectContaining({ status: "FAILED", error: expect.stringContaining("AccessDenied") }),
    ]);
    // verification says what is missing, and the run is alarmed as partial
    expect(record.body.verification.passed).toBe(false);
    expect(
      record.body.verification.details.find((d: { check: string }) => d.check === "Deny in an attached SCP"),
    ).toMatchObject({ passed: false });
    for (let i = 0; i < 100 && stack.signals.PartialRevocations === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(stack.signals.PartialRevocations).toBe(1);
  });
});
