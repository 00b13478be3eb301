import { DeleteUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { verifyChain } from "../../core/evidence/verify-chain.ts";
import {
  type AwsBehaviourSwitches,
  DEFAULT_AWS_BEHAVIOUR,
} from "../../local/emulators/aws-behaviour-switches.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../local/stack/local-stack.ts";
import { deliverToHook as deliver, oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

const okta = (stack: LocalStack, method: string, path: string, body?: unknown) =>
  oktaAdmin(stack, method, path, body);
const deliverToHook = (stack: LocalStack, events: unknown[]) =>
  deliver(stack, SECRET, events) as Promise<{ status: number; body: Record<string, unknown> }>;

/**
 * The Identity Center user id and what the user holds (memberships, reachable accounts); by `id` once
 * SCIM may have deleted the user (their assignments can stay listed).
 */
function icAccess(stack: LocalStack, userName: string, id?: string) {
  const ic = stack.emulators.identityCenter.snapshot();
  const userId = id ?? ic.users.find((u) => u.userName === userName)?.userId;
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  const accounts = new Set(
    ic.assignments
      .filter((a) => a.principalId === userId || groups.includes(a.principalId))
      .map((a) => a.accountId),
  );
  return { userId, groups, accounts: [...accounts].sort() };
}

/**
 * The AWS behaviour switches a leaver run depends on (docs/aws-behaviour.md): every value of each is
 * covered by one of these settings, so the run is right whichever AWS answers.
 */
const SWITCH_SETTINGS: [string, Partial<AwsBehaviourSwitches>, Pick<LocalStackOptions, "topology">?][] = [
  ["the emulator's defaults: SCIM disables, an orphan's deletion 404s, only direct items listed", {}],
  [
    "SCIM deletes, an orphan's deletion succeeds, inherited items listed",
    {
      scimDeactivation: "delete",
      orphanedAssignmentDeletion: "succeeds",
      listForPrincipalIncludesInherited: true,
    },
  ],
  [
    "SCIM deletes, an orphan's deletion 404s, inherited items listed",
    { scimDeactivation: "delete", listForPrincipalIncludesInherited: true },
  ],
  ["SCIM deletes, an orphan's deletion 404s, only direct items listed", { scimDeactivation: "delete" }],
  ["SCIM disables, inherited items listed", { listForPrincipalIncludesInherited: true }],
  // The stack as Identity Center's delegated administrator, the management component installed: the
  // management-account Deny goes through it (without it: test/e2e/leaver-topologies.test.ts).
  ["the emulator's defaults, the stack as delegated administrator", {}, { topology: "delegated-admin" }],
];

/** The user-reconcile runs (not the estate runs) the stack has started. */
const userRuns = (stack: LocalStack) =>
  stack.stepFunctions.executions().filter((e) => !e.executionArn.includes("estate"));

describe.each(SWITCH_SETTINGS)(
  "a leaver, end to end on the local stack (%s)",
  (_, awsBehaviour, topology) => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startTestStack(SECRET, {
        awsBehaviour,
        ...topology,
      });
    });
    afterAll(() => stack.stop());

    it("deactivating a user in Okta ends their access everywhere, with a Deny and evidence", async () => {
      // Prepare: a settled estate (the hourly estate run has linked every user), her group access, plus
      // a direct assignment of her own
      const scim = awsBehaviour.scimDeactivation ?? DEFAULT_AWS_BEHAVIOUR.scimDeactivation;
      expect((await stack.runEstateReconcile())?.status).toBe("SUCCEEDED");
      const estateKeys = new Set(await stack.adapters.evidence.list("v1/runs/"));
      const before = icAccess(stack, LEAVER);
      expect(before.accounts.length).toBeGreaterThanOrEqual(5);
      const oktaUser = stack.emulators.okta.state.user(LEAVER);
      const ic = stack.emulators.identityCenter;
      const directAccount = String(
        before.accounts.find((a) => a !== stack.estate.organization.managementAccountId),
      );
      const developerAccess = ic.snapshot().permissionSets.find((p) => p.name === "DeveloperAccess");
      ic.seed.assignment({
        accountId: directAccount,
        permissionSetArn: String(developerAccess?.arn),
        principalType: "USER",
        principalId: String(before.userId),
      });
      const groupAssignments = ic.snapshot().assignments.filter((a) => a.principalType === "GROUP");

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
      const runs = userRuns(stack);
      expect(runs.map((r) => r.status)).toEqual(["RUNNING"]); // holding the Deny (hold is 600 s here)

      // SCIM deleted her or kept her DISABLED, as the switch says
      const snapshot = ic.snapshot();
      const icUser = snapshot.users.find((u) => u.userId === before.userId);
      if (scim === "disable") expect(icUser?.userStatus).toBe("DISABLED");
      else expect(icUser).toBeUndefined();

      // no membership, no assignment of hers that grants anything; no group lost an assignment
      const after = icAccess(stack, LEAVER, String(before.userId));
      expect(after.groups).toEqual([]);
      const leftOver = snapshot.assignments.filter((a) => a.principalId === before.userId);
      // an orphan's deletion that 404s leaves it listed; it grants nobody anything (the user is gone)
      if (leftOver.length > 0) {
        expect(icUser).toBeUndefined();
        expect(awsBehaviour.orphanedAssignmentDeletion ?? "fails-404").toBe("fails-404");
      }
      expect(snapshot.assignments.filter((a) => a.principalType === "GROUP")).toEqual(groupAssignments);

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
      const keys = (await stack.adapters.evidence.list("v1/runs/")).filter((k) => !estateKeys.has(k));
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
          verification: { passed: true },
        },
      });
      // Okta may still be deactivating her when the run reads (ACTIVE, transitioning to DEPROVISIONED):
      // a leaver all the same
      expect(["DEPROVISIONED", "ACTIVE"]).toContain(record.body.truth.okta.userStatus);
      expect(record.body.plan.findings[0]).toMatchObject({ kind: "decision", decision: "revoke" });
      // every removal is done (a 404 for an orphan is done, and noted), and only her own assignment went
      const actions: { kind: string; status: string; note?: string; target: Record<string, string> }[] =
        record.body.actions;
      expect(actions.filter((a) => a.status !== "SUCCEEDED")).toEqual([]);
      const deletions = actions.filter((a) => a.kind === "assignment.delete");
      expect(deletions.map((a) => a.target.principalId)).toEqual([before.userId]);
      if (leftOver.length > 0) expect(deletions[0]?.note).toContain("already deleted");
      const removals = actions.filter((a) => a.kind === "membership.remove");
      // SCIM may delete her (and her memberships) before the run reads them
      if (scim === "disable") expect(removals).toHaveLength(before.groups.length);
      else expect(removals.length).toBeLessThanOrEqual(before.groups.length);
      const t = record.body.timings;
      expect(Date.parse(t.oktaPublished)).toBeLessThanOrEqual(Date.parse(t.denyInForce));
      expect(Date.parse(t.denyInForce)).toBeLessThanOrEqual(Date.parse(t.accessRemoved));
      const chain = await Promise.all(
        (await stack.adapters.evidence.list("v1/"))
          .filter((key) => key.endsWith(".json"))
          .map(async (key) => ({
            key,
            record: JSON.parse(await stack.adapters.evidence.get(key)),
          })),
      );
      // the whole chain (the estate run's records come first), in chain order across prefixes
      const records = chain
        .filter((c) => c.record.schemaVersion !== undefined)
        .sort((x, y) => x.record.sequence - y.record.sequence);
      expect(records.map((c) => c.key)).toContain(String(keys[0]));
      expect(verifyChain(records)).toMatchObject({ ok: true });
    });
  },
);

