/**
 * Okta's org-wide rate limits: one bucket per endpoint family, a fixed one-minute window, and three
 * headers on every response (developer.okta.com "Rate limit best practices"): `X-Rate-Limit-Limit`,
 * `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (UTC epoch seconds when the window resets).
 */

/** The endpoint families the emulator meters separately, named by Okta's path templates. */
export type RateLimitFamily =
  | "/api/v1/users"
  | "/api/v1/users/{id}"
  | "/api/v1/groups"
  | "/api/v1/logs"
  | "/api/v1/eventHooks"
  | "/api/v1";

/**
 * Requests per minute per family. Configurable: tests shrink a family to exercise 429 handling.
 * @default users 600, users/{id} 2000, groups 500, logs 120, eventHooks 100, anything else 600
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitFamily, number>> = {
  "/api/v1/users": 600,
  "/api/v1/users/{id}": 2000,
  "/api/v1/groups": 500,
  "/api/v1/logs": 120,
  "/api/v1/eventHooks": 100,
  "/api/v1": 600,
};

const WINDOW_MS = 60_000;

/** The family a request path is metered under. */
export function rateLimitFamily(path: string): RateLimitFamily {
  if (path === "/api/v1/logs") return "/api/v1/logs";
  if (path === "/api/v1/users") return "/api/v1/users";
  if (path.startsWith("/api/v1/users/")) return "/api/v1/users/{id}";
  if (path === "/api/v1/groups" || path.startsWith("/api/v1/groups/")) return "/api/v1/groups";
  if (path === "/api/v1/eventHooks" || path.startsWith("/api/v1/eventHooks/")) return "/api/v1/eventHooks";
  return "/api/v1";
}

/** The outcome of metering one request, with the values of the three headers. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** UTC epoch seconds at which the window resets. */
  resetEpochSeconds: number;
}

/** Fixed-window counters per family; the window is aligned to the clock's minute. */
export class RateLimiter {
  readonly limits: Record<RateLimitFamily, number>;
  private readonly windows = new Map<RateLimitFamily, { start: number; used: number }>();

  constructor(limits: Partial<Record<RateLimitFamily, number>> = {}) {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...limits };
  }

  /** Counts one request of `family` at `nowMs`. */
  take(family: RateLimitFamily, nowMs: number): RateLimitDecision {
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    const window = this.windows.get(family);
    const current = window !== undefined && window.start === start ? window : { start, used: 0 };
    this.windows.set(family, current);
    const limit = this.limits[family];
    const allowed = current.used < limit;
    if (allowed) current.used += 1;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - current.used),
      resetEpochSeconds: (start + WINDOW_MS) / 1000,
    };
  }

  /** Forgets every window (a fresh minute for all families). */
  reset(): void {
    this.windows.clear();
  }
}

/** The three headers of a decision. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "X-Rate-Limit-Limit": String(decision.limit),
    "X-Rate-Limit-Remaining": String(decision.remaining),
    "X-Rate-Limit-Reset": String(decision.resetEpochSeconds),
  };
}
