import type { EventBridgeEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createEventBusEmulator } from "../../../local/runtime/event-bus-emulator.ts";
import { UnsupportedEventPatternError } from "../../../local/runtime/event-pattern.ts";

const event = (detail: Record<string, unknown>): EventBridgeEvent<string, unknown> => ({
  version: "0",
  id: "e-1",
  "detail-type": "AWS API Call via CloudTrail",
  source: "aws.organizations",
  account: "123456789012",
  time: "2026-11-20T10:00:00Z",
  region: "us-east-1",
  resources: [],
  detail,
});

describe("event bus emulator", () => {
  it("routes a published event to the matching rules only, with each rule's transformed input", async () => {
    // Prepare
    const received: [string, string][] = [];
    const bus = createEventBusEmulator("lifecycle", [
      {
        name: "moves",
        pattern: { detail: { eventName: ["MoveAccount"] } },
        inputTransformer: { inputPathsMap: { a: "$.detail.accountId" }, inputTemplate: '{"account": <a>}' },
        target: async (_e, input) => void received.push(["moves", input]),
      },
      {
        name: "everything",
        pattern: { source: ["aws.organizations"] },
        target: async (e, input) =>
          void received.push(["everything", JSON.parse(input).id === e.id ? "event" : input]),
      },
      { name: "tags", pattern: { detail: { eventName: ["TagResource"] } }, target: async () => {} },
    ]);
    // Act
    const matched = bus.publish(event({ eventName: "MoveAccount", accountId: "300000000042" }));
    await bus.idle();
    // Assess
    expect(matched).toEqual(["moves", "everything"]);
    expect(received).toEqual([
      ["moves", '{"account": "300000000042"}'],
      ["everything", "event"],
    ]);
    expect(bus.delivered().map((d) => [d.rule, d.ok])).toEqual([
      ["moves", true],
      ["everything", true],
    ]);
  });

  it("records a delivery whose transformer output is not JSON as failed, without calling the target", async () => {
    let called = false;
    const bus = createEventBusEmulator("lifecycle", [
      {
        name: "needs-account",
        pattern: { source: ["aws.organizations"] },
        inputTransformer: { inputPathsMap: { a: "$.detail.accountId" }, inputTemplate: '{"account": <a>}' },
        target: async () => {
          called = true;
        },
      },
    ]);
    bus.publish(event({ eventName: "MoveAccount" }));
    await bus.idle();
    expect(called).toBe(false);
    expect(bus.delivered()).toEqual([
      expect.objectContaining({
        rule: "needs-account",
        ok: false,
        error: expect.stringContaining("invalid JSON"),
      }),
    ]);
  });

  it("refuses a rule whose pattern uses an operator it does not implement, when created", () => {
    expect(() =>
      createEventBusEmulator("lifecycle", [
        { name: "bad", pattern: { source: [{ suffix: ".s3" }] }, target: async () => {} },
      ]),
    ).toThrow(UnsupportedEventPatternError);
  });
});
