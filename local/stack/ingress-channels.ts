import { randomUUID } from "node:crypto";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import type { OktaAdapter } from "../../adapters/okta.ts";
import type { StateTable } from "../../adapters/state-table.ts";
import { SystemLogCursor } from "../../adapters/system-log-cursor.ts";
import type { DispatchResult } from "../../functions/dispatch/create-handler.ts";
import { createOktaLogPollHandler } from "../../functions/okta-log-poll/create-handler.ts";
import { createOktaLogStreamHandler } from "../../functions/okta-logstream/create-handler.ts";
import type { IngestDeps, IngestSummary } from "../../usecases/ingest/ingest-log-events.ts";
import type { PollLimits, PollSummary } from "../../usecases/ingest/poll-system-log.ts";
import type { OktaEmulator } from "../emulators/okta/index.ts";
import { lambdaContext } from "../runtime/lambda-context.ts";
import { type LogSink, localLogger } from "../runtime/sink-logger.ts";

/** The ingress functions' names on the laptop (their `AWS_LAMBDA_FUNCTION_NAME` and Lambda context). */
export const LOCAL_FUNCTION_NAMES = {
  hook: "okta-hook",
  logStream: "okta-logstream",
  poller: "okta-log-poll",
} as const;

/** The Okta org's partner event source on the local partner bus. */
export const LOCAL_PARTNER_SOURCE = "aws.partner/okta.com/local/okta-aws-lifecycle";

/** What became of each Okta event at ingress and dispatch, for tests and the ingress benchmark. */
export class IngressLedger {
  /** Per channel: the summaries its handler returned (hook deliveries, stream events, polls). */
  readonly summaries: { channel: "hook" | "log-stream" | "poller"; summary: IngestSummary }[] = [];
  /** Per publish attempt, as the channel's publisher answered it (kept even when a handler fails later). */
  readonly publishes: { oktaEventId: string; channel: string; outcome: PublishOutcome }[] = [];
  /** Per published event: what dispatch did with it. */
  readonly dispatched: { oktaEventId: string; result: DispatchResult }[] = [];

  /** Every event id with the outcomes it got, over all channels (`hook:published`, `poller:duplicate`...). */
  outcomes(): Map<string, string[]> {
    const byId = new Map<string, string[]>();
    const add = (id: string | undefined, outcome: string) => {
      if (id === undefined) return;
      byId.set(id, [...(byId.get(id) ?? []), outcome]);
    };
    for (const p of this.publishes) add(p.oktaEventId, `${p.channel}:${p.outcome}`);
    for (const { channel, summary } of this.summaries) {
      for (const i of summary.ignored) add(i.oktaEventId, `${channel}:ignored:${i.reasonCode}`);
      for (const i of summary.invalid) add(i.oktaEventId, `${channel}:invalid`);
    }
    return byId;
  }
}

/** Wraps a function's publisher so every outcome lands in the ledger. */
export function recordPublishes(
  ledger: IngressLedger,
  publish: IngestDeps["publish"],
): IngestDeps["publish"] {
  return async (details, context) => {
    const outcomes = await publish(details, context);
    details.forEach((d, i) => {
      ledger.publishes.push({
        oktaEventId: d.event.oktaEventId,
        channel: d.channel,
        outcome: outcomes[i] ?? "failed",
      });
    });
    return outcomes;
  };
}

export interface IngressChannelOptions {
  okta: OktaEmulator;
  oktaAdapter: OktaAdapter;
  table: StateTable;
  /** The ingest dependencies of one function, built under its name (local/runtime/function-environment.ts). */
  ingest: (functionName: string) => IngestDeps;
  ledger: IngressLedger;
  /** Poll every this many ms; 0 never polls on its own (`pollNow()` still does). */
  pollIntervalMs: number;
  pollLimits?: Partial<PollLimits>;
  /** Forward every System Log event to the Log Streaming handler after this delay; `null`: no stream. */
  logStreamingLagMs: number | null;
  logSink: LogSink | undefined;
  log: (line: string) => void;
}

/**
 * The poller and Log Streaming on the laptop, running the very handlers that deploy to AWS: the
 * poller on a timer (as EventBridge Scheduler would invoke it) against the Okta emulator's System Log
 * through the real adapter, the cursor in the state table on dynalite; Log Streaming as a partner
 * bus that hands each System Log event, wrapped the way Okta's partner source wraps it, to the
 * okta-logstream handler.
 */
