import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import type { TriggerEvent } from "../core/evidence/record.ts";
import type { LifecycleEvent } from "../core/okta/lifecycle-event.ts";
import type { StaleFlag } from "../core/okta/staleness.ts";

/** The EventBridge `source` of every event the ingress publishes; rules match on it. */
export const LIFECYCLE_SOURCE = "okta-aws-lifecycle.ingress";
/** The `detail-type` of a normalized lifecycle event. */
export const LIFECYCLE_DETAIL_TYPE = "LifecycleEvent";

/** How the event reached us: the three nets of design.md. */
export type IngressChannel = "hook" | "log-stream" | "poller";

/** The `detail` of a lifecycle bus event. */
export interface LifecycleBusDetail {
  event: LifecycleEvent;
  channel: IngressChannel;
  receivedAt: string;
  /** Set when the event arrived later than the configured age after Okta published it (maybe a replay). */
  stale?: StaleFlag;
}

/** The event as a run's evidence names it (core/evidence/record.ts `triggerEventSchema`). */
export function triggerEventOf(detail: LifecycleBusDetail): TriggerEvent {
  const { event } = detail;
  return {
    oktaEventId: event.oktaEventId,
    eventType: event.eventType,
    published: event.published,
    kind: event.kind,
    channel: detail.channel,
    ...(detail.stale ? { stale: detail.stale } : {}),
  };
}

/** An entry EventBridge still rejected after the retries, with its error code. */
export interface PublishFailure {
  oktaEventId: string;
  errorCode: string;
}

export interface LifecycleBusOptions {
  client: EventBridgeClient;
  busName: string;
  /** Attempts per entry, counting the first. @default 3 */
  maxAttempts?: number;
}

const BATCH = 10; // PutEvents accepts at most 10 entries per call.

/**
 * Publishes lifecycle events to the bus in PutEvents batches of 10, re-sending only the entries
 * EventBridge reports as failed (a PutEvents call can partially fail with HTTP 200).
 */
export class LifecycleBus {
  private readonly client: EventBridgeClient;
  private readonly busName: string;
  private readonly maxAttempts: number;

  constructor(options: LifecycleBusOptions) {
    this.client = options.client;
    this.busName = options.busName;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /**
   * Publishes the details, all PutEvents calls at once (a 100-event delivery waits for one call, not ten
   * in a row); returns the ones that could not be published (empty when all were).
   */
  async publish(details: readonly LifecycleBusDetail[]): Promise<PublishFailure[]> {
    const batches: LifecycleBusDetail[][] = [];
    for (let i = 0; i < details.length; i += BATCH) batches.push(details.slice(i, i + BATCH));
    return (await Promise.all(batches.map((batch) => this.publishBatch(batch)))).flat();
  }

  private async publishBatch(batch: readonly LifecycleBusDetail[]): Promise<PublishFailure[]> {
    let pending = batch.map((detail) => ({ detail, errorCode: "NotAttempted" }));
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt++) {
      const entries: PutEventsRequestEntry[] = pending.map(({ detail }) => ({
        EventBusName: this.busName,
        Source: LIFECYCLE_SOURCE,
        DetailType: LIFECYCLE_DETAIL_TYPE,
        Time: new Date(detail.receivedAt),
        Detail: JSON.stringify(detail),
      }));
      const result = await this.client.send(new PutEventsCommand({ Entries: entries }));
      const outcomes = result.Entries ?? [];
      pending = pending
        .map((p, i) => ({
          detail: p.detail,
          errorCode: outcomes[i]?.ErrorCode ?? (outcomes[i]?.EventId ? "" : "Missing"),
        }))
        .filter((p) => p.errorCode !== "");
    }
    return pending.map((p) => ({ oktaEventId: p.detail.event.oktaEventId, errorCode: p.errorCode }));
  }
}
