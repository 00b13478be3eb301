import { canonicalize } from "../../../core/evidence/canonical-json.ts";
import { type ChainHead, chainRecords } from "../../../core/evidence/hash-chain.ts";
import type {
  EstateRunRecord,
  EvidenceDraft,
  EvidenceRecord,
  SnapshotRecord,
  UserRunRecord,
} from "../../../core/evidence/record.ts";
import type { ChainEntry } from "../../../core/evidence/verify-chain.ts";

type Draft<R> = Omit<R, "sequence" | "previousHash">;

export const T0 = Date.parse("2024-05-01T12:00:00.000Z");
export const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A leaver's user run: event at T0, Deny 4.2 s later, access gone at 61.5 s. */
export function userRunDraft(id = "1"): Draft<UserRunRecord> {
  return {
    schemaVersion: 1,
    recordId: `rec-${id}`,
    runId: `run-${id}`,
    kind: "user-run",
    createdAt: at(62_000),
    body: {
      subject: { oktaUserId: "00u1leaver", login: "leaver@example.com", identityCenterUserId: "ic-user-1" },
      trigger: {
        type: "events",
        events: [
          {
            oktaEventId: "evt-1",
            eventType: "user.lifecycle.deactivate",
            published: at(0),
            kind: "leaver",
            channel: "hook",
          },
        ],
      },
      truth: {
        okta: { userStatus: "DEPROVISIONED", groups: [] },
        identityCenter: { assignments: 1, memberships: 1 },
      },
      plan: {
        actions: [{ kind: "deny.add" }, { kind: "assignment.delete", accountId: "111111111111" }],
        findings: [],
        blockedReason: null,
      },
      actions: [
        {
          kind: "deny.add",
          target: { userId: "ic-user-1", scope: "all" },
          requestId: "req-deny",
          status: "SUCCEEDED",
          error: null,
          startedAt: at(1_000),
          finishedAt: at(4_200),
          attempts: 1,
        },
        {
          kind: "assignment.delete",
          target: {
            accountId: "111111111111",
            permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
          },
          requestId: "req-delete",
          status: "SUCCEEDED",
          error: null,
          startedAt: at(4_300),
          finishedAt: at(61_500),
          attempts: 2,
        },
      ],
      verification: { passed: true, details: [{ check: "no-assignments-left", passed: true }] },
      timings: {
        oktaPublished: at(0),
        runStarted: at(800),
        denyInForce: at(4_200),
        accessRemoved: at(61_500),
        runFinished: at(62_000),
      },
    },
  };
}

export function estateRunDraft(id = "2"): Draft<EstateRunRecord> {
  return {
    schemaVersion: 1,
    recordId: `rec-${id}`,
    runId: `run-${id}`,
    kind: "estate-run",
    createdAt: at(3_600_000),
    body: {
      trigger: { type: "schedule", schedule: "hourly" },
      truth: {
        okta: { groups: ["aws-developers"] },
        identityCenter: { assignments: 3 },
        organization: { accounts: 2 },
      },
      plan: { actions: [], findings: [{ kind: "direct-user-assignment" }], blockedReason: null },
      actions: [],
      verification: { passed: true, details: [] },
      timings: { runStarted: at(3_590_000), runFinished: at(3_600_000) },
    },
  };
}

export function snapshotDraft(id = "3"): Draft<SnapshotRecord> {
  return {
    schemaVersion: 1,
    recordId: `rec-${id}`,
    runId: "run-2",
    kind: "snapshot",
    createdAt: at(3_600_001),
    body: {
      rows: [
        {
          userId: "ic-user-2",
          userName: "dev@example.com",
          groupName: "aws-developers",
          permissionSetName: "Developer",
          accountId: "222222222222",
          since: at(-86_400_000),
        },
      ],
    },
  };
}

/** `count` drafts cycling through the three kinds, createdAt one second apart. */
export function drafts(count: number): EvidenceDraft[] {
  const makers = [userRunDraft, estateRunDraft, snapshotDraft];
  return Array.from({ length: count }, (_, i) => {
    const make = makers[i % makers.length] as (id: string) => EvidenceDraft;
    return { ...make(String(i)), createdAt: at(i * 1_000) };
  });
}

/** A storage key that lists in chain order. */
export const keyOf = (i: number) => `v1/runs/2024/05/01/${String(i).padStart(4, "0")}.json`;

/** Records as the store gives them back: parsed from their canonical JSON, under ordered keys. */
export function stored(
  records: readonly EvidenceRecord[],
  keyFor: (i: number) => string = keyOf,
): ChainEntry[] {
  return records.map((record, i) => ({ key: keyFor(i), record: JSON.parse(canonicalize(record)) }));
}

/** A stored chain of `count` records, optionally continuing after `previous`. */
export function storedChain(count: number, previous: ChainHead | null = null): ChainEntry[] {
  return stored(chainRecords(drafts(count), previous));
}

/** A mutable copy of a stored record, to tamper with. */
export function recordAt(entries: ChainEntry[], i: number): Record<string, unknown> {
  const entry = entries[i];
  if (entry === undefined) throw new Error(`no entry ${i}`);
  return entry.record as Record<string, unknown>;
}
