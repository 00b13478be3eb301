import type { Day } from "./layout.ts";

/*
 * Evidence periods: inclusive ranges of UTC days, as auditors ask for them ("2024-01-01 to 2024-12-31").
 */

/** An inclusive range of UTC days. */
export interface Period {
  from: Day;
  to: Day;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Thrown for a day that is not a real `YYYY-MM-DD` date, or a period that ends before it starts. */
export class PeriodError extends Error {
  override name = "PeriodError";
}

/** Whether `value` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (match === null) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * Validates a period given as two days.
 * @throws PeriodError naming the bad value.
 */
export function parsePeriod(from: string, to: string): Period {
  for (const [name, value] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (!isDay(value)) throw new PeriodError(`${name} must be a day written YYYY-MM-DD, got "${value}"`);
  }
  if (from > to) throw new PeriodError(`--from ${from} is after --to ${to}`);
  return { from, to };
}

/** The day `count` days after `day` (before it when negative). */
export function addDays(day: Day, count: number): Day {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** Every day of the period, in order. */
export function daysOf(period: Period): Day[] {
  const days: Day[] = [];
  for (let day = period.from; day <= period.to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The UTC day of an ISO-8601 instant. */
export function dayOfInstant(instant: string): Day {
  return new Date(Date.parse(instant)).toISOString().slice(0, 10);
}

/** The `YYYY/MM/` folders a period spans, in order (records are listed month by month). */
export function monthFoldersOf(period: Period): string[] {
  const months = new Set(daysOf(period).map((day) => `${day.slice(0, 4)}/${day.slice(5, 7)}/`));
  return [...months];
}

/** Whether `day` lies in the period. */
export function inPeriod(period: Period, day: Day): boolean {
  return day >= period.from && day <= period.to;
}
