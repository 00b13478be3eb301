import { createHash } from "node:crypto";
import { invalidCursor } from "./errors.ts";
import { type FilterNode, matchesFilter } from "./scim-filter.ts";

/** A LogEvent in the store, with the persistence sequence that polling cursors point at. */
export interface StoredLogEvent {
  seq: number;
  publishedMs: number;
  event: Record<string, unknown>;
}

/** A parsed `GET /api/v1/logs` query. */
export interface LogQuery {
  sinceMs?: number;
  untilMs?: number;
  /** The opaque cursor from a `next` link. */
  after?: string;
  filter?: FilterNode;
  /** 0 to 1000. */
  limit: number;
  sortOrder: "ASCENDING" | "DESCENDING";
}

/** A page of events and, when there is one, the cursor for the `next` link. */
export interface LogPage {
  events: Record<string, unknown>[];
  nextCursor: string | null;
}

/** How far back `since` defaults (System Log API: 7 days prior to `until`). */
export const DEFAULT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The org's System Log with Okta's two request types (System Log API, "Request types"):
 * - polling (no `until`, `sortOrder=ASCENDING`): ordered by persistence, `next` link always present
 *   (even on an empty page), and following it returns only events persisted after the page;
 * - bounded (an `until`, or DESCENDING): filtered by `published`, the last page has no `next` link.
 * Cursors are opaque and tamper-checked: an altered one gets 400 E0000029.
 */
export class SystemLog {
  /**
   * Whether a request may carry `after` together with `since` or a `filter` on `published`. The
   * management spec's listLogEvents says nothing either way (`after`: "Okta returns a link in the HTTP
   * Header (`rel=next`) that includes the after query parameter"), so both readings are modelled:
   * - `accept` (default): the `next` link repeats `since`, and a request with both is answered;
   * - `reject`: such a request is 400 E0000001 naming the parameters; `next` links leave `since` out
   *   and the cursor carries the lower bound instead.
   * A client that follows `next` links as they come (the adapter) works under both.
   */
  afterWithTimeBound: "accept" | "reject" = "accept";
  private readonly events: StoredLogEvent[] = [];
  private readonly cursorKey: string;
  private readonly appendListeners = new Set<(event: Record<string, unknown>) => void>();

  constructor(cursorKey: string) {
    this.cursorKey = cursorKey;
  }

  /** Appends an event; listeners (hook delivery) hear of it synchronously. */
  append(event: Record<string, unknown>, publishedMs: number): void {
    this.events.push({ seq: this.events.length + 1, publishedMs, event });
    for (const listener of this.appendListeners) listener(event);
  }

  /** Subscribes to appended events; returns the unsubscribe function. */
  onAppend(listener: (event: Record<string, unknown>) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Every event, oldest first (copies). */
  all(): Record<string, unknown>[] {
    return this.events.map((stored) => structuredClone(stored.event));
  }

  /** Answers a query at time `nowMs`. */
  query(query: LogQuery, nowMs: number): LogPage {
    const carried = query.after === undefined ? undefined : this.decodeCursor(query.after).sinceMs;
    const bounded =
      query.sinceMs === undefined && carried !== undefined ? { ...query, sinceMs: carried } : query;
    const polling = bounded.untilMs === undefined && bounded.sortOrder === "ASCENDING";
    return polling ? this.poll(bounded, nowMs) : this.bounded(bounded, nowMs);
  }

  private poll(query: LogQuery, nowMs: number): LogPage {
    const afterSeq = query.after === undefined ? undefined : this.decodeCursor(query.after).seq;
    const sinceMs = query.sinceMs ?? nowMs - DEFAULT_LOOKBACK_MS;
    const candidates = this.events.filter((stored) =>
      afterSeq === undefined ? stored.publishedMs >= sinceMs : stored.seq > afterSeq,
    );
    const page: StoredLogEvent[] = [];
    for (const stored of candidates) {
      if (page.length >= query.limit) break;
      if (query.filter === undefined || matchesFilter(query.filter, stored.event)) page.push(stored);
    }
    const last = page.at(-1);
    // A full page resumes after its last event; otherwise everything up to now was scanned.
    let position: number;
    if (page.length >= query.limit && query.limit > 0 && last !== undefined) position = last.seq;
    else if (query.limit === 0) position = afterSeq ?? (candidates[0]?.seq ?? this.events.length + 1) - 1;
    else position = this.events.length;
    return {
      events: page.map((stored) => structuredClone(stored.event)),
      nextCursor: this.encodeCursor(position, query.sinceMs),
    };
  }

  private bounded(query: LogQuery, nowMs: number): LogPage {
    const untilMs = query.untilMs ?? nowMs;
    const sinceMs = query.sinceMs ?? untilMs - DEFAULT_LOOKBACK_MS;
    const direction = query.sortOrder === "ASCENDING" ? 1 : -1;
    const ordered = this.events
      .filter((stored) => stored.publishedMs >= sinceMs && stored.publishedMs < untilMs)
      .filter((stored) => query.filter === undefined || matchesFilter(query.filter, stored.event))
      .sort((a, b) => direction * (a.publishedMs - b.publishedMs || a.seq - b.seq));
    let start = 0;
    if (query.after !== undefined) {
      const afterSeq = this.decodeCursor(query.after).seq;
      const index = ordered.findIndex((stored) => stored.seq === afterSeq);
      if (index < 0) throw invalidCursor();
      start = index + 1;
    }
    const page = ordered.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = start + page.length < ordered.length;
    return {
      events: page.map((stored) => structuredClone(stored.event)),
      nextCursor: more && last !== undefined ? this.encodeCursor(last.seq, query.sinceMs) : null,
    };
  }

  /** `position.signature`, or `position~sinceMs.signature` when `next` links leave `since` out. */
  private encodeCursor(position: number, sinceMs: number | undefined): string {
    const payload =
      this.afterWithTimeBound === "reject" && sinceMs !== undefined
        ? `${position}~${sinceMs}`
        : `${position}`;
    return Buffer.from(`${payload}.${this.sign(payload)}`).toString("base64url");
  }

  private decodeCursor(cursor: string): { seq: number; sinceMs?: number } {
    const [payload = "", signature] = Buffer.from(cursor, "base64url").toString("utf8").split(".");
    const [position, since] = payload.split("~");
    const seq = Number(position);
    const sinceMs = since === undefined ? undefined : Number(since);
    if (!Number.isSafeInteger(seq) || seq < 0 || signature !== this.sign(payload)) throw invalidCursor();
    return sinceMs === undefined ? { seq } : { seq, sinceMs };
  }

  private sign(payload: string): string {
    return createHash("sha256").update(`${this.cursorKey}:${payload}`).digest("base64url").slice(0, 12);
  }
}
