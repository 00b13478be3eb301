import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { EventClaims } from "./event-claims.ts";
import type { LifecycleBus, LifecycleBusDetail } from "./lifecycle-bus.ts";

export { OKTA_EVENT_KEY_PREFIX } from "./event-claims.ts";

/** What became of one event handed to the publisher. */
export type PublishOutcome = "published" | "duplicate" | "failed";

export interface IdempotentPublisherOptions {
  bus: Pick<LifecycleBus, "publish">;
  /** The idempotency table (DynamoDB in AWS; dynalite behind its PartiQL front on the local stack). */
  client: DynamoDBClient;
  tableName: string;
  /** How long an Okta event id is remembered. @default 7 days (Okta retries within minutes) */
  expiresAfterSeconds?: number;
}

/**
 * Publishes each lifecycle event at most once per Okta event id, whichever channel (and so whichever of
 * the three functions) delivers it: one delivery claims all its events in batches (adapters/event-claims.ts),
 * publishes the ones it claimed (PutEvents, 10 per call, all calls at once), then marks them completed
 * and releases the ones that failed, so a retry publishes those. A repeat delivery, or one racing another
 * channel, gets `duplicate`. Round trips per delivery of n new events: ceil(n/25) claims and ceil(n/25)
 * settles to DynamoDB, sent in two waves, and ceil(n/10) PutEvents in one.
 */
export function createIdempotentPublisher(options: IdempotentPublisherOptions) {
  const claims = new EventClaims({
    client: options.client,
    tableName: options.tableName,
    ...(options.expiresAfterSeconds === undefined
      ? {}
      : { expiresAfterSeconds: options.expiresAfterSeconds }),
  });

  /**
   * Publishes the events of one invocation. The Lambda context bounds in-progress records by the
   * remaining time (a crashed invocation's claims die with it), and its request id owns the claims.
   */
  return async (details: readonly LifecycleBusDetail[], context: Context): Promise<PublishOutcome[]> => {
    if (details.length === 0) return [];
    const owner = context.awsRequestId;
    const claimed = await claims.claim(
      details.map((d) => d.event.oktaEventId),
      owner,
      Date.now() + context.getRemainingTimeInMillis(),
    );
    // One publish per claimed id: a second copy of an id in the same delivery is a duplicate.
    const mine = new Map<string, LifecycleBusDetail>();
    for (const d of details)
      if (claimed.get(d.event.oktaEventId) === "claimed" && !mine.has(d.event.oktaEventId))
        mine.set(d.event.oktaEventId, d);
    let failed: Set<string>;
    try {
      failed = new Set((await options.bus.publish([...mine.values()])).map((f) => f.oktaEventId));
    } catch {
      failed = new Set(mine.keys());
    }
    const published = [...mine.keys()].filter((id) => !failed.has(id));
    await claims.settle(published, [...failed], owner);
    const firsts = new Set<LifecycleBusDetail>(mine.values());
    return details.map((d): PublishOutcome => {
      const id = d.event.oktaEventId;
      if (claimed.get(id) === "failed" || failed.has(id)) return "failed";
      return firsts.has(d) ? "published" : "duplicate";
    });
  };
}
