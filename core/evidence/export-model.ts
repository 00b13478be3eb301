import type { LongLivedCredentialHolder } from "../credentials/sweep.ts";
import { dayOfRecordKey } from "./layout.ts";
import { isLiftRecord, type Lifecycle, lifecycleOf, oktaSaysGone, triggerEvents } from "./lifecycle.ts";
import {
  type CredentialsEndedInAccount,
  credentialsEnded,
  type LongLivedCredentialsFigure,
  latestCredentialSweep,
} from "./long-lived-credentials.ts";
import { daysOf, inPeriod, type Period } from "./period.ts";
import type {
  ActionOutcome,
  EstateRunRecord,
  EvidenceRecord,
  RunRecord,
  SnapshotRecord,
  SnapshotRow,
  UserRunRecord,
} from "./record.ts";
import { timeToRevoke } from "./time-to-revoke.ts";

/*
 * The auditor's export as data: one row per leaver, joiner, mover, drift item and access-review line,
 * and the period's figures. Pure: the CLI reads the bucket, this decides what each row says, csv.ts
 * and report-html.ts render it.
 */

/** A valid record and the key it is stored under. */
export interface KeyedRecord {
  key: string;
  record: EvidenceRecord;
}

/** The SLA the export judges leavers against unless told otherwise: access gone within one hour. */
export const DEFAULT_SLA_MS = 3_600_000;

export interface ExportOptions {
  period: Period;
  /** Okta's event to every access removed, at most. @default DEFAULT_SLA_MS (1 hour) */
  slaMs?: number;
  /**
   * Rows of large snapshots, which live in their own gzipped JSON Lines object, by that object's key
   * (the CLI reads the latest snapshot's object, checked against the SHA-256 the record carries).
   */
  snapshotRows?: ReadonlyMap<string, readonly SnapshotRow[]>;
}

/** How a leaver run ended. */
export type LeaverOutcome = "revoked" | "incomplete" | "not-revoked";

export interface LeaverRow {
  oktaUserId: string;
  login: string | null;
  eventType: string | null;
  oktaEventId: string | null;
  /** When Okta published the deactivation (or suspension, deletion): where time-to-revoke starts. */
  oktaDeactivatedAt: string | null;
  denyInForceAt: string | null;
  accessRemovedAt: string | null;
  timeToDenyMs: number | null;
  /** Okta's event to every assignment and membership removed (and verified). */
  timeToRevokeMs: number | null;
  accountsAffected: string[];
  outcome: LeaverOutcome;
  /** Why, in words (the verification result, or the Okta status that kept access). */
  outcomeDetail: string;
  /** `null` when the SLA does not apply (the user was not revoked because Okta says they are active). */
  slaMet: boolean | null;
  denyLiftedAt: string | null;
  evidenceKey: string;
  liftEvidenceKey: string | null;
  runId: string;
  /** Every credential outside Identity Center the run ended (IAM users, keys, passwords...), per account. */
  credentialsEnded: CredentialsEndedInAccount[];
}

export interface UserChangeRow {
  lifecycle: Exclude<Lifecycle, "leaver">;
  oktaUserId: string;
  login: string | null;
  eventTypes: string[];
  /** When Okta published the earliest triggering event. */
  oktaEventAt: string | null;
  oktaStatus: string | null;
  oktaGroups: string[];
  accountsWithAccess: string[];
  /** Every AWS change the run made, as `kind status` with counts. */
  changes: string[];
  failedActions: number;
  /** Finding kinds (SCIM lag, direct assignment...). */
  findings: string[];
  verification: "passed" | "failed" | "not run";
  denyInForceAt: string | null;
  timeToDenyMs: number | null;
  runFinishedAt: string | null;
  /** Okta's earliest event to the end of the run. */
  timeToConvergeMs: number | null;
  evidenceKey: string;
  liftEvidenceKey: string | null;
  runId: string;
}

export interface DriftRow {
  detectedAt: string;
  runId: string;
  source: "estate-run" | "user-run";
  /** `finding`: reported; `action`: a change the run made; `not-applied`: planned, stopped by a guard. */
  type: "finding" | "action" | "not-applied";
  kind: string;
  /** What it is about, as `name=value` pairs. */
  subject: string;
  detail: string;
  outcome: string;
  requestId: string | null;
  evidenceKey: string;
}

export interface AccessReviewRow {
  userId: string;
  userName: string;
  groupName: string;
  permissionSetName: string;
  accountId: string;
  since: string | null;
  snapshotAt: string;
  evidenceKey: string;
}

