import { IdFactory } from "./deterministic.ts";
import type { EventHook, EventHookRegistry } from "./event-hooks.ts";
import { type DeliveryChaos, HookChaos } from "./hook-chaos.ts";

/** The envelope `eventType` of every delivery. */
export const EVENT_HOOK_ENVELOPE_TYPE = "com.okta.event_hook";

/** How the emulator calls hook endpoints. */
export interface HookDeliveryOptions {
  /** Okta waits this long for a response (Event Hooks concept page: "a default timeout of 3 seconds"). @default 3000 */
  timeoutMs: number;
  /** Events that occur within this window are delivered together in one POST. @default 75 */
  batchWindowMs: number;
  /** At most this many events per delivery (the emulator's choice; Okta documents no figure). @default 50 */
  maxBatchSize: number;
  /** Pause before the one retry. @default 0 */
  retryDelayMs: number;
  fetch: typeof globalThis.fetch;
  /** Epoch milliseconds (timestamps in records and envelopes). */
  clock: () => number;
  /** Monotonic milliseconds (attempt durations). */
  monotonic: () => number;
  /** Seed of the chaos stream ({@link HookChaos}), separate from the id stream. @default 1 */
  chaosSeed?: number;
}

/** One HTTP attempt of a delivery or verification. */
export interface HookAttempt {
  startedAt: string;
  durationMs: number;
  /** The response status, or `null` when no response arrived in time or the connection failed. */
  status: number | null;
  error: "timeout" | "network" | null;
}

/** What happened to one batch of events for one hook. */
export interface DeliveryRecord {
  hookId: string;
  /** The envelope's `eventId` (the same on the retry, and on a duplicate). */
  eventId: string;
  url: string;
  eventUuids: string[];
  eventTypes: string[];
  /**
   * `pending` while attempts are under way; `dropped` when deliveries were switched off and nothing was
   * sent (only the System Log has the events).
   */
  outcome: "pending" | "delivered" | "failed" | "dropped";
  attempts: HookAttempt[];
  /**
   * What fault injection did to this delivery, empty when nothing: `dropped` (by `dropDeliveries` or the
   * chaos `dropRate`; the outcome is then `dropped`), `delayed` (held back `delayMs` before its POST),
   * `duplicate` (this record is the second sending of the batch recorded just before it, same `eventId`).
   */
  chaos: DeliveryChaos[];
  /** How long this delivery waited before its first POST (for a duplicate: counted from the batch's end). */
  delayMs: number;
}

/** What happened to one verification call. */
export interface VerificationRecord {
  hookId: string;
  url: string;
  verified: boolean;
  /** Why verification failed, in words. */
  reason: string | null;
  attempts: HookAttempt[];
}

interface PendingBatch {
  events: Record<string, unknown>[];
  timer: NodeJS.Timeout | null;
  /** Settles the work entry that stands for this batch while it waits. */
  release: () => void;
}

type AttemptOutcome = { attempt: HookAttempt; body: string | null };

/**
 * Delivers System Log events to verified hooks the way Okta does (Event Hooks concept page): POSTs with
 * `Accept` / `Content-Type: application/json`, `User-Agent: Okta-Integrations`, an `X-Okta-Request-Id`,
 * the configured auth header and custom headers; a 3 s
 * timeout; at most one retry, on a timeout, a connection failure or a 5xx, never on a 4xx; events that
 * occur together batched into one envelope. Delivery runs off the request path: the API call that caused
 * the events has already been answered. Faults: `dropDeliveries` drops everything; `chaos` drops,
 * delays (and so reorders) and duplicates batches from a seeded stream.
 */
export class HookDelivery {
  /** Switch on to record deliveries as dropped without calling the hook (only the poller can catch them). */
  dropDeliveries = false;
  /** Seeded drop / duplicate / delay settings, all off by default. */
  readonly chaos: HookChaos;
  readonly deliveries: DeliveryRecord[] = [];
  readonly verifications: VerificationRecord[] = [];
  readonly options: HookDeliveryOptions;
  private readonly registry: EventHookRegistry;
  private readonly ids: IdFactory;
  /** Its own stream: the request ids of hook calls shift no object id or uuid. */
  private readonly requestIds: IdFactory;
  private readonly pending = new Map<string, PendingBatch>();
  private readonly work = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  /** Wakes every delivery waiting out a delay (shutdown). */
  private readonly waits = new Set<() => void>();
  private closed = false;

