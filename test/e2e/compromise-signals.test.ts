import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import type { RequestContext } from "../../local/emulators/okta/log-event-factory.ts";
import { demoPolicyYaml } from "../../local/estate/demo-estate.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

const SECRET = randomHookSecret();
const SOC_ADMIN = { id: "00u0soc0admin0000001", login: "soc.admin@example.com", displayName: "SOC Admin" };

/** The Identity Center user id and the accounts the user reaches. */
function icAccess(stack: LocalStack, userName: string) {
  const ic = stack.emulators.identityCenter.snapshot();
  const userId = String(ic.users.find((u) => u.userName === userName)?.userId);
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  const accounts = ic.assignments
    .filter((a) => a.principalId === userId || groups.includes(a.principalId))
    .map((a) => a.accountId);
  return { userId, groups: groups.sort(), accounts: [...new Set(accounts)].sort() };
}

/** What the emulator records for an admin's action in the Admin Console (the System Log context). */
function consoleContext(actor: RequestContext["actor"]): RequestContext {
  return {
    requestId: `req-${crypto.randomUUID()}`,
    requestUri: "/admin/users",
    url: "/admin/users?",
    ipAddress: "127.0.0.1",
    userAgent: "Mozilla/5.0",
    apiTokenId: null,
    actor,
  };
}

describe("compromise signals end older AWS sessions and keep access (local stack)", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: SECRET, holdSeconds: 600, pollMs: 20 });
    // The policy turns two signals on; the pipeline's own Okta actor is the local token's admin.
    const { execution } = await stack.setPolicy(
      `${demoPolicyYaml()}compromiseSignals:\n  universalLogout: endSessions\n  adminSessionClear: endSessions\n  pipelineActorIds: [${stack.emulators.okta.admin.id}]\n`,
    );
    await execution.done;
  });
  afterAll(() => stack.stop());

  /** The user's run record, once written. */
  const runRecord = async (oktaUserId: string) => {
    const key = await stack.waitForEvidence(oktaUserId);
    return JSON.parse(await stack.adapters.evidence.get(String(key)));
  };

  it("Universal Logout: a session issued before it is denied, one issued after is allowed, access stays", async () => {
    // Prepare
    const login = "priya.patel@example.com";
    const user = stack.emulators.okta.state.user(login);
    if (!user) throw new Error(`no ${login}`);
    const before = icAccess(stack, login);
    expect(before.accounts.length).toBeGreaterThan(0);

    // Act: a SOC admin runs Universal Logout for her in Okta; Okta logs it and delivers the hook
    stack.emulators.okta.operations.recordEvent(
      consoleContext(SOC_ADMIN),
      "user.authentication.universal_logout",
      {
        user,
      },
    );
    await stack.settle();
    const record = await runRecord(user.id);

    // Assess: the evidence names the signal, and the run changed no access
    expect(parseEvidenceRecord(record).success).toBe(true);
    expect(record.body.trigger.events[0]).toMatchObject({
      eventType: "user.authentication.universal_logout",
    });
    expect(record.body.plan.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "compromise-signal",
          subject: expect.objectContaining({ signal: "universalLogout" }),
        }),
      ]),
    );
    expect(icAccess(stack, login)).toEqual(before);

    // the Deny: all of her sessions issued before the signal, reason compromise
    const event = stack.emulators.okta.systemLog
      .all()
      .find((e) => e.eventType === "user.authentication.universal_logout") as { published: string };
    const ledger = (await stack.adapters.ledger.list()).map((l) => l.deny);
    expect(ledger).toEqual([
      expect.objectContaining({ userId: before.userId, reason: "compromise", issuedBefore: event.published }),
    ]);

    // proven by policy evaluation in every account she reaches
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    const prover = createDenyProver(stack.estate.organization.rootId);
    const member = before.accounts.filter((a) => a !== stack.estate.organization.managementAccountId);
    const signalAt = Date.parse(event.published);
    for (const accountId of member) {
      const session = (offsetMs: number) =>
        prover.isDenied({
          userId: before.userId,
          accountId,
          permissionSetName: "DeveloperAccess",
          scps,
          inline: [],
          tokenIssuedAt: new Date(signalAt + offsetMs).toISOString(),
        });
      expect(await session(-60_000), `old session in ${accountId}`).toBe(true);
      expect(await session(1_000), `new session in ${accountId}`).toBe(false);
    }
  });

  it("the pipeline's own session clear starts no run; an admin's does", async () => {
    // Prepare
    const login = "jane.doe@example.com";
    const user = stack.emulators.okta.state.user(login);
    if (!user) throw new Error(`no ${login}`);
    const denies = (await stack.adapters.ledger.list()).length;
    const lastClear = () =>
      String(
        stack.emulators.okta.systemLog
          .all()
          .filter((e) => e.eventType === "user.session.clear")
          .at(-1)?.uuid,
      );

    // Act: a session clear whose actor is the pipeline's own token admin, then one by the SOC admin
    stack.emulators.okta.operations.recordEvent(
      consoleContext(stack.emulators.okta.admin),
      "user.session.clear",
      {
        user,
      },
    );
    await stack.settle();
    const own = lastClear();
    const deniesAfterOwn = (await stack.adapters.ledger.list()).length;
    stack.emulators.okta.operations.recordEvent(consoleContext(SOC_ADMIN), "user.session.clear", { user });
    await stack.settle();
    const record = await runRecord(user.id);

    // Assess: ingress ignored the pipeline's own clear (no run, no Deny); the admin's ended older sessions
    expect(stack.ingress.outcomes().get(own)).toEqual(["hook:ignored:pipeline-own-action"]);
    expect(deniesAfterOwn).toBe(denies);
    expect(record.body.trigger.events.map((e: { oktaEventId: string }) => e.oktaEventId)).toEqual([
      lastClear(),
    ]);
    expect(await stack.adapters.ledger.list()).toHaveLength(denies + 1);
  });
});
