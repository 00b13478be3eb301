import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { deliverToHook, oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 12, critical 1: an event's fields never choose whom to revoke. A delivery naming an Okta user
 * id that Okta does not know, with a real person's login as alternateId, revoked that person before.
 * It must revoke nobody, record the run as unverifiable and raise the alarm, under both answers to the
 * undocumented question of what Okta's SCIM stores as the Identity Center user's external id.
 */

const SECRET = randomHookSecret();
const FAKE_ID = "00uDOESNOTEXIST000001";

const deliver = (stack: LocalStack, events: unknown[]) => deliverToHook(stack, SECRET, events);

function forgedEvent(uuid: string, eventType: string, target: { id: string; alternateId: string }) {
  return {
    uuid,
    published: new Date().toISOString(),
    eventType,
    version: "0",
    severity: "INFO",
    displayMessage: "Deactivate Okta user",
    actor: null,
    outcome: { result: "SUCCESS", reason: null },
    target: [{ ...target, type: "User", displayName: "Somebody" }],
  };
}

function access(stack: LocalStack, userName: string) {
  const ic = stack.emulators.identityCenter.snapshot();
  const userId = ic.users.find((u) => u.userName === userName)?.userId;
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  return { userId, groups: groups.sort() };
}

/** The evidence of the run named after `runNamePart`, once that run (if it ends by itself) has ended. */
async function runRecord(stack: LocalStack, runNamePart: string) {
  const key = await stack.waitForEvidence(runNamePart);
  const run = stack.stepFunctions.executions().find((e) => e.name.includes(runNamePart));
  if (run?.status === "RUNNING" && !key.endsWith(".run.json")) await run.done;
  return JSON.parse(await stack.adapters.evidence.get(key));
}

/** Polls until `read` returns something (the local stack's runs finish within seconds). */
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([
  { scimExternalIds: true, label: "SCIM stores the Okta user id as external id" },
  { scimExternalIds: false, label: "SCIM stores no external id" },
])("events for ids Okta does not know ($label)", ({ scimExternalIds }) => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      scimExternalIds,
    });
  });
  afterAll(() => stack.stop());

  it("a deactivate naming an unknown id and an active person's login revokes nobody, and alarms", async () => {
    // Prepare: john.smith is ACTIVE in Okta and holds access
    const before = access(stack, "john.smith@example.com");
    expect(before.groups.length).toBeGreaterThan(0);
    stack.emulators.identityCenter.resetCallCounts();

    // Act
    const res = await deliver(stack, [
      forgedEvent("forged-unknown-id-0001", "user.lifecycle.deactivate", {
        id: FAKE_ID,
        alternateId: "john.smith@example.com",
      }),
    ]);
    const record = await runRecord(stack, "forged-unknown-id-0001");
    await stack.stepFunctions.executions().find((e) => e.name.includes("forged-unknown-id-0001"))?.done;

    // Assess: accepted at ingress (the secret was right), yet nobody lost anything
    expect(res.status).toBe(200);
    expect(access(stack, "john.smith@example.com")).toEqual(before);
    expect(await stack.adapters.ledger.list()).toEqual([]);
    expect(record.body.plan.findings[0]).toMatchObject({ kind: "decision", decision: "unverifiable" });
    expect(record.body.plan.findings[1]).toMatchObject({ kind: "identity-unresolved" });
    expect(record.body.plan.actions).toEqual([]);
    expect(record.body.actions).toEqual([]);
    expect(record.body.truth.identityCenter).toMatchObject({
      userId: null,
      resolution: { outcome: "unresolved" },
    });
    expect(stack.signals.UnverifiableUserRuns).toBe(1);
    // it cost at most one identity-store read and no sso-admin call
    const calls = stack.emulators.identityCenter.snapshot().calls;
    const identityStoreCalls = Object.values(calls.identityStore).reduce((a, b) => a + b, 0);
    expect(identityStoreCalls).toBeLessThanOrEqual(1);
    expect(Object.values(calls.ssoAdmin).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("the project's own deactivate fixture does not revoke the person its alternateId names", async () => {
    // Prepare: the fixture's target id is not an id of the demo org; its alternateId is jane.doe
    const fixture = JSON.parse(
      readFileSync(
        new URL("../fixtures/okta/user-lifecycle-deactivate.logevent.json", import.meta.url),
        "utf8",
      ),
    );
    const jane = access(stack, fixture.target[0].alternateId);
    expect(jane.groups.length).toBeGreaterThan(0);

    // Act
    const res = await deliver(stack, [{ ...fixture, published: new Date().toISOString() }]);
    const record = await runRecord(stack, fixture.uuid);

    // Assess
    expect(res.status).toBe(200);
    expect(access(stack, fixture.target[0].alternateId)).toEqual(jane);
    expect(record.body.plan.findings[0]).toMatchObject({ decision: "unverifiable" });
  });

  it("a real leaver who is then deleted in Okta is still found through the pipeline's own records", async () => {
    // Prepare: deactivate a real user (Okta still answers for them), then delete them
    const login = "priya.patel@example.com";
    const user = stack.emulators.okta.state.user(login);
    const before = access(stack, login);
    expect(before.groups.length).toBeGreaterThan(0);
    // Act
    await oktaAdmin(stack, "POST", `/api/v1/users/${user?.id}/lifecycle/deactivate`);
    const first = await runRecord(stack, String(user?.id));
    await stack.settle();
    const deleted = await oktaAdmin(stack, "DELETE", `/api/v1/users/${user?.id}`);
    await stack.settle();
    const afterDelete = await eventually(async () => {
      const keys = (await stack.adapters.evidence.list("v1/runs/")).filter((k) =>
        k.includes(String(user?.id)),
      );
      const records = await Promise.all(
        keys.map(async (k) => JSON.parse(await stack.adapters.evidence.get(k))),
      );
      return records.find((r) =>
        r.body.trigger.events.some(
          (e: { eventType: string }) => e.eventType === "user.lifecycle.delete.initiated",
        ),
      );
    });

    // Assess: revoked by the first run; the deletion's run tied the gone id to the same user
    expect(first.body.truth.identityCenter.resolution).toMatchObject({
      outcome: "resolved",
      via: scimExternalIds ? "external-id" : "login",
    });
    expect(access(stack, login).groups).toEqual([]);
    expect(deleted.status).toBe(204);
    expect(afterDelete.body.truth.identityCenter.resolution).toMatchObject({
      outcome: "resolved",
      via: "link",
      userId: before.userId,
    });
    expect(afterDelete.body.plan.findings[0]).toMatchObject({ decision: "revoke" });
  });
});
