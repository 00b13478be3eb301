import type { Bar } from "./svg-charts.ts";

/** The time-to-revoke bins of the report's chart: each holds durations from the previous bound up to `below`. */
export const REVOKE_BINS: readonly { label: string; below: number }[] = [
  { label: "< 5 s", below: 5_000 },
  { label: "5-15 s", below: 15_000 },
  { label: "15-30 s", below: 30_000 },
  { label: "30-60 s", below: 60_000 },
  { label: "1-5 min", below: 300_000 },
  { label: "5-15 min", below: 900_000 },
  { label: "15-60 min", below: 3_600_000 },
  { label: "1-4 h", below: 14_400_000 },
  { label: "4-24 h", below: 86_400_000 },
  { label: ">= 24 h", below: Number.POSITIVE_INFINITY },
];

/**
 * How many durations fall in each bin. A bin is `good` when all of it is within the SLA, `bad`
 * otherwise, so a bar's colour says whether those leavers met it.
 */
export function revokeDistribution(durationsMs: readonly number[], slaMs: number): Bar[] {
  return REVOKE_BINS.map((bin, i) => {
    const above = REVOKE_BINS[i - 1]?.below ?? Number.NEGATIVE_INFINITY;
    return {
      label: bin.label,
      value: durationsMs.filter((ms) => ms >= above && ms < bin.below).length,
      tone: bin.below <= slaMs ? "good" : "bad",
    };
  });
}
