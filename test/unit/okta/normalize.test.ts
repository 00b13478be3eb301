import { describe, expect, it } from "vitest";
import { LIFECYCLE_EVENT_TYPES, LIFECYCLE_RULES } from "../../../core/okta/event-types.ts";
import { parseLogEvent } from "../../../core/okta/log-event.ts";
import { type NormalizeOptions, normalize } from "../../../core/okta/normalize.ts";
import { AWS_APP_ID, logEventFixture, sharedFixture } from "./okta-fixtures.ts";

const WITH_AWS_APP: NormalizeOptions = { provisioningAppIds: [AWS_APP_ID] };

function run(raw: unknown, options: NormalizeOptions = WITH_AWS_APP) {
  const parsed = parseLogEvent(raw);
  if (!parsed.success) throw new Error(`fixture must be a valid LogEvent: ${JSON.stringify(parsed.errors)}`);
  return normalize(parsed.data, options);
}

const JANE = { id: "00u9x8w7v6u5t4s3r2q1", login: "jane.doe@example.com" };
const GROUP = { id: "00g5k6l7m8n9o0p1q2r3", name: "aws-prod-readonly" };
const AWS_APP = { id: AWS_APP_ID, name: "AWS IAM Identity Center" };
const ADMIN = {
  id: "00u1a2b3c4d5e6f7g8h9",
  type: "User",
  login: "it.admin@example.com",
  displayName: "IT Admin",
};

const userTarget = (id: string, login: string | null = `${id}@example.com`) => ({
  id,
  type: "User",
  alternateId: login,
  displayName: "Some One",
  detailEntry: null,
});

describe("normalize: every lifecycle event type", () => {
  it.each(
    LIFECYCLE_EVENT_TYPES.filter((t) =>
      ["user", "user-and-group", "user-and-app"].includes(LIFECYCLE_RULES[t].targets),
    ),
  )("maps %s to its kind with the user and what the change went through", (eventType) => {
    // Prepare
    const raw = logEventFixture(eventType);
    const { kind, targets } = LIFECYCLE_RULES[eventType];

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({
      kind,
      subject: "user",
      eventType,
      oktaEventId: raw.uuid,
      published: raw.published,
      user: JANE,
      actor: ADMIN,
      outcome: "SUCCESS",
    });
    expect("group" in result ? result.group : undefined).toEqual(
      targets === "user-and-group" ? GROUP : undefined,
    );
    expect("app" in result ? result.app : undefined).toEqual(
      targets === "user-and-app" ? AWS_APP : undefined,
    );
  });

  it("maps group.lifecycle.delete to a mover about the whole group, with no user", () => {
    // Prepare
    const raw = logEventFixture("group.lifecycle.delete");

    // Act
    const result = run(raw);

    // Assess
    expect(result).toEqual({
      kind: "mover",
      subject: "group",
      eventType: "group.lifecycle.delete",
      oktaEventId: raw.uuid,
      published: raw.published,
      group: GROUP,
      actor: ADMIN,
      outcome: "SUCCESS",
    });
  });

  it("maps the shared user.lifecycle.deactivate LogEvent to a leaver, with fields in a stable order", () => {
    // Act
    const result = run(sharedFixture("user-lifecycle-deactivate.logevent.json"));

    // Assess
    expect(JSON.stringify(result)).toBe(
      JSON.stringify({
        kind: "leaver",
        subject: "user",
        eventType: "user.lifecycle.deactivate",
        oktaEventId: "ab62c0bc-2837-11eb-9823-9fb8f750c5a9",
        published: "2020-11-16T18:15:12.862Z",
        user: { id: "00u3m90rxKjGQ0G6L1d6", login: "john.doe@example.com" },
        actor: {
          id: "00u2di94bAMSEPvAY1d6",
          type: "User",
          login: "okta.trainer@okta.com",
          displayName: "Okta Trainer",
        },
        outcome: "SUCCESS",
      }),
    );
  });

  it("treats a suspend as a leaver (SCIM sends nothing for suspended users)", () => {
    expect(run(logEventFixture("user.lifecycle.suspend")).kind).toBe("leaver");
  });
});

