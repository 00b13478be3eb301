import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { underFunctionName } from "../../local/runtime/function-environment.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

const FUNCTIONS = ["prod-okta-hook", "prod-okta-logstream", "prod-okta-log-poll"] as const;

describe("adapters/idempotent-publisher: one LogEvent through three functions (dynalite)", () => {
  let storage: StorageServers;
  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
  });
  afterAll(() => storage.close());

  it("publishes it once, whichever function sees it first: the key carries no function name", async () => {
    // Prepare: each function builds its publisher under its own name, as Lambda runs it
    const published: string[] = [];
    const bus = {
      publish: async (details: readonly LifecycleBusDetail[]) => {
        published.push(...details.map((d) => d.event.oktaEventId));
        return [];
      },
    } as never;
    const publishers = FUNCTIONS.map((name) =>
      underFunctionName(name, () =>
        createIdempotentPublisher({
          bus,
          client: storage.dynamo,
          tableName: "idem",
        }),
      ),
    );
    const detail = (channel: string) =>
      ({
        event: { oktaEventId: "evt-3ch-0001" },
        channel,
        receivedAt: new Date().toISOString(),
      }) as unknown as LifecycleBusDetail;

    // Act: the hook, then Log Streaming, then the poller deliver the same LogEvent
    const outcomes = [];
    for (const [i, publish] of publishers.entries()) {
      const [outcome] = await publish(
        [detail(["hook", "log-stream", "poller"][i] ?? "")],
        lambdaContext(FUNCTIONS[i] ?? ""),
      );
      outcomes.push(outcome);
    }

    // Assess
    expect(outcomes).toEqual(["published", "duplicate", "duplicate"]);
    expect(published).toEqual(["evt-3ch-0001"]);
  });
});
