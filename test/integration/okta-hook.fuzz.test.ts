import { readFileSync } from "node:fs";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { APIGatewayProxyStructuredResultV2, EventBridgeEvent } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdempotentPublisher, type PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import { LifecycleBus, type LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { parseLogEvent } from "../../core/okta/log-event.ts";
import { normalize } from "../../core/okta/normalize.ts";
import { createOktaHookHandler, type OktaHookDeps } from "../../functions/okta-hook/create-handler.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createEventBusEmulator } from "../../local/runtime/event-bus-emulator.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { hookRequest } from "../support/hook-request.ts";
import { appIdsArb, rawLogEventArb } from "../unit/okta/okta-arbitraries.ts";

const SECRET = randomHookSecret();

const deactivate = JSON.parse(
  readFileSync(
    path.join(import.meta.dirname, "../fixtures/okta/docs/user-lifecycle-deactivate.logevent.json"),
    "utf8",
  ),
);

/** Okta's documented leaver event under a fresh id: what a real delivery mostly holds. */
const leaverArb = fc.uuid().map((uuid) => ({ ...deactivate, uuid }));

/** A LogEvent made invalid in one of the ways a payload can be wrong. */
const brokenEventArb = fc.oneof(
  rawLogEventArb.map((e) => ({ ...e, published: "yesterday" })),
  rawLogEventArb.map(({ uuid: _, ...e }) => e),
  rawLogEventArb.map((e) => ({ ...e, eventType: 42 })),
  rawLogEventArb.map((e) => ({ ...e, target: "everyone" })),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Hook bodies: mostly well-formed envelopes with a mix of valid and broken events, sometimes anything. */
const bodyArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(leaverArb, rawLogEventArb, brokenEventArb), { maxLength: 12 })
      .map((events) => ({
        eventType: "com.okta.event_hook",
        eventTypeVersion: "1.0",
        data: { events },
      })),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      { eventType: fc.jsonValue(), data: fc.jsonValue({ maxDepth: 3 }) },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** What reaches the handler: a JSON text, a non-JSON text, or raw bytes (base64, as API Gateway passes binary). */
const requestArb = fc.record({
  payload: fc.oneof(
    {
      weight: 5,
      arbitrary: bodyArb.map((body) => ({ text: JSON.stringify(body) ?? "null", base64: false })),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, base64: false })) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 300 })
        .map((bytes) => ({ text: Buffer.from(bytes).toString("base64"), base64: true })),
    },
  ),
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", ""),
  authorization: fc.constantFrom(SECRET, SECRET, SECRET, "Bearer wrong", ""),
});

type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer R> ? R : never;

/** The events of a body that core/okta accepts and maps to a lifecycle event, by id. */
function lifecycleEventsOf(text: string, base64: boolean, provisioningAppIds: readonly string[]) {
  const byId = new Map<string, unknown[]>();
  let body: unknown;
  try {
    body = JSON.parse(base64 ? Buffer.from(text, "base64").toString("utf8") : text);
  } catch {
    return byId;
  }
  const events = (body as { data?: { events?: unknown } } | null)?.data?.events;
  if (!Array.isArray(events)) return byId;
  for (const raw of events) {
    const parsed = parseLogEvent(raw);
    if (!parsed.success) continue;
    const result = normalize(parsed.data, { provisioningAppIds });
    if (result.kind === "ignored" || result.kind === "invalid") continue;
    byId.set(result.oktaEventId, [...(byId.get(result.oktaEventId) ?? []), result]);
  }
  return byId;
}

function handlerWith(publish: OktaHookDeps["publish"], provisioningAppIds: readonly string[]) {
  const handler = createOktaHookHandler({
    logger: new Logger({ serviceName: "okta-hook-fuzz", logLevel: "SILENT" }),
    metrics: new Metrics({ namespace: "Test", serviceName: "okta-hook-fuzz" }),
    hookSecrets: async () => [SECRET],
    normalizeOptions: { provisioningAppIds },
    publish,
    now: () => new Date().toISOString(),
    jsonLimits: { maxDepth: 12, maxArrayLength: 10 },
    maxBodyBytes: 32_768,
  });
  return async (request: FuzzRequest) =>
    (await handler(
      hookRequest(
        "POST",
        request.payload.text,
        { "content-type": request.contentType, authorization: request.authorization },
        { isBase64Encoded: request.payload.base64 },
      ) as never,
      lambdaContext("okta-hook"),
    )) as APIGatewayProxyStructuredResultV2;
}

