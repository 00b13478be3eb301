import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import type { Context } from "aws-lambda";
import type { LifecycleBus, LifecycleBusDetail } from "./lifecycle-bus.ts";

/** What became of one event handed to the publisher. */
export type PublishOutcome = "published" | "duplicate" | "failed";

export interface IdempotentPublisherOptions {
  bus: LifecycleBus;
  /** Powertools persistence layer (DynamoDB in AWS and on the local stack's dynalite). */
  persistenceStore: BasePersistenceLayer;
  /** How long an Okta event id is remembered. @default 7 days (Okta retries within minutes) */
  expiresAfterSeconds?: number;
  /** How long to gather concurrent events into one PutEvents batch. @default 5 ms */
  batchWindowMs?: number;
}

/** Collects concurrent publish calls and sends them together (PutEvents takes up to 10 per call). */
class PublishBatcher {
  private queue: { detail: LifecycleBusDetail; resolve: (ok: boolean) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly bus: LifecycleBus;
  private readonly windowMs: number;

  constructor(bus: LifecycleBus, windowMs: number) {
    this.bus = bus;
    this.windowMs = windowMs;
  }

  enqueue(detail: LifecycleBusDetail): Promise<boolean> {
    return new Promise((resolve) => {
      this.queue.push({ detail, resolve });
      this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.timer = undefined;
    let failed = new Set<string>();
    try {
      failed = new Set((await this.bus.publish(batch.map((b) => b.detail))).map((f) => f.oktaEventId));
    } catch {
      failed = new Set(batch.map((b) => b.detail.event.oktaEventId));
    }
    for (const b of batch) b.resolve(!failed.has(b.detail.event.oktaEventId));
  }
}

/**
 * The idempotency key prefix every ingress function shares. Without one, Powertools prefixes each key
 * with `AWS_LAMBDA_FUNCTION_NAME` (and the wrapped function's name), so the hook, Log Streaming and the
 * poller would each keep their own record of the same LogEvent and publish it once each: see
 * "Customizing the idempotency key prefix" (`keyPrefix`) in the Powertools for AWS Lambda (TypeScript)
 * Idempotency docs, https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/,
 * the feature request that added the option (aws-powertools/powertools-lambda-typescript#3515), and
 * `BasePersistenceLayer.configure` (key = `<prefix>#<hash of event.oktaEventId>`).
 */
export const OKTA_EVENT_KEY_PREFIX = "okta-log-event";

/** Thrown inside the idempotent section so Powertools deletes the record and a retry can publish. */
class NotPublishedError extends Error {
  override name = "NotPublishedError";
}

/**
 * Publishes each lifecycle event at most once per Okta event id (Powertools Idempotency keyed on
 * `event.oktaEventId` under {@link OKTA_EVENT_KEY_PREFIX}): a repeat delivery of the same LogEvent, by
 * any channel and so by any of the three functions, is reported as a duplicate and not published again. A failed publish leaves no record, so Okta's retry succeeds.
 */
export function createIdempotentPublisher(options: IdempotentPublisherOptions) {
  const batcher = new PublishBatcher(options.bus, options.batchWindowMs ?? 5);
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "event.oktaEventId",
    expiresAfterSeconds: options.expiresAfterSeconds ?? 7 * 24 * 3600,
  });
  const publishOnce = makeIdempotent(
    async (detail: LifecycleBusDetail, invocationId: string) => {
      if (!(await batcher.enqueue(detail))) throw new NotPublishedError(detail.event.oktaEventId);
      return { publishedBy: invocationId };
    },
    { persistenceStore: options.persistenceStore, config, keyPrefix: OKTA_EVENT_KEY_PREFIX },
  );

  /**
   * Publishes the events of one invocation. The Lambda context bounds in-progress records by the
   * remaining time, and its request id tells a fresh publish from a replayed one.
   */
  return async (details: readonly LifecycleBusDetail[], context: Context): Promise<PublishOutcome[]> => {
    config.registerLambdaContext(context);
    const invocationId = context.awsRequestId;
    return Promise.all(
      details.map(async (detail): Promise<PublishOutcome> => {
        try {
          const result = await publishOnce(detail, invocationId);
          return result.publishedBy === invocationId ? "published" : "duplicate";
        } catch (error) {
          // The same event is being published right now by a concurrent delivery.
          if (error instanceof IdempotencyAlreadyInProgressError) return "duplicate";
          return "failed";
        }
      }),
    );
  };
}
