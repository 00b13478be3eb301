import { createHash } from "node:crypto";
import {
  type AttributeValue,
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";

/**
 * The idempotency key prefix every ingress function shares. Without one, Powertools prefixes each key
 * with `AWS_LAMBDA_FUNCTION_NAME` (and the wrapped function's name), so the hook, Log Streaming and the
 * poller would each keep their own record of the same LogEvent and publish it once each: see
 * "Customizing the idempotency key prefix" (`keyPrefix`) in the Powertools for AWS Lambda (TypeScript)
 * Idempotency docs, https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/,
 * and aws-powertools/powertools-lambda-typescript#3515.
 */
export const OKTA_EVENT_KEY_PREFIX = "okta-log-event";

/**
 * The record key of an Okta event id, exactly as Powertools Idempotency 2.x computes it for
 * `eventKeyJmesPath: "event.oktaEventId"` with {@link OKTA_EVENT_KEY_PREFIX} (BasePersistenceLayer
 * `getHashedIdempotencyKey`: `<prefix>#<base64 md5 of the JSON of the value>`), so records written
 * before this batch path, or by a function still on Powertools during a deploy, are the same records.
 */
export function eventRecordKey(oktaEventId: string): string {
  return `${OKTA_EVENT_KEY_PREFIX}#${createHash("md5").update(JSON.stringify(oktaEventId)).digest("base64")}`;
}

/** What a claim found: ours to publish, someone else's (published or being published), or unknown. */
export type ClaimOutcome = "claimed" | "duplicate" | "failed";

export interface EventClaimsOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long an Okta event id is remembered. @default 7 days (Okta retries within minutes) */
  expiresAfterSeconds?: number;
  /** Attempts at a BatchWriteItem's UnprocessedItems / a BatchGetItem's UnprocessedKeys. @default 4 */
  maxBatchAttempts?: number;
}

/** DynamoDB limits per request: BatchExecuteStatement 25 statements, BatchWriteItem 25 requests, BatchGetItem 100 keys. */
const STATEMENTS_PER_BATCH = 25;
const WRITES_PER_BATCH = 25;
const KEYS_PER_BATCH = 100;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Idempotency records of Okta events, written in batches. The records are Powertools Idempotency's own
 * (attributes `id`, `status` INPROGRESS / COMPLETED, `expiration` in seconds, `in_progress_expiration`
 * in ms, `data` the stored result; the table's TTL on `expiration`), with the same guarantees:
 * - a claim is exclusive: PartiQL `INSERT` fails with `DuplicateItem` on an existing key (DynamoDB
 *   developer guide, "PartiQL insert statements"), so of two concurrent deliveries one claims;
 * - an existing record counts only while it is live, as Powertools' condition reads it: not past
 *   `expiration`, and, while INPROGRESS, not past `in_progress_expiration`; a dead one is taken over
 *   with Powertools' own conditional PutItem;
 * - an event whose publish failed is released (its record deleted), so the next delivery publishes it;
 * - a crash after the claim leaves an INPROGRESS record that dies with the invocation's time
 *   (`in_progress_expiration`), after which a redelivery or the poller publishes it; a crash after the
 *   publish but before `complete` publishes it again then: at least once to the bus, and dispatch
 *   names a leaver's run after the event id (core/dispatch/execution-name.ts), so a second copy starts
 *   nothing new.
 *
 * Why not Powertools' `makeIdempotent`: it is per call (and its batch-processing integration per
 * record): two writes, each one round trip, per event; 200 for a 100-event delivery. Here a delivery
 * costs ceil(n/25) BatchExecuteStatement + ceil(n/25) BatchWriteItem requests (8 for 100 events), plus
 * one BatchGetItem when some already existed, plus a PutItem per dead record taken over (rare).
 */
export class EventClaims {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly expiresAfterSeconds: number;
  private readonly maxBatchAttempts: number;

  constructor(options: EventClaimsOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.expiresAfterSeconds = options.expiresAfterSeconds ?? 7 * 24 * 3600;
    this.maxBatchAttempts = options.maxBatchAttempts ?? 4;
  }

  /**
   * Claims each distinct event id for `owner` (an invocation id) until `inProgressUntilMs`. A record
   * `owner` already holds (an insert whose answer was lost and retried) counts as claimed.
   */
  async claim(
    oktaEventIds: readonly string[],
    owner: string,
    inProgressUntilMs: number,
  ): Promise<Map<string, ClaimOutcome>> {
    const ids = [...new Set(oktaEventIds)];
    const outcomes = new Map<string, ClaimOutcome>();
    const existing: string[] = [];
    const expiration = Math.round(Date.now() / 1000 + this.expiresAfterSeconds);
    await Promise.all(
      chunks(ids, STATEMENTS_PER_BATCH).map(async (batch) => {
        try {
          const { Responses = [] } = await this.client.send(
            new BatchExecuteStatementCommand({
              Statements: batch.map((id) => ({
                Statement: `INSERT INTO "${this.tableName}" VALUE {'id': ?, 'status': ?, 'expiration': ?, 'in_progress_expiration': ?, 'claimed_by': ?}`,
                Parameters: this.inProgress(id, owner, expiration, inProgressUntilMs),
              })),
            }),
          );
          batch.forEach((id, i) => {
            const code = Responses[i]?.Error?.Code;
            if (Responses[i] === undefined) outcomes.set(id, "failed");
            else if (code === undefined) outcomes.set(id, "claimed");
            else if (code === "DuplicateItem") existing.push(id);
            else outcomes.set(id, "failed");
          });
        } catch {
          for (const id of batch) outcomes.set(id, "failed");
        }
      }),
    );
    if (existing.length > 0)
      await this.judgeExisting(existing, owner, expiration, inProgressUntilMs, outcomes);
    return outcomes;
  }