describe("normalize: issue 13's group events, lock and compromise signals", () => {
  it.each([
    ["group.profile.update", { id: GROUP.id, name: "aws-prod-readonly-v2" }],
    ["system.import.group.delete", GROUP],
  ] as const)("maps %s to a mover about the whole group", (eventType, group) => {
    // Act
    const result = run(logEventFixture(eventType));

    // Assess
    expect(result).toMatchObject({ kind: "mover", subject: "group", eventType, group });
    expect(result).not.toHaveProperty("user");
  });

  it.each(["group.application_assignment.add", "group.application_assignment.remove"])(
    "maps %s for the provisioning app to a group mover naming the app, whatever the target order",
    (eventType) => {
      // Act
      const result = run(logEventFixture(eventType));

      // Assess
      expect(result).toEqual(
        expect.objectContaining({ kind: "mover", subject: "group", group: GROUP, app: AWS_APP }),
      );
    },
  );

  it("ignores a group application assignment of another app", () => {
    // Act
    const result = run(logEventFixture("group.application_assignment.add"), {
      provisioningAppIds: ["0oa9other0app0id0000"],
    });

    // Assess
    expect(result).toMatchObject({ kind: "ignored", reasonCode: "app-not-provisioning-aws" });
  });

  it("returns invalid for a group application assignment without its app", () => {
    // Prepare
    const raw = logEventFixture("group.application_assignment.remove");
    raw.target = (raw.target as { type: string }[]).filter((t) => t.type !== "AppInstance");

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "invalid", error: { path: "target[type=AppInstance]" } });
  });

  it("returns invalid for a group application assignment without its group", () => {
    // Prepare
    const raw = logEventFixture("group.application_assignment.add");
    raw.target = (raw.target as { type: string }[]).filter((t) => t.type !== "UserGroup");

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "invalid", error: { path: "target[type=UserGroup]" } });
  });

  it("reads the user of a breached credential from the actor, as Okta's catalogue says", () => {
    // Act
    const result = run(logEventFixture("security.breached_credential.detected"));

    // Assess: the Credential target is not a user
    expect(result).toMatchObject({
      kind: "mover",
      subject: "user",
      user: JANE,
      signal: "breachedCredential",
    });
  });

  it("prefers a User target to the actor when an event carries both", () => {
    // Prepare
    const raw = logEventFixture("user.account.lock");
    raw.actor = { id: "00u0other0actor00000", type: "User", alternateId: "other@example.com" };

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "mover", subject: "user", user: JANE });
    expect(result).not.toHaveProperty("signal");
  });

  it.each([[{ id: "0oa0system0000000000", type: "SystemPrincipal" }], [null]])(
    "returns invalid when neither a User target nor a User actor names the user (actor %j)",
    (actor) => {
      // Prepare
      const raw = logEventFixture("security.breached_credential.detected");
      raw.actor = actor;

      // Act
      const result = run(raw);

      // Assess
      expect(result).toMatchObject({ kind: "invalid", error: { path: "target[type=User]" } });
    },
  );

  it.each([
    ["user.mfa.factor.reset_all", "mfaReset"],
    ["user.authentication.universal_logout", "universalLogout"],
    ["user.session.clear", "adminSessionClear"],
  ] as const)("marks %s as the compromise signal %s, with the admin as actor", (eventType, signal) => {
    // Act
    const result = run(logEventFixture(eventType));

    // Assess
    expect(result).toMatchObject({ kind: "mover", subject: "user", user: JANE, actor: ADMIN, signal });
    expect(result).not.toHaveProperty("riskLevel");
  });

  it.each([
    ["user.risk.detect", "HIGH"],
    ["user.risk.change", "MEDIUM"],
  ])("reads the new risk level of %s from debugData.risk", (eventType, riskLevel) => {
    // Act
    const result = run(logEventFixture(eventType));

    // Assess: `previousLevel=LOW` is not the new level
    expect(result).toMatchObject({ signal: "userRisk", riskLevel });
  });

  it.each([
    [{ level: "low" }, "LOW"],
    ['{"level": "HIGH"}', "HIGH"],
    ["{reasons=none}", undefined],
    [42, undefined],
    [null, undefined],
  ])("reads risk %j as level %s", (risk, riskLevel) => {
    // Prepare
    const raw = logEventFixture("user.risk.change");
    raw.debugContext = { debugData: { risk } };

    // Act
    const result = run(raw);

    // Assess
    expect("riskLevel" in result ? result.riskLevel : undefined).toBe(riskLevel);
  });

  it("ignores a session clear made by the pipeline's own actor, and keeps an admin's", () => {
    // Prepare
    const options = { ...WITH_AWS_APP, pipelineActorIds: ["0oa1pipeline0app0id0"] };
    const own = logEventFixture("user.session.clear");
    own.actor = { id: "0oa1pipeline0app0id0", type: "PublicClientApp" };

    // Act
    const ownResult = run(own, options);
    const adminResult = run(logEventFixture("user.session.clear"), options);
    const otherSignal = run({ ...logEventFixture("user.mfa.factor.reset_all"), actor: own.actor }, options);

    // Assess
    expect(ownResult).toMatchObject({ kind: "ignored", reasonCode: "pipeline-own-action" });
    expect(adminResult).toMatchObject({ kind: "mover", signal: "adminSessionClear" });
    expect(otherSignal).toMatchObject({ kind: "mover", signal: "mfaReset" });
  });

  it("reads no risk level without debug data", () => {
    // Prepare
    const raw = logEventFixture("user.risk.detect");
    raw.debugContext = null;

    // Act
    const result = run(raw);

    // Assess
    expect(result).not.toHaveProperty("riskLevel");
  });
});

