import type { DirectoryGroup, DirectoryUser } from "./directory.ts";

/** The admin a request acts as: the owner of the SSWS token (the LogEvent `actor`). */
export interface OktaAdmin {
  id: string;
  login: string;
  displayName: string;
}

/** What the emulator knows about the HTTP request that caused an event. */
export interface RequestContext {
  /** Okta's request id; also the `transaction.id` of every event the request writes. */
  requestId: string;
  /** The path, e.g. `/api/v1/users/00u.../lifecycle/deactivate`. */
  requestUri: string;
  /** The path and query followed by `?` as Okta writes `debugData.url`. */
  url: string;
  ipAddress: string;
  userAgent: string | null;
  /** The id of the API token used (`transaction.detail.requestApiTokenId`). */
  apiTokenId: string | null;
  actor: OktaAdmin;
}

/** A System Log target entry. */
export interface LogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: null;
}

/** The event types the emulator writes, with their display message and legacy type. */
const EVENT_TEXT: Record<string, { displayMessage: string; legacyEventType: string | null }> = {
  "user.lifecycle.create": {
    displayMessage: "Create Okta user",
    legacyEventType: "core.user.config.user_creation.success",
  },
  "user.lifecycle.activate": {
    displayMessage: "Activate Okta user",
    legacyEventType: "core.user.config.user_activated",
  },
  "user.lifecycle.reactivate": { displayMessage: "Reactivate Okta user", legacyEventType: null },
  "user.lifecycle.deactivate": {
    displayMessage: "Deactivate Okta user",
    legacyEventType: "core.user.config.user_deactivated",
  },
  "user.lifecycle.suspend": {
    displayMessage: "Suspend Okta user",
    legacyEventType: "core.user.config.user_suspended",
  },
  "user.lifecycle.unsuspend": {
    displayMessage: "Unsuspend Okta user",
    legacyEventType: "core.user.config.user_unsuspended",
  },
  "user.lifecycle.delete.initiated": { displayMessage: "Delete Okta user", legacyEventType: null },
  "user.account.update_profile": {
    displayMessage: "Update user profile for Okta",
    legacyEventType: "core.user.config.profile_update.success",
  },
  "user.session.clear": { displayMessage: "Clear user session", legacyEventType: null },
  // Issue 13's events, with the descriptions of Okta's event catalogue (event-types.csv).
  "user.account.lock": { displayMessage: "Auto-lock user account for Okta", legacyEventType: null },
  "user.mfa.factor.reset_all": {
    displayMessage: "Reset all factors or authenticator enrollments for user",
    legacyEventType: null,
  },
  "user.authentication.universal_logout": {
    displayMessage: "User Universal Logout triggered",
    legacyEventType: null,
  },
  "security.breached_credential.detected": {
    displayMessage: "Breached credential detected",
    legacyEventType: null,
  },
  "user.risk.detect": { displayMessage: "User risk detected", legacyEventType: null },
  "user.risk.change": { displayMessage: "User risk level changed", legacyEventType: null },
  "group.profile.update": { displayMessage: "Okta group profile updated", legacyEventType: null },
  "group.user_membership.add": {
    displayMessage: "Add user to group membership",
    legacyEventType: "core.user_group_member.user_add",
  },
  "group.user_membership.remove": {
    displayMessage: "Remove user from group membership",
    legacyEventType: "core.user_group_member.user_remove",
  },
  "group.lifecycle.create": {
    displayMessage: "Create Okta group",
    legacyEventType: "core.user_group.created",
  },
  "group.lifecycle.delete": {
    displayMessage: "Delete Okta group",
    legacyEventType: "core.user_group.deleted",
  },
};

/** The `User` target of a user, as Okta writes it (`alternateId` is the login). */
export function userTarget(user: DirectoryUser): LogTarget {
  return {
    id: user.id,
    type: "User",
    alternateId: user.profile.login,
    displayName: `${user.profile.firstName} ${user.profile.lastName}`.trim(),
    detailEntry: null,
  };
}

/** The `UserGroup` target of a group (Okta puts `"unknown"` in a group's `alternateId`). */
export function groupTarget(group: DirectoryGroup): LogTarget {
  return {
    id: group.id,
    type: "UserGroup",
    alternateId: "unknown",
    displayName: group.name,
    detailEntry: null,
  };
}

/** What varies per event; the rest comes from the request context. */
export interface LogEventInput {
  uuid: string;
  published: string;
  eventType: string;
  targets: LogTarget[];
  context: RequestContext;
  /** Extra `debugContext.debugData` entries (`changedAttributes` for profile updates). */
  debugData?: Record<string, string>;
}

/**
 * Builds a LogEvent with the fields and nesting Okta's System Log uses (see the fixtures in
 * test/fixtures/okta): an admin actor, a client without geolocation (loopback), the IP chain under
 * `request`, the request id as `transaction.id`, and `outcome.result: SUCCESS`.
 */
export function buildLogEvent(input: LogEventInput): Record<string, unknown> {
  const { context } = input;
  const text = EVENT_TEXT[input.eventType] ?? { displayMessage: input.eventType, legacyEventType: null };
  return {
    actor: {
      id: context.actor.id,
      type: "User",
      alternateId: context.actor.login,
      displayName: context.actor.displayName,
      detailEntry: null,
    },
    client: {
      userAgent: {
        rawUserAgent: context.userAgent ?? "UNKNOWN",
        os: "Unknown",
        browser: "UNKNOWN",
      },
      zone: "null",
      device: "Unknown",
      id: null,
      ipAddress: context.ipAddress,
      geographicalContext: null,
    },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: "unknown",
    },
    displayMessage: text.displayMessage,
    eventType: input.eventType,
    outcome: { result: "SUCCESS", reason: null },
    published: input.published,
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    severity: "INFO",
    debugContext: {
      debugData: {
        requestId: context.requestId,
        requestUri: context.requestUri,
        url: context.url,
        threatSuspected: "false",
        ...input.debugData,
      },
    },
    legacyEventType: text.legacyEventType,
    transaction: {
      type: "WEB",
      id: context.requestId,
      detail: context.apiTokenId === null ? {} : { requestApiTokenId: context.apiTokenId },
    },
    uuid: input.uuid,
    version: "0",
    request: {
      ipChain: [
        {
          ip: context.ipAddress,
          geographicalContext: null,
          version: ipVersion(context.ipAddress),
          source: null,
        },
      ],
    },
    target: input.targets,
  };
}

function ipVersion(ip: string): "V4" | "V6" {
  return ip.includes(":") ? "V6" : "V4";
}
