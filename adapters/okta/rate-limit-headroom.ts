import { type RateLimitFamily, rateLimitFamily } from "../../core/okta/rate-limit-family.ts";

/** Okta's rate-limit window: one minute (developer.okta.com "Rate limits"). */
const WINDOW_MS = 60_000;

interface Seen {
  limit: number;
  remaining: number;
  /** When the window resets, on this process's clock. */
  resetAtMs: number;
}

/**
 * What this process last heard of each Okta rate-limit bucket (`X-Rate-Limit-Limit`, `-Remaining`,
 * `-Reset` on every answer: developer.okta.com "Rate limit best practices"), so that a low-priority
 * call leaves the rest of the window to the calls that decide whom to revoke. In a layoff the session
 * clears (`DELETE /api/v1/users/{id}/sessions`) share the `/api/v1/users/{id}` bucket with the Deny
 * path's reads (`GET /api/v1/users/{id}`), which arrive at up to the token's whole share: a clear that
 * takes the last of a window's calls sends a leaver's read to a 429 and a wait of up to a minute.
 *
 * A low-priority call goes only while the remaining calls exceed the window's limit pro rata to the
 * time left (what normal calls at the full rate could still use); otherwise it waits until they do.
 * So the low-priority calls use what the others leave, and together they stay within the limit's pace.
 * With nothing heard yet (a new process) it goes, and learns. The headers
 * may report the token's share or the org's bucket (Okta does not say which; the emulator switches
 * `principalHeaders`): either way a clear waits rather than competes, and is still sent once a window.
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
    this.#seen.set(rateLimitFamily(path), {
      limit,
      remaining,
      resetAtMs: localNowMs + Math.max(0, reset * 1000 - oktaNowMs),
    });
  }

  /**
   * How long a low-priority call to `path` should wait before it asks again (0: it may go now, and is
   * counted at once, so the low-priority calls of one process do not all pass on one reading). A
   * window that is over is taken as a fresh one: its calls are all left, and it lasts a minute.
   */
  lowPriorityWait(path: string, nowMs: number): number {
    const seen = this.#seen.get(rateLimitFamily(path));
    if (seen === undefined) return 0;
    if (nowMs >= seen.resetAtMs) {
      seen.resetAtMs += Math.ceil((nowMs - seen.resetAtMs + 1) / WINDOW_MS) * WINDOW_MS;
      seen.remaining = seen.limit;
    }
    // remaining > limit x (time left / window)  <=>  now > reset - remaining / limit x window
    const roomAt = seen.resetAtMs - (Math.max(0, seen.remaining) / seen.limit) * WINDOW_MS;
    if (nowMs > roomAt) {
      seen.remaining -= 1;
      return 0;
    }
    return Math.ceil(roomAt - nowMs) + 1;
  }
}
