import { describe, expect, it } from "vitest";
import { ipChainOf, type LogEvent, parseLogEvent, rawEventId } from "../../../core/okta/log-event.ts";
import { logEventFixture, sharedFixture } from "./okta-fixtures.ts";

function parsed(value: unknown): LogEvent {
  const result = parseLogEvent(value);
  if (!result.success) throw new Error(`expected a valid LogEvent: ${JSON.stringify(result.errors)}`);
  return result.data;
}

function errorsOf(value: unknown, basePath?: string) {
  const result = parseLogEvent(value, basePath);
  if (result.success) throw new Error("expected an invalid LogEvent");
  return result.errors;
}

/** The smallest LogEvent the schema accepts. */
const minimal = { uuid: "u-1", eventType: "user.lifecycle.suspend", published: "2024-05-01T12:00:00.000Z" };

describe("parseLogEvent over real payloads", () => {
  it("accepts the shared user.lifecycle.deactivate LogEvent and keeps its fields", () => {
    // Prepare
    const raw = sharedFixture("user-lifecycle-deactivate.logevent.json");

    // Act
    const event = parsed(raw);

    // Assess
    expect(event.uuid).toBe("ab62c0bc-2837-11eb-9823-9fb8f750c5a9");
    expect(event.target?.[0]?.alternateId).toBe("john.doe@example.com");
    expect(event.legacyEventType).toBe("core.user.config.user_deactivated");
  });

  it("accepts the LogEvent inside the shared event hook delivery", () => {
    // Prepare
    const body = sharedFixture("event-hook-delivery.sample.json") as { data: { events: unknown[] } };

    // Act
    const event = parsed(body.data.events[0]);

    // Assess
    expect(event.eventType).toBe("user.session.start");
    expect(event.outcome?.result).toBe("SUCCESS");
  });

  it("keeps unknown fields, top level and nested", () => {
    // Prepare
    const raw = { ...minimal, futureField: { a: 1 }, actor: { id: "00u1", type: "User", newThing: true } };

    // Act
    const event = parsed(raw);

    // Assess
    expect(event.futureField).toEqual({ a: 1 });
    expect(event.actor?.newThing).toBe(true);
  });
});

describe("tolerance", () => {
  it("accepts the nulls of an Admin Console preview", () => {
    // Prepare
    const raw = {
      ...minimal,
      actor: null,
      target: null,
      client: null,
      request: null,
      device: null,
      debugContext: null,
      outcome: { result: "Success", reason: null },
    };

    // Act
    const event = parsed(raw);

    // Assess
    expect(event.actor).toBeNull();
    expect(event.target).toBeNull();
    expect(event.outcome?.result).toBe("SUCCESS");
  });

  it.each([
    ["Success", "SUCCESS"],
    ["failure", "FAILURE"],
    [null, null],
  ])("normalizes outcome.result %j to %j", (result, expected) => {
    expect(parsed({ ...minimal, outcome: { result } }).outcome?.result).toBe(expected);
  });

  it("treats a missing outcome.result as null", () => {
    expect(parsed({ ...minimal, outcome: {} }).outcome?.result).toBeNull();
  });

  it("accepts null entries and null fields inside target", () => {
    // Act
    const event = parsed({ ...minimal, target: [null, { id: null, type: "User", alternateId: null }] });

    // Assess
    expect(event.target).toEqual([null, { id: null, type: "User", alternateId: null }]);
  });

  it("replaces malformed context fields with null instead of rejecting the event", () => {
    // Prepare
    const raw = {
      ...minimal,
      actor: "system",
      client: { ipAddress: 42, ipChain: "10.0.0.1" },
      request: [],
      debugContext: { debugData: { changedAttributes: 7 } },
      target: [{ id: "00u1", type: "User", changeDetails: { from: "x", to: { title: "CTO" } } }],
    };

    // Act
    const event = parsed(raw);

    // Assess
    expect(event.actor).toBeNull();
    expect(event.client).toEqual({ ipAddress: null, ipChain: null });
    expect(event.request).toBeNull();
    expect(event.debugContext?.debugData?.changedAttributes).toBeNull();
    expect(event.target?.[0]?.changeDetails).toEqual({ from: null, to: { title: "CTO" } });
  });

  it("accepts published with an offset and with microseconds", () => {
    expect(parsed({ ...minimal, published: "2024-05-01T14:00:00+02:00" }).published).toBe(
      "2024-05-01T14:00:00+02:00",
    );
    expect(parsed({ ...minimal, published: "2024-05-01T12:00:00.123456Z" }).published).toBe(
      "2024-05-01T12:00:00.123456Z",
    );
  });
});

