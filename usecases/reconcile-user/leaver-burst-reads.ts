import type { Assignment } from "../../core/estate.ts";

/** How long a group's listing serves the leaver runs of a burst. @default 60 s (a layoff's window) */
export const LEAVER_GROUP_ASSIGNMENTS_TTL_MS = 60_000;

/**
 * A group's assignments as leaver runs read them: listed once per group per window and shared by every
 * run of the process (a warm Lambda's, or the local runtime's), concurrent asks awaiting one listing.
 * A leaver's run deletes only the user's own assignments and memberships (core/plan/plan-user-run.ts):
 * the group's list only names the accounts affected and the sessions verification proves denied, so a
 * listing up to one window old does no harm, while listing a group assigned on an OU of 1,000 accounts
 * page by page for each of 1,000 leavers is tens of thousands of sso-admin calls (issue 17). Movers and
 * joiners, whose plans do act on group assignments, keep reading them fresh.
 */
export class LeaverGroupAssignments {
  private readonly listings = new Map<string, { at: number; list: Promise<Assignment[]> }>();

  private readonly list: (groupId: string) => Promise<Assignment[]>;
  private readonly nowMs: () => number;
  private readonly ttlMs: number;

  constructor(
    list: (groupId: string) => Promise<Assignment[]>,
    nowMs: () => number,
    ttlMs = LEAVER_GROUP_ASSIGNMENTS_TTL_MS,
  ) {
    this.list = list;
    this.nowMs = nowMs;
    this.ttlMs = ttlMs;
  }

  get(groupId: string): Promise<Assignment[]> {
    const now = this.nowMs();
    const held = this.listings.get(groupId);
    if (held && now - held.at < this.ttlMs) return held.list;
    const list = this.list(groupId);
    this.listings.set(groupId, { at: now, list });
    // A failed listing is not kept: the next run (or the task's retry) asks again.
    list.catch(() => {
      if (this.listings.get(groupId)?.list === list) this.listings.delete(groupId);
    });
    return list;
  }
}
