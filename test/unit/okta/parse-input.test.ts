import { describe, expect, it } from "vitest";
import { analyzeInput, detectInputShape, explainInput } from "../../../core/okta/parse-input.ts";
import { AWS_APP_ID, logEventFixture, ownFixture, sharedFixture } from "./okta-fixtures.ts";

const OPTIONS = { provisioningAppIds: [AWS_APP_ID] };

describe("detectInputShape", () => {
  it.each([
    ["the shared hook delivery", sharedFixture("event-hook-delivery.sample.json"), "event-hook"],
    ["the shared bare LogEvent", sharedFixture("user-lifecycle-deactivate.logevent.json"), "log-event"],
    ["a Log Streaming event", ownFixture("log-streaming-suspend.eventbridge.json"), "eventbridge-system-log"],
    ["an object with only an eventType", { eventType: "user.lifecycle.suspend" }, "log-event"],
    ["an object with only a uuid", { uuid: "x" }, "log-event"],
    ["an object with only published", { published: "x" }, "log-event"],
    [
      "an EventBridge event from another source",
      { "detail-type": "SystemLog", source: "aws.s3", detail: {} },
      null,
    ],
    [
      "an EventBridge event of another detail-type",
      { "detail-type": "Other", source: "aws.partner/okta.com/x" },
      null,
    ],
    ["an array of LogEvents", [sharedFixture("user-lifecycle-deactivate.logevent.json")], null],
    ["an empty object", {}, null],
    ["null", null, null],
    ["a string", "com.okta.event_hook", null],
  ])("recognizes %s", (_, json, shape) => {
    expect(detectInputShape(json)).toBe(shape);
  });
});

describe("analyzeInput: event hook bodies", () => {
  it("explains the shared hook delivery: its one event is ignored", () => {
    // Act
    const analysis = analyzeInput(sharedFixture("event-hook-delivery.sample.json"), OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      shape: "event-hook",
      parsed: true,
      entries: [
        {
          index: 0,
          oktaEventId: "f1d0b993-cc19-11ed-a688-db22c99ef6c4",
          result: { kind: "ignored", reasonCode: "unsupported-event-type" },
        },
      ],
    });
  });

  it("explains a batch event by event: leaver, malformed, failed, unrelated, mover with reversed targets", () => {
    // Act
    const analysis = analyzeInput(ownFixture("batched-delivery.hook.json"), OPTIONS);

    // Assess
    expect(analysis.parsed).toBe(true);
    expect(analysis.entries).toEqual([
      expect.objectContaining({ index: 0, result: expect.objectContaining({ kind: "leaver" }) }),
      {
        index: 1,
        oktaEventId: "5c0e98a1-07b3-11ef-9a1b-5f2d3c4b5afe",
        error: {
          path: "data.events[1].published",
          message: "expected an ISO-8601 date-time such as 2024-05-01T12:00:00.000Z",
        },
      },
      expect.objectContaining({
        index: 2,
        result: expect.objectContaining({ reasonCode: "outcome-not-success" }),
      }),
      expect.objectContaining({
        index: 3,
        result: expect.objectContaining({ reasonCode: "unsupported-event-type" }),
      }),
      expect.objectContaining({
        index: 4,
        result: expect.objectContaining({
          kind: "mover",
          group: { id: "00g5k6l7m8n9o0p1q2r3", name: "aws-prod-readonly" },
        }),
      }),
    ]);
  });

  it("reports an Admin Console preview (target null) as an error naming the target, yet the body parsed", () => {
    // Act
    const analysis = analyzeInput(ownFixture("admin-console-preview.hook.json"), OPTIONS);

    // Assess
    expect(analysis).toEqual({
      shape: "event-hook",
      parsed: true,
      entries: [
        {
          index: 0,
          oktaEventId: "preview-6f9d5d8a-07b3-11ef-9a1b-000000000001",
          error: {
            path: "data.events[0].target[type=User]",
            message: "user.lifecycle.deactivate needs a target of type User with an id.",
          },
        },
      ],
    });
  });

  it("lists every problem of one event: the first as error, the rest as moreErrors", () => {
    // Prepare
    const body = { eventType: "com.okta.event_hook", data: { events: [{ eventType: 5 }] } };

    // Act
    const analysis = analyzeInput(body, OPTIONS);

    // Assess
    expect(analysis.entries).toEqual([
      {
        index: 0,
        error: { path: "data.events[0].uuid", message: "required" },
        moreErrors: [
          { path: "data.events[0].eventType", message: "expected a string" },
          { path: "data.events[0].published", message: "required" },
        ],
      },
    ]);
  });

  it("fails the whole input when the envelope is invalid", () => {
    // Act
    const analysis = analyzeInput({ eventType: "com.okta.event_hook", data: { events: "none" } }, OPTIONS);

    // Assess
    expect(analysis).toEqual({
      shape: "event-hook",
      parsed: false,
      entries: [{ index: null, error: { path: "data.events", message: "expected an array of LogEvents" } }],
    });
  });
});