describe("leavers SCIM deleted before their run read (scimDeactivation: delete)", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      awsBehaviour: { scimDeactivation: "delete" },
    });
  });
  afterAll(() => stack.stop());

  it("one no run linked ends unverifiable, with an identity-unresolved finding and the alarm's signal, not 'nothing to revoke'", async () => {
    // Prepare: SCIM deleted her identity store user before the pipeline ever linked it
    const before = icAccess(stack, LEAVER);
    expect(before.groups.length).toBeGreaterThan(0);
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    const identityStore = new IdentitystoreClient(localClientConfig(stack.url));
    await identityStore.send(
      new DeleteUserCommand({
        IdentityStoreId: stack.emulators.identityCenter.identityStoreId,
        UserId: String(before.userId),
      }),
    );

    // Act: HR deactivates her in Okta
    await okta(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    const key = await stack.waitForEvidence(String(oktaUser?.id));
    const record = JSON.parse(await stack.adapters.evidence.get(key));

    // Assess: the run says it could not find whom to deny, and signals the alarm
    expect(record).toMatchObject({
      body: {
        truth: { identityCenter: { userId: null, resolution: { outcome: "unresolved" } } },
      },
    });
    const findings: { kind: string; message: string; decision?: string }[] = record.body.plan.findings;
    expect(findings[0]).toMatchObject({ kind: "decision", decision: "unverifiable" });
    expect(findings[1]?.kind).toBe("identity-unresolved");
    expect(findings[1]?.message).toContain("CloudTrail");
    await Promise.all(userRuns(stack).map((run) => run.done));
    expect(userRuns(stack).map((run) => run.status)).toEqual(["SUCCEEDED"]);
    expect(await stack.adapters.ledger.list()).toEqual([]);
    expect(stack.signals.UnverifiableUserRuns).toBe(1);
  });

  it("one an estate run linked is still found by the link, denied on that id, and the run ends clean", async () => {
    // Prepare: the hourly estate run has linked everyone; then SCIM deletes John's user first
    const JOHN = "john.smith@example.com";
    expect((await stack.runEstateReconcile())?.status).toBe("SUCCEEDED");
    const before = icAccess(stack, JOHN);
    expect(before.groups.length).toBeGreaterThan(0);
    const oktaUser = stack.emulators.okta.state.user(JOHN);
    const identityStore = new IdentitystoreClient(localClientConfig(stack.url));
    await identityStore.send(
      new DeleteUserCommand({
        IdentityStoreId: stack.emulators.identityCenter.identityStoreId,
        UserId: String(before.userId),
      }),
    );
    identityStore.destroy();

    // Act
    await okta(stack, "POST", `/api/v1/users/${JOHN}/lifecycle/deactivate`);
    await stack.settle();
    const key = await stack.waitForEvidence(String(oktaUser?.id));
    const record = JSON.parse(await stack.adapters.evidence.get(key));

    // Assess: resolved by the link as deleted, and the Deny names his id
    expect(record.body.truth.identityCenter).toMatchObject({
      userId: before.userId,
      resolution: { outcome: "resolved", via: "link", deleted: true },
    });
    expect(record.body.verification).toMatchObject({ passed: true });
    const denied = (await stack.adapters.ledger.list()).map((l) => l.deny.userId);
    expect(denied).toContain(before.userId);
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    expect(scps.join("")).toContain(String(before.userId));
  });
});

describe("a leaver, end to end on the local stack", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: SECRET, holdSeconds: 600, pollMs: 20 });
    // the run the tests below follow
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    await okta(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(oktaUser?.id));
  });
  afterAll(() => stack.stop());

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