describe("normalize: ignored events", () => {
  it("ignores the shared user.session.start delivery as an unsupported type", () => {
    // Prepare
    const body = sharedFixture("event-hook-delivery.sample.json") as { data: { events: unknown[] } };

    // Act
    const result = run(body.data.events[0]);

    // Assess
    expect(result).toEqual({
      kind: "ignored",
      eventType: "user.session.start",
      oktaEventId: "f1d0b993-cc19-11ed-a688-db22c99ef6c4",
      reasonCode: "unsupported-event-type",
      reason: "user.session.start is not a joiner, mover or leaver event type, so it changes no access.",
    });
  });

  it.each([
    [
      "FAILURE",
      "User is already suspended",
      "The outcome is FAILURE (User is already suspended), not SUCCESS",
    ],
    ["Skipped", null, "The outcome is SKIPPED, not SUCCESS"],
    ["DENY", "", "The outcome is DENY, not SUCCESS"],
  ])("ignores outcome %s with a reason", (result, reason, sentence) => {
    // Prepare
    const raw = { ...logEventFixture("user.lifecycle.suspend"), outcome: { result, reason } };

    // Act
    const normalized = run(raw);

    // Assess
    expect(normalized).toMatchObject({ kind: "ignored", reasonCode: "outcome-not-success" });
    expect(normalized.kind === "ignored" && normalized.reason).toContain(sentence);
  });

  it.each([
    ["no outcome", { outcome: null }],
    ["no outcome.result", { outcome: { reason: "x" } }],
  ])("ignores an event with %s, because the change cannot be confirmed", (_, patch) => {
    // Act
    const result = run({ ...logEventFixture("user.lifecycle.deactivate"), ...patch });

    // Assess
    expect(result).toMatchObject({
      kind: "ignored",
      reasonCode: "outcome-not-success",
      reason: "The event has no outcome.result, so the change cannot be confirmed.",
    });
  });

  it("accepts a mixed-case Success as SUCCESS", () => {
    // Act
    const result = run({ ...logEventFixture("user.lifecycle.activate"), outcome: { result: "Success" } });

    // Assess
    expect(result).toMatchObject({ kind: "joiner", outcome: "SUCCESS" });
  });

  it("checks the outcome before the targets", () => {
    // Act
    const result = run({
      ...logEventFixture("user.lifecycle.deactivate"),
      target: null,
      outcome: { result: "FAILURE" },
    });

    // Assess
    expect(result).toMatchObject({ kind: "ignored", reasonCode: "outcome-not-success" });
  });
});

