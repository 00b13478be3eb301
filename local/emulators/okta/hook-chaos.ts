import { SeededRandom } from "./deterministic.ts";

/** What the chaos settings did to one delivery record (a harness counts faults by these). */
export type DeliveryChaos = "dropped" | "delayed" | "duplicate";

/** A range of milliseconds; a draw is uniform in [min, max]. */
export interface DelayRange {
  min: number;
  max: number;
}

/** The fate of one batch, decided when it leaves its batching window. */
export interface BatchFate {
  /** Recorded as dropped, never sent. */
  drop: boolean;
  /** Wait before the first POST (0: sent at once). */
  delayMs: number;
  /** When set, the same envelope is POSTed again this long after the first send was due. */
  duplicateAfterMs: number | null;
}

const NO_DELAY: DelayRange = { min: 0, max: 0 };
const DEFAULT_DUPLICATE_GAP: DelayRange = { min: 10, max: 100 };

/**
 * Seeded chaos for event hook deliveries: what an unreliable at-least-once sender does to batches.
 * Every batch takes the same four draws from the stream whatever is switched on, so with one seed a
 * given batch meets the same fate in every run, and switching one setting on does not reshuffle the
 * fates the others decide.
 */
export class HookChaos {
  /** Share of batches recorded as dropped and never sent (only the System Log has them), 0 to 1. @default 0 */
  dropRate = 0;
  /** Share of sent batches POSTed a second time, as a separate delivery (same envelope), 0 to 1. @default 0 */
  duplicateRate = 0;
  /** Each batch waits a delay drawn from this range before its POST, so batches can arrive out of order. @default {min: 0, max: 0} */
  delayMs: DelayRange = { ...NO_DELAY };
  /** How long after the first send a duplicate follows. @default {min: 10, max: 100} */
  duplicateGapMs: DelayRange = { ...DEFAULT_DUPLICATE_GAP };
  private random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** Restarts the stream from `seed` (a harness replaying a history). */
  reseed(seed: number): void {
    this.random = new SeededRandom(seed);
  }

  /** Switches every chaos setting off (the stream keeps its position). */
  clear(): void {
    this.dropRate = 0;
    this.duplicateRate = 0;
    this.delayMs = { ...NO_DELAY };
    this.duplicateGapMs = { ...DEFAULT_DUPLICATE_GAP };
  }

  /** Draws the fate of the next batch. */
  drawBatch(): BatchFate {
    const [drop, duplicate, delay, gap] = [
      this.random.next(),
      this.random.next(),
      this.random.next(),
      this.random.next(),
    ];
    return {
      drop: drop < this.dropRate,
      delayMs: pick(this.delayMs, delay),
      duplicateAfterMs: duplicate < this.duplicateRate ? pick(this.duplicateGapMs, gap) : null,
    };
  }
}

/** A whole number of ms in [min, max] from a draw in [0, 1). */
function pick(range: DelayRange, draw: number): number {
  const min = Math.max(0, range.min);
  const max = Math.max(min, range.max);
  return min + Math.floor(draw * (max - min + 1));
}
