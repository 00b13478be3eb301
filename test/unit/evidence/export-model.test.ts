import { describe, expect, it } from "vitest";
import {
  buildExportModel,
  type KeyedRecord,
  summarizeDurations,
} from "../../../core/evidence/export-model.ts";
import { chainRecords } from "../../../core/evidence/hash-chain.ts";
import { evidenceKey } from "../../../core/evidence/layout.ts";
import type { EvidenceDraft, UserRunRecord } from "../../../core/evidence/record.ts";
import { DAY1, DAY2, SCENARIO_EXPECTED, scenarioDrafts } from "../../support/evidence-scenario.ts";

function keyed(drafts: readonly EvidenceDraft[]): KeyedRecord[] {
  return chainRecords(drafts, null).map((record) => ({ key: evidenceKey(record), record }));
}

const period = { from: DAY1, to: DAY2 };

describe("buildExportModel", () => {
  it("files every leaver run with its times, outcome and SLA verdict, and attaches the lift record", () => {
    // Prepare
    const records = keyed(scenarioDrafts());

    // Act
    const model = buildExportModel(records, { period });

    // Assess
    expect(model.leavers.map((l) => [l.login, l.outcome, l.slaMet, l.timeToRevokeMs])).toEqual([
      ["alice@example.com", "revoked", true, SCENARIO_EXPECTED.leavers.timeToRevokeMs.alice],
      ["carol@example.com", "incomplete", false, null],
      ['=HYPERLINK("http://evil")', "revoked", false, SCENARIO_EXPECTED.leavers.timeToRevokeMs.bob],
      ["dave@example.com", "not-revoked", null, null],
    ]);
    const alice = model.leavers[0];
    expect(alice).toMatchObject({
      oktaUserId: "00ualice",
      eventType: "user.lifecycle.deactivate",
      oktaEventId: "evt-alice",
      oktaDeactivatedAt: `${DAY1}T09:00:00.000Z`,
      denyInForceAt: `${DAY1}T09:00:02.500Z`,
      accessRemovedAt: `${DAY1}T09:00:40.000Z`,
      timeToDenyMs: 2_500,
      accountsAffected: ["111111111111", "222222222222"],
      denyLiftedAt: `${DAY1}T21:00:41.000Z`,
      liftEvidenceKey: expect.stringMatching(/\.lift\.json$/),
      runId: "user-alice",
    });
    expect(model.leavers[1]?.outcomeDetail).toBe("verification failed; 1 action(s) failed");
    expect(model.leavers[3]?.outcomeDetail).toBe("Okta status is ACTIVE: access kept");
  });

  it("computes the period's figures from the rows", () => {
    // Act
    const { figures } = buildExportModel(keyed(scenarioDrafts()), { period });

    // Assess
    expect(figures.records).toEqual({
      total: SCENARIO_EXPECTED.records,
      userRuns: 7,
      estateRuns: 2,
      snapshots: 2,
    });
    expect(figures.leavers).toMatchObject({
      total: SCENARIO_EXPECTED.leavers.total,
      revoked: SCENARIO_EXPECTED.leavers.revoked,
      incomplete: SCENARIO_EXPECTED.leavers.incomplete,
      notRevoked: SCENARIO_EXPECTED.leavers.notRevoked,
      slaApplicable: SCENARIO_EXPECTED.leavers.slaApplicable,
      slaMet: SCENARIO_EXPECTED.leavers.slaMet,
      timeToRevoke: { count: 2, medianMs: 40_000, p95Ms: 5_400_000, maxMs: 5_400_000 },
    });
    expect(figures.joiners).toBe(SCENARIO_EXPECTED.joiners);
    expect(figures.movers).toBe(SCENARIO_EXPECTED.movers);
    expect(figures.drift).toMatchObject({ estateRuns: 2, ...SCENARIO_EXPECTED.drift });
    expect(figures.drift.byDay).toEqual([
      { date: DAY1, findings: 2, actions: 2 },
      { date: DAY2, findings: 2, actions: 0 },
    ]);
    expect(figures.accessReview).toMatchObject({
      rows: 3,
      users: 2,
      accounts: 2,
      snapshotAt: `${DAY2}T13:00:01.000Z`,
    });
    expect(figures.slaMs).toBe(3_600_000);
  });

  it("files joiners and movers with their changes, findings and timings", () => {
    // Act
    const model = buildExportModel(keyed(scenarioDrafts()), { period });

    // Assess
    expect(model.joiners).toEqual([
      expect.objectContaining({
        lifecycle: "joiner",
        login: "erin@example.com",
        eventTypes: ["user.lifecycle.activate"],
        oktaStatus: "ACTIVE",
        oktaGroups: ["aws-developers"],
        changes: ["membership.add SUCCEEDED"],
        findings: ["scim-lag"],
        verification: "passed",
        timeToConvergeMs: 6_000,
        denyInForceAt: null,
        timeToDenyMs: null,
      }),
    ]);
    expect(model.movers).toEqual([
      expect.objectContaining({
        lifecycle: "mover",
        login: "frank@example.com",
        changes: ["deny.add SUCCEEDED", "assignment.delete SUCCEEDED"],
        timeToDenyMs: 1_500,
        liftEvidenceKey: null,
      }),
    ]);
  });

  it("lists drift findings, the changes estate runs made, and what a blocked plan did not do", () => {
    // Act
    const { drift } = buildExportModel(keyed(scenarioDrafts()), { period });

    // Assess
    expect(drift.map((d) => [d.source, d.type, d.kind, d.outcome])).toEqual([
      ["estate-run", "finding", "direct-user-assignment", "reported"],
      ["estate-run", "finding", "unmanaged-assignment", "reported"],
      ["estate-run", "action", "assignment.create", "SUCCEEDED"],
      ["estate-run", "action", "assignment.delete", "FAILED"],
      ["user-run", "finding", "scim-lag", "reported"],
      ["estate-run", "finding", "okta-read-failed", "reported; plan blocked"],
      ["estate-run", "not-applied", "assignment.delete", "not applied: plan blocked by a guard"],
      ["estate-run", "not-applied", "assignment.delete", "not applied: plan blocked by a guard"],
    ]);
    expect(drift[0]?.subject).toBe("accountId=555555555555; userId=ic-john");
    expect(drift[3]).toMatchObject({
      detail: "ConflictException: retry later",
      requestId: expect.any(String),
    });
    expect(drift[6]?.subject).toBe('assignment={"accountId":"555555555555"}; why=group emptied');
  });

  it("never counts the pipeline's own revocation upkeep (re-provisions after a Deny write) as drift", () => {
    // Prepare: the first estate run also re-provisioned a set its Deny writes had left outdated
    const drafts = scenarioDrafts();
    const estateRun = drafts.find((d) => d.kind === "estate-run");
    if (estateRun?.kind !== "estate-run") throw new Error("the scenario has an estate run");
    const before = buildExportModel(keyed(scenarioDrafts()), { period }).figures.drift;
    estateRun.body.actions.push({
      kind: "permission-set.reprovision",
      target: {
        targetType: "ALL_PROVISIONED_ACCOUNTS",
        permissionSetArn: "arn:ps",
        outdatedAccountIds: "1,2",
      },
      requestId: "r-upkeep",
      status: "SUCCEEDED",
      error: null,
      startedAt: estateRun.createdAt,
      finishedAt: estateRun.createdAt,
      attempts: 1,
      cause: "revocation",
    });

    // ... and a plan a guard blocked held back upkeep besides its deletions
    const blocked = drafts.find((d) => d.kind === "estate-run" && d.body.plan.blockedReason !== null);
    if (blocked?.kind !== "estate-run") throw new Error("the scenario has a blocked estate run");
    blocked.body.plan.actions.push(
      { kind: "permission-set.reprovision", permissionSetArn: "arn:ps", cause: "revocation" },
      { kind: "deny.lift", why: "expired" },
    );

    // Act
    const after = buildExportModel(keyed(drafts), { period });

    // Assess
    expect(after.figures.drift).toEqual(before);
    expect(after.drift.map((d) => d.kind)).not.toContain("permission-set.reprovision");
    expect(after.drift.map((d) => d.kind)).not.toContain("deny.lift");
  });

  it("takes the access review from the latest snapshot of the period", () => {
    // Act
    const { accessReview } = buildExportModel(keyed(scenarioDrafts()), { period });

    // Assess
    expect(
      accessReview.map((r) => [r.userName, r.groupName, r.permissionSetName, r.accountId, r.since]),
    ).toEqual([
      ["erin@example.com", "aws-developers", "Developer", "555555555555", `${DAY2}T08:00:05.000Z`],
      ["frank@example.com", "aws-readonly", "ReadOnly", "555555555555", null],
      ["frank@example.com", "aws-readonly", "ReadOnly", "888888888888", null],
    ]);
    expect(accessReview[0]?.evidenceKey).toMatch(/^v1\/snapshots\/2024\/05\/02\//);
  });

  it("keeps only the period's records, and has empty rows and figures when there are none", () => {
    // Act
    const day1 = buildExportModel(keyed(scenarioDrafts()), { period: { from: DAY1, to: DAY1 } });
    const none = buildExportModel(keyed(scenarioDrafts()), {
      period: { from: "2024-06-01", to: "2024-06-01" },
    });

    // Assess
    expect(day1.figures.records.total).toBe(7);
    expect(day1.joiners).toEqual([]);
    expect(day1.accessReview).toHaveLength(2);
    expect(none.figures).toMatchObject({
      records: { total: 0 },
      leavers: { total: 0, timeToRevoke: null, timeToDeny: null },
      accessReview: null,
    });
    expect(none.leavers).toEqual([]);
  });

  it("reads a large snapshot's rows from the object they were loaded from", () => {
    // Prepare
    const object = {
      key: "v1/snapshots/2024/05/02/estate-3.jsonl.gz",
      format: "jsonl.gz" as const,
      rows: 1,
      sha256: "ab".repeat(32),
    };
    const large = { ...(scenarioDrafts()[10] as EvidenceDraft), body: { object } } as EvidenceDraft;
    const row = {
      userId: "u",
      userName: "u@example.com",
      groupName: "g",
      permissionSetName: "p",
      accountId: "999999999999",
    };
    const records = keyed([...scenarioDrafts().slice(0, 10), large]);

    // Act
    const loaded = buildExportModel(records, { period, snapshotRows: new Map([[object.key, [row]]]) });
    const notLoaded = buildExportModel(records, { period });

    // Assess
    expect(loaded.accessReview.map((r) => r.accountId)).toEqual(["999999999999"]);
    expect(notLoaded.accessReview).toEqual([]);
  });

  it("honours a configured SLA", () => {
    // Act: 2 hours: bob's 1 h 30 min now meets it
    const model = buildExportModel(keyed(scenarioDrafts()), { period, slaMs: 7_200_000 });

    // Assess
    expect(model.figures.leavers.slaMet).toBe(2);
  });

  it("files runs by Okta's truth first, then their events; a deleted user is a leaver", () => {
    // Prepare
    const base = scenarioDrafts()[0] as Omit<UserRunRecord, "sequence" | "previousHash">;
    const variant = (
      id: string,
      status: string | null | undefined,
      kinds: ("joiner" | "mover" | "leaver")[],
      extra: Partial<UserRunRecord["body"]> = {},
    ): EvidenceDraft => ({
      ...base,
      recordId: `${id}.run`,
      runId: id,
      body: {
        ...base.body,
        ...extra,
        truth: { ...base.body.truth, okta: status === undefined ? {} : { userStatus: status } },
        trigger:
          kinds.length === 0
            ? { type: "manual", requestedBy: "security" }
            : {
                type: "events",
                events: kinds.map((kind, i) => ({
                  oktaEventId: `${id}-${i}`,
                  eventType: `type-${kind}`,
                  published: base.body.timings.oktaPublished as string,
                  kind,
                  channel: "poller" as const,
                })),
              },
      },
    });

    // Act
    const model = buildExportModel(
      keyed([
        variant("deleted", null, ["mover"]),
        variant("joiner-and-mover", "ACTIVE", ["joiner", "mover"]),
        variant("manual", undefined, [], { actions: [], verification: null }),
        variant("unverified", "DEPROVISIONED", ["leaver"], {
          verification: null,
          actions: [],
          truth: { okta: {}, identityCenter: {} },
        }),
      ]),
      { period },
    );

    // Assess
    expect(model.leavers.map((l) => [l.runId, l.outcome, l.eventType])).toEqual([
      ["deleted", "revoked", "type-mover"],
      ["unverified", "incomplete", "type-leaver"],
    ]);
    expect(
      model.movers.map((m) => [m.runId, m.oktaEventAt, m.timeToConvergeMs, m.verification, m.oktaStatus]),
    ).toEqual([
      ["joiner-and-mover", `${DAY1}T09:00:00.000Z`, 41_000, "passed", "ACTIVE"],
      ["manual", null, null, "not run", null],
    ]);
  });

  it("reports an unverified leaver as incomplete, and takes the accounts from the actions when the run lists none", () => {
    // Prepare
    const base = scenarioDrafts()[1] as Omit<UserRunRecord, "sequence" | "previousHash">;
    const draft: EvidenceDraft = {
      ...base,
      body: {
        ...base.body,
        verification: null,
        truth: { okta: { userStatus: "SUSPENDED" }, identityCenter: {} },
        trigger: { type: "schedule" },
        timings: { runFinished: base.body.timings.runFinished as string },
        actions: [
          ...base.body.actions,
          { ...(base.body.actions[0] as UserRunRecord["body"]["actions"][0]), target: { userId: "x" } },
        ],
      },
    };
    const lift: EvidenceDraft = {
      ...base,
      recordId: `${base.runId}.lift`,
      createdAt: "2024-05-01T23:00:00.000Z",
      body: { ...base.body, actions: [], timings: { runFinished: "2024-05-01T23:00:00.000Z" } },
    };

    // Act
    const model = buildExportModel(keyed([draft, lift]), { period });

    // Assess
    expect(model.leavers).toEqual([
      expect.objectContaining({
        outcome: "incomplete",
        outcomeDetail: "not verified; 2 action(s) failed",
        accountsAffected: ["444444444444"],
        eventType: null,
        oktaEventId: null,
        oktaDeactivatedAt: null,
        timeToDenyMs: null,
        slaMet: false,
        denyLiftedAt: "2024-05-01T23:00:00.000Z",
      }),
    ]);
  });

  it("says why a leaver is incomplete without failed actions", () => {
    // Prepare
    const base = scenarioDrafts()[1] as Omit<UserRunRecord, "sequence" | "previousHash">;
    const verifiedNot: EvidenceDraft = { ...base, body: { ...base.body, actions: [] } };
    const unverified: EvidenceDraft = {
      ...base,
      recordId: "x.run",
      runId: "x",
      body: { ...base.body, actions: [], verification: null },
    };

    // Act
    const model = buildExportModel(keyed([verifiedNot, unverified]), { period });

    // Assess
    expect(model.leavers.map((l) => l.outcomeDetail)).toEqual(["verification failed", "not verified"]);
  });
});

it("counts repeated changes, reports a failed verification, and tolerates findings without subject or message", () => {
  // Prepare
  const base = scenarioDrafts()[8] as Omit<UserRunRecord, "sequence" | "previousHash">;
  const repeated = base.body.actions[1] as UserRunRecord["body"]["actions"][0];
  const draft: EvidenceDraft = {
    ...base,
    body: {
      ...base.body,
      actions: [repeated, repeated, repeated],
      verification: { passed: false, details: [] },
      plan: {
        ...base.body.plan,
        findings: [{ kind: "orphaned-user", subject: null }, { kind: "stale-membership" }],
      },
      timings: { oktaPublished: base.body.timings.oktaPublished as string },
    },
  };

  // Act
  const model = buildExportModel(keyed([draft]), { period });

  // Assess
  expect(model.movers).toEqual([
    expect.objectContaining({
      changes: ["assignment.delete SUCCEEDED x3"],
      verification: "failed",
      runFinishedAt: null,
      timeToConvergeMs: null,
      findings: ["orphaned-user", "stale-membership"],
    }),
  ]);
  expect(model.drift.map((d) => [d.kind, d.subject, d.detail])).toEqual([
    ["orphaned-user", "", ""],
    ["stale-membership", "", ""],
  ]);
});

describe("summarizeDurations", () => {
  it("gives nearest-rank median and 95th percentile, and the maximum", () => {
    expect(summarizeDurations([])).toBeNull();
    expect(summarizeDurations([5])).toEqual({ count: 1, medianMs: 5, p95Ms: 5, maxMs: 5 });
    expect(summarizeDurations(Array.from({ length: 20 }, (_, i) => 20 - i))).toEqual({
      count: 20,
      medianMs: 10,
      p95Ms: 19,
      maxMs: 20,
    });
  });
});
