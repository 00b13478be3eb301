import { describe, expect, it } from "vitest";
import { LIFECYCLE_EVENT_TYPES, LIFECYCLE_RULES, lifecycleRuleOf } from "../../../core/okta/event-types.ts";

/** The mapping exactly as issue 2 lists it. */
const ISSUE_TABLE = {
  joiner: [
    "user.lifecycle.create",
    "user.lifecycle.activate",
    "user.lifecycle.reactivate",
    "user.lifecycle.unsuspend",
    "application.user_membership.add",
  ],
  mover: [
    "group.user_membership.add",
    "group.user_membership.remove",
    "user.account.update_profile",
    "application.user_membership.update",
    "group.lifecycle.delete",
  ],
  leaver: [
    "user.lifecycle.deactivate",
    "user.lifecycle.suspend",
    "user.lifecycle.delete.initiated",
    "application.user_membership.remove",
  ],
};

describe("lifecycle event types", () => {
  it("maps exactly the types issue 2 lists, each to its kind", () => {
    // Act
    const byKind = { joiner: [] as string[], mover: [] as string[], leaver: [] as string[] };
    for (const eventType of LIFECYCLE_EVENT_TYPES) byKind[LIFECYCLE_RULES[eventType].kind].push(eventType);

    // Assess
    expect(byKind).toEqual(ISSUE_TABLE);
    expect(new Set(LIFECYCLE_EVENT_TYPES).size).toBe(14);
  });

  it("reads a User and the AppInstance for application.* and a UserGroup for group.*", () => {
    // Act
    const shapes = Object.fromEntries(LIFECYCLE_EVENT_TYPES.map((t) => [t, LIFECYCLE_RULES[t].targets]));

    // Assess
    for (const [eventType, shape] of Object.entries(shapes)) {
      if (eventType.startsWith("application.")) expect(shape).toBe("user-and-app");
      else if (eventType.startsWith("group.user_membership.")) expect(shape).toBe("user-and-group");
      else if (eventType === "group.lifecycle.delete") expect(shape).toBe("group");
      else expect(shape).toBe("user");
    }
  });

  it("is frozen so the poller and hook registration cannot change it", () => {
    expect(Object.isFrozen(LIFECYCLE_EVENT_TYPES)).toBe(true);
  });
});

describe("lifecycleRuleOf", () => {
  it("returns the rule with the event type", () => {
    expect(lifecycleRuleOf("user.lifecycle.suspend")).toEqual({
      eventType: "user.lifecycle.suspend",
      kind: "leaver",
      targets: "user",
    });
  });

  it.each(["user.session.start", "USER.LIFECYCLE.SUSPEND", "", "constructor", "__proto__", "toString"])(
    "has no rule for %j (prototype keys included)",
    (eventType) => {
      expect(lifecycleRuleOf(eventType)).toBeUndefined();
    },
  );
});
