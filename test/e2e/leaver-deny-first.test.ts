import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
/** An Identity Center user id the identity store does not hold (deleted and re-created, say). */
const GONE_USER_ID = "90670000-0000-4000-8000-00000000dead";

const icUserId = (stack: LocalStack, login: string) =>
  String(stack.emulators.identityCenter.snapshot().users.find((u) => u.userName === login)?.userId);

/** Makes the pipeline's identity link of `login` name `identityCenterUserId` (a wrong record). */
const recordLink = (stack: LocalStack, login: string, identityCenterUserId: string) =>
  stack.adapters.links.put({
    oktaUserId: String(stack.emulators.okta.state.user(login)?.id),
    identityCenterUserId,
    oktaLogin: login,
    linkedAt: new Date().toISOString(),
  });

/** Deactivates `login` in Okta and returns the run's evidence record. */
async function leave(stack: LocalStack, login: string) {
  const oktaId = String(stack.emulators.okta.state.user(login)?.id);
  expect((await oktaAdmin(stack, "POST", `/api/v1/users/${login}/lifecycle/deactivate`)).status).toBe(200);
  await stack.settle();
  const key = await stack.waitForEvidence(oktaId);
  return JSON.parse(await stack.adapters.evidence.get(key));
}

/** Whether `userId`'s DeveloperAccess sessions in `accountId` are denied by the revocation SCPs now. */
async function denied(stack: LocalStack, userId: string, accountId: string) {
  const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
  return createDenyProver(stack.estate.organization.rootId).isDenied({
    userId,
    accountId,
    permissionSetName: "DeveloperAccess",
    scps,
    inline: [],
  });
}

/**
 * A leaver whom a settled estate recorded is denied on that record before their access is read
 * (usecases/reconcile-user/read-user-truth.ts), and the whole read after the Deny confirms it
 * (core/plan/merge-deny-first-plan.ts). These play the records that are wrong.
 */
describe("a leaver denied first on the pipeline's record, end to end on the local stack", () => {
  let stack: LocalStack;
  let member: string;
  beforeAll(async () => {
    stack = await startTestStack(SECRET);
    expect((await stack.runEstateReconcile())?.status).toBe("SUCCEEDED");
    member = String(
      stack.estate.organization.accounts.find((a) => a.id !== stack.estate.organization.managementAccountId)
        ?.id,
    );
  });
  afterAll(() => stack.stop());

  it("the record confirmed: denied before the read, her access removed, the record verified", async () => {
    // Prepare
    const login = "jane.doe@example.com";
    const userId = icUserId(stack, login);
    const link = await stack.adapters.links.get(String(stack.emulators.okta.state.user(login)?.id));
    expect(link?.identityCenterUserId).toBe(userId);

    // Act
    const record = await leave(stack, login);

    // Assess
    const decision = record.body.plan.findings[0];
    expect(decision).toMatchObject({ kind: "decision", decision: "revoke" });
    expect(decision.reason).toContain(`denied first as Identity Center user ${userId}`);
    expect(record.body.plan.actions[0]).toMatchObject({ kind: "deny.add", deny: { userId, scope: "all" } });
    expect(record.body.verification.passed).toBe(true);
    expect(record.body.plan.findings.map((f: { kind: string }) => f.kind)).not.toContain(
      "identity-link-stale",
    );
    const memberships = stack.emulators.identityCenter
      .snapshot()
      .memberships.filter((m) => m.userId === userId);
    expect(memberships).toEqual([]);
    expect(await denied(stack, userId, member)).toBe(true);
  });

  it("a record naming a user the store no longer holds: that id and the user the read finds are both denied", async () => {
    // Prepare
    const login = "john.smith@example.com";
    const userId = icUserId(stack, login);
    await recordLink(stack, login, GONE_USER_ID);

    // Act
    const record = await leave(stack, login);

    // Assess
    const findings: { kind: string; subject: Record<string, string> }[] = record.body.plan.findings;
    expect(findings.find((f) => f.kind === "identity-link-stale")?.subject).toEqual({
      identityCenterUserId: GONE_USER_ID,
      foundUserId: userId,
    });
    expect(record.body.verification.passed).toBe(true);
    expect(await denied(stack, userId, member)).toBe(true);
    expect(await denied(stack, GONE_USER_ID, member)).toBe(true);
    expect(stack.emulators.identityCenter.snapshot().memberships.filter((m) => m.userId === userId)).toEqual(
      [],
    );
  });

  it("a record naming another Okta user's Identity Center user: that user's Deny is lifted, the leaver stays denied", async () => {
    // Prepare: Wei's record names Priya's Identity Center user (her external id is her Okta id)
    const login = "wei.chen@example.com";
    const userId = icUserId(stack, login);
    const bystander = icUserId(stack, "priya.patel@example.com");
    await recordLink(stack, login, bystander);

    // Act
    const record = await leave(stack, login);

    // Assess: Priya was denied for the moment between the two reads, and is not now
    expect(record.body.plan.actions).toContainEqual(
      expect.objectContaining({
        kind: "deny.lift",
        why: "identity-conflict",
        deny: expect.objectContaining({ userId: bystander }),
      }),
    );
    expect(record.body.plan.findings.map((f: { kind: string }) => f.kind)).toContain("identity-link-stale");
    expect(record.body.verification.passed).toBe(true);
    expect(await denied(stack, userId, member)).toBe(true);
    expect(await denied(stack, bystander, member)).toBe(false);
    expect((await stack.adapters.ledger.list()).map((l) => l.deny.userId)).not.toContain(bystander);
  });
});
