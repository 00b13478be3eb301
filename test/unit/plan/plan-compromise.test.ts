import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import type { LifecycleEvent, UserLifecycleEvent } from "../../../core/okta/lifecycle-event.ts";
import { planCompromiseSignal } from "../../../core/plan/plan-compromise.ts";
import { planUserRun } from "../../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";
import {
  COMPROMISE_SIGNALS_OFF,
  type CompromiseSignalPolicy,
} from "../../../core/policy/compromise-signals.ts";

const NOW = "2026-06-01T12:00:00.000Z";
const SIGNAL_AT = "2026-06-01T11:59:58.000Z";
const HOLD = 12 * 3_600_000;
const PIPELINE = "0oa1pipeline0app0id0";
const ALL_ON: CompromiseSignalPolicy = {
  mfaReset: "endSessions",
  universalLogout: "endSessions",
  breachedCredential: "endSessions",
  userRisk: "endSessions",
  adminSessionClear: "endSessions",
  pipelineActorIds: [PIPELINE],
};

function truth(change: (t: UserTruth) => void = () => {}): UserTruth {
  const t: UserTruth = {
    observedAt: NOW,
    okta: { found: true, status: "ACTIVE", login: "jane.doe@example.com", groups: [] },
    identityCenter: {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1234567890",
      userId: "ic-jane",
      userName: "jane.doe@example.com",
      memberships: [],
      directAssignments: [],
      groupAssignments: [],
      denies: [],
    },
  };
  change(t);
  return t;
}

function signal(overrides: Partial<UserLifecycleEvent> = {}): UserLifecycleEvent {
  return {
    kind: "mover",
    subject: "user",
    eventType: "user.authentication.universal_logout",
    oktaEventId: "evt-1",
    published: SIGNAL_AT,
    user: { id: "00ujane", login: "jane.doe@example.com" },
    actor: { id: "00uadmin", type: "User" },
    outcome: "SUCCESS",
    signal: "universalLogout",
    ...overrides,
  };
}

const plan = (t: UserTruth, event: LifecycleEvent, policy: CompromiseSignalPolicy = ALL_ON) =>
  planCompromiseSignal(planUserRun(t, { holdMs: HOLD, now: NOW }), t, event, {
    policy,
    holdMs: HOLD,
    now: NOW,
  });

