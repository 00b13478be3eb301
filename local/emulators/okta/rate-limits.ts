/**
 * Okta's rate limits: one org-wide bucket per endpoint family with a fixed one-minute window, of which
 * each API token or OAuth app may use a share (50% by default: developer.okta.com "Token and OAuth 2.0
 * app rate limits", help.okta.com "API rate limits" > "Rate limit per API token"), and an org-wide limit
 * on requests in flight (75 by default: developer.okta.com "Concurrency limits"). Three headers on every
 * response (developer.okta.com "Rate limit best practices"): `X-Rate-Limit-Limit`,
 * `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (UTC epoch seconds when the window resets); past
 * the concurrency limit they "report the concurrent values".
 */

import { type RateLimitFamily, rateLimitFamily } from "../../../core/okta/rate-limit-family.ts";

export { type RateLimitFamily, rateLimitFamily };

/** The bucket the `sessionClearBucket: "own"` switch meters `DELETE /api/v1/users/{id}/sessions` in. */
export const SESSION_CLEAR_BUCKET = "/api/v1/users/{id}/sessions";

/** A bucket the emulator meters: a family of Okta's list, or the session clear's own (a switch). */
export type MeteredBucket = RateLimitFamily | typeof SESSION_CLEAR_BUCKET;

const SESSIONS_PATH = /^\/api\/v1\/users\/[^/]+\/sessions$/;

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

/** The outcome of metering one request, with the values of the three headers. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** UTC epoch seconds at which the window resets. */
  resetEpochSeconds: number;
}

/**
 * What Okta's docs leave open, one switch each (the adapter must be right under every setting):
 * - `principalHeaders`: whether the headers a token sees report its share of the bucket or the org's
 *   bucket ("Token and OAuth 2.0 app rate limits" does not say).
 * - `concurrencyReset`: the `X-Rate-Limit-Reset` of a concurrency 429, which "is only an estimate"
 *   ("Rate limit best practices"): the next second, or the end of the minute window.
 * - `sessionClearBucket`: the bucket of `DELETE /api/v1/users/{id}/sessions`. "Management rate limits"
 *   lists `/api/v1/users/{id}` and sends endpoints it does not list to the org's rate-limit dashboard:
 *   the user's family (`users-id`), the catch-all `/api/v1` bucket (`default`), or a bucket of its own
 *   (`own`, as large as the user's family) are all readings of that.
 */
export interface RateLimitSwitches {
  /** @default "principal" */
  principalHeaders: "principal" | "org";
  /** @default "next-second" */
  concurrencyReset: "next-second" | "window-end";
  /** @default "users-id" */
  sessionClearBucket: "users-id" | "default" | "own";
}

/** Settings of a `RateLimiter`; every one can be changed at runtime. */
export interface RateLimitSettings extends RateLimitSwitches {
  /** Percent of each bucket one principal (token or OAuth app) may use, 1 to 100. @default 50 */
  principalSharePercent: number;
  /** Requests in flight across the org. @default 75 */
  concurrencyLimit: number;
}

export const DEFAULT_RATE_LIMIT_SETTINGS: Readonly<RateLimitSettings> = {
  principalSharePercent: 50,
  concurrencyLimit: 75,
  principalHeaders: "principal",
  concurrencyReset: "next-second",
  sessionClearBucket: "users-id",
};

type Window = { start: number; used: number };

/**
 * Fixed-window counters per family and per (family, principal); the window is aligned to the clock's
 * minute. A request counts against both when it is allowed.
 */
export class RateLimiter {
  readonly limits: Record<RateLimitFamily, number>;
  readonly settings: RateLimitSettings;
  private readonly windows = new Map<string, Window>();
  private inFlight = 0;

  constructor(
    limits: Partial<Record<RateLimitFamily, number>> = {},
    settings: Partial<RateLimitSettings> = {},
  ) {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...limits };
    this.settings = { ...DEFAULT_RATE_LIMIT_SETTINGS, ...settings };
  }

  /** The bucket a request is metered in: its family, or where the `sessionClearBucket` switch puts a clear. */
  bucket(method: string, path: string): MeteredBucket {
    if (method !== "DELETE" || !SESSIONS_PATH.test(path)) return rateLimitFamily(path);
    const where = this.settings.sessionClearBucket;
    return where === "own" ? SESSION_CLEAR_BUCKET : where === "default" ? "/api/v1" : "/api/v1/users/{id}";
  }

  /** The requests per window of a bucket (the session clear's own is as large as the user's family). */
  bucketLimit(bucket: MeteredBucket): number {
    return this.limits[bucket === SESSION_CLEAR_BUCKET ? "/api/v1/users/{id}" : bucket];
  }

  /** The requests a principal may make per window on a bucket: its share, at least one. */
  principalLimit(bucket: MeteredBucket): number {
    return Math.max(1, Math.floor((this.bucketLimit(bucket) * this.settings.principalSharePercent) / 100));
  }

  /** Counts one request of `bucket` at `nowMs`, by `principal` (a token or app id) when known. */
  take(bucket: MeteredBucket, nowMs: number, principal?: string): RateLimitDecision {
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    const org = this.window(bucket, start);
    const own = principal === undefined ? undefined : this.window(`${bucket} ${principal}`, start);
    const limit = this.bucketLimit(bucket);
    const ownLimit = this.principalLimit(bucket);
    const allowed = org.used < limit && (own === undefined || own.used < ownLimit);
    if (allowed) {
      org.used += 1;
      if (own !== undefined) own.used += 1;
    }
    const orgRemaining = Math.max(0, limit - org.used);
    const reportOwn = own !== undefined && this.settings.principalHeaders === "principal";
    return {
      allowed,
      limit: reportOwn ? ownLimit : limit,
      remaining: reportOwn ? Math.min(orgRemaining, Math.max(0, ownLimit - own.used)) : orgRemaining,
      resetEpochSeconds: (start + WINDOW_MS) / 1000,
    };
  }

  /**
   * Admits one request in flight, or answers the concurrency decision (its headers report the
   * concurrent values); call `leave()` once an admitted request has been answered.
   */
  enter(nowMs: number): RateLimitDecision | null {
    if (this.inFlight < this.settings.concurrencyLimit) {
      this.inFlight += 1;
      return null;
    }
    const reset =
      this.settings.concurrencyReset === "next-second"
        ? Math.floor(nowMs / 1000) + 1
        : (Math.floor(nowMs / WINDOW_MS) * WINDOW_MS + WINDOW_MS) / 1000;
    return { allowed: false, limit: this.settings.concurrencyLimit, remaining: 0, resetEpochSeconds: reset };
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Forgets every window (a fresh minute for all families and principals). */
  reset(): void {
    this.windows.clear();
  }

  private window(key: string, start: number): Window {
    const window = this.windows.get(key);
    const current = window !== undefined && window.start === start ? window : { start, used: 0 };
    this.windows.set(key, current);
    return current;
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