describe("normalize: application.* events count only for the provisioning app", () => {
  const appTypes = LIFECYCLE_EVENT_TYPES.filter((t) => t.startsWith("application."));

  it.each(appTypes)("ignores %s when no provisioning app is configured", (eventType) => {
    // Act
    const result = run(logEventFixture(eventType), { provisioningAppIds: [] });

    // Assess
    expect(result).toEqual({
      kind: "ignored",
      eventType,
      oktaEventId: logEventFixture(eventType).uuid,
      reasonCode: "no-provisioning-app-configured",
      reason: `${eventType} counts only for the Okta app that provisions AWS IAM Identity Center, and no provisioning app id is configured.`,
    });
  });

  it.each(appTypes)("ignores %s for another app, naming it and the configured apps", (eventType) => {
    // Act
    const result = run(logEventFixture(eventType), { provisioningAppIds: ["0oaZZZ", "0oaAAA"] });

    // Assess
    expect(result).toMatchObject({
      kind: "ignored",
      reasonCode: "app-not-provisioning-aws",
      reason: `App ${AWS_APP_ID} (AWS IAM Identity Center) does not provision AWS IAM Identity Center (provisioning apps: 0oaAAA, 0oaZZZ).`,
    });
  });

  it("names an app without a display name by id only", () => {
    // Prepare
    const raw = logEventFixture("application.user_membership.add");
    raw.target = [
      userTarget("00u1"),
      { id: "0oaOther", type: "AppInstance", alternateId: "x", displayName: null },
    ];

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({
      reason: `App 0oaOther does not provision AWS IAM Identity Center (provisioning apps: ${AWS_APP_ID}).`,
    });
  });

  it("accepts the provisioning app among several configured", () => {
    // Act
    const result = run(logEventFixture("application.user_membership.remove"), {
      provisioningAppIds: ["0oaOther", AWS_APP_ID],
    });

    // Assess
    expect(result).toMatchObject({ kind: "leaver", app: AWS_APP, user: JANE });
  });

  it("reads the User target, not the AppUser one, whatever their order", () => {
    // Prepare
    const raw = logEventFixture("application.user_membership.add");
    raw.target = [...(raw.target as unknown[])].reverse();

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "joiner", user: JANE, app: AWS_APP });
  });

  it("rejects an application event without an AppInstance target", () => {
    // Prepare
    const raw = { ...logEventFixture("application.user_membership.add"), target: [userTarget("00u1")] };

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({
      kind: "invalid",
      error: {
        path: "target[type=AppInstance]",
        message: "application.user_membership.add needs a target of type AppInstance with an id.",
      },
    });
  });
});

describe("normalize: targets are selected by type, never by position", () => {
  it("reads a group membership event whose UserGroup comes first", () => {
    // Prepare
    const raw = logEventFixture("group.user_membership.remove");
    raw.target = [...(raw.target as unknown[])].reverse();

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "mover", user: JANE, group: GROUP });
  });

  it("skips null entries and other types around the user", () => {
    // Prepare
    const raw = logEventFixture("user.lifecycle.deactivate");
    raw.target = [null, { id: "lae1", type: "AuthenticatorEnrollment" }, ...(raw.target as unknown[]), null];

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "leaver", user: JANE });
  });

  it("treats repeated entries for the same user as one, whichever comes first", () => {
    // Prepare
    const base = logEventFixture("user.lifecycle.suspend");
    const a = userTarget("00uSame", "same@example.com");
    const b = { ...userTarget("00uSame", null), displayName: "Other" };

    // Act
    const first = run({ ...base, target: [a, b] });
    const second = run({ ...base, target: [b, a] });
    const twins = run({ ...base, target: [a, { ...a }] });

    // Assess
    expect(first).toEqual(second);
    expect(first).toMatchObject({ user: { id: "00uSame" } });
    expect(twins).toMatchObject({ user: { id: "00uSame", login: "same@example.com" } });
  });

  it("keeps a user without a login, with login null", () => {
    // Act
    const result = run({ ...logEventFixture("user.lifecycle.suspend"), target: [userTarget("00u1", "")] });

    // Assess
    expect(result).toMatchObject({ user: { id: "00u1", login: null } });
  });
});

describe("normalize: missing or ambiguous required targets are typed errors", () => {
  it.each([
    ["target null (Admin Console preview)", null],
    ["target empty", []],
    ["a User target without id", [{ type: "User", id: null, alternateId: "x@example.com" }]],
    ["a User target with an empty id", [{ type: "User", id: "", alternateId: "x@example.com" }]],
    ["only an AppUser", [{ type: "AppUser", id: "0ua1", alternateId: "x@example.com" }]],
  ])("returns invalid for user.lifecycle.deactivate with %s", (_, target) => {
    // Prepare
    const raw = { ...logEventFixture("user.lifecycle.deactivate"), target };

    // Act
    const result = run(raw);

    // Assess
    expect(result).toEqual({
      kind: "invalid",
      eventType: "user.lifecycle.deactivate",
      oktaEventId: raw.uuid,
      error: {
        path: "target[type=User]",
        message: "user.lifecycle.deactivate needs a target of type User with an id.",
      },
    });
  });

  it("returns invalid when two different users are named", () => {
    // Prepare
    const raw = {
      ...logEventFixture("user.lifecycle.suspend"),
      target: [userTarget("00uB"), userTarget("00uA")],
    };

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({
      kind: "invalid",
      error: {
        path: "target[type=User]",
        message: "user.lifecycle.suspend must name exactly one User, found 2: 00uA, 00uB.",
      },
    });
  });

  it("returns invalid for a group membership event without its group", () => {
    // Act
    const result = run({ ...logEventFixture("group.user_membership.add"), target: [userTarget("00u1")] });

    // Assess
    expect(result).toMatchObject({ kind: "invalid", error: { path: "target[type=UserGroup]" } });
  });

  it("returns invalid for a group membership event without its user", () => {
    // Prepare
    const raw = logEventFixture("group.user_membership.add");
    raw.target = (raw.target as { type: string }[]).filter((t) => t.type === "UserGroup");

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ kind: "invalid", error: { path: "target[type=User]" } });
  });

  it("returns invalid for group.lifecycle.delete without a group", () => {
    // Act
    const result = run({ ...logEventFixture("group.lifecycle.delete"), target: [userTarget("00u1")] });

    // Assess
    expect(result).toMatchObject({ kind: "invalid", error: { path: "target[type=UserGroup]" } });
  });
});

