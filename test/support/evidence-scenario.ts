import type { ActionOutcome, EvidenceDraft, UserRunRecord } from "../../core/evidence/record.ts";

/*
 * Two days of evidence, in the order it was written, with every kind of row an export has: four leaver runs (revoked within the SLA,
 * revoked late, incomplete, kept because Okta says active), a lift record, a joiner, a mover, two estate
 * runs (drift repaired with one failure, and a plan blocked by a guard) and two access snapshots.
 * The figures an export must show are listed in `SCENARIO_EXPECTED`.
 */

export const DAY1 = "2024-05-01";
export const DAY2 = "2024-05-02";
const t = (day: string, time: string) => `${day}T${time}Z`;

type UserRunDraft = Omit<UserRunRecord, "sequence" | "previousHash">;

function action(
  kind: string,
  target: Record<string, string>,
  at: string,
  status: ActionOutcome["status"] = "SUCCEEDED",
): ActionOutcome {
  return {
    kind,
    target,
    requestId: status === "SKIPPED" ? null : `req-${kind}-${at}`,
    status,
    error: status === "FAILED" ? "ConflictException: retry later" : null,
    startedAt: at,
    finishedAt: at,
    attempts: 1,
  };
}

interface UserRunSpec {
  id: string;
  login: string;
  eventType: string;
  kind: "joiner" | "mover" | "leaver";
  published: string;
  status: string | null;
  groups?: string[];
  accounts?: string[];
  actions?: ActionOutcome[];
  findings?: { kind: string; message: string; subject: Record<string, string> }[];
  verified: boolean | null;
  denyInForce?: string;
  accessRemoved?: string;
  finished: string;
  lift?: boolean;
}

function userRun(spec: UserRunSpec): UserRunDraft {
  const runId = `user-${spec.id}`;
  return {
    schemaVersion: 1,
    recordId: `${runId}.${spec.lift ? "lift" : "run"}`,
    runId,
    kind: "user-run",
    createdAt: spec.finished,
    body: {
      subject: { oktaUserId: `00u${spec.id}`, login: spec.login, identityCenterUserId: `ic-${spec.id}` },
      trigger: {
        type: "events",
        events: [
          {
            oktaEventId: `evt-${spec.id}`,
            eventType: spec.eventType,
            published: spec.published,
            kind: spec.kind,
            channel: "hook",
          },
        ],
      },
      truth: {
        okta: { userStatus: spec.status, groups: spec.groups ?? [] },
        identityCenter: { userId: `ic-${spec.id}`, accountsWithAccess: spec.accounts ?? [] },
      },
      plan: {
        actions: [],
        findings: [{ kind: "decision", decision: "revoke", reason: "scenario" }, ...(spec.findings ?? [])],
        blockedReason: null,
      },
      actions: spec.actions ?? [],
      verification:
        spec.verified === null
          ? null
          : { passed: spec.verified, details: [{ check: "no-access-left", passed: spec.verified }] },
      timings: {
        oktaPublished: spec.published,
        runStarted: spec.published,
        ...(spec.denyInForce ? { denyInForce: spec.denyInForce } : {}),
        ...(spec.accessRemoved ? { accessRemoved: spec.accessRemoved } : {}),
        runFinished: spec.finished,
      },
    },
  };
}