describe("ipChainOf", () => {
  const chain = [{ ip: "203.0.113.9", version: "V4", source: null }];

  it("reads ipChain under request (the shared deactivate fixture)", () => {
    // Act
    const ips = ipChainOf(parsed(sharedFixture("user-lifecycle-deactivate.logevent.json")));

    // Assess
    expect(ips.map((hop) => hop.ip)).toEqual(["174.89.174.56"]);
  });

  it("reads ipChain under client (the shared hook delivery)", () => {
    // Prepare
    const body = sharedFixture("event-hook-delivery.sample.json") as { data: { events: unknown[] } };

    // Act
    const ips = ipChainOf(parsed(body.data.events[0]));

    // Assess
    expect(ips.map((hop) => hop.ip)).toEqual(["142.126.158.61"]);
  });

  it("falls back to request when client has no chain, and to nothing when neither has one", () => {
    expect(
      ipChainOf(parsed({ ...minimal, client: { ipAddress: "x" }, request: { ipChain: chain } })),
    ).toEqual(chain);
    expect(ipChainOf(parsed({ ...minimal, client: null, request: null }))).toEqual([]);
  });
});

describe("strict fields", () => {
  it.each([
    [{ ...minimal, uuid: "" }, "uuid", "expected a non-empty string"],
    [{ ...minimal, uuid: 12 }, "uuid", "expected a string"],
    [{ eventType: minimal.eventType, published: minimal.published }, "uuid", "required"],
    [{ ...minimal, eventType: "" }, "eventType", "expected a non-empty string"],
    [{ uuid: "u", published: minimal.published }, "eventType", "required"],
    [{ ...minimal, published: "2024-05-01" }, "published", "expected an ISO-8601 date-time"],
    [{ ...minimal, published: "yesterday" }, "published", "expected an ISO-8601 date-time"],
    [{ uuid: "u", eventType: "x" }, "published", "required"],
  ])("rejects %j at %s", (raw, path, message) => {
    // Act
    const [first] = errorsOf(raw);

    // Assess
    expect(first.path).toBe(path);
    expect(first.message).toContain(message);
  });

  it("rejects a wrongly shaped outcome and target, naming the field", () => {
    // Act
    const errors = errorsOf({ ...minimal, outcome: { result: 1 }, target: [{ id: "00u1" }, "User"] });

    // Assess
    expect(errors.map((e) => e.path)).toEqual(["outcome.result", "target[1]"]);
  });

  it("prefixes paths with the base path and reports every problem", () => {
    // Act
    const errors = errorsOf({ eventType: "" }, "data.events[2]");

    // Assess
    expect(errors.map((e) => e.path)).toEqual([
      "data.events[2].uuid",
      "data.events[2].eventType",
      "data.events[2].published",
    ]);
  });

  it.each([null, [], "event", 3])("rejects %j as a whole", (raw) => {
    // Act
    const errors = errorsOf(raw, "detail");

    // Assess
    expect(errors).toEqual([{ path: "detail", message: "expected a LogEvent object" }]);
  });

  it("says required when the whole event is missing", () => {
    expect(errorsOf(undefined)).toEqual([{ path: "(root)", message: "required" }]);
  });
});

describe("rawEventId", () => {
  it("reads the uuid of an event that may be invalid", () => {
    expect(rawEventId({ ...logEventFixture("user.lifecycle.suspend"), published: "bad" })).toBe(
      "5c0e0ca1-07b3-11ef-9a1b-5f2d3c4b5a75",
    );
  });

  it.each([[{ uuid: "" }], [{ uuid: 5 }], [{}], [null], ["uuid"]])("has no usable uuid in %j", (value) => {
    expect(rawEventId(value)).toBeUndefined();
  });
});
