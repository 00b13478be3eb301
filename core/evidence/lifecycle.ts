import type { OktaUserStatus } from "../estate.ts";
import { isLeaverStatus } from "../plan/plan-users.ts";
import type { UserRunRecord } from "./record.ts";

/*
 * How an auditor's export files a user run: joiner, mover or leaver. Okta's truth as the run read it
 * decides first (a user Okta says is gone is a leaver, whatever the event), then the triggering events:
 * a leaver event whose truth says the user is still active stays a leaver row, marked "not revoked",
 * so every leaver signal the pipeline handled is visible. A run started without Okta events (a
 * schedule, a person) for an active user is filed as a mover: its access was re-checked.
 */

/** The lifecycle stage a user run is filed under. */
export type Lifecycle = "joiner" | "mover" | "leaver";

/**
 * The second record of a run that held a Deny: written when the Deny is lifted after the hold. It is
 * filed with its run's record, not as a run of its own.
 */
export function isLiftRecord(record: UserRunRecord): boolean {
  return record.recordId.endsWith(".lift");
}

/** Whether Okta's truth, as the run read it, says the user is gone (`null`: deleted from Okta). */
export function oktaSaysGone(record: UserRunRecord): boolean {
  const status = record.body.truth.okta.userStatus;
  return status === null || (status !== undefined && isLeaverStatus(status as OktaUserStatus));
}

/** The lifecycle stage of a user run (see the file comment). */
export function lifecycleOf(record: UserRunRecord): Lifecycle {
  if (oktaSaysGone(record)) return "leaver";
  const trigger = record.body.trigger;
  const kinds = new Set(trigger.type === "events" ? trigger.events.map((e) => e.kind) : []);
  if (kinds.has("leaver")) return "leaver";
  if (kinds.has("joiner") && !kinds.has("mover")) return "joiner";
  return "mover";
}

/** The Okta events that triggered a run, earliest first (none for a run not started by events). */
export function triggerEvents(record: UserRunRecord) {
  const trigger = record.body.trigger;
  return trigger.type === "events"
    ? [...trigger.events].sort((a, b) => a.published.localeCompare(b.published))
    : [];
}
