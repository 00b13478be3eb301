/**
 * The deployed estate triggers (workflows/estate-triggers.ts) against documented AWS events
 * (test/fixtures/aws/), through the local event bus's pattern matcher and input transformer: each event
 * starts exactly the intended trigger, with an input the estate workflow accepts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  LIFECYCLE_DETAIL_TYPE,
  LIFECYCLE_SOURCE,
  type LifecycleBusDetail,
} from "../../../adapters/lifecycle-bus.ts";
import { parseLogEvent } from "../../../core/okta/log-event.ts";
import { normalize } from "../../../core/okta/normalize.ts";
import { organizationsForwardingPattern } from "../../../infra/organizations-events.ts";
import { compileEventPattern } from "../../../local/runtime/event-pattern.ts";
import { compileInputTransformer } from "../../../local/runtime/input-transformer.ts";
import { parseEstateRunInput } from "../../../usecases/reconcile-estate/run-input.ts";
import { estateEventTriggers } from "../../../workflows/estate-triggers.ts";

type Event = { id: string; detail: Record<string, unknown> } & Record<string, unknown>;
const fixture = (name: string): Event =>
  JSON.parse(readFileSync(new URL(`../../fixtures/aws/${name}.eventbridge.json`, import.meta.url), "utf8"));

const policyObject = { bucket: "acme-access-policy", key: "okta-aws-lifecycle/policy.yaml" };
const triggers = estateEventTriggers(policyObject).map((t) => ({
  ...t,
  matches: compileEventPattern(t.pattern),
  transform: compileInputTransformer({ inputPathsMap: t.inputPathsMap, inputTemplate: t.inputTemplate }),
}));
const matching = (event: unknown) => triggers.filter((t) => t.matches(event)).map((t) => t.key);
const inputOf = (key: string, event: unknown) => {
  const trigger = triggers.find((t) => t.key === key);
  if (!trigger) throw new Error(`no trigger ${key}`);
  return parseEstateRunInput(JSON.parse(trigger.transform(event)));
};

describe("estate triggers against documented AWS events", () => {
  it.each([
    ["organizations-create-account-result", "account-created", "CreateAccountResult"],
    ["organizations-move-account", "account-moved", "MoveAccount"],
    ["organizations-tag-resource", "account-tagged", "TagResource"],
    ["organizations-untag-resource", "account-tagged", "UntagResource"],
  ])("%s starts only %s, for the account it names", (name, key, eventName) => {
    // Prepare
    const event = fixture(name);
    // Act
    const matched = matching(event);
    const input = inputOf(key, event);
    // Assess
    expect(matched).toEqual([key]);
    expect(input).toEqual({
      runId: `${key}-${event.id}`,
      trigger: { type: "account-event", accountId: "300000000042", eventName },
    });
  });

  it("a new version of the policy object starts only policy-changed, with the object's ETag as revision", () => {
    const event = fixture("s3-object-created-policy");
    expect(matching(event)).toEqual(["policy-changed"]);
    expect(inputOf("policy-changed", event)).toEqual({
      runId: `policy-changed-${event.id}`,
      trigger: { type: "policy-change", revision: "6f1ed002ab5595859014ebf0951522d9" },
    });
  });

  it("another object of the policy bucket starts nothing", () => {
    const event = fixture("s3-object-created-policy");
    (event.detail.object as { key: string }).key = "okta-aws-lifecycle/README.md";
    expect(matching(event)).toEqual([]);
  });

  it("a failed CreateAccount starts nothing", () => {
    expect(matching(fixture("organizations-create-account-result-failed"))).toEqual([]);
  });

  it.each([
    ["an OU", "ou-ab12-pr0d8h3n"],
    ["the root", "r-ab12"],
    ["a policy", "p-FullAWSAccess"],
  ])("tagging %s starts nothing", (_what, resourceId) => {
    const event = fixture("organizations-tag-resource");
    (event.detail.requestParameters as { resourceId: string }).resourceId = resourceId;
    expect(matching(event)).toEqual([]);
  });

  it("a failed MoveAccount (errorCode present) starts nothing", () => {
    const event = fixture("organizations-move-account");
    event.detail.errorCode = "AccountNotFoundException";
    event.detail.errorMessage = "You specified an account that doesn't exist.";
    expect(matching(event)).toEqual([]);
  });

  it("the same call made by another service than Organizations starts nothing", () => {
    const event = fixture("organizations-tag-resource");
    event.detail.eventSource = "kms.amazonaws.com";
    expect(matching(event)).toEqual([]);
  });

  it("the deployed forwarding rule lets through every Organizations event a trigger uses", () => {
    const forwards = compileEventPattern(organizationsForwardingPattern());
    for (const name of [
      "organizations-create-account-result",
      "organizations-create-account-result-failed",
      "organizations-move-account",
      "organizations-tag-resource",
      "organizations-untag-resource",
    ]) {
      expect(forwards(fixture(name))).toBe(true);
    }
    expect(forwards(fixture("s3-object-created-policy"))).toBe(false);
  });
});

/** A lifecycle bus event as the ingress publishes it (adapters/lifecycle-bus.ts), from an own Okta fixture. */
function lifecycleBusEvent(fixtureName: string): Event {
  const raw = JSON.parse(
    readFileSync(new URL(`../../fixtures/okta/${fixtureName}.logevent.json`, import.meta.url), "utf8"),
  );
  const parsed = parseLogEvent(raw);
  if (!parsed.success) throw new Error("fixture must be a valid LogEvent");
  const event = normalize(parsed.data, { provisioningAppIds: ["0oa1awsidc2provis3n4"] });
  if (event.kind === "ignored" || event.kind === "invalid")
    throw new Error(`${fixtureName} is ${event.kind}`);
  const detail: LifecycleBusDetail = { event, channel: "hook", receivedAt: "2024-05-01T12:30:00.000Z" };
  return {
    id: "6a7e0d2c-1b0a-4f7e-9f57-2d1d7e0c9a11",
    "detail-type": LIFECYCLE_DETAIL_TYPE,
    source: LIFECYCLE_SOURCE,
    detail: detail as unknown as Record<string, unknown>,
  };
}

describe("estate trigger on Okta group events (issue 13)", () => {
  it.each([
    "group-profile-update",
    "system-import-group-delete",
    "group-application-assignment-add",
    "group-application-assignment-remove",
    "group-lifecycle-delete",
  ])("%s on the lifecycle bus starts only okta-group-event, naming the Okta event", (name) => {
    // Prepare
    const event = lifecycleBusEvent(name);
    const okta = (event.detail as unknown as LifecycleBusDetail).event;

    // Act
    const matched = matching(event);
    const input = inputOf("okta-group-event", event);

    // Assess: the run's evidence names the event as a user run's does
    expect(matched).toEqual(["okta-group-event"]);
    expect(input).toEqual({
      runId: `okta-group-${okta.oktaEventId}`,
      trigger: {
        type: "events",
        events: [
          {
            oktaEventId: okta.oktaEventId,
            eventType: okta.eventType,
            published: okta.published,
            kind: "mover",
            channel: "hook",
          },
        ],
      },
    });
  });

  it.each(["user-lifecycle-suspend", "user-session-clear", "group-user-membership-add"])(
    "a user event (%s) starts no estate run: dispatch starts its user run",
    (name) => {
      expect(matching(lifecycleBusEvent(name))).toEqual([]);
    },
  );
});