describe("normalize: changed attributes of user.account.update_profile", () => {
  it("reads debugData.changedAttributes as a comma-separated list, sorted", () => {
    // Act
    const result = run(logEventFixture("user.account.update_profile"));

    // Assess
    expect(result).toMatchObject({ kind: "mover", changedAttributes: ["department", "title"] });
  });

  it("reads an array, trims, drops blanks and merges the user target's changeDetails", () => {
    // Prepare
    const raw = logEventFixture("user.account.update_profile");
    raw.debugContext = { debugData: { changedAttributes: [" title ", "", "costCenter"] } };
    raw.target = [
      {
        ...userTarget("00u1"),
        changeDetails: { from: { title: "Engineer", manager: "a" }, to: { title: "Lead", city: "Cork" } },
      },
    ];

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ changedAttributes: ["city", "costCenter", "manager", "title"] });
  });

  it("reads changeDetails with only a `to` side", () => {
    // Prepare
    const raw = {
      ...logEventFixture("user.account.update_profile"),
      debugContext: null,
      target: [{ ...userTarget("00u1"), changeDetails: { to: { department: "Finance" } } }],
    };

    // Act
    const result = run(raw);

    // Assess
    expect(result).toMatchObject({ changedAttributes: ["department"] });
  });

  it.each([
    ["no debug data", { debugContext: null }],
    ["an empty list", { debugContext: { debugData: { changedAttributes: " , " } } }],
  ])("omits changedAttributes when the payload has %s", (_, patch) => {
    // Act
    const result = run({ ...logEventFixture("user.account.update_profile"), ...patch });

    // Assess
    expect(result).not.toHaveProperty("changedAttributes");
    expect(result.kind).toBe("mover");
  });

  it("never reports changed attributes for other event types", () => {
    // Prepare
    const raw = {
      ...logEventFixture("user.lifecycle.activate"),
      debugContext: { debugData: { changedAttributes: "x" } },
    };

    // Act
    const result = run(raw);

    // Assess
    expect(result).not.toHaveProperty("changedAttributes");
  });
});

describe("normalize: actor and published", () => {
  it.each([
    ["null (Admin Console preview)", null, null],
    ["without an id", { type: "User", alternateId: "a@example.com" }, null],
    ["without a type", { id: "00u1", alternateId: "a@example.com" }, null],
    [
      "a system principal without login or name",
      { id: "0oa9", type: "SystemPrincipal", alternateId: "", displayName: null },
      { id: "0oa9", type: "SystemPrincipal" },
    ],
  ])("reads an actor %s", (_, actor, expected) => {
    // Act
    const result = run({ ...logEventFixture("user.lifecycle.suspend"), actor });

    // Assess
    expect(result).toMatchObject({ kind: "leaver" });
    expect("actor" in result ? result.actor : "none").toEqual(expected);
  });

  it("converts published to UTC with milliseconds so it sorts as a string", () => {
    // Act
    const withOffset = run({
      ...logEventFixture("user.lifecycle.suspend"),
      published: "2024-05-01T14:00:00+02:00",
    });
    const withMicros = run({
      ...logEventFixture("user.lifecycle.suspend"),
      published: "2024-05-01T12:00:00.123456Z",
    });

    // Assess
    expect(withOffset).toMatchObject({ published: "2024-05-01T12:00:00.000Z" });
    expect(withMicros).toMatchObject({ published: "2024-05-01T12:00:00.123Z" });
  });
});
