import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { verifyChain } from "../../core/evidence/verify-chain.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { deliverToHook as deliver, oktaAdmin } from "../support/local-okta.ts";

const SECRET = "Bearer e2e-hook-secret";
const LEAVER = "jane.doe@example.com";

const okta = (stack: LocalStack, method: string, path: string, body?: unknown) =>
  oktaAdmin(stack, method, path, body);
const deliverToHook = (stack: LocalStack, events: unknown[]) =>
  deliver(stack, SECRET, events) as Promise<{ status: number; body: Record<string, unknown> }>;

/** The Identity Center user id and what the user holds (memberships, reachable accounts). */
function icAccess(stack: LocalStack, userName: string) {
  const ic = stack.emulators.identityCenter.snapshot();
  const userId = ic.users.find((u) => u.userName === userName)?.userId;
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  const accounts = new Set(
    ic.assignments
      .filter((a) => a.principalId === userId || groups.includes(a.principalId))
      .map((a) => a.accountId),
  );
  return { userId, groups, accounts: [...accounts].sort() };
}

describe("a leaver, end to end on the local stack", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: SECRET, holdSeconds: 600, pollMs: 20 });
  });
  afterAll(() => stack.stop());

  it("deactivating a user in Okta ends their access everywhere, with a Deny and evidence", async () => {
    // Prepare
    const before = icAccess(stack, LEAVER);
    expect(before.accounts.length).toBeGreaterThanOrEqual(5);
    const oktaUser = stack.emulators.okta.state.user(LEAVER);

    // Act: HR deactivates her in Okta (the emulator then delivers the event hook like Okta does)
    const deactivated = await okta(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(oktaUser?.id));

    // Assess: the hook was verified and delivered
    expect(deactivated.status).toBe(200);
    expect(stack.emulators.okta.hooks.verifications.map((v) => v.verified)).toEqual([true]);
    const deliveries = stack.emulators.okta.hooks.deliveries;
    expect(deliveries[0]?.eventTypes).toEqual(["user.lifecycle.deactivate"]);
    expect(deliveries[0]?.attempts.map((a) => a.status)).toEqual([200]);
    // then (maybe) the run's own Okta session clear: subscribed as a compromise signal, it starts no run
    // (ingress ignores the pipeline's own actor; the runs below are one)
    expect(deliveries.slice(1).flatMap((d) => d.eventTypes)).toEqual(
      deliveries.length > 1 ? ["user.session.clear"] : [],
    );

    // one run, succeeded
    const runs = stack.stepFunctions.executions();
    expect(runs.map((r) => r.status)).toEqual(["RUNNING"]); // holding the Deny (hold is 600 s here)

    // no membership, no assignment reachable
    const after = icAccess(stack, LEAVER);
    expect(after.userId).toBe(before.userId);
    expect(after.groups).toEqual([]);
    expect(after.accounts).toEqual([]);

    // the Deny is in an attached SCP and proven by policy evaluation in every former account
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    expect(scps.join("")).toContain(String(before.userId));
    const prover = createDenyProver(stack.estate.organization.rootId);
    const member = before.accounts.filter((a) => a !== stack.estate.organization.managementAccountId);
    for (const accountId of member) {
      expect(
        await prover.isDenied({
          userId: String(before.userId),
          accountId,
          permissionSetName: "DeveloperAccess",
          scps,
          inline: [],
        }),
      ).toBe(true);
    }
    // and nobody else is denied
    const bystander = icAccess(stack, "priya.patel@example.com");
    expect(
      await prover.isDenied({
        userId: String(bystander.userId),
        accountId: String(member[0]),
        permissionSetName: "DeveloperAccess",
        scps,
        inline: [],
      }),
    ).toBe(false);

    // the evidence record exists, matches the core schema, says what happened, and the chain verifies
    const keys = await stack.adapters.evidence.list("v1/runs/");
    expect(keys).toHaveLength(1);
    const record = JSON.parse(await stack.adapters.evidence.get(String(keys[0])));
    const parsed = parseEvidenceRecord(record);
    expect(parsed.success).toBe(true);
    expect(record).toMatchObject({
      kind: "user-run",
      body: {
        subject: { oktaUserId: oktaUser?.id, login: LEAVER, identityCenterUserId: before.userId },
        trigger: {
          type: "events",
          events: [{ eventType: "user.lifecycle.deactivate", kind: "leaver", channel: "hook" }],
        },
        truth: { okta: { userStatus: "DEPROVISIONED" } },
        verification: { passed: true },
      },
    });
    expect(record.body.actions.filter((a: { kind: string }) => a.kind === "membership.remove")).toHaveLength(
      before.groups.length,
    );
    const t = record.body.timings;
    expect(Date.parse(t.oktaPublished)).toBeLessThanOrEqual(Date.parse(t.denyInForce));
    expect(Date.parse(t.denyInForce)).toBeLessThanOrEqual(Date.parse(t.accessRemoved));
    expect(verifyChain([{ key: String(keys[0]), record }])).toMatchObject({ ok: true });
  });

  it("a second delivery of the same events changes nothing and starts no second run", async () => {
    // Prepare: the same LogEvent, as Okta would retry it
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const page = await stack.adapters.okta.systemLogPage({
      filter: 'eventType eq "user.lifecycle.deactivate"',
      since,
    });
    const events = page.events;
    expect(events).toHaveLength(1);
    const ic = stack.emulators.identityCenter.snapshot();

    // Act
    const replay = await deliverToHook(stack, events);
    await stack.settle();

    // Assess
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ published: [], duplicates: [(events[0] as { uuid: string }).uuid] });
    expect(stack.stepFunctions.executions()).toHaveLength(1);
    const again = stack.emulators.identityCenter.snapshot();
    expect(again.assignments).toEqual(ic.assignments);
    expect(again.memberships).toEqual(ic.memberships);
  });

  it("an event about a user still ACTIVE in Okta revokes nothing, and the run records why", async () => {
    // Prepare: a forged deactivate event for an ACTIVE user (events are hints; Okta is the truth)
    const active = stack.emulators.okta.state.user("john.smith@example.com");
    const before = icAccess(stack, "john.smith@example.com");
    expect(before.accounts.length).toBeGreaterThan(0);
    const forged = {
      uuid: "forged-deactivate-0001",
      published: new Date().toISOString(),
      eventType: "user.lifecycle.deactivate",
      version: "0",
      severity: "INFO",
      displayMessage: "Deactivate Okta User",
      actor: null,
      outcome: { result: "SUCCESS", reason: null },
      target: [
        { id: active?.id, type: "User", alternateId: "john.smith@example.com", displayName: "John Smith" },
      ],
    };

    // Act
    const res = await deliverToHook(stack, [forged]);
    await stack.settle();
    await stack.waitForEvidence("forged-deactivate-0001");
    await stack.stepFunctions.executions().find((e) => e.name.endsWith("forged-deactivate-0001"))?.done;

    // Assess
    expect(res.body).toMatchObject({ published: ["forged-deactivate-0001"] });
    expect(icAccess(stack, "john.smith@example.com")).toEqual(before);
    const run = stack.stepFunctions.executions().find((e) => e.name.endsWith("forged-deactivate-0001"));
    expect(run?.status).toBe("SUCCEEDED");
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.includes("forged-deactivate-0001"),
    );
    const record = JSON.parse(await stack.adapters.evidence.get(String(key)));
    expect(record.body.plan.findings).toEqual([
      {
        kind: "decision",
        decision: "none",
        reason: "Okta status is ACTIVE: the user keeps their access, exactly as the policy grants it",
      },
    ]);
    expect(record.body.actions).toEqual([]);
  });
});