/** The scenario's drafts, in the order the pipeline wrote them. */
export function scenarioDrafts(): EvidenceDraft[] {
  const alice = {
    id: "alice",
    login: "alice@example.com",
    eventType: "user.lifecycle.deactivate",
    kind: "leaver" as const,
    published: t(DAY1, "09:00:00.000"),
    status: "DEPROVISIONED",
    accounts: ["111111111111", "222222222222"],
    actions: [
      action("deny.add", { userId: "ic-alice", scope: "all" }, t(DAY1, "09:00:02.500")),
      action("assignment.delete", { accountId: "111111111111" }, t(DAY1, "09:00:30.000")),
      action("membership.remove", { membershipId: "m-1" }, t(DAY1, "09:00:40.000")),
    ],
    verified: true,
    denyInForce: t(DAY1, "09:00:02.500"),
    accessRemoved: t(DAY1, "09:00:40.000"),
    finished: t(DAY1, "09:00:41.000"),
  };
  return [
    userRun(alice),
    userRun({
      id: "carol",
      login: "carol@example.com",
      eventType: "user.lifecycle.deactivate",
      kind: "leaver",
      published: t(DAY1, "11:00:00.000"),
      status: "DEPROVISIONED",
      accounts: ["444444444444"],
      actions: [
        action("assignment.delete", { accountId: "444444444444" }, t(DAY1, "11:00:09.000"), "FAILED"),
      ],
      verified: false,
      denyInForce: t(DAY1, "11:00:02.000"),
      finished: t(DAY1, "11:00:10.000"),
    }),
    userRun({
      id: "bob",
      login: '=HYPERLINK("http://evil")',
      eventType: "user.lifecycle.suspend",
      kind: "leaver",
      published: t(DAY1, "10:00:00.000"),
      status: "SUSPENDED",
      accounts: ["333333333333"],
      actions: [action("membership.remove", { membershipId: "m-2" }, t(DAY1, "11:30:00.000"))],
      verified: true,
      denyInForce: t(DAY1, "10:00:03.000"),
      accessRemoved: t(DAY1, "11:30:00.000"),
      finished: t(DAY1, "11:30:01.000"),
    }),
    userRun({
      id: "dave",
      login: "dave@example.com",
      eventType: "user.lifecycle.deactivate",
      kind: "leaver",
      published: t(DAY1, "12:00:00.000"),
      status: "ACTIVE",
      groups: ["aws-developers"],
      verified: true,
      finished: t(DAY1, "12:00:01.000"),
    }),
    {
      schemaVersion: 1,
      recordId: "estate-1.estate",
      runId: "estate-1",
      kind: "estate-run",
      createdAt: t(DAY1, "13:00:00.000"),
      body: {
        trigger: { type: "schedule", schedule: "hourly" },
        truth: { okta: { groups: ["aws-developers"] }, identityCenter: { assignments: 10 } },
        plan: {
          actions: [{ kind: "assignment.create" }, { kind: "assignment.delete" }],
          findings: [
            {
              kind: "direct-user-assignment",
              message: "john has PlatformAdmin directly",
              subject: { userId: "ic-john", accountId: "555555555555" },
            },
            {
              kind: "unmanaged-assignment",
              message: "an assignment no rule owns",
              subject: { accountId: "666666666666" },
            },
          ],
          blockedReason: null,
        },
        actions: [
          action(
            "assignment.create",
            { accountId: "555555555555", principalId: "g-dev" },
            t(DAY1, "12:59:58.000"),
          ),
          action(
            "assignment.delete",
            { accountId: "666666666666", principalId: "g-old" },
            t(DAY1, "12:59:59.000"),
            "FAILED",
          ),
        ],
        verification: null,
        timings: { runStarted: t(DAY1, "12:59:50.000"), runFinished: t(DAY1, "13:00:00.000") },
      },
    },
    {
      schemaVersion: 1,
      recordId: "estate-1.snapshot",
      runId: "estate-1",
      kind: "snapshot",
      createdAt: t(DAY1, "13:00:01.000"),
      body: {
        rows: [
          {
            userId: "ic-erin",
            userName: "erin@example.com",
            groupName: "aws-developers",
            permissionSetName: "Developer",
            accountId: "555555555555",
          },
          {
            userId: "ic-frank",
            userName: "frank@example.com",
            groupName: "aws-admins",
            permissionSetName: "PlatformAdmin",
            accountId: "555555555555",
          },
        ],
      },
    },
    userRun({
      ...alice,
      actions: [action("deny.lift", { userId: "ic-alice" }, t(DAY1, "21:00:41.000"))],
      verified: null,
      accessRemoved: undefined,
      finished: t(DAY1, "21:00:42.000"),
      lift: true,
    }),
    userRun({
      id: "erin",
      login: "erin@example.com",
      eventType: "user.lifecycle.activate",
      kind: "joiner",
      published: t(DAY2, "08:00:00.000"),
      status: "ACTIVE",
      groups: ["aws-developers"],
      accounts: ["555555555555"],
      actions: [action("membership.add", { groupId: "g-dev" }, t(DAY2, "08:00:05.000"))],
      findings: [
        {
          kind: "scim-lag",
          message: "aws-developers membership missing in Identity Center",
          subject: { userId: "ic-erin" },
        },
      ],
      verified: true,
      finished: t(DAY2, "08:00:06.000"),
    }),
    userRun({
      id: "frank",
      login: "frank@example.com",
      eventType: "group.user_membership.remove",
      kind: "mover",
      published: t(DAY2, "09:00:00.000"),
      status: "ACTIVE",
      groups: ["aws-readonly"],
      accounts: ["555555555555"],
      actions: [
        action(
          "deny.add",
          { userId: "ic-frank", scope: "PlatformAdmin:555555555555" },
          t(DAY2, "09:00:01.500"),
        ),
        action("assignment.delete", { accountId: "555555555555" }, t(DAY2, "09:00:20.000")),
      ],
      verified: true,
      denyInForce: t(DAY2, "09:00:01.500"),
      accessRemoved: t(DAY2, "09:00:20.000"),
      finished: t(DAY2, "09:00:21.000"),
    }),
    {
      schemaVersion: 1,
      recordId: "estate-2.estate",
      runId: "estate-2",
      kind: "estate-run",
      createdAt: t(DAY2, "13:00:00.000"),
      body: {
        trigger: { type: "schedule", schedule: "hourly" },
        truth: { okta: { groups: [] }, identityCenter: { assignments: 10 } },
        plan: {
          actions: [
            { kind: "assignment.delete", assignment: { accountId: "555555555555" }, why: "group emptied" },
            { kind: "assignment.delete", assignment: { accountId: "777777777777" }, why: "group emptied" },
          ],
          findings: [
            {
              kind: "okta-read-failed",
              message: "aws-developers returned no members",
              subject: { group: "aws-developers" },
            },
          ],
          blockedReason: "the plan deletes 2 of 2 assignments (max-delete-percent 10%)",
        },
        actions: [],
        verification: null,
        timings: { runStarted: t(DAY2, "12:59:50.000"), runFinished: t(DAY2, "13:00:00.000") },
      },
    },
    {
      schemaVersion: 1,
      recordId: "estate-2.snapshot",
      runId: "estate-2",
      kind: "snapshot",
      createdAt: t(DAY2, "13:00:01.000"),
      body: {
        rows: [
          {
            userId: "ic-erin",
            userName: "erin@example.com",
            groupName: "aws-developers",
            permissionSetName: "Developer",
            accountId: "555555555555",
            since: t(DAY2, "08:00:05.000"),
          },
          {
            userId: "ic-frank",
            userName: "frank@example.com",
            groupName: "aws-readonly",
            permissionSetName: "ReadOnly",
            accountId: "555555555555",
          },
          {
            userId: "ic-frank",
            userName: "frank@example.com",
            groupName: "aws-readonly",
            permissionSetName: "ReadOnly",
            accountId: "888888888888",
          },
        ],
      },
    },
  ];
}

/** What an export of DAY1..DAY2 must say about the scenario (SLA 1 hour). */
export const SCENARIO_EXPECTED = {
  leavers: {
    total: 4,
    revoked: 2,
    incomplete: 1,
    notRevoked: 1,
    slaApplicable: 3,
    slaMet: 1,
    /** alice 40 s, bob 1 h 30 min. */
    timeToRevokeMs: { alice: 40_000, bob: 5_400_000 },
  },
  joiners: 1,
  movers: 1,
  drift: { findings: 4, actions: 2, failedActions: 1, notApplied: 2 },
  accessReviewRows: 3,
  records: 11,
} as const;
