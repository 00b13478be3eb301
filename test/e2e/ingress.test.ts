import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const POLL_INTERVAL_MS = 1_000;

async function deactivate(stack: LocalStack, login: string) {
  const user = stack.emulators.okta.state.user(login);
  const res = await fetch(`${stack.url}/api/v1/users/${user?.id}/lifecycle/deactivate`, {
    method: "POST",
    headers: { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" },
  });
  expect(res.status).toBe(200);
  return String(user?.id);
}

async function runRecord(stack: LocalStack, oktaUserId: string) {
  const key = await stack.waitForEvidence(oktaUserId, "run", 20_000);
  return JSON.parse(await stack.adapters.evidence.get(key));
}

describe("the System Log poller catches a leaver the hook never delivered", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      pollIntervalMs: POLL_INTERVAL_MS,
    });
  });
  afterAll(() => stack.stop());

  it("with deliveries dropped, the poller's run revokes within the poll interval (plus the run itself)", async () => {
    // Prepare: Okta stops delivering the hook (the 400,000-a-day cap, an outage, a broken hook)
    stack.emulators.okta.hooks.dropDeliveries = true;

    // Act
    const userId = await deactivate(stack, "jane.doe@example.com");
    const record = await runRecord(stack, userId);

    // Assess: the hook delivered nothing, the poller's event started the run
    // (the run's own Okta session clear is an event too: Okta drops its delivery as well)
    const outcomes = stack.emulators.okta.hooks.deliveries.map((d) => d.outcome);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(["dropped"]));
    expect(record.body.trigger.events).toEqual([
      expect.objectContaining({ eventType: "user.lifecycle.deactivate", channel: "poller" }),
    ]);
    const delaySeconds =
      (Date.parse(record.body.timings.denyInForce) - Date.parse(record.body.timings.oktaPublished)) / 1000;
    console.log(
      `poller backstop: leaver's Deny in force ${delaySeconds.toFixed(2)} s after Okta published (poll every ${POLL_INTERVAL_MS / 1000} s)`,
    );
    // Bounded by the interval: the next tick finds it; a few seconds cover the run up to the Deny.
    expect(delaySeconds).toBeLessThan(POLL_INTERVAL_MS / 1000 + 5);
    // A later poll sees nothing new, and nothing starts twice.
    const again = await stack.pollNow();
    expect(again.published).toEqual([]);
    expect(stack.stepFunctions.executions().filter((e) => e.name.includes(userId))).toHaveLength(1);
  });
});

describe("three channels, one run per event, and no secret in any log", () => {
  let stack: LocalStack;
  const logs: string[] = [];
  beforeAll(async () => {
    // The most talkative setting Powertools has: log every incoming event.
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = "true";
    stack = await startTestStack(SECRET, {
      pollIntervalMs: 0,
      logStreamingLagMs: 50,
      logSink: (line) => logs.push(line),
      log: (line) => logs.push(line),
    });
  });
  afterAll(async () => {
    delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
    await stack.stop();
  });

  it("the hook, Log Streaming and the poller all report the same leaver: one event published, one run", async () => {
    // Act: the emulator delivers the hook and streams the event; then the poller runs (each of the
    // three functions built under its own AWS_LAMBDA_FUNCTION_NAME, as in AWS)
    const userId = await deactivate(stack, "omar.haddad@example.com");
    await stack.settle();
    const poll = await stack.pollNow();
    await stack.settle();
    const record = await runRecord(stack, userId);

    // Assess
    const eventId = record.body.trigger.events[0].oktaEventId as string;
    const outcomes = stack.ingress.outcomes().get(eventId) ?? [];
    expect(outcomes.filter((o) => o.endsWith(":published"))).toHaveLength(1);
    expect(outcomes.filter((o) => o.endsWith(":duplicate"))).toHaveLength(2);
    expect(new Set(outcomes.map((o) => o.split(":")[0]))).toEqual(new Set(["hook", "log-stream", "poller"]));
    expect(poll.duplicates).toContain(eventId);
    expect(stack.stepFunctions.executions().filter((e) => e.name.includes(userId))).toHaveLength(1);
  });

  it("never writes the hook secret or the Okta API token to a log line", async () => {
    // Prepare: a full run happened above; add a rejected delivery with a wrong secret
    await fetch(stack.endpoints.hook.url, {
      method: "POST",
      headers: { authorization: "Bearer not-the-secret", "content-type": "application/json" },
      body: "{}",
    });

    // Act
    const text = logs.join("\n");

    // Assess: the functions did log (summaries, dispatch, polls), at DEBUG with event logging on
    expect(logs.length).toBeGreaterThan(10);
    expect(text).toContain("delivery processed");
    expect(text).toContain("System Log poll");
    expect(text).toContain("Log Streaming event processed");
    for (const secret of [SECRET, SECRET.replace("Bearer ", ""), stack.emulators.okta.apiToken])
      expect(text).not.toContain(secret);
  });
});
