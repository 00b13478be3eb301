/** The three lifecycle moments the pipeline reacts to. */
export type LifecycleKind = "joiner" | "mover" | "leaver";

/**
 * Which System Log targets an event type carries and `normalize` reads (always selected by `type`):
 * - `user`: a `User` target;
 * - `user-and-group`: a `User` and a `UserGroup` target;
 * - `user-and-app`: a `User` and an `AppInstance` target (Okta adds an `AppUser` target, not read);
 * - `group`: a `UserGroup` target only (the event names no user).
 */
export type TargetShape = "user" | "user-and-group" | "user-and-app" | "group";

/** How one Okta event type maps onto the lifecycle. */
export interface LifecycleRule {
  kind: LifecycleKind;
  targets: TargetShape;
}

/**
 * The mapping table (issue 2). Only event-hook-eligible types are listed; anything else is ignored.
 * Notes on the less obvious rows:
 * - `user.lifecycle.suspend` is a leaver: Okta's SCIM integration sends nothing to Identity Center for a
 *   suspended user, so without this row a suspended user would keep AWS access.
 * - `user.lifecycle.unsuspend` is a joiner: access that the suspend revoked must come back.
 * - `user.account.update_profile` is a mover: profile attributes can feed group rules and session tags.
 * - `group.lifecycle.delete` is a mover for every former member; the event names only the group.
 * - `application.*` rows count only for the app instance(s) that provision AWS IAM Identity Center.
 */
export const LIFECYCLE_RULES = {
  "user.lifecycle.create": { kind: "joiner", targets: "user" },
  "user.lifecycle.activate": { kind: "joiner", targets: "user" },
  "user.lifecycle.reactivate": { kind: "joiner", targets: "user" },
  "user.lifecycle.unsuspend": { kind: "joiner", targets: "user" },
  "application.user_membership.add": { kind: "joiner", targets: "user-and-app" },
  "group.user_membership.add": { kind: "mover", targets: "user-and-group" },
  "group.user_membership.remove": { kind: "mover", targets: "user-and-group" },
  "user.account.update_profile": { kind: "mover", targets: "user" },
  "application.user_membership.update": { kind: "mover", targets: "user-and-app" },
  "group.lifecycle.delete": { kind: "mover", targets: "group" },
  "user.lifecycle.deactivate": { kind: "leaver", targets: "user" },
  "user.lifecycle.suspend": { kind: "leaver", targets: "user" },
  "user.lifecycle.delete.initiated": { kind: "leaver", targets: "user" },
  "application.user_membership.remove": { kind: "leaver", targets: "user-and-app" },
} as const satisfies Record<string, LifecycleRule>;

/** An Okta event type that maps to joiner, mover or leaver. */
export type LifecycleEventType = keyof typeof LIFECYCLE_RULES;

/**
 * Every lifecycle event type, in table order: what the event hook subscribes to and what the System
 * Log poller filters on.
 */
export const LIFECYCLE_EVENT_TYPES: readonly LifecycleEventType[] = Object.freeze(
  Object.keys(LIFECYCLE_RULES) as LifecycleEventType[],
);

// A Map, not an index into the object: event types come from untrusted input ("constructor", "__proto__").
const rulesByType: ReadonlyMap<string, LifecycleRule & { eventType: LifecycleEventType }> = new Map(
  LIFECYCLE_EVENT_TYPES.map((eventType) => [eventType, { eventType, ...LIFECYCLE_RULES[eventType] }]),
);

/** The rule for an event type, with the type narrowed; `undefined` when the type is not a lifecycle type. */
export function lifecycleRuleOf(
  eventType: string,
): (LifecycleRule & { eventType: LifecycleEventType }) | undefined {
  return rulesByType.get(eventType);
}
