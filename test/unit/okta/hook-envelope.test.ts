import { describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_DELIVERY, parseHookBody } from "../../../core/okta/hook-envelope.ts";
import { logEventFixture, ownFixture, sharedFixture } from "./okta-fixtures.ts";

function envelope(events: unknown): Record<string, unknown> {
  return {
    eventType: "com.okta.event_hook",
    eventTypeVersion: "1.0",
    cloudEventsVersion: "0.1",
    source: "https://example.okta.com/api/v1/eventHooks/who7lifecycleHk1d7",
    eventId: "3f4c2a9e-8d1b-4e6f-a2c5-7b9d0e1f2a3b",
    eventTime: "2024-05-01T12:30:00.001Z",
    contentType: "application/json",
    data: { events },
  };
}

describe("parseHookBody", () => {
  it("parses the shared event hook delivery: envelope metadata and its one event", () => {
    // Act
    const result = parseHookBody(sharedFixture("event-hook-delivery.sample.json"));

    // Assess
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    expect(result.data.envelope.eventId).toBe("85b60edb-4263-4e13-993b-818e26201052");
    expect(result.data.envelope.source).toBe(
      "https://{yourOktaDomain}/api/v1/eventHooks/who7hphp39JoHLni81d7",
    );
    expect(result.data.events).toHaveLength(1);
    expect(result.data.events[0]).toMatchObject({
      index: 0,
      success: true,
      event: { eventType: "user.session.start" },
    });
  });

  it("validates each event on its own: one malformed event does not hide the valid ones", () => {
    // Prepare
    const body = envelope([
      logEventFixture("user.lifecycle.deactivate"),
      { ...logEventFixture("user.lifecycle.suspend"), published: "01/05/2024" },
      { eventType: "user.lifecycle.suspend" },
      logEventFixture("group.user_membership.remove"),
    ]);

    // Act
    const result = parseHookBody(body);

    // Assess
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    expect(result.data.events.map((e) => e.success)).toEqual([true, false, false, true]);
    expect(result.data.events[1]).toEqual({
      index: 1,
      success: false,
      oktaEventId: "5c0e0ca1-07b3-11ef-9a1b-5f2d3c4b5a75",
      errors: [
        {
          path: "data.events[1].published",
          message: "expected an ISO-8601 date-time such as 2024-05-01T12:00:00.000Z",
        },
      ],
    });
    expect(result.data.events[2]).not.toHaveProperty("oktaEventId");
    expect(result.data.events[2]).toMatchObject({
      errors: [
        { path: "data.events[2].uuid", message: "required" },
        { path: "data.events[2].published", message: "required" },
      ],
    });
  });

  it("accepts an empty batch", () => {
    // Act
    const result = parseHookBody(envelope([]));

    // Assess
    expect(result).toMatchObject({ success: true, data: { events: [] } });
  });

  it("tolerates odd or missing CloudEvents metadata and keeps unknown fields", () => {
    // Prepare
    const body = {
      eventType: "com.okta.event_hook",
      eventId: 7,
      source: null,
      extra: "kept",
      data: { events: [] },
    };

    // Act
    const result = parseHookBody(body);

    // Assess
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    expect(result.data.envelope).toMatchObject({ eventId: null, source: null, extra: "kept" });
  });

  it("parses the project's admin console preview and batched delivery fixtures", () => {
    // Act
    const preview = parseHookBody(ownFixture("admin-console-preview.hook.json"));
    const batch = parseHookBody(ownFixture("batched-delivery.hook.json"));

    // Assess
    expect(preview.success && preview.data.events.map((e) => e.success)).toEqual([true]);
    expect(batch.success && batch.data.events.map((e) => e.success)).toEqual([true, false, true, true, true]);
  });

  it("refuses a delivery with more events than Okta batches, naming data.events and the limit", () => {
    // Prepare
    const event = logEventFixture("user.lifecycle.deactivate");
    const at = (n: number) => envelope(Array.from({ length: n }, (_, i) => ({ ...event, uuid: `e-${i}` })));

    // Act
    const full = parseHookBody(at(MAX_EVENTS_PER_DELIVERY));
    const over = parseHookBody(at(MAX_EVENTS_PER_DELIVERY + 1));
    const lower = parseHookBody(at(3), { maxEvents: 2 });

    // Assess
    expect(full.success).toBe(true);
    expect(over).toEqual({
      success: false,
      errors: [
        {
          path: "data.events",
          message: `expected at most ${MAX_EVENTS_PER_DELIVERY} events in one delivery, found ${MAX_EVENTS_PER_DELIVERY + 1}`,
        },
      ],
    });
    expect(lower.success).toBe(false);
  });

  it.each([
    [{ eventType: "com.okta.event_hook" }, "data", "required"],
    [{ eventType: "com.okta.event_hook", data: {} }, "data.events", "required"],
    [
      { eventType: "com.okta.event_hook", data: { events: {} } },
      "data.events",
      "expected an array of LogEvents",
    ],
    [{ eventType: "com.okta.event_hook", data: [] }, "data", "expected an object with an events array"],
    [
      { eventType: "user.lifecycle.suspend", data: { events: [] } },
      "eventType",
      'expected "com.okta.event_hook"',
    ],
    [[], "(root)", "expected an event hook body object"],
  ])("rejects the envelope %j at %s", (body, path, message) => {
    // Act
    const result = parseHookBody(body);

    // Assess
    expect(result).toEqual({ success: false, errors: [{ path, message }] });
  });
});
