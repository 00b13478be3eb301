import { describe, expect, it } from "vitest";
import { parseHookBody } from "../../../core/okta/hook-envelope.ts";
import { parseLogEvent } from "../../../core/okta/log-event.ts";
import { normalize } from "../../../core/okta/normalize.ts";
import { analyzeInput } from "../../../core/okta/parse-input.ts";

/** A lone high surrogate: JSON.parse("\"\\ud800\"") yields it; it has no UTF-8 form. */
const LONE = "\ud800";

const deactivate = {
  uuid: "ab62c0bc-2837-11eb-9823-9fb8f750c5a9",
  eventType: "user.lifecycle.deactivate",
  published: "2024-05-01T12:00:00.000Z",
  outcome: { result: "SUCCESS" },
  actor: { id: "00uadmin", type: "User", alternateId: "admin@example.com", displayName: "Admin" },
  target: [{ id: "00u1", type: "User", alternateId: "jane.doe@example.com", displayName: "Jane Doe" }],
};

function errorsOf(value: unknown, basePath?: string) {
  const result = parseLogEvent(value, basePath);
  if (result.success) throw new Error("expected an invalid LogEvent");
  return result.errors;
}

describe("strings that are not well-formed Unicode", () => {
  it.each([
    ["uuid", { ...deactivate, uuid: `evt-${LONE}` }],
    ["eventType", { ...deactivate, eventType: `user.lifecycle.deactivate${LONE}` }],
    ["target[0].id", { ...deactivate, target: [{ ...deactivate.target[0], id: `00u${LONE}` }] }],
    [
      "target[0].alternateId",
      { ...deactivate, target: [{ ...deactivate.target[0], alternateId: `jane${LONE}@example.com` }] },
    ],
    ["outcome.reason", { ...deactivate, outcome: { result: "SUCCESS", reason: `x\udc00` } }],
  ])("rejects a lone surrogate in %s, naming the field", (path, event) => {
    // Act
    const errors = errorsOf(event, "data.events[3]");

    // Assess
    expect(errors).toContainEqual({
      path: `data.events[3].${path}`,
      message: "expected well-formed Unicode text (it holds a lone surrogate)",
    });
  });

  it("drops an ill-formed context field to null, as it drops any malformed context field", () => {
    // Act
    const result = parseLogEvent({
      ...deactivate,
      actor: { ...deactivate.actor, displayName: `Ad${LONE}min` },
      debugContext: { debugData: { changedAttributes: [`title${LONE}`] } },
    });

    // Assess
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.actor?.displayName).toBeNull();
    expect(result.data.debugContext?.debugData?.changedAttributes).toBeNull();
  });

  it("never lets an ill-formed changeDetails key become a changed attribute name", () => {
    // Prepare
    const update = {
      ...deactivate,
      eventType: "user.account.update_profile",
      target: [
        { ...deactivate.target[0], changeDetails: { from: { [`title${LONE}`]: "a" }, to: { title: "b" } } },
      ],
    };

    // Act
    const parsed = parseLogEvent(update);
    const result = parsed.success ? normalize(parsed.data, { provisioningAppIds: [] }) : null;

    // Assess
    expect(result).toMatchObject({ kind: "mover", changedAttributes: ["title"] });
  });

  it("accepts well-formed text outside the Basic Multilingual Plane (surrogate pairs)", () => {
    // Act
    const result = parseLogEvent({
      ...deactivate,
      uuid: "evt-\u{1F600}",
      target: [{ ...deactivate.target[0], displayName: "Zoë 😀" }],
    });

    // Assess
    expect(result.success).toBe(true);
  });

  it("reports the bad event of a hook body and keeps the good ones", () => {
    // Act
    const body = parseHookBody({
      eventType: "com.okta.event_hook",
      data: { events: [deactivate, { ...deactivate, uuid: `bad${LONE}` }] },
    });
    const analysis = analyzeInput(
      {
        eventType: "com.okta.event_hook",
        data: { events: [deactivate, { ...deactivate, uuid: `bad${LONE}` }] },
      },
      { provisioningAppIds: [] },
    );

    // Assess
    expect(body.success && body.data.events.map((e) => e.success)).toEqual([true, false]);
    expect(analysis.parsed).toBe(true);
    expect(analysis.entries[1]).toMatchObject({ index: 1, error: { path: "data.events[1].uuid" } });
    expect(analysis.entries[1]).not.toHaveProperty("oktaEventId");
  });
});
