import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  COMPROMISE_SIGNALS,
  LIFECYCLE_EVENT_TYPES,
  LIFECYCLE_RULES,
  type LifecycleRule,
  lifecycleRuleOf,
} from "../../../core/okta/event-types.ts";

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
    // Issue 13: group events an estate reconcile converges, the lock, and the compromise signals.
    "group.profile.update",
    "system.import.group.delete",
    "group.application_assignment.add",
    "group.application_assignment.remove",
    "user.account.lock",
    "user.mfa.factor.reset_all",
    "user.authentication.universal_logout",
    "security.breached_credential.detected",
    "user.risk.detect",
    "user.risk.change",
    "user.session.clear",
  ],
  leaver: [
    "user.lifecycle.deactivate",
    "user.lifecycle.suspend",
    "user.lifecycle.delete.initiated",
    "application.user_membership.remove",
  ],
};

describe("lifecycle event types", () => {
  it("maps exactly the types issues 2 and 13 list, each to its kind", () => {
    // Act
    const byKind = { joiner: [] as string[], mover: [] as string[], leaver: [] as string[] };
    for (const eventType of LIFECYCLE_EVENT_TYPES) byKind[LIFECYCLE_RULES[eventType].kind].push(eventType);

    // Assess
    expect(byKind).toEqual(ISSUE_TABLE);
    expect(new Set(LIFECYCLE_EVENT_TYPES).size).toBe(25);
  });

  it("reads a User and the AppInstance for application.* and a UserGroup for group.*", () => {
    // Act
    const shapes = Object.fromEntries(LIFECYCLE_EVENT_TYPES.map((t) => [t, LIFECYCLE_RULES[t].targets]));

    // Assess
    for (const [eventType, shape] of Object.entries(shapes)) {
      if (eventType.startsWith("application.")) expect(shape).toBe("user-and-app");
      else if (eventType.startsWith("group.user_membership.")) expect(shape).toBe("user-and-group");
      else if (eventType.startsWith("group.application_assignment.")) expect(shape).toBe("group-and-app");
      else if (/^(group|system\.import\.group)\./.test(eventType)) expect(shape).toBe("group");
      else if (["security.breached_credential.detected", "user.account.lock"].includes(eventType))
        expect(shape).toBe("user-or-actor");
      else expect(shape).toBe("user");
    }
  });

  it("names a policy signal for exactly the compromise signals, every signal used", () => {
    // Act
    const signals = Object.fromEntries(
      LIFECYCLE_EVENT_TYPES.flatMap((t) => {
        const signal = (LIFECYCLE_RULES[t] as LifecycleRule).signal;
        return signal === undefined ? [] : [[t, signal]];
      }),
    );

    // Assess
    expect(signals).toEqual({
      "user.mfa.factor.reset_all": "mfaReset",
      "user.authentication.universal_logout": "universalLogout",
      "security.breached_credential.detected": "breachedCredential",
      "user.risk.detect": "userRisk",
      "user.risk.change": "userRisk",
      "user.session.clear": "adminSessionClear",
    });
    expect(new Set(Object.values(signals))).toEqual(new Set(COMPROMISE_SIGNALS));
  });

  it("subscribes only to types Okta's event catalogue marks event-hook-eligible", () => {
    // Prepare: the catalogue rows of the subscribed types, vendored from Okta's event-types.csv
    const csv = readFileSync(
      path.resolve(import.meta.dirname, "../../fixtures/okta/event-types.catalogue.csv"),
      "utf8",
    );
    const tags = new Map(
      csv
        .split("\n")
        .slice(1)
        .filter((line) => line !== "")
        .map((line) => {
          const fields = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1] ?? "");
          return [fields[0], (fields[3] ?? "").split(",").map((t) => t.trim())] as const;
        }),
    );

    // Assess
    for (const eventType of LIFECYCLE_EVENT_TYPES)
      expect(tags.get(eventType), eventType).toContain("event-hook-eligible");
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