describe("planCompromiseSignal", () => {
  it("denies the sessions issued before the signal, held for the longest session, and keeps access", () => {
    // Act
    const result = plan(truth(), signal());

    // Assess
    const deny: DenyEntry = {
      userId: "ic-jane",
      scope: "all",
      issuedBefore: SIGNAL_AT,
      reason: "compromise",
      createdAt: NOW,
      expiresAt: "2026-06-02T00:00:00.000Z",
    };
    expect(result).toMatchObject({
      decision: "adjust",
      denies: [deny],
      assignmentDeletions: [],
      membershipRemovals: [],
      holdSeconds: 43_200,
      actions: [{ kind: "deny.add", deny, inlinePermissionSetArns: [] }],
      findings: [
        {
          kind: "compromise-signal",
          subject: {
            signal: "universalLogout",
            eventType: "user.authentication.universal_logout",
            oktaEventId: "evt-1",
            userId: "ic-jane",
          },
        },
      ],
    });
    expect(result.reason).toContain("compromise signal universalLogout");
  });

  it("never dates the Deny after now: a future signal denies only sessions issued before the run", () => {
    // Act
    const result = plan(truth(), signal({ published: "2026-06-01T12:04:00.000Z" }));

    // Assess
    expect(result.denies.map((d) => d.issuedBefore)).toEqual([NOW]);
  });

  it("changes nothing when the policy leaves the signal off (the default), and says so", () => {
    // Act
    const result = plan(truth(), signal(), COMPROMISE_SIGNALS_OFF);

    // Assess
    expect(result).toMatchObject({ decision: "none", denies: [], actions: [] });
    expect(result.findings[0]?.message).toContain("compromiseSignals.universalLogout is ignore");
  });

  it("turns each signal on by its own switch", () => {
    // Act
    const result = plan(truth(), signal(), { ...COMPROMISE_SIGNALS_OFF, mfaReset: "endSessions" });

    // Assess
    expect(result.denies).toEqual([]);
  });

  it("leaves the pipeline's own session clear alone, and acts on an admin's", () => {
    // Prepare
    const clear = (actorId: string) =>
      signal({
        eventType: "user.session.clear",
        signal: "adminSessionClear",
        actor: { id: actorId, type: "User" },
      });

    // Act
    const own = plan(truth(), clear(PIPELINE));
    const admin = plan(truth(), clear("00uadmin"));

    // Assess
    expect(own.denies).toEqual([]);
    expect(own.findings[0]?.message).toContain("made by the pipeline itself");
    expect(admin.denies).toHaveLength(1);
  });

  it("acts on a session clear without an actor", () => {
    // Act
    const result = plan(
      truth(),
      signal({ eventType: "user.session.clear", signal: "adminSessionClear", actor: null }),
    );

    // Assess
    expect(result.denies).toHaveLength(1);
  });

  it.each([
    ["LOW", 0],
    ["HIGH", 1],
    [undefined, 1],
  ])("for a risk level of %s adds %i Deny", (riskLevel, count) => {
    // Act
    const result = plan(
      truth(),
      signal({ eventType: "user.risk.change", signal: "userRisk", ...(riskLevel ? { riskLevel } : {}) }),
    );

    // Assess
    expect(result.denies).toHaveLength(count);
  });

  it("adds nothing to a leaver's revocation: the leaver's Deny ends every session", () => {
    // Act
    const result = plan(
      truth((t) => (t.okta.status = "SUSPENDED")),
      signal(),
    );

    // Assess
    expect(result.decision).toBe("revoke");
    expect(result.denies.map((d) => d.reason)).toEqual(["leaver"]);
    expect(result.findings.at(-1)?.message).toContain("is a leaver");
  });

  it("acts on nobody for an unverifiable run", () => {
    // Prepare
    const t = truth((u) => {
      u.identityCenter.userId = null;
      u.identityCenter.resolution = { outcome: "unresolved", detail: "no user", candidates: [] } as never;
    });

    // Act
    const result = plan(t, signal());

    // Assess
    expect(result.decision).toBe("unverifiable");
    expect(result.denies).toEqual([]);
    expect(result.findings.at(-1)?.subject).not.toHaveProperty("userId");
  });

  it("has no session to end for a user Identity Center does not hold", () => {
    // Act
    const result = plan(
      truth((t) => (t.identityCenter.userId = null)),
      signal(),
    );

    // Assess
    expect(result.denies).toEqual([]);
    expect(result.findings.at(-1)?.message).toContain("holds no user");
  });

  it.each([
    ["a later compromise Deny", { issuedBefore: "2026-06-01T11:59:59.000Z", reason: "compromise" }, 0],
    ["a leaver Deny", { reason: "leaver" }, 0],
    [
      "an earlier attribute-change Deny",
      { issuedBefore: "2026-06-01T11:00:00.000Z", reason: "attribute-change" },
      1,
    ],
    ["an expired Deny", { reason: "leaver", expiresAt: "2026-06-01T11:00:00.000Z" }, 1],
  ] as const)("with %s in force: compromise Denies added as expected", (_, deny, count) => {
    // Prepare
    const t = truth((u) => {
      u.identityCenter.denies = [
        {
          userId: "ic-jane",
          scope: "all",
          createdAt: "2026-06-01T10:00:00.000Z",
          expiresAt: "2026-06-02T10:00:00.000Z",
          ...deny,
        },
      ];
    });

    // Act
    const result = plan(t, signal());

    // Assess
    expect(result.denies.filter((d) => d.reason === "compromise")).toHaveLength(count);
  });

  it("ignores a scoped Deny of another user", () => {
    // Prepare
    const t = truth((u) => {
      u.identityCenter.denies = [
        {
          userId: "ic-other",
          scope: "all",
          reason: "leaver",
          createdAt: NOW,
          expiresAt: "2026-06-02T10:00:00.000Z",
        },
        {
          userId: "ic-jane",
          scope: { permissionSetName: "Dev", accountIds: ["111111111111"] },
          reason: "mover",
          createdAt: NOW,
          expiresAt: "2026-06-02T10:00:00.000Z",
        },
      ];
    });

    // Act
    const result = plan(t, signal());

    // Assess
    expect(result.denies).toHaveLength(1);
  });

  it.each([
    ["an event without a signal", signal({ eventType: "user.account.lock", signal: undefined })],
    [
      "a group event",
      {
        kind: "mover",
        subject: "group",
        eventType: "group.profile.update",
        oktaEventId: "evt-g",
        published: SIGNAL_AT,
        group: { id: "00g1", name: "aws-devs" },
        actor: null,
        outcome: "SUCCESS",
      } as LifecycleEvent,
    ],
  ])("returns the plan unchanged for %s", (_, event) => {
    // Prepare
    const t = truth();
    const before = planUserRun(t, { holdMs: HOLD, now: NOW });

    // Act
    const result = planCompromiseSignal(before, t, event, { policy: ALL_ON, holdMs: HOLD, now: NOW });

    // Assess
    expect(result).toBe(before);
  });
});
