/*
 * How the export writes durations for people (report.html) and for spreadsheets (CSV seconds).
 */

/** A duration for people: `850 ms`, `12.3 s`, `4 min 12 s`, `1 h 05 min`, `2 d 03 h`. Negative: clock skew. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1_000).toFixed(1)} s`;
  const seconds = Math.round(abs / 1_000);
  if (seconds < 3_600)
    return `${sign}${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(abs / 60_000);
  if (minutes < 1_440)
    return `${sign}${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
  const hours = Math.round(abs / 3_600_000);
  return `${sign}${Math.floor(hours / 24)} d ${String(hours % 24).padStart(2, "0")} h`;
}

/** Milliseconds as seconds with millisecond precision, for CSV (`null` stays empty). */
export function toSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms) / 1_000;
}

/** `part` of `whole` as a percentage with one decimal (`null` when `whole` is 0). */
export function percent(part: number, whole: number): string | null {
  return whole === 0 ? null : `${((part / whole) * 100).toFixed(1)}%`;
}