/** Median, 95th percentile (nearest rank) and maximum of a set of durations. */
export interface DurationSummary {
  count: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface ExportFigures {
  period: Period;
  slaMs: number;
  records: { total: number; userRuns: number; estateRuns: number; snapshots: number };
  leavers: {
    total: number;
    revoked: number;
    incomplete: number;
    notRevoked: number;
    /** Leavers the SLA applies to (revoked or incomplete). */
    slaApplicable: number;
    slaMet: number;
    timeToRevoke: DurationSummary | null;
    timeToDeny: DurationSummary | null;
  };
  joiners: number;
  movers: number;
  drift: {
    estateRuns: number;
    findings: number;
    actions: number;
    failedActions: number;
    notApplied: number;
    /** Findings and actions of each day of the period (estate and user runs). */
    byDay: { date: string; findings: number; actions: number }[];
  };
  accessReview: {
    snapshotAt: string;
    evidenceKey: string;
    rows: number;
    users: number;
    accounts: number;
  } | null;
  /** The latest estate sweep of the period (issue 16); `null` when none swept. */
  longLivedCredentials: LongLivedCredentialsFigure | null;
}

export interface ExportModel {
  leavers: LeaverRow[];
  joiners: UserChangeRow[];
  movers: UserChangeRow[];
  drift: DriftRow[];
  accessReview: AccessReviewRow[];
  /** Every holder of a long-lived IAM credential the latest sweep read (long-lived-credentials.csv). */
  longLivedCredentials: LongLivedCredentialHolder[];
  figures: ExportFigures;
}

/** Builds the export of `records` that fall in the period (by the day of their key). */
export function buildExportModel(records: readonly KeyedRecord[], options: ExportOptions): ExportModel {
  const slaMs = options.slaMs ?? DEFAULT_SLA_MS;
  const inRange = records
    .filter(({ key }) => {
      const day = dayOfRecordKey(key);
      return day !== null && inPeriod(options.period, day);
    })
    .sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt) || a.key.localeCompare(b.key));

  const userRuns = inRange.filter((r): r is Keyed<UserRunRecord> => r.record.kind === "user-run");
  const estateRuns = inRange.filter((r): r is Keyed<EstateRunRecord> => r.record.kind === "estate-run");
  const snapshots = inRange.filter((r): r is Keyed<SnapshotRecord> => r.record.kind === "snapshot");

  const lifts = new Map<string, Keyed<UserRunRecord>>();
  for (const r of userRuns) if (isLiftRecord(r.record)) lifts.set(r.record.runId, r);
  const runs = userRuns.filter((r) => !isLiftRecord(r.record));

  const leavers = runs
    .filter((r) => lifecycleOf(r.record) === "leaver")
    .map((r) => leaverRow(r, lifts.get(r.record.runId), slaMs));
  const changes = runs
    .filter((r) => lifecycleOf(r.record) !== "leaver")
    .map((r) => userChangeRow(r, lifts.get(r.record.runId)));
  const drift = [...estateRuns, ...runs].flatMap(driftRows).sort(byDetectedAt);
  const latest = snapshots.at(-1);
  const accessReview = latest === undefined ? [] : accessReviewRows(latest, options.snapshotRows);

  const joiners = changes.filter((r) => r.lifecycle === "joiner");
  const movers = changes.filter((r) => r.lifecycle === "mover");
  const sweep = latestCredentialSweep(estateRuns);
  // A run writes a record for its Identity Center part and one for its credential sweep: runs, not records.
  const estateRunCount = new Set(estateRuns.map((r) => r.record.runId)).size;
  return {
    leavers,
    joiners,
    movers,
    drift,
    accessReview,
    longLivedCredentials: sweep?.holders ?? [],
    figures: {
      period: options.period,
      slaMs,
      records: {
        total: inRange.length,
        userRuns: userRuns.length,
        estateRuns: estateRuns.length,
        snapshots: snapshots.length,
      },
      leavers: leaverFigures(leavers),
      joiners: joiners.length,
      movers: movers.length,
      drift: {
        estateRuns: estateRunCount,
        findings: drift.filter((d) => d.type === "finding").length,
        actions: drift.filter((d) => d.type === "action").length,
        failedActions: drift.filter((d) => d.type === "action" && d.outcome === "FAILED").length,
        notApplied: drift.filter((d) => d.type === "not-applied").length,
        byDay: daysOf(options.period).map((date) => ({
          date,
          findings: drift.filter((d) => d.type === "finding" && d.detectedAt.startsWith(date)).length,
          actions: drift.filter((d) => d.type === "action" && d.detectedAt.startsWith(date)).length,
        })),
      },
      accessReview:
        latest === undefined
          ? null
          : {
              snapshotAt: latest.record.createdAt,
              evidenceKey: latest.key,
              rows: accessReview.length,
              users: new Set(accessReview.map((r) => r.userId)).size,
              accounts: new Set(accessReview.map((r) => r.accountId)).size,
            },
      longLivedCredentials: sweep?.figure ?? null,
    },
  };
}

