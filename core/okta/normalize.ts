import type { FieldError } from "../field-error.ts";
import {
  type CompromiseSignal,
  type LifecycleEventType,
  type LifecycleKind,
  lifecycleRuleOf,
} from "./event-types.ts";
import type {
  Ignored,
  IgnoredReasonCode,
  InvalidLifecycleEvent,
  LifecycleActor,
  NormalizeResult,
  OktaAppRef,
  OktaGroupRef,
  OktaUserRef,
  UserLifecycleEvent,
} from "./lifecycle-event.ts";
import type { LogEvent, LogTarget } from "./log-event.ts";

/** What `normalize` needs to know about the deployment. */
export interface NormalizeOptions {
  /**
   * Okta app instance ids (`0oa...`) of the app(s) that provision AWS IAM Identity Center. Only
   * `application.user_membership.*` events for these apps count; with none, all are ignored.
   */
  provisioningAppIds: readonly string[];
  /**
   * System Log actor ids of the pipeline's own Okta calls (policy `compromiseSignals.pipelineActorIds`):
   * their `user.session.clear` (the clear a leaver run makes) is ignored, so it starts no run. @default []
   */
  pipelineActorIds?: readonly string[];
}

/** A target selected by type, with its id guaranteed. */
type SelectedTarget = LogTarget & { id: string };

/**
 * Maps a validated LogEvent to a joiner / mover / leaver trigger, or says why it is ignored, or (for a
 * lifecycle type that lacks its required target) returns an `invalid` result naming the field.
 * Pure and deterministic; targets are selected by `type`, so their order never matters.
 */
export function normalize(
  event: LogEvent,
  options: NormalizeOptions,
): NormalizeResult | InvalidLifecycleEvent {
  const ids = { eventType: event.eventType, oktaEventId: event.uuid };
  const rule = lifecycleRuleOf(event.eventType);
  if (rule === undefined) {
    return ignored(
      ids,
      "unsupported-event-type",
      `${event.eventType} is not a joiner, mover or leaver event type, so it changes no access.`,
    );
  }
  const result = event.outcome?.result ?? null;
  if (result !== "SUCCESS") return ignored(ids, "outcome-not-success", outcomeSentence(result, event));
  const actorId = nonEmpty(event.actor?.id);
  if (
    rule.signal === "adminSessionClear" &&
    actorId !== null &&
    options.pipelineActorIds?.includes(actorId)
  ) {
    return ignored(
      ids,
      "pipeline-own-action",
      `${event.eventType} by ${actorId}, the pipeline itself (a leaver run's session clear), is no admin's signal.`,
    );
  }

  const targets = (event.target ?? []).filter((target) => target !== null);
  const base = {
    kind: rule.kind,
    eventType: rule.eventType,
    oktaEventId: event.uuid,
    published: new Date(event.published).toISOString(),
    actor: actorOf(event.actor),
    outcome: "SUCCESS" as const,
  };

  switch (rule.targets) {
    case "group": {
      const group = selectTarget(targets, "UserGroup", rule.eventType);
      if (!group.ok) return invalid(ids, group.error);
      return groupEvent(base, group.target);
    }
    case "group-and-app": {
      const group = selectTarget(targets, "UserGroup", rule.eventType);
      if (!group.ok) return invalid(ids, group.error);
      const app = provisioningApp(targets, rule.eventType, options);
      if (!app.ok) return "error" in app ? invalid(ids, app.error) : ignored(ids, app.reasonCode, app.reason);
      return groupEvent(base, group.target, { app: app.app });
    }
    case "user-and-group": {
      const group = selectTarget(targets, "UserGroup", rule.eventType);
      if (!group.ok) return invalid(ids, group.error);
      return userEvent(base, targets, event, { group: groupRef(group.target) });
    }
    case "user-and-app": {
      const app = provisioningApp(targets, rule.eventType, options);
      if (!app.ok) return "error" in app ? invalid(ids, app.error) : ignored(ids, app.reasonCode, app.reason);
      return userEvent(base, targets, event, { app: app.app });
    }
    case "user":
      return userEvent(base, targets, event, { signal: rule.signal });
    case "user-or-actor": {
      // The documented place is the actor (breached credential); a User target, when there is one, wins.
      const hasUserTarget = targets.some((t) => t.type === "User" && nonEmpty(t.id) !== null);
      const actorAsTarget = event.actor?.type === "User" && !hasUserTarget ? [event.actor as LogTarget] : [];
      return userEvent(base, [...targets, ...actorAsTarget], event, { signal: rule.signal });
    }
  }
}