/** The published events must each be what core/okta makes of a valid event of the same request. */
function expectOnlyValidEventsPublished(
  published: readonly LifecycleBusDetail[],
  valid: Map<string, unknown[]>,
): void {
  for (const detail of published) {
    const candidates = valid.get(detail.event.oktaEventId) ?? [];
    expect(candidates).toContainEqual(detail.event);
    expect(detail.channel).toBe("hook");
  }
}

describe("okta-hook fuzzing", () => {
  it("with an in-memory publisher: never throws, never 5xx for bad input, publishes only valid events, accounts for all", async () => {
    let publishedOverall = 0;
    await fc.assert(
      fc.asyncProperty(requestArb, appIdsArb, async (request, appIds) => {
        // Prepare
        const published: LifecycleBusDetail[] = [];
        const invoke = handlerWith(async (details) => {
          published.push(...details);
          return details.map((): PublishOutcome => "published");
        }, appIds);

        // Act (a throw fails the property)
        const res = await invoke(request);

        // Assess
        expect(res.statusCode).toBeLessThan(500);
        expectOnlyValidEventsPublished(
          published,
          lifecycleEventsOf(request.payload.text, request.payload.base64, appIds),
        );
        publishedOverall += published.length;
        if (res.statusCode !== 200) expect(published).toEqual([]);
        else {
          const s = JSON.parse(String(res.body));
          const accounted =
            s.published.length + s.duplicates.length + s.ignored.length + s.invalid.length + s.failed.length;
          expect(accounted).toBe(s.received);
        }
      }),
      // CI runs 400 bodies; RELIABILITY.md's long run: FUZZ_RUNS=20000 FUZZ_SEED=20261206.
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 400),
        ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
      },
    );
    // The generator reaches the publishing path, not only the rejections.
    expect(publishedOverall).toBeGreaterThan(0);
  });

  describe("with the real publisher (Powertools Idempotency on dynalite, EventBridge emulator)", () => {
    let storage: StorageServers;
    let aws: RunningServer;
    const delivered: LifecycleBusDetail[] = [];
    let bus: ReturnType<typeof createEventBusEmulator>;

    beforeAll(async () => {
      storage = await startStorageServers({
        s3Port: 0,
        dynamoPort: 0,
        bucket: "evidence",
        tables: { idempotency: "idem", state: "state" },
      });
      bus = createEventBusEmulator("lifecycle", [
        {
          name: "capture",
          pattern: { source: ["okta-aws-lifecycle.ingress"] },
          target: async (e: EventBridgeEvent<string, unknown>) =>
            void delivered.push(e.detail as LifecycleBusDetail),
        },
      ]);
      aws = await startAwsJsonServer([bus.service]);
    });
    afterAll(async () => {
      await aws.close();
      await storage.close();
    });

    it("never throws, never 5xx, and what reaches the bus was valid (duplicates across runs included)", async () => {
      const publish = createIdempotentPublisher({
        bus: new LifecycleBus({
          client: new EventBridgeClient(localClientConfig(aws.endpoint)),
          busName: "lifecycle",
        }),
        client: storage.dynamo,
        tableName: "idem",
      });
      let deliveredOverall = 0;
      await fc.assert(
        fc.asyncProperty(requestArb, async (request) => {
          // Prepare
          delivered.length = 0;
          const invoke = handlerWith(publish, []);

          // Act
          const res = await invoke(request);
          await bus.idle();

          // Assess
          expect(res.statusCode).toBeLessThan(500);
          expectOnlyValidEventsPublished(
            delivered,
            lifecycleEventsOf(request.payload.text, request.payload.base64, []),
          );
          deliveredOverall += delivered.length;
        }),
        { numRuns: 60 },
      );
      expect(deliveredOverall).toBeGreaterThan(0);
    });
  });
});
