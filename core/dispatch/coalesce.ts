import { digestedExecutionName, isPlainOktaId, MAX_EXECUTION_NAME } from "./execution-name.ts";

/**
 * Coalescing of per-user runs (joiners and movers; leavers are never coalesced).
 *
 * Events are hints: a run reads the user's whole truth, so one run can stand for any number of events,
 * *provided it reads the truth after each of them happened*. A run that started before an event must
 * never absorb it (it may have read the truth before the change). Time is cut into windows of
 * `windowMs`; each user has two execution names per window:
 * - **leading**: the first event of the window starts it at once (a quiet user's change is handled
 *   without delay);
 * - **trailing**: every later event of the window maps to it. It waits until `notBefore`, which is
 *   after the window has closed, before it reads the truth, so it sees every change whose event
 *   arrived in the window, whether that event started it or found it already waiting.
 * Step Functions refuses a second execution with the same name (ExecutionAlreadyExists), which is
 * what makes the mapping race-free across concurrent dispatchers. A burst therefore costs at most two
 * runs per user per window, whatever the number of events, and nothing is lost.
 */
export interface CoalescingOptions {
  /** Length of a window. @default 10000 (a trailing run starts at most ~13 s after its first event) */
  windowMs: number;
  /** Margin after the window closes (clock skew between dispatch and Step Functions). @default 1000 */
  settleMs: number;
  /** Trailing runs of different users are spread over this much time, so they do not all wake at once. @default 2000 */
  spreadMs: number;
}

/** @see CoalescingOptions */
export const DEFAULT_COALESCING: Readonly<CoalescingOptions> = Object.freeze({
  windowMs: 10_000,
  settleMs: 1_000,
  spreadMs: 2_000,
});

/** The two execution names of a user's window, and when the trailing one may read the truth. */
export interface CoalescingSlots {
  leading: string;
  trailing: { name: string; notBefore: string };
}

/** A window's start as it appears in execution names: `20260601T120000000Z` (UTC, milliseconds). */
export function windowStamp(windowStartMs: number): string {
  return new Date(windowStartMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.(\d{3})Z$/, "$1Z");
}

/** Deterministic, well-spread 32-bit hash (FNV-1a) of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The leading and trailing execution names for `oktaUserId` in the window containing `nowMs`
 * (`user-<id>-<window start, UTC>-lead|trail`), and the trailing run's `notBefore`: the window's end,
 * plus `settleMs`, plus a per-user offset below `spreadMs`. An id that is not a plain Okta id gets a
 * `user_<id, sanitized>-<digest>-...` name (core/dispatch/execution-name.ts), so distinct ids never
 * share a slot.
 */
export function coalescingSlots(
  oktaUserId: string,
  nowMs: number,
  options: CoalescingOptions = DEFAULT_COALESCING,
): CoalescingSlots {
  const windowStart = Math.floor(nowMs / options.windowMs) * options.windowMs;
  const stamp = windowStamp(windowStart);
  const name = (slot: string) => {
    const suffix = `-${stamp}-${slot}`;
    const plain = `user-${oktaUserId}${suffix}`;
    if (isPlainOktaId(oktaUserId) && plain.length <= MAX_EXECUTION_NAME) return plain;
    return digestedExecutionName("user_", oktaUserId, JSON.stringify(oktaUserId), suffix);
  };
  const offset = options.spreadMs > 0 ? fnv1a(oktaUserId) % options.spreadMs : 0;
  const notBefore = new Date(windowStart + options.windowMs + options.settleMs + offset).toISOString();
  return { leading: name("lead"), trailing: { name: name("trail"), notBefore } };
}