interface EventBase {
  kind: LifecycleKind;
  eventType: LifecycleEventType;
  oktaEventId: string;
  published: string;
  actor: LifecycleActor | null;
  outcome: "SUCCESS";
}

/** Builds a `subject: "group"` event; key order is fixed for stable output. */
function groupEvent(base: EventBase, group: SelectedTarget, via: { app?: OktaAppRef } = {}) {
  return {
    kind: base.kind,
    subject: "group" as const,
    eventType: base.eventType,
    oktaEventId: base.oktaEventId,
    published: base.published,
    group: groupRef(group),
    ...via,
    actor: base.actor,
    outcome: base.outcome,
  };
}

/** Builds a `subject: "user"` event once the user target is found; key order is fixed for stable output. */
function userEvent(
  base: EventBase,
  targets: readonly LogTarget[],
  event: LogEvent,
  via: { group?: OktaGroupRef; app?: OktaAppRef; signal?: CompromiseSignal | undefined },
): UserLifecycleEvent | InvalidLifecycleEvent {
  const selected = selectTarget(targets, "User", base.eventType);
  if (!selected.ok)
    return invalid({ eventType: base.eventType, oktaEventId: base.oktaEventId }, selected.error);
  const user: OktaUserRef = { id: selected.target.id, login: nonEmpty(selected.target.alternateId) };
  const changed =
    base.eventType === "user.account.update_profile" ? changedAttributesOf(event, selected.target) : [];
  const { signal, ...through } = via;
  const riskLevel = signal === "userRisk" ? riskLevelOf(event) : null;
  return {
    kind: base.kind,
    subject: "user",
    eventType: base.eventType,
    oktaEventId: base.oktaEventId,
    published: base.published,
    user,
    ...through,
    actor: base.actor,
    outcome: base.outcome,
    ...(changed.length > 0 ? { changedAttributes: changed } : {}),
    ...(signal === undefined ? {} : { signal }),
    ...(riskLevel === null ? {} : { riskLevel }),
  };
}

/**
 * The new risk level of a `user.risk.*` event, upper-cased, from `debugContext.debugData.risk`: Okta
 * documents "risk information" there (Okta Workflows, "User Risk Detected": level LOW, MEDIUM or HIGH)
 * but not its encoding, so both a `{level=HIGH, reasons=...}` text and a `{level: "HIGH"}` object are
 * read; anything else is `null` (unknown).
 */
