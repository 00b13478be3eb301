/** The three lifecycle moments the pipeline reacts to. */
export type LifecycleKind = "joiner" | "mover" | "leaver";

/**
 * Which System Log targets an event type carries and `normalize` reads (always selected by `type`):
 * - `user`: a `User` target;
 * - `user-and-group`: a `User` and a `UserGroup` target;
 * - `user-and-app`: a `User` and an `AppInstance` target (Okta adds an `AppUser` target, not read);
 * - `group`: a `UserGroup` target only (the event names no user);
 * - `group-and-app`: a `UserGroup` and an `AppInstance` target (the event names no user);
 * - `user-or-actor`: a `User` target or, when there is none, the actor if it is a `User` (Okta's
 *   catalogue: for `security.breached_credential.detected` "the actor is the user with the breached
 *   credential", and its target is the credential).
 */
export type TargetShape =
  | "user"
  | "user-and-group"
  | "user-and-app"
  | "group"
  | "group-and-app"
  | "user-or-actor";

/**
 * The compromise signals (issue 13): events that say a user's credentials or sessions may be in the
 * wrong hands. With the policy's `compromiseSignals.<signal>: endSessions` a run denies the user's AWS
 * role sessions issued before the event, without removing access (core/plan/plan-compromise.ts).
 */
export type CompromiseSignal =
  | "mfaReset"
  | "universalLogout"
  | "breachedCredential"
  | "userRisk"
  | "adminSessionClear";

/** How one Okta event type maps onto the lifecycle. */
export interface LifecycleRule {
  kind: LifecycleKind;
  targets: TargetShape;
  /** Set for a compromise signal: the policy key that turns it on. */
  signal?: CompromiseSignal;
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
 * - `group.profile.update` (a rename unbinds the policy rules naming the group by name),
 *   `system.import.group.delete` (a directory import removed an APP_GROUP) and
 *   `group.application_assignment.*` (who the provisioning app pushes changes; only for that app) are
 *   group events: an estate reconcile converges every member (workflows/estate-triggers.ts).
 * - `user.account.lock` is a mover, not a leaver: Okta unlocks the user by itself after the lockout
 *   period or through self-service, and a lockout ends no session; revoking on it would let anyone
 *   who knows a login lock that user out of AWS with a few wrong passwords. The run reads the truth
 *   (LOCKED_OUT keeps access) and records it.
 * - The compromise signals are movers too (the user keeps their access): their `signal` names the
 *   policy switch that makes the run deny the sessions issued before the event.
 * Every row is `event-hook-eligible` in Okta's event catalogue (test/fixtures/okta/event-types.catalogue.csv).
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
  "group.profile.update": { kind: "mover", targets: "group" },
  "system.import.group.delete": { kind: "mover", targets: "group" },
  "group.application_assignment.add": { kind: "mover", targets: "group-and-app" },
  "group.application_assignment.remove": { kind: "mover", targets: "group-and-app" },
  "user.account.lock": { kind: "mover", targets: "user-or-actor" },
  "user.mfa.factor.reset_all": { kind: "mover", targets: "user", signal: "mfaReset" },
  "user.authentication.universal_logout": { kind: "mover", targets: "user", signal: "universalLogout" },
  "security.breached_credential.detected": {
    kind: "mover",
    targets: "user-or-actor",
    signal: "breachedCredential",
  },
  "user.risk.detect": { kind: "mover", targets: "user", signal: "userRisk" },
  "user.risk.change": { kind: "mover", targets: "user", signal: "userRisk" },
  "user.session.clear": { kind: "mover", targets: "user", signal: "adminSessionClear" },
  "user.lifecycle.deactivate": { kind: "leaver", targets: "user" },
  "user.lifecycle.suspend": { kind: "leaver", targets: "user" },
  "user.lifecycle.delete.initiated": { kind: "leaver", targets: "user" },
  "application.user_membership.remove": { kind: "leaver", targets: "user-and-app" },
} as const satisfies Record<string, LifecycleRule>;

/** An Okta event type that maps to joiner, mover or leaver. */
export type LifecycleEventType = keyof typeof LIFECYCLE_RULES;

/** The policy's compromise-signal keys, in a fixed order. */
export const COMPROMISE_SIGNALS: readonly CompromiseSignal[] = Object.freeze([
  "mfaReset",
  "universalLogout",
  "breachedCredential",
  "userRisk",
  "adminSessionClear",
]);

/**
 * Every lifecycle event type, in table order: what the event hook subscribes to and what the System
 * Log poller filters on.
 */
export const LIFECYCLE_EVENT_TYPES: readonly LifecycleEventType[] = Object.freeze(
  Object.keys(LIFECYCLE_RULES) as LifecycleEventType[],
);

// A Map, not an index into the object: event types come from untrusted input ("constructor", "__proto__").
const rulesByType: ReadonlyMap<string, LifecycleRule & { eventType: LifecycleEventType }> = new Map(
  LIFECYCLE_EVENT_TYPES.map((eventType) => [
    eventType,
    { eventType, ...(LIFECYCLE_RULES[eventType] as LifecycleRule) },
  ]),
);

/** The rule for an event type, with the type narrowed; `undefined` when the type is not a lifecycle type. */
export function lifecycleRuleOf(
  eventType: string,
): (LifecycleRule & { eventType: LifecycleEventType }) | undefined {
  return rulesByType.get(eventType);
}