  constructor(registry: EventHookRegistry, ids: IdFactory, options: HookDeliveryOptions) {
    this.registry = registry;
    this.ids = ids;
    this.options = options;
    this.chaos = new HookChaos(options.chaosSeed ?? 1);
    this.requestIds = new IdFactory((options.chaosSeed ?? 1) + 7919);
  }

  /** Queues a freshly logged event for every verified hook subscribed to its type. */
  enqueue(event: Record<string, unknown>): void {
    const eventType = typeof event.eventType === "string" ? event.eventType : "";
    for (const hook of this.registry.subscribers(eventType)) {
      let batch = this.pending.get(hook.id);
      if (batch === undefined) {
        const created: PendingBatch = { events: [], timer: null, release: () => {} };
        // The batch counts as work from now on, so idle() also waits for batches still in their window.
        this.track(new Promise<void>((resolve) => (created.release = resolve)));
        created.timer = setTimeout(() => this.flush(hook), this.options.batchWindowMs);
        this.pending.set(hook.id, created);
        batch = created;
      }
      batch.events.push(event);
      if (batch.events.length >= this.options.maxBatchSize) this.flush(hook);
    }
  }

  /**
   * The one-time verification GET: sends `X-Okta-Verification-Challenge` and expects
   * `{"verification": "<the value>"}` back, with the same timeout and single retry as deliveries.
   */
  async verify(hook: EventHook): Promise<VerificationRecord> {
    const challenge = this.ids.token(32);
    const attempts: HookAttempt[] = [];
    let outcome = await this.call(hook, "GET", { "X-Okta-Verification-Challenge": challenge }, undefined);
    attempts.push(outcome.attempt);
    if (retryable(outcome.attempt)) {
      outcome = await this.call(hook, "GET", { "X-Okta-Verification-Challenge": challenge }, undefined);
      attempts.push(outcome.attempt);
    }
    const reason = verificationProblem(outcome, challenge);
    const record: VerificationRecord = {
      hookId: hook.id,
      url: hook.uri,
      verified: reason === null,
      reason,
      attempts,
    };
    this.verifications.push(record);
    return record;
  }

  /** Resolves once no batch is waiting and no delivery is in flight, delayed and duplicate ones included. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  /** Cancels waiting batches, delayed deliveries and in-flight calls (server shutdown). */
  close(): void {
    this.closed = true;
    for (const wake of this.waits) wake();
    for (const batch of this.pending.values()) {
      if (batch.timer !== null) clearTimeout(batch.timer);
      batch.release();
    }
    this.pending.clear();
    for (const controller of this.controllers) controller.abort();
  }

  private flush(hook: EventHook): void {
    const batch = this.pending.get(hook.id);
    if (batch === undefined) return;
    this.pending.delete(hook.id);
    if (batch.timer !== null) clearTimeout(batch.timer);
    this.dispatch(hook, batch.events);
    batch.release();
  }

  /** Records the batch and starts its sending (and a duplicate's), or records it dropped. */
  private dispatch(hook: EventHook, events: Record<string, unknown>[]): void {
    const fate = this.chaos.drawBatch();
    const eventId = this.ids.uuid();
    if (this.dropDeliveries || fate.drop) {
      this.record(hook, eventId, events, "dropped", ["dropped"], 0);
      return;
    }
    const body = JSON.stringify({
      eventType: EVENT_HOOK_ENVELOPE_TYPE,
      eventTypeVersion: "1.0",
      cloudEventsVersion: "0.1",
      source: `${hook.orgUrl}/api/v1/eventHooks/${hook.id}`,
      eventId,
      data: { events },
      eventTime: new Date(this.options.clock()).toISOString(),
      contentType: "application/json",
    });
    const first = this.record(
      hook,
      eventId,
      events,
      "pending",
      fate.delayMs > 0 ? ["delayed"] : [],
      fate.delayMs,
    );
    this.track(this.send(hook, first, body));
    if (fate.duplicateAfterMs !== null) {
      // An at-least-once sender's second copy: a separate POST of the same envelope, a little later.
      const delayMs = fate.delayMs + fate.duplicateAfterMs;
      const duplicate = this.record(hook, eventId, events, "pending", ["duplicate"], delayMs);
      this.track(this.send(hook, duplicate, body));
    }
  }

