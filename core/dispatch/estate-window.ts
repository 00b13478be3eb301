import type { Trigger } from "../evidence/record.ts";
import { windowStamp } from "./coalesce.ts";

/**
 * Coalescing of estate runs started by events (issue 15): bulk-tagging N accounts, a script moving
 * accounts, or a burst of Okta group events would start N estate runs at once, each reading and
 * planning the whole estate and competing for the same ~20 TPS. An estate run reads the whole truth,
 * so one run stands for every event of a window *provided it reads after each of them*: time is cut
 * into windows of `windowMs`; the first run of a window claims it and waits until `notBefore` (the
 * window's end plus `settleMs`) before it reads; every later run of the window folds its trigger into
 * the claimer and ends. A run claims the window it *starts* in, which is after its event, so the
 * claimer's read is after every folded event. At most one estate run per window, nothing lost.
 *
 * Schedule and on-demand runs are never coalesced: they start at once.
 */
export interface EstateCoalescingOptions {
  /** Length of a window. @default 30000 (a tagged account gets its access within ~31 s) */
  windowMs: number;
  /** Margin after the window closes (clock skew between Lambda and Step Functions). @default 1000 */
  settleMs: number;
}

/** @see EstateCoalescingOptions */
export const DEFAULT_ESTATE_COALESCING: Readonly<EstateCoalescingOptions> = Object.freeze({
  windowMs: 30_000,
  settleMs: 1_000,
});

/** The window an estate run started at `nowMs` belongs to, and when its claimer may read the truth. */
export interface EstateWindow {
  /** `estate-<window start, UTC>`: the key runs of one window share. */
  name: string;
  notBefore: string;
}

export function estateWindow(
  nowMs: number,
  options: EstateCoalescingOptions = DEFAULT_ESTATE_COALESCING,
): EstateWindow {
  const start = Math.floor(nowMs / options.windowMs) * options.windowMs;
  return {
    name: `estate-${windowStamp(start)}`,
    notBefore: new Date(start + options.windowMs + options.settleMs).toISOString(),
  };
}

/** Whether a trigger's run is folded into its window's run: event-driven ones are. */
export function isCoalescible(trigger: Trigger): boolean {
  return trigger.type !== "schedule" && trigger.type !== "manual";
}