function riskLevelOf(event: LogEvent): string | null {
  const risk = (event.debugContext?.debugData as Record<string, unknown> | null | undefined)?.risk;
  const level =
    typeof risk === "string"
      ? /(?:^|[{,\s"])level"?\s*[=:]\s*"?([A-Za-z]+)/.exec(risk)?.[1]
      : typeof risk === "object" && risk !== null && typeof (risk as { level?: unknown }).level === "string"
        ? (risk as { level: string }).level
        : undefined;
  return level === undefined || level === "" ? null : level.toUpperCase();
}

type Selection = { ok: true; target: SelectedTarget } | { ok: false; error: FieldError };

/**
 * The one target of `type` with an id. Several entries with the same id are one target (the first in
 * content order is used, so input order never matters); different ids are ambiguous and rejected.
 */
function selectTarget(targets: readonly LogTarget[], type: string, eventType: string): Selection {
  const path = `target[type=${type}]`;
  const candidates = targets
    .filter((target): target is SelectedTarget => target.type === type && nonEmpty(target.id) !== null)
    .sort(compareTargets);
  const [first] = candidates;
  if (first === undefined) {
    return { ok: false, error: { path, message: `${eventType} needs a target of type ${type} with an id.` } };
  }
  const distinctIds = [...new Set(candidates.map((target) => target.id))];
  if (distinctIds.length > 1) {
    return {
      ok: false,
      error: {
        path,
        message: `${eventType} must name exactly one ${type}, found ${distinctIds.length}: ${distinctIds.join(", ")}.`,
      },
    };
  }
  return { ok: true, target: first };
}

/** Orders same-id duplicates by their whole content, so which one is used never depends on input order. */
function compareTargets(a: SelectedTarget, b: SelectedTarget): number {
  const left = JSON.stringify(a);
  const right = JSON.stringify(b);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

type AppSelection =
  | { ok: true; app: OktaAppRef }
  | { ok: false; error: FieldError }
  | { ok: false; reasonCode: IgnoredReasonCode; reason: string };

/** The event's app instance, when it is one that provisions AWS IAM Identity Center. */
function provisioningApp(
  targets: readonly LogTarget[],
  eventType: string,
  options: NormalizeOptions,
): AppSelection {
  if (options.provisioningAppIds.length === 0) {
    return {
      ok: false,
      reasonCode: "no-provisioning-app-configured",
      reason: `${eventType} counts only for the Okta app that provisions AWS IAM Identity Center, and no provisioning app id is configured.`,
    };
  }
  const selected = selectTarget(targets, "AppInstance", eventType);
  if (!selected.ok) return selected;
  const app: OktaAppRef = { id: selected.target.id, name: nonEmpty(selected.target.displayName) };
  if (!options.provisioningAppIds.includes(app.id)) {
    const configured = [...options.provisioningAppIds].sort().join(", ");
    return {
      ok: false,
      reasonCode: "app-not-provisioning-aws",
      reason: `App ${app.id}${app.name === null ? "" : ` (${app.name})`} does not provision AWS IAM Identity Center (provisioning apps: ${configured}).`,
    };
  }
  return { ok: true, app };
}

function groupRef(target: SelectedTarget): OktaGroupRef {
  return { id: target.id, name: nonEmpty(target.displayName) };
}

function actorOf(actor: LogEvent["actor"]): LifecycleActor | null {
  const id = nonEmpty(actor?.id);
  const type = nonEmpty(actor?.type);
  if (id === null || type === null) return null;
  const login = nonEmpty(actor?.alternateId);
  const displayName = nonEmpty(actor?.displayName);
  return {
    id,
    type,
    ...(login === null ? {} : { login }),
    ...(displayName === null ? {} : { displayName }),
  };
}

/**
 * Attribute names from `debugContext.debugData.changedAttributes` (a comma-separated string or an
 * array) and from the user target's `changeDetails` (`from` / `to` keys), trimmed, unique and sorted.
 */
function changedAttributesOf(event: LogEvent, user: SelectedTarget): string[] {
  const fromDebug = event.debugContext?.debugData?.changedAttributes ?? [];
  const names = [
    ...(typeof fromDebug === "string" ? fromDebug.split(",") : fromDebug),
    ...Object.keys(user.changeDetails?.from ?? {}),
    ...Object.keys(user.changeDetails?.to ?? {}),
  ];
  return [...new Set(names.map((name) => name.trim()).filter((name) => name !== ""))].sort();
}

function outcomeSentence(result: string | null, event: LogEvent): string {
  if (result === null) return "The event has no outcome.result, so the change cannot be confirmed.";
  const reason = nonEmpty(event.outcome?.reason);
  return `The outcome is ${result}${reason === null ? "" : ` (${reason})`}, not SUCCESS, so nothing changed in Okta.`;
}

function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function ignored(
  ids: { eventType: string; oktaEventId: string },
  reasonCode: IgnoredReasonCode,
  reason: string,
): Ignored {
  return { kind: "ignored", eventType: ids.eventType, oktaEventId: ids.oktaEventId, reasonCode, reason };
}

function invalid(ids: { eventType: string; oktaEventId: string }, error: FieldError): InvalidLifecycleEvent {
  return { kind: "invalid", eventType: ids.eventType, oktaEventId: ids.oktaEventId, error };
}
