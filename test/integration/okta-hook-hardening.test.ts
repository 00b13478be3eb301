import { readFileSync } from "node:fs";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { createOktaHookHandler, type OktaHookDeps } from "../../functions/okta-hook/create-handler.ts";
import { HookSecretsUnavailableError, readHookSecrets } from "../../functions/okta-hook/hook-secrets.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { SinkLogger } from "../../local/runtime/sink-logger.ts";
import { hookRequest } from "../support/hook-request.ts";

const SECRET = randomHookSecret();
const deactivate = JSON.parse(
  readFileSync(
    path.join(import.meta.dirname, "../fixtures/okta/docs/user-lifecycle-deactivate.logevent.json"),
    "utf8",
  ),
);
const envelope = (events: unknown[]) => ({ eventType: "com.okta.event_hook", data: { events } });

/** The hook with an in-memory publisher (the idempotency store is not what these tests are about). */
function hook(overrides: Partial<OktaHookDeps> = {}) {
  const published: LifecycleBusDetail[] = [];
  const handler = createOktaHookHandler({
    logger: new Logger({ serviceName: "okta-hook-test", logLevel: "SILENT" }),
    metrics: new Metrics({ namespace: "Test", serviceName: "okta-hook-test" }),
    hookSecrets: async () => [SECRET],
    normalizeOptions: { provisioningAppIds: [] },
    publish: async (details) => {
      published.push(...details);
      return details.map((): PublishOutcome => "published");
    },
    now: () => "2026-01-01T00:10:00.000Z",
    ...overrides,
  });
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = (await handler(
      hookRequest("POST", body, { authorization: SECRET, ...headers }) as never,
      lambdaContext("okta-hook"),
    )) as APIGatewayProxyStructuredResultV2;
    return { status: res.statusCode, body: JSON.parse(String(res.body)) };
  };
  return { post, published, handler };
}

describe("okta-hook under attack", () => {
  afterEach(() => {
    delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  });

  it("answers 415 to a body that is not declared JSON, and accepts JSON with parameters", async () => {
    // Prepare
    const { post, published } = hook();
    const body = envelope([{ ...deactivate, published: "2026-01-01T00:09:00.000Z" }]);

    // Act
    const form = await post(body, { "content-type": "application/x-www-form-urlencoded" });
    const missing = await post(body, { "content-type": "" });
    const charset = await post(body, { "content-type": "Application/JSON; charset=utf-8" });

    // Assess
    expect([form.status, missing.status]).toEqual([415, 415]);
    expect(form.body.error).toMatch(/application\/json/);
    expect(charset.status).toBe(200);
    expect(published).toHaveLength(1);
  });

  it("answers 400 naming the JSON limit a body exceeds, before parsing it", async () => {
    // Prepare
    const { post, published } = hook({ jsonLimits: { maxDepth: 10, maxArrayLength: 5 } });
    const nested = envelope([{ ...deactivate, debugContext: { debugData: { a: [[[[[[[1]]]]]]] } } }]);
    const many = envelope(Array.from({ length: 6 }, (_, i) => ({ ...deactivate, uuid: `many-${i}` })));

    // Act
    const deep = await post(nested);
    const long = await post(many);

    // Assess
    expect(deep).toMatchObject({ status: 400, body: { limit: "maxDepth" } });
    expect(deep.body.error).toContain("maxDepth 10");
    expect(long).toMatchObject({ status: 400, body: { limit: "maxArrayLength" } });
    expect(long.body.error).toContain("maxArrayLength 5");
    expect(published).toEqual([]);
  });

  it("flags an event older than the configured age on the bus, and accepts it", async () => {
    // Prepare: received at 00:10, one published at 00:09 and one at 23:00 the day before
    const { post, published } = hook({ maxEventAgeSeconds: 300 });
    const fresh = { ...deactivate, uuid: "fresh-1", published: "2026-01-01T00:09:00.000Z" };
    const old = { ...deactivate, uuid: "old-1", published: "2025-12-31T23:00:00.000Z" };

    // Act
    const res = await post(envelope([fresh, old]));

    // Assess
    expect(res.body).toMatchObject({ published: ["fresh-1", "old-1"], stale: ["old-1"] });
    expect(published.find((d) => d.event.oktaEventId === "fresh-1")?.stale).toBeUndefined();
    expect(published.find((d) => d.event.oktaEventId === "old-1")?.stale).toEqual({
      ageSeconds: 4200,
      maxAgeSeconds: 300,
    });
  });

  it("acknowledges and counts unknown event types, and never publishes them", async () => {
    // Prepare
    const { post, published } = hook();
    const unknown = { ...deactivate, uuid: "unknown-1", eventType: "user.session.start" };

    // Act
    const res = await post(envelope([unknown]));

    // Assess
    expect(res).toMatchObject({
      status: 200,
      body: { received: 1, ignored: [{ oktaEventId: "unknown-1", reasonCode: "unsupported-event-type" }] },
    });
    expect(published).toEqual([]);
  });

  it("answers 503 (Okta retries) when no hook secret can be read, and never logs the reason's text", async () => {
    // Prepare
    const lines: string[] = [];
    const { handler } = hook({
      logger: new SinkLogger({ serviceName: "okta-hook-test" }, (line) => lines.push(line)),
      hookSecrets: () =>
        readHookSecrets(["hook-current", "hook-next"], async () => {
          throw new Error("AccessDenied for value s3cr3t-v4lue");
        }),
    });

    // Act
    const res = (await handler(
      hookRequest("POST", envelope([]), { authorization: SECRET }) as never,
      lambdaContext("okta-hook"),
    )) as APIGatewayProxyStructuredResultV2;

    // Assess
    expect(res.statusCode).toBe(503);
    expect(lines.join("\n")).toContain("HookSecretsUnavailableError");
    expect(lines.join("\n")).not.toContain("s3cr3t-v4lue");
  });

  it("reads the secrets that can be read: an empty or missing rotation slot never blocks the other", async () => {
    // Prepare
    const values: Record<string, string> = { current: "Bearer a", empty: "" };
    const read = async (id: string) => {
      const value = values[id];
      if (value === undefined) throw new Error(`ResourceNotFoundException: ${id}`);
      return value;
    };
    const unreadable: string[] = [];

    // Act
    const secrets = await readHookSecrets(["current", "empty", "next"], read, (id) => unreadable.push(id));
    const none = readHookSecrets(["empty", "next"], read);

    // Assess
    expect(secrets).toEqual(["Bearer a"]);
    expect(unreadable).toEqual(["next"]);
    await expect(none).rejects.toBeInstanceOf(HookSecretsUnavailableError);
  });

  it("never logs the incoming event (it carries the secret), even with POWERTOOLS_LOGGER_LOG_EVENT=true", async () => {
    // Prepare
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = "true";
    const lines: string[] = [];
    const { handler } = hook({
      logger: new SinkLogger({ serviceName: "okta-hook-test", logLevel: "DEBUG" }, (line) =>
        lines.push(line),
      ),
    });

    // Act
    await handler(
      hookRequest("POST", envelope([deactivate]), { authorization: SECRET }) as never,
      lambdaContext("okta-hook"),
    );

    // Assess: the handler did log (its summary), but neither the event nor the secret
    expect(lines.some((l) => l.includes("delivery processed"))).toBe(true);
    expect(lines.join("\n")).not.toContain("hardening-secret");
  });
});
