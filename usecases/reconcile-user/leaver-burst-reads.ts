/** How long a read serves the leaver runs of a burst. @default 60 s (a layoff's window) */
export const LEAVER_BURST_READ_TTL_MS = 60_000;

/**
 * Reads that every leaver run of a burst shares: each key is read once per window and served to
 * every run of the process (a warm Lambda's, or the local runtime's), concurrent asks awaiting one
 * read. A leaver's run deletes only the user's own assignments and memberships
 * (core/plan/plan-user-run.ts), and reads those fresh. What it shares only names things:
 * - a group's assignments name the accounts affected and the sessions verification proves denied;
 *   listing a group assigned on an OU of 1,000 accounts for each of 1,000 leavers is tens of thousands
 *   of sso-admin calls (issue 17);
 * - the permission-set catalogue (1 + one DescribePermissionSet per set) and the Identity Center
 *   groups name the leaver's assignments and memberships in the plan and evidence. A set created in
 *   the last minute shows by ARN; the Deny covers every session whatever the name.
 * So data up to one window old does no harm, while every run reading it again spends the account's
 * 20 calls a second before the Denies. Movers and joiners, whose plans act on these, read them fresh.
 */
export class LeaverBurstReads<T> {
  private readonly reads = new Map<string, { at: number; value: Promise<T> }>();
  private readonly nowMs: () => number;
  private readonly ttlMs: number;

  constructor(nowMs: () => number, ttlMs = LEAVER_BURST_READ_TTL_MS) {
    this.nowMs = nowMs;
    this.ttlMs = ttlMs;
  }

  /**
   * `notBeforeMs`: serve only a read that started then or later (a read-back must not predate what it
   * checks, e.g. the write that put the run's Deny in force).
   */
  get(key: string, read: () => Promise<T>, notBeforeMs = Number.NEGATIVE_INFINITY): Promise<T> {
    const now = this.nowMs();
    const held = this.reads.get(key);
    if (held && now - held.at < this.ttlMs && held.at >= notBeforeMs) return held.value;
    const value = read();
    this.reads.set(key, { at: now, value });
    // A failed read is not kept: the next run (or the task's retry) asks again.
    value.catch(() => {
      if (this.reads.get(key)?.value === value) this.reads.delete(key);
    });
    return value;
  }
}