  /**
   * Marks published events COMPLETED (keeping `data.publishedBy`, as the Powertools publisher stored
   * it) and deletes the records of events that could not be published. Returns the ids whose write did
   * not go through: a completed one stays INPROGRESS until it dies (then it is published again), a
   * released one blocks redelivery until then.
   */
  async settle(
    published: readonly string[],
    unpublished: readonly string[],
    owner: string,
  ): Promise<string[]> {
    const expiration = Math.round(Date.now() / 1000 + this.expiresAfterSeconds);
    const writes: { id: string; request: WriteRequest }[] = [
      ...published.map((id) => ({
        id,
        request: {
          PutRequest: {
            Item: {
              id: { S: eventRecordKey(id) },
              status: { S: "COMPLETED" },
              expiration: { N: String(expiration) },
              data: { M: { publishedBy: { S: owner } } },
            },
          },
        },
      })),
      ...unpublished.map((id) => ({
        id,
        request: { DeleteRequest: { Key: { id: { S: eventRecordKey(id) } } } },
      })),
    ];
    const notWritten = await Promise.all(
      chunks(writes, WRITES_PER_BATCH).map((batch) => this.writeBatch(batch)),
    );
    return notWritten.flat();
  }

  private inProgress(
    id: string,
    owner: string,
    expiration: number,
    inProgressUntilMs: number,
  ): AttributeValue[] {
    return [
      { S: eventRecordKey(id) },
      { S: "INPROGRESS" },
      { N: String(expiration) },
      { N: String(inProgressUntilMs) },
      { S: owner },
    ];
  }

  /** Reads the records that were in the way (one BatchGetItem per 100) and takes over the dead ones. */
  private async judgeExisting(
    ids: string[],
    owner: string,
    expiration: number,
    inProgressUntilMs: number,
    outcomes: Map<string, ClaimOutcome>,
  ): Promise<void> {
    const records = new Map<string, Record<string, AttributeValue>>();
    try {
      for (const batch of chunks(ids, KEYS_PER_BATCH)) {
        for (const item of await this.readBatch(batch.map(eventRecordKey))) {
          const key = item.id?.S;
          if (key !== undefined) records.set(key, item);
        }
      }
    } catch {
      for (const id of ids) outcomes.set(id, "failed");
      return;
    }
    const now = Date.now();
    await Promise.all(
      ids.map(async (id) => {
        const item = records.get(eventRecordKey(id));
        if (item?.claimed_by?.S === owner && item.status?.S === "INPROGRESS")
          return outcomes.set(id, "claimed");
        if (item !== undefined && isLive(item, now)) return outcomes.set(id, "duplicate");
        outcomes.set(id, await this.takeOver(id, owner, expiration, inProgressUntilMs));
      }),
    );
  }

  /** Powertools' own claim (DynamoDBPersistenceLayer `_putRecord`): absent, expired, or in progress past its time. */
  private async takeOver(
    id: string,
    owner: string,
    expiration: number,
    inProgressUntilMs: number,
  ): Promise<ClaimOutcome> {
    const [key, status, expiry, inProgressExpiry, claimedBy] = this.inProgress(
      id,
      owner,
      expiration,
      inProgressUntilMs,
    );
    const now = Date.now();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            id: key as AttributeValue,
            status: status as AttributeValue,
            expiration: expiry as AttributeValue,
            in_progress_expiration: inProgressExpiry as AttributeValue,
            claimed_by: claimedBy as AttributeValue,
          },
          ConditionExpression:
            "attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)",
          ExpressionAttributeNames: {
            "#id": "id",
            "#expiry": "expiration",
            "#status": "status",
            "#in_progress_expiry": "in_progress_expiration",
          },
          ExpressionAttributeValues: {
            ":now": { N: String(now / 1000) },
            ":now_in_millis": { N: String(now) },
            ":inprogress": { S: "INPROGRESS" },
          },
        }),
      );
      return "claimed";
    } catch (error) {
      return error instanceof ConditionalCheckFailedException ? "duplicate" : "failed";
    }
  }

  /** A consistent BatchGetItem, its UnprocessedKeys asked again. */
  private async readBatch(keys: string[]): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let pending = keys.map((key) => ({ id: { S: key } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > this.maxBatchAttempts)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      if (attempt > 1) await backoff(attempt);
      const result = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      items.push(...(result.Responses?.[this.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as typeof pending;
    }
    return items;
  }

  /** A BatchWriteItem, its UnprocessedItems sent again; returns the ids never written. */
  private async writeBatch(batch: { id: string; request: WriteRequest }[]): Promise<string[]> {
    let pending = batch;
    for (let attempt = 1; attempt <= this.maxBatchAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await backoff(attempt);
      try {
        const result = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending.map((w) => w.request) } }),
        );
        const unprocessed = new Set(
          (result.UnprocessedItems?.[this.tableName] ?? []).map(
            (w) => w.PutRequest?.Item?.id?.S ?? w.DeleteRequest?.Key?.id?.S,
          ),
        );
        pending = pending.filter((w) => unprocessed.has(eventRecordKey(w.id)));
      } catch {
        // The whole request failed: try all of it again.
      }
    }
    return pending.map((w) => w.id);
  }
}

/** Live as Powertools reads a record: not expired, and an INPROGRESS one not past its in-progress time. */
function isLive(item: Record<string, AttributeValue>, nowMs: number): boolean {
  const expiration = Number(item.expiration?.N ?? 0);
  if (expiration < nowMs / 1000) return false;
  if (item.status?.S !== "INPROGRESS") return true;
  const inProgressUntil = item.in_progress_expiration?.N;
  return inProgressUntil === undefined || Number(inProgressUntil) >= nowMs;
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1_000, 25 * 2 ** attempt)));
