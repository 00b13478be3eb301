/** Thrown for a duration string that is not an ISO-8601 `PTnHnM` duration. */
export class InvalidDurationError extends Error {
  override name = "InvalidDurationError";
  readonly value: string;
  constructor(value: string) {
    super(`'${value}' is not an ISO-8601 duration like PT12H or PT90M`);
    this.value = value;
  }
}

/** Milliseconds in an ISO-8601 time duration of hours and/or minutes (`PT12H`, `PT90M`, `PT1H30M`). */
export function durationMs(iso: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(iso);
  if (!match || (match[1] === undefined && match[2] === undefined)) throw new InvalidDurationError(iso);
  return (Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60_000;
}

/** `instant + ms` as an ISO-8601 UTC string. */
export function addMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}
