import { type RateLimitFamily, rateLimitFamily } from "../../core/okta/rate-limit-family.ts";

/** Okta's rate-limit window: one minute (developer.okta.com "Rate limits"). */
const WINDOW_MS = 60_000;

/**
 * A view older than this may be far off: the others kept calling since. One low-priority call goes to
 * refresh it, and the others wait {@link PROBE_ANSWER_MS} for its answer.
 */
const STALE_AFTER_MS = 1_000;
const PROBE_ANSWER_MS = 1_000;

/** Reports at least this far apart make a sample of the others' pace (concurrent answers are noisy). */
const MIN_SAMPLE_MS = 1_000;
/** The others' pace is kept with this much margin... */
const DEMAND_MARGIN = 1.5;
/** ...and never below this share of the limit's pace: a burst of reads can begin at any time. */
const MIN_RESERVE_SHARE = 0.1;

interface Seen {
  limit: number;
  /** The calls left: the last report, less the low-priority calls let go since. */
  remaining: number;
  /** When the window resets, on this process's clock. */
  resetAtMs: number;
  /** When the last report came (this process's clock); absent in a window nothing was heard of yet. */
  reportedAtMs?: number;
  /** A call let go to refresh a stale view: the others wait for its answer until then. */
  probeUntilMs?: number;
  /** The start of the current sample of the others' pace: when, what was left, what was let go since. */
  sample?: { atMs: number; remaining: number; granted: number };
  /** The others' calls per millisecond, as the reports show them; unknown until two reports. */
  demandPerMs?: number;
}

/**
 * What this process last heard of each Okta rate-limit bucket (`X-Rate-Limit-Limit`, `-Remaining`,
 * `-Reset` on every answer: developer.okta.com "Rate limit best practices"), so that a low-priority
 * call leaves the rest of the window to the calls that decide whom to revoke. In a layoff the session
 * clears (`DELETE /api/v1/users/{id}/sessions`) share the `/api/v1/users/{id}` bucket with the Deny
 * path's reads (`GET /api/v1/users/{id}`), which arrive at up to the token's whole share: a clear that
 * takes the last of a window's calls sends a leaver's read to a 429 and a wait of up to a minute.
 *
 * A low-priority call goes only while the calls left exceed a reserve for the others until the reset:
 * at their pace as the reports show it (what the remaining count lost that this process did not spend),
 * with a margin, at least a tenth of the limit's pace, and at most the limit's pace (all they could
 * use). Until the others' pace is known, the reserve is the limit's pace. So the low-priority calls use
 * what the others leave: paced while the reads come, all at once when they have stopped. With nothing
 * heard yet (a new process) a call goes, and learns; with nothing heard for a second (the calls were
 * deferred, and the others may have used the room since), one call goes and the rest wait for its
 * answer. The headers may report the token's share or the
 * org's bucket (Okta does not say which; the emulator switches `principalHeaders`): either way a clear
 * waits rather than competes, and a window that is over is taken as a fresh one.
 */
export class RateLimitHeadroom {
  readonly #seen = new Map<RateLimitFamily, Seen>();

  /**
   * Records an answer's headers. `oktaNowMs`: Okta's `Date` when it has one (the reset is on Okta's
   * clock); `localNowMs`: this process's clock, which the waits are measured on.
   */
  observe(path: string, headers: Headers, localNowMs: number, oktaNowMs: number = localNowMs): void {
    const limit = Number(headers.get("x-rate-limit-limit"));
    const remaining = Number(headers.get("x-rate-limit-remaining"));
    const reset = Number(headers.get("x-rate-limit-reset"));
    if (![limit, remaining, reset].every((n) => Number.isFinite(n) && n >= 0) || limit === 0) return;
    if (!headers.has("x-rate-limit-limit") || !headers.has("x-rate-limit-remaining")) return;
    const family = rateLimitFamily(path);
    const resetAtMs = localNowMs + Math.max(0, reset * 1000 - oktaNowMs);
    const before = this.#seen.get(family);
    // The same window: the reset moved by no more than the Date header's rounding.
    const sameWindow = before !== undefined && Math.abs(before.resetAtMs - resetAtMs) < 2_000;
    const seen: Seen = {
      limit,
      remaining,
      resetAtMs,
      reportedAtMs: localNowMs,
      ...(before?.demandPerMs === undefined ? {} : { demandPerMs: before.demandPerMs }),
    };
    const sample = sameWindow ? before?.sample : undefined;
    if (sample !== undefined && localNowMs - sample.atMs < MIN_SAMPLE_MS) seen.sample = sample;
    else {
      if (sample !== undefined) {
        const others = Math.max(0, sample.remaining - remaining - sample.granted);
        const pace = others / (localNowMs - sample.atMs);
        seen.demandPerMs = before?.demandPerMs === undefined ? pace : (before.demandPerMs + pace) / 2;
      }
      seen.sample = { atMs: localNowMs, remaining, granted: 0 };
    }
    this.#seen.set(family, seen);
  }

  /**
   * How long a low-priority call to `path` should wait before it asks again (0: it may go now, and is
   * counted at once, so the low-priority calls of one process do not all pass on one reading).
   */
  lowPriorityWait(path: string, nowMs: number): number {
    const seen = this.#seen.get(rateLimitFamily(path));
    if (seen === undefined) return 0;
    if (nowMs >= seen.resetAtMs) {
      seen.resetAtMs += Math.ceil((nowMs - seen.resetAtMs + 1) / WINDOW_MS) * WINDOW_MS;
      seen.remaining = seen.limit;
      delete seen.reportedAtMs;
      delete seen.sample;
    }
    // A stale view: one call refreshes it while the others wait for its answer (a herd of clears
    // deferred to one moment would otherwise all go on the view they yielded on, and take the calls
    // the reads made since: 11 reads refused in one layoff).
    const stale = seen.reportedAtMs === undefined || nowMs - seen.reportedAtMs > STALE_AFTER_MS;
    if (stale && seen.probeUntilMs !== undefined && nowMs < seen.probeUntilMs)
      return seen.probeUntilMs - nowMs;
    // The reserve shrinks linearly to the reset: calls left > reserve <=> now > reset - left / slope.
    const pace = seen.limit / WINDOW_MS;
    const slope =
      seen.demandPerMs === undefined
        ? pace
        : Math.min(pace, Math.max(MIN_RESERVE_SHARE * pace, DEMAND_MARGIN * seen.demandPerMs));
    const roomAt = seen.resetAtMs - Math.max(0, seen.remaining) / slope;
    if (nowMs > roomAt) {
      seen.remaining -= 1;
      if (seen.sample) seen.sample.granted += 1;
      if (stale) seen.probeUntilMs = nowMs + PROBE_ANSWER_MS;
      return 0;
    }
    return Math.ceil(roomAt - nowMs) + 1;
  }
}
