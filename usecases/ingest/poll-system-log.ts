import type { Context } from "aws-lambda";
import { eventTypeFilter, type SystemLogPage, type SystemLogQuery } from "../../adapters/okta.ts";
import { parseLogEvent, rawEventId } from "../../core/okta/log-event.ts";
import {
  type IngestDeps,
  type IngestSummary,
  ingestLogEvents,
  type ReceivedLogEvent,
} from "./ingest-log-events.ts";

/** Where the poller reads Okta's System Log (the Okta adapter). */
export interface SystemLogSource {
  systemLogPage(from: string | SystemLogQuery): Promise<SystemLogPage>;
}

/** Where the poller keeps the `next` link (adapters/system-log-cursor.ts). */
export interface CursorStore {
  read(): Promise<string | null>;
  advance(previous: string | null, nextUrl: string, at: string): Promise<boolean>;
}

/** How far one run goes. */
export interface PollLimits {
  /** First run only: how far back the first request starts (`since`). @default 1 hour */
  lookbackMs: number;
  /** Pages per run. @default 20 */
  maxPages: number;
  /** Events per run; the run stops after the page that reaches it. @default 20000 */
  maxEvents: number;
  /** Events per page (Okta: at most 1000). @default 1000 */
  pageSize: number;
  /** Stop when the invocation has less than this left. @default 15000 */
  reserveMs: number;
}

/** @see PollLimits */
export const DEFAULT_POLL_LIMITS: Readonly<PollLimits> = Object.freeze({
  lookbackMs: 3_600_000,
  maxPages: 20,
  maxEvents: 20_000,
  pageSize: 1000,
  reserveMs: 15_000,
});

export interface PollDeps extends IngestDeps {
  systemLog: SystemLogSource;
  cursor: CursorStore;
  limits?: Partial<PollLimits>;
  /** Event types to ask Okta for. @default every lifecycle event type */
  eventTypes?: readonly string[];
}

/** Why a run stopped. Only `publish-failed` leaves events for the next run to publish. */
export type PollStop = "caught-up" | "max-pages" | "max-events" | "time" | "publish-failed" | "cursor-moved";

/** One run, accounted for. */
export interface PollSummary extends IngestSummary {
  pages: number;
  /** `cursor` when a stored `next` link was followed, `look-back` on the first run. */
  startedFrom: "cursor" | "look-back";
  stoppedBecause: PollStop;
}

/**
 * One System Log poll (design.md: the backstop net). Starts from the persisted `next` link (or, the
 * first time, a filtered polling query going `lookbackMs` back), publishes what each page holds
 * through the shared ingest path (duplicates of what the hook or the stream already published are
 * recognised by the LogEvent `uuid`), and persists the page's `next` link once the page is published.
 * A page with a publish failure is not passed: the next run reads it again. Bounded by pages, events
 * and the invocation's remaining time; rate limits are honoured by the Okta adapter (429 and
 * `X-Rate-Limit-Reset`). Stops at the first empty page: Okta's polling `next` link never runs out.
 */
export async function pollSystemLog(deps: PollDeps, context: Context): Promise<PollSummary> {
  const limits: PollLimits = { ...DEFAULT_POLL_LIMITS, ...deps.limits };
  let previous = await deps.cursor.read();
  let from: string | SystemLogQuery = previous ?? {
    since: new Date(Date.parse(deps.now()) - limits.lookbackMs).toISOString(),
    filter: eventTypeFilter(deps.eventTypes),
    limit: limits.pageSize,
  };
  const summary: PollSummary = {
    received: 0,
    published: [],
    duplicates: [],
    failed: [],
    ignored: [],
    invalid: [],
    stale: [],
    futureDated: [],
    pages: 0,
    startedFrom: previous === null ? "look-back" : "cursor",
    stoppedBecause: "max-pages",
  };
  while (summary.pages < limits.maxPages) {
    if (context.getRemainingTimeInMillis() < limits.reserveMs) return stop(summary, "time");
    const page = await deps.systemLog.systemLogPage(from);
    const offset = summary.received;
    summary.pages++;
    const entries = page.events.map((raw, i): ReceivedLogEvent => {
      const parsed = parseLogEvent(raw, `[${offset + i}]`);
      if (parsed.success) return { index: offset + i, success: true, event: parsed.data };
      const oktaEventId = rawEventId(raw);
      return {
        index: offset + i,
        success: false,
        ...(oktaEventId === undefined ? {} : { oktaEventId }),
        errors: parsed.errors,
      };
    });
    merge(summary, await ingestLogEvents(entries, "poller", context, deps));
    if (summary.failed.length > 0) return stop(summary, "publish-failed");
    // A polling query always has a next link; a bounded one ends without.
    if (page.nextUrl === null) return stop(summary, "caught-up");
    if (!(await deps.cursor.advance(previous, page.nextUrl, deps.now())))
      return stop(summary, "cursor-moved");
    previous = page.nextUrl;
    from = page.nextUrl;
    if (page.events.length === 0) return stop(summary, "caught-up");
    if (summary.received >= limits.maxEvents) return stop(summary, "max-events");
  }
  return summary;
}

function stop(summary: PollSummary, reason: PollStop): PollSummary {
  summary.stoppedBecause = reason;
  return summary;
}

function merge(into: IngestSummary, page: IngestSummary): void {
  into.received += page.received;
  into.published.push(...page.published);
  into.duplicates.push(...page.duplicates);
  into.failed.push(...page.failed);
  into.ignored.push(...page.ignored);
  into.invalid.push(...page.invalid);
  into.stale.push(...page.stale);
  into.futureDated.push(...page.futureDated);
}