export function startIngressChannels(options: IngressChannelOptions) {
  const metrics = (service: string) => new Metrics({ namespace: "OktaAwsLifecycle", serviceName: service });
  const poll = createOktaLogPollHandler({
    ...options.ingest(LOCAL_FUNCTION_NAMES.poller),
    logger: localLogger("okta-log-poll", options.logSink),
    metrics: metrics("okta-log-poll"),
    systemLog: options.oktaAdapter,
    cursor: new SystemLogCursor(options.table),
    ...(options.pollLimits ? { limits: options.pollLimits } : {}),
  });
  const stream = createOktaLogStreamHandler({
    ...options.ingest(LOCAL_FUNCTION_NAMES.logStream),
    logger: localLogger("okta-logstream", options.logSink),
    metrics: metrics("okta-logstream"),
  });

  let polls: Promise<unknown> = Promise.resolve();
  const pollNow = (): Promise<PollSummary> => {
    const run = polls.then(async () => {
      const summary = (await poll({}, lambdaContext(LOCAL_FUNCTION_NAMES.poller, 300_000))) as PollSummary;
      options.ledger.summaries.push({ channel: "poller", summary });
      options.log(
        `poller: ${summary.pages} page(s), ${summary.published.length} published, ${summary.duplicates.length} duplicate(s) (${summary.stoppedBecause})`,
      );
      return summary;
    });
    polls = run.catch(() => {});
    return run;
  };
  // A tick while a poll is still running (waiting out Okta's rate limit, say) is skipped, as the
  // deployed schedule's invocation would find the cursor busy: queueing ticks instead built a backlog
  // that, drained at once, exhausted the System Log bucket again and again (found by the chaos test).
  let scheduledPoll: Promise<unknown> | null = null;
  const timer =
    options.pollIntervalMs > 0
      ? setInterval(() => {
          if (scheduledPoll !== null) return;
          scheduledPoll = pollNow()
            .catch((error: Error) => options.log(`poller error: ${error.message}`))
            .finally(() => {
              scheduledPoll = null;
            });
        }, options.pollIntervalMs)
      : undefined;

  const inFlight = new Set<Promise<unknown>>();
  const streamEvent = async (detail: Record<string, unknown>): Promise<IngestSummary> => {
    const event = {
      version: "0",
      id: randomUUID(),
      "detail-type": "SystemLog",
      source: LOCAL_PARTNER_SOURCE,
      account: "000000000000",
      time: new Date().toISOString(),
      region: "us-east-1",
      resources: [],
      detail,
    };
    const summary = (await stream(event, lambdaContext(LOCAL_FUNCTION_NAMES.logStream))) as IngestSummary;
    options.ledger.summaries.push({ channel: "log-stream", summary });
    return summary;
  };
  const lag = options.logStreamingLagMs;
  const unsubscribe =
    lag === null
      ? () => {}
      : options.okta.systemLog.onAppend((detail) => {
          const delivery = new Promise((resolve) => setTimeout(resolve, lag))
            .then(() => streamEvent(detail))
            .catch((error: Error) => options.log(`log streaming error: ${error.message}`));
          inFlight.add(delivery);
          void delivery.finally(() => inFlight.delete(delivery));
        });

  return {
    pollNow,
    streamEvent,
    /** Resolves when stream deliveries and polls started so far are done. */
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      await polls;
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      unsubscribe();
    },
  };
}

/** Records dispatch results in the ledger (the local stack's bus target calls it). */
export function recordDispatch(ledger: IngressLedger, detail: LifecycleBusDetail, result: DispatchResult) {
  ledger.dispatched.push({ oktaEventId: detail.event.oktaEventId, result });
}

type HookHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Wraps the okta-hook handler so each delivery's summary (the response body) lands in the ledger. */
export function recordHook(ledger: IngressLedger, handler: HookHandler): HookHandler {
  return async (event, context) => {
    const result = await handler(event, context);
    try {
      const body = JSON.parse(String(result.body));
      if (typeof body === "object" && body !== null && "received" in body)
        ledger.summaries.push({ channel: "hook", summary: body as IngestSummary });
    } catch {
      // Not a summary (an error answer): nothing to record.
    }
    return result;
  };
}