describe("analyzeInput: a single LogEvent", () => {
  it("explains the shared bare user.lifecycle.deactivate LogEvent as a leaver", () => {
    // Act
    const analysis = analyzeInput(sharedFixture("user-lifecycle-deactivate.logevent.json"), OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      shape: "log-event",
      parsed: true,
      entries: [
        {
          index: 0,
          oktaEventId: "ab62c0bc-2837-11eb-9823-9fb8f750c5a9",
          result: { kind: "leaver", user: { id: "00u3m90rxKjGQ0G6L1d6", login: "john.doe@example.com" } },
        },
      ],
    });
  });

  it("does not parse an invalid single event, and names the field", () => {
    // Act
    const analysis = analyzeInput({ ...logEventFixture("user.lifecycle.suspend"), published: null }, OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      shape: "log-event",
      parsed: false,
      entries: [
        { index: 0, oktaEventId: "5c0e0ca1-07b3-11ef-9a1b-5f2d3c4b5a75", error: { path: "published" } },
      ],
    });
  });

  it("does not parse a single event that lacks its required target", () => {
    // Act
    const analysis = analyzeInput({ ...logEventFixture("user.lifecycle.suspend"), target: [] }, OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      parsed: false,
      entries: [{ index: 0, error: { path: "target[type=User]" } }],
    });
  });
});

describe("analyzeInput: EventBridge events from Okta Log Streaming", () => {
  it("explains the detail LogEvent", () => {
    // Act
    const analysis = analyzeInput(ownFixture("log-streaming-suspend.eventbridge.json"), OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      shape: "eventbridge-system-log",
      parsed: true,
      entries: [{ index: 0, result: { kind: "leaver", eventType: "user.lifecycle.suspend" } }],
    });
  });

  it("names detail.* paths when the detail is invalid", () => {
    // Prepare
    const json = ownFixture("log-streaming-suspend.eventbridge.json");
    json.detail = { ...(json.detail as object), uuid: "" };

    // Act
    const analysis = analyzeInput(json, OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      parsed: false,
      entries: [{ index: 0, error: { path: "detail.uuid", message: "expected a non-empty string" } }],
    });
  });

  it("names detail.target[type=User] when the detail lacks its user", () => {
    // Prepare
    const json = ownFixture("log-streaming-suspend.eventbridge.json");
    json.detail = { ...(json.detail as object), target: null };

    // Act
    const analysis = analyzeInput(json, OPTIONS);

    // Assess
    expect(analysis).toMatchObject({
      parsed: false,
      entries: [{ error: { path: "detail.target[type=User]" } }],
    });
  });

  it("says detail is required when it is missing", () => {
    // Act
    const analysis = analyzeInput(
      { "detail-type": "SystemLog", source: "aws.partner/okta.com/x/y" },
      OPTIONS,
    );

    // Assess
    expect(analysis.entries).toEqual([{ index: 0, error: { path: "detail", message: "required" } }]);
  });
});

describe("analyzeInput: unrecognized input", () => {
  it.each([
    [[], "the input is an array"],
    [null, "the input is null"],
    ["text", "the input is a string"],
    [42, "the input is a number"],
    [{ data: { events: [] } }, "the input is an object of no recognized shape"],
  ])("explains the three accepted shapes for %j", (json, start) => {
    // Act
    const analysis = analyzeInput(json, OPTIONS);

    // Assess
    expect(analysis.shape).toBeNull();
    expect(analysis.parsed).toBe(false);
    expect(analysis.entries).toHaveLength(1);
    const [entry] = analysis.entries;
    expect(entry).toMatchObject({ index: null, error: { path: "(root)" } });
    const message = entry !== undefined && "error" in entry ? entry.error.message : "";
    expect(message.startsWith(`${start}: expected one of:`)).toBe(true);
    expect(message).toContain("com.okta.event_hook");
    expect(message).toContain("uuid, eventType and published");
    expect(message).toContain('"detail-type": "SystemLog"');
  });
});

describe("explainInput", () => {
  it("returns the entries of the analysis", () => {
    // Prepare
    const json = ownFixture("batched-delivery.hook.json");

    // Act
    const entries = explainInput(json, OPTIONS);

    // Assess
    expect(entries).toEqual(analyzeInput(json, OPTIONS).entries);
    expect(entries).toHaveLength(5);
  });
});
