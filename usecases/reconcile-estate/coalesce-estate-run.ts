import type { EstateWindows } from "../../adapters/estate-windows.ts";
import {
  DEFAULT_ESTATE_COALESCING,
  type EstateCoalescingOptions,
  estateWindow,
  isCoalescible,
} from "../../core/dispatch/estate-window.ts";
import { parseEstateRunInput } from "./run-input.ts";

export interface CoalesceEstateRunDeps {
  windows: EstateWindows;
  coalescing?: Partial<EstateCoalescingOptions>;
  /** Epoch milliseconds. @default Date.now */
  nowMs?: () => number;
}

/**
 * What the estate workflow's first state decides (core/dispatch/estate-window.ts):
 * - `{ coalesced: false }`: run now (a schedule or on-demand run);
 * - `{ coalesced: false, window, notBefore }`: this run claimed its window; wait, then read;
 * - `{ coalesced: true, into }`: another run of the window reads after this run's event; end here.
 */
export type CoalescingDecision =
  | { coalesced: false; window?: string; notBefore?: string }
  | { coalesced: true; into: string; window: string };

/** Task Coalesce of estate-reconcile: one estate run per window for event-driven triggers. */
export function coalesceEstateRun(deps: CoalesceEstateRunDeps) {
  const options = { ...DEFAULT_ESTATE_COALESCING, ...deps.coalescing };
  const nowMs = deps.nowMs ?? Date.now;
  return async (raw: unknown): Promise<CoalescingDecision> => {
    const { runId, trigger } = parseEstateRunInput(raw);
    if (!isCoalescible(trigger)) return { coalesced: false };
    const window = estateWindow(nowMs(), options);
    const { owner } = await deps.windows.claim(window.name, runId);
    if (owner === runId) return { coalesced: false, window: window.name, notBefore: window.notBefore };
    await deps.windows.fold(owner, runId, trigger);
    return { coalesced: true, into: owner, window: window.name };
  };
}
