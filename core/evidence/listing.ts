import type { KeyedRecord } from "./export-model.ts";
import { dayOfRecordKey } from "./layout.ts";
import { isLiftRecord, type Lifecycle, lifecycleOf } from "./lifecycle.ts";
import { inPeriod, type Period } from "./period.ts";
import type { EvidenceKind } from "./record.ts";

/*
 * `evidence list`: one line per record of a period, filtered by user and kind.
 */

/** What `--kind` accepts: a record kind, or a lifecycle stage (user runs filed as joiner/mover/leaver). */
export const LIST_KINDS = ["user-run", "estate-run", "snapshot", "joiner", "mover", "leaver"] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export interface ListFilter {
  period: Period;
  /** An Okta user id or login, or an Identity Center user id (case-insensitive). */
  user?: string;
  kind?: ListKind;
}

export interface ListedRecord {
  key: string;
  createdAt: string;
  kind: EvidenceKind;
  /** For user runs: the lifecycle stage; `null` otherwise. */
  lifecycle: Lifecycle | null;
  /** A user run's lift record (the Deny lifted after the hold). */
  lift: boolean;
  /** The user of a user run (login, else Okta id); `null` otherwise. */
  user: string | null;
  summary: string;
}

function describe({ key, record }: KeyedRecord): ListedRecord {
  const base = { key, createdAt: record.createdAt, kind: record.kind };
  if (record.kind === "snapshot") {
    return {
      ...base,
      lifecycle: null,
      lift: false,
      user: null,
      summary: `${"rows" in record.body ? record.body.rows.length : record.body.object.rows} access row(s)`,
    };
  }
  const actions = record.body.actions;
  const failed = actions.filter((a) => a.status === "FAILED").length;
  const done = `${actions.length} AWS change(s)${failed > 0 ? `, ${failed} failed` : ""}`;
  const findings = record.body.plan.findings.filter((f) => f.kind !== "decision").length;
  if (record.kind === "estate-run") {
    const blocked = record.body.plan.blockedReason;
    return {
      ...base,
      lifecycle: null,
      lift: false,
      user: null,
      summary: `${done}, ${findings} finding(s)${blocked === null ? "" : `; blocked: ${blocked}`}`,
    };
  }
  const lift = isLiftRecord(record);
  const verification = record.body.verification;
  const verified = verification === null ? "" : verification.passed ? ", verified" : ", verification FAILED";
  return {
    ...base,
    lifecycle: lifecycleOf(record),
    lift,
    user: record.body.subject.login ?? record.body.subject.oktaUserId,
    summary: lift
      ? "Deny lifted after the hold"
      : `${done}${verified}${findings > 0 ? `, ${findings} finding(s)` : ""}`,
  };
}

function matchesUser({ record }: KeyedRecord, user: string): boolean {
  if (record.kind !== "user-run") return false;
  const wanted = user.toLowerCase();
  const { oktaUserId, login, identityCenterUserId } = record.body.subject;
  return [oktaUserId, login, identityCenterUserId].some((id) => id?.toLowerCase() === wanted);
}

/** The period's records that pass the filter, oldest first. */
export function listRecords(records: readonly KeyedRecord[], filter: ListFilter): ListedRecord[] {
  return records
    .filter((r) => {
      const day = dayOfRecordKey(r.key);
      return day !== null && inPeriod(filter.period, day);
    })
    .filter((r) => filter.user === undefined || matchesUser(r, filter.user))
    .map(describe)
    .filter((r) => filter.kind === undefined || r.kind === filter.kind || r.lifecycle === filter.kind)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
}
