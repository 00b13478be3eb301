import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { deliverToHook, oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 12, point 8: 300 forged leaver events with random ids used to saturate the sso-admin budget
 * for two minutes. An id Okta does not know now costs one Okta read, one DynamoDB read and at most one
 * identity-store read, and no sso-admin call, so a real leaver in the middle of the flood is revoked as
 * on a quiet stack. (Times are measured by bench/flood.ts; this test asserts what does not depend on
 * the machine.)
 */

const SECRET = randomHookSecret();
const FLOOD = 300;
const PER_DELIVERY = 100;

const randomOktaId = () =>
  `00u${Array.from(crypto.getRandomValues(new Uint8Array(17)), (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("")}`;

describe("a flood of leaver events for unknown ids", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET);
  });
  afterAll(() => stack.stop());

  it("revokes nobody it names, costs no sso-admin call, and a real leaver amid it is revoked", {
    timeout: 180_000,
  }, async () => {
    // Prepare: forged deactivations naming real people's logins with ids Okta does not know
    const logins = stack.emulators.okta.state.users().map((u) => u.profile.login as string);
    const forged = Array.from({ length: FLOOD }, (_, i) => ({
      uuid: `flood-${String(i).padStart(4, "0")}`,
      published: new Date().toISOString(),
      eventType: "user.lifecycle.deactivate",
      version: "0",
      severity: "INFO",
      displayMessage: "Deactivate Okta user",
      actor: null,
      outcome: { result: "SUCCESS", reason: null },
      target: [
        { id: randomOktaId(), type: "User", alternateId: logins[i % logins.length], displayName: "x" },
      ],
    }));
    const ic = () => stack.emulators.identityCenter.snapshot();
    const membershipsBefore = ic().memberships.length;
    const leaver = stack.emulators.okta.state.user("jane.doe@example.com");
    const leaverIcId = ic().users.find((u) => u.userName === "jane.doe@example.com")?.userId;
    const leaverGroups = ic().memberships.filter((m) => m.userId === leaverIcId).length;
    expect(leaverGroups).toBeGreaterThan(0);

    // Act: the flood, and HR deactivating jane in the middle of it
    const deliveries = [];
    for (let i = 0; i < FLOOD; i += PER_DELIVERY) {
      deliveries.push(deliverToHook(stack, SECRET, forged.slice(i, i + PER_DELIVERY)).then((r) => r.status));
      if (i === PER_DELIVERY)
        await oktaAdmin(stack, "POST", `/api/v1/users/${leaver?.id}/lifecycle/deactivate`);
    }
    const statuses = await Promise.all(deliveries);
    const key = await stack.waitForEvidence(String(leaver?.id), "run", 150_000);
    await stack.settle();
    const floodRuns = stack.stepFunctions.executions().filter((e) => e.name.includes("flood-"));
    await Promise.all(floodRuns.map((e) => e.done));

    // Assess: every delivery accepted, every forged run unverifiable, nobody else lost anything
    expect(statuses).toEqual([200, 200, 200]);
    expect(floodRuns).toHaveLength(FLOOD);
    expect(floodRuns.filter((e) => e.status !== "SUCCEEDED").map((e) => `${e.error}: ${e.cause}`)).toEqual(
      [],
    );
    expect(stack.signals.UnverifiableUserRuns).toBe(FLOOD);
    expect(ic().memberships.length).toBe(membershipsBefore - leaverGroups);
    // the real leaver was revoked and verified
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    expect(record.body.verification.passed).toBe(true);
    expect(ic().memberships.filter((m) => m.userId === leaverIcId)).toEqual([]);
    // and the flood spent none of the sso-admin budget a real leaver needs
    const ssoAdminCalls = Object.values(ic().calls.ssoAdmin).reduce((a, b) => a + b, 0);
    const identityStoreCalls = Object.values(ic().calls.identityStore).reduce((a, b) => a + b, 0);
    expect(ic().throttled.ssoAdmin).toEqual({});
    // jane's own run's calls only: far below one per forged event
    expect(ssoAdminCalls).toBeLessThan(FLOOD / 3);
    expect(identityStoreCalls).toBeLessThan(FLOOD + FLOOD / 3);
  });
});
