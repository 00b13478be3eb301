import type { FieldError } from "../field-error.ts";
import type { CompromiseSignal, LifecycleEventType, LifecycleKind } from "./event-types.ts";

/** The Okta user an event is about. */
export interface OktaUserRef {
  /** Okta user id (`00u...`). */
  id: string;
  /** The `User` target's `alternateId` (the Okta login); `null` when the payload omits it. */
  login: string | null;
}

/** An Okta group named by an event. */
export interface OktaGroupRef {
  /** Okta group id (`00g...`). */
  id: string;
  /** The `UserGroup` target's `displayName` (Okta puts `"unknown"` in a group's `alternateId`). */
  name: string | null;
}

/** An Okta app instance named by an event. */
export interface OktaAppRef {
  /** Okta app instance id (`0oa...`), compared with the configured provisioning app ids. */
  id: string;
  /** The `AppInstance` target's `displayName`. */
  name: string | null;
}

/** Who performed the action, when the payload says (Admin Console previews send `actor: null`). */
export interface LifecycleActor {
  id: string;
  /** Okta's actor type: `User`, `PublicClientApp`, `SystemPrincipal`... */
  type: string;
  login?: string;
  displayName?: string;
}

/** What every lifecycle event carries. */
interface LifecycleEventBase {
  kind: LifecycleKind;
  eventType: LifecycleEventType;
  /** The LogEvent `uuid`: the dedupe key across the three delivery paths. */
  oktaEventId: string;
  /** When Okta published the event, as ISO-8601 UTC with milliseconds (sortable as a string). */
  published: string;
  actor: LifecycleActor | null;
  /** Only successful events become lifecycle events. */
  outcome: "SUCCESS";
}

/** An event about one user: the user to reconcile, with the group or app the change went through. */
export interface UserLifecycleEvent extends LifecycleEventBase {
  subject: "user";
  user: OktaUserRef;
  /** Set for `group.user_membership.*`. */
  group?: OktaGroupRef;
  /** Set for `application.user_membership.*` (always a provisioning app: others are ignored). */
  app?: OktaAppRef;
  /**
   * Profile attributes `user.account.update_profile` changed, sorted, when the payload names them
   * (`debugContext.debugData.changedAttributes` or the user target's `changeDetails`); omitted otherwise.
   */
  changedAttributes?: string[];
  /** Set for a compromise signal (core/okta/event-types.ts): the policy key that turns it on. */
  signal?: CompromiseSignal;
  /**
   * For `user.risk.*`: the user's new risk level, when `debugContext.debugData.risk` names it
   * (`level=HIGH` in Okta's text, or `{level: "HIGH"}`); omitted when the payload does not say.
   */
  riskLevel?: string;
}

/**
 * An event about a whole group, with no user target: `group.lifecycle.delete`, `group.profile.update`,
 * `system.import.group.delete` and `group.application_assignment.*`.
 *
 * Design: a deleted group is a mover trigger for every member it had, but the LogEvent names only the
 * group, and after the delete Okta can no longer list its members. Rather than make `user` optional on
 * every event (and force every consumer to handle a missing user), lifecycle events are a union
 * discriminated by `subject`: `"user"` events always carry a user; `"group"` events carry the group,
 * and the dispatcher fans out to the former members it knows from Identity Center's copy of the group
 * (or an estate reconcile).
 */
export interface GroupLifecycleEvent extends LifecycleEventBase {
  subject: "group";
  group: OktaGroupRef;
  /** Set for `group.application_assignment.*` (always a provisioning app: others are ignored). */
  app?: OktaAppRef;
}

/** A joiner, mover or leaver trigger derived from one Okta LogEvent. A hint: the workflow reads the truth. */
export type LifecycleEvent = UserLifecycleEvent | GroupLifecycleEvent;

/** Why a well-formed LogEvent changes nothing. */
export type IgnoredReasonCode =
  /** The event type is not in the lifecycle mapping table. */
  | "unsupported-event-type"
  /** `outcome.result` is not SUCCESS (or is missing), so nothing changed in Okta. */
  | "outcome-not-success"
  /** An `application.*` event for an app that does not provision AWS IAM Identity Center. */
  | "app-not-provisioning-aws"
  /** An `application.*` event while no provisioning app id is configured. */
  | "no-provisioning-app-configured"
  /** A `user.session.clear` made by the pipeline itself (`NormalizeOptions.pipelineActorIds`). */
  | "pipeline-own-action";

/** A LogEvent that is valid but triggers nothing, with the reason in words and as a code. */
export interface Ignored {
  kind: "ignored";
  eventType: string;
  oktaEventId: string;
  reasonCode: IgnoredReasonCode;
  /** A sentence a person can read in `explain` output or in evidence. */
  reason: string;
}

/**
 * A LogEvent of a lifecycle type that lacks what the type needs (for example no `User` target on a
 * `user.lifecycle.deactivate`). Returned, never thrown: one bad event must not hide the others.
 */
export interface InvalidLifecycleEvent {
  kind: "invalid";
  eventType: string;
  oktaEventId: string;
  /** The missing or ambiguous field, with a path such as `target[type=User]`. */
  error: FieldError;
}

/** What a valid LogEvent means for the lifecycle. */
export type NormalizeResult = LifecycleEvent | Ignored;