type Keyed<R extends EvidenceRecord> = { key: string; record: R };

const byDetectedAt = (a: DriftRow, b: DriftRow) =>
  a.detectedAt.localeCompare(b.detectedAt) || a.evidenceKey.localeCompare(b.evidenceKey);

/** The accounts a run found the user could reach: the run's own list, else its actions' targets. */
function accountsOf(record: RunRecord): string[] {
  const listed = record.body.truth.identityCenter.accountsWithAccess;
  if (Array.isArray(listed) && listed.every((a) => typeof a === "string")) return [...listed].sort();
  const targeted = record.body.actions.flatMap((a) =>
    a.target.accountId === undefined ? [] : [a.target.accountId],
  );
  return [...new Set(targeted)].sort();
}

function liftedAt(lift: Keyed<UserRunRecord> | undefined): string | null {
  const action = lift?.record.body.actions.findLast((a) => a.kind === "deny.lift");
  return action?.finishedAt ?? lift?.record.body.timings.runFinished ?? null;
}

function leaverRow(
  { key, record }: Keyed<UserRunRecord>,
  lift: Keyed<UserRunRecord> | undefined,
  slaMs: number,
): LeaverRow {
  const { timings, verification, truth } = record.body;
  const event = triggerEvents(record).find((e) => e.kind === "leaver") ?? triggerEvents(record)[0];
  const ttr = timeToRevoke(record);
  const gone = oktaSaysGone(record);
  const revoked = gone && timings.accessRemoved !== undefined && verification?.passed === true;
  const failed = record.body.actions.filter((a) => a.status === "FAILED").length;
  const outcome: LeaverOutcome = !gone ? "not-revoked" : revoked ? "revoked" : "incomplete";
  const timeToRevokeMs = revoked ? ttr.toAccessRemovedMs : null;
  const outcomeDetail = !gone
    ? `Okta status is ${String(truth.okta.userStatus)}: access kept`
    : revoked
      ? "every assignment and membership removed, verified by read-back"
      : verification === null
        ? `not verified${failed > 0 ? `; ${failed} action(s) failed` : ""}`
        : `verification failed${failed > 0 ? `; ${failed} action(s) failed` : ""}`;
  return {
    oktaUserId: record.body.subject.oktaUserId,
    login: record.body.subject.login,
    eventType: event?.eventType ?? null,
    oktaEventId: event?.oktaEventId ?? null,
    oktaDeactivatedAt: timings.oktaPublished ?? event?.published ?? null,
    denyInForceAt: timings.denyInForce ?? null,
    accessRemovedAt: timings.accessRemoved ?? null,
    timeToDenyMs: ttr.toDenyInForceMs,
    timeToRevokeMs,
    accountsAffected: accountsOf(record),
    outcome,
    outcomeDetail,
    slaMet: outcome === "not-revoked" ? null : timeToRevokeMs !== null && timeToRevokeMs <= slaMs,
    denyLiftedAt: liftedAt(lift),
    evidenceKey: key,
    liftEvidenceKey: lift?.key ?? null,
    runId: record.runId,
    credentialsEnded: credentialsEnded(record),
  };
}

/** `kind status` with a count, for every action of the run, in first-seen order. */
function changeSummary(actions: readonly ActionOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const a of actions)
    counts.set(`${a.kind} ${a.status}`, (counts.get(`${a.kind} ${a.status}`) ?? 0) + 1);
  return [...counts].map(([what, n]) => (n === 1 ? what : `${what} x${n}`));
}

/** Findings other than the run's own decision note. */
function findingsOf(record: RunRecord) {
  return record.body.plan.findings.filter((f) => f.kind !== "decision");
}