  private record(
    hook: EventHook,
    eventId: string,
    events: Record<string, unknown>[],
    outcome: DeliveryRecord["outcome"],
    chaos: DeliveryChaos[],
    delayMs: number,
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      hookId: hook.id,
      eventId,
      url: hook.uri,
      eventUuids: events.map((event) => String(event.uuid)),
      eventTypes: events.map((event) => String(event.eventType)),
      outcome,
      attempts: [],
      chaos,
      delayMs,
    };
    this.deliveries.push(record);
    return record;
  }

  private async send(hook: EventHook, record: DeliveryRecord, body: string): Promise<void> {
    await this.wait(record.delayMs);
    if (this.closed) return;
    let outcome = await this.call(hook, "POST", { "Content-Type": "application/json" }, body);
    record.attempts.push(outcome.attempt);
    if (retryable(outcome.attempt)) {
      await this.wait(this.options.retryDelayMs);
      outcome = await this.call(hook, "POST", { "Content-Type": "application/json" }, body);
      record.attempts.push(outcome.attempt);
    }
    record.outcome = succeeded(outcome.attempt) ? "delivered" : "failed";
  }

  /** Sleeps `ms`; close() cuts every wait short. */
  private wait(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waits.add(wake);
    });
  }

  private async call(
    hook: EventHook,
    method: "GET" | "POST",
    extraHeaders: Record<string, string>,
    body: string | undefined,
  ): Promise<AttemptOutcome> {
    // Okta's hook calls name their sender and carry a request id (issue 13's review of real deliveries;
    // Okta's pages show only Accept, Content-Type and the auth header): one id per HTTP call here.
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": "Okta-Integrations",
      "X-Okta-Request-Id": this.requestIds.requestId(),
      ...extraHeaders,
    };
    for (const header of hook.headers) headers[header.key] = header.value;
    if (hook.authScheme !== null) headers[hook.authScheme.key] = hook.authScheme.value;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(new Error("timeout")), this.options.timeoutMs);
    const startedAt = new Date(this.options.clock()).toISOString();
    const started = this.options.monotonic();
    const finish = (status: number | null, error: HookAttempt["error"]): HookAttempt => ({
      startedAt,
      durationMs: Math.round((this.options.monotonic() - started) * 1000) / 1000,
      status,
      error,
    });
    try {
      const response = await this.options.fetch(hook.uri, {
        method,
        headers,
        body,
        redirect: "manual",
        signal: controller.signal,
      });
      const text = await response.text();
      return { attempt: finish(response.status, null), body: text };
    } catch {
      return { attempt: finish(null, controller.signal.aborted ? "timeout" : "network"), body: null };
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }
}

function succeeded(attempt: HookAttempt): boolean {
  return attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
}

/** Okta retries once on a timeout, a connection failure or a 5xx; never on a 4xx. */
function retryable(attempt: HookAttempt): boolean {
  return attempt.status === null || attempt.status >= 500;
}

function verificationProblem(outcome: AttemptOutcome, challenge: string): string | null {
  const { attempt, body } = outcome;
  if (attempt.error !== null) return `the endpoint did not answer (${attempt.error})`;
  if (!succeeded(attempt)) return `the endpoint answered HTTP ${attempt.status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return "the response is not JSON";
  }
  const verification =
    typeof parsed === "object" && parsed !== null
      ? (parsed as { verification?: unknown }).verification
      : undefined;
  return verification === challenge
    ? null
    : 'the response does not echo the challenge in {"verification": ...}';
}