function userChangeRow(
  { key, record }: Keyed<UserRunRecord>,
  lift: Keyed<UserRunRecord> | undefined,
): UserChangeRow {
  const { timings, verification, truth } = record.body;
  const events = triggerEvents(record);
  const first = events[0];
  const since = (instant: string | undefined) =>
    first === undefined || instant === undefined ? null : Date.parse(instant) - Date.parse(first.published);
  return {
    lifecycle: lifecycleOf(record) as Exclude<Lifecycle, "leaver">,
    oktaUserId: record.body.subject.oktaUserId,
    login: record.body.subject.login,
    eventTypes: [...new Set(events.map((e) => e.eventType))],
    oktaEventAt: first?.published ?? null,
    oktaStatus: truth.okta.userStatus ?? null,
    oktaGroups: [...(truth.okta.groups ?? [])].sort(),
    accountsWithAccess: accountsOf(record),
    changes: changeSummary(record.body.actions),
    failedActions: record.body.actions.filter((a) => a.status === "FAILED").length,
    findings: findingsOf(record).map((f) => f.kind),
    verification: verification === null ? "not run" : verification.passed ? "passed" : "failed",
    denyInForceAt: timings.denyInForce ?? null,
    timeToDenyMs: since(timings.denyInForce),
    runFinishedAt: timings.runFinished ?? null,
    timeToConvergeMs: since(timings.runFinished),
    evidenceKey: key,
    liftEvidenceKey: lift?.key ?? null,
    runId: record.runId,
  };
}

/** `name=value` pairs of a string map, sorted by name. */
function pairs(map: Record<string, unknown>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${typeof map[k] === "string" ? map[k] : JSON.stringify(map[k])}`)
    .join("; ");
}

/**
 * Drift: every finding of a run, the changes an estate run made, and what a blocked plan did not do;
 * never the pipeline's own revocation upkeep (re-provisions its Deny writes need, expired Denies lifted).
 */
function driftRows({ key, record }: Keyed<RunRecord>): DriftRow[] {
  const source = record.kind;
  const base = { detectedAt: record.createdAt, runId: record.runId, source, evidenceKey: key };
  const blocked = record.body.plan.blockedReason;
  const rows: DriftRow[] = findingsOf(record).map((f) => ({
    ...base,
    type: "finding",
    kind: f.kind,
    subject:
      typeof f.subject === "object" && f.subject !== null ? pairs(f.subject as Record<string, unknown>) : "",
    detail: typeof f.message === "string" ? f.message : "",
    outcome: blocked === null ? "reported" : "reported; plan blocked",
    requestId: null,
  }));
  if (source !== "estate-run") return rows;
  for (const a of record.body.actions) {
    // The pipeline's own revocation upkeep (core/plan/plan.ts isRevocationUpkeep) is not drift.
    if (a.cause === "revocation") continue;
    rows.push({
      ...base,
      type: "action",
      kind: a.kind,
      subject: pairs(a.target),
      detail: a.error ?? "",
      outcome: a.status,
      requestId: a.requestId,
    });
  }
  if (blocked !== null) {
    for (const a of record.body.plan.actions) {
      if (a.cause === "revocation" || (a.kind === "deny.lift" && a.why === "expired")) continue;
      rows.push({
        ...base,
        type: "not-applied",
        kind: a.kind,
        subject: pairs(Object.fromEntries(Object.entries(a).filter(([k]) => k !== "kind"))),
        detail: blocked,
        outcome: "not applied: plan blocked by a guard",
        requestId: null,
      });
    }
  }
  return rows;
}

function accessReviewRows(
  { key, record }: Keyed<SnapshotRecord>,
  external: ExportOptions["snapshotRows"],
): AccessReviewRow[] {
  const rows = "rows" in record.body ? record.body.rows : (external?.get(record.body.object.key) ?? []);
  return rows.map((row) => ({
    userId: row.userId,
    userName: row.userName,
    groupName: row.groupName,
    permissionSetName: row.permissionSetName,
    accountId: row.accountId,
    since: row.since ?? null,
    snapshotAt: record.createdAt,
    evidenceKey: key,
  }));
}

/** Median, nearest-rank 95th percentile and maximum; `null` for no values. */
export function summarizeDurations(values: readonly number[]): DurationSummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
  return { count: sorted.length, medianMs: rank(0.5), p95Ms: rank(0.95), maxMs: sorted.at(-1) as number };
}

function leaverFigures(leavers: readonly LeaverRow[]): ExportFigures["leavers"] {
  const applicable = leavers.filter((l) => l.slaMet !== null);
  const measured = (pick: (l: LeaverRow) => number | null) =>
    summarizeDurations(leavers.flatMap((l) => (pick(l) === null ? [] : [pick(l) as number])));
  return {
    total: leavers.length,
    revoked: leavers.filter((l) => l.outcome === "revoked").length,
    incomplete: leavers.filter((l) => l.outcome === "incomplete").length,
    notRevoked: leavers.filter((l) => l.outcome === "not-revoked").length,
    slaApplicable: applicable.length,
    slaMet: applicable.filter((l) => l.slaMet === true).length,
    timeToRevoke: measured((l) => l.timeToRevokeMs),
    timeToDeny: measured((l) => l.timeToDenyMs),
  };
}
