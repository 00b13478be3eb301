/**
 * The OAuth scopes each part of the tool asks for (least privilege; each is also what the spec's
 * `security.oauth2` names for the calls it makes). The service app must be granted their union, and an
 * admin role that allows the same calls (docs/deploy.md, "Okta service app").
 */
export const OKTA_SCOPES = {
  /** okta-log-poll: GET /api/v1/logs. */
  systemLog: ["okta.logs.read"],
  /**
   * user-reconcile reads: GET /api/v1/users/{id}, GET /api/v1/users/{id}/groups, GET
   * /api/v1/users/{id}/appLinks (a leaver still assigned the AWS Account Federation app), and GET /api/v1/groups
   * (search by name, filter by id) for the policy's groups that share a name with the user's.
   */
  userRead: ["okta.users.read", "okta.groups.read"],
  /** user-reconcile ClearOktaSessions: DELETE /api/v1/users/{id}/sessions. */
  clearSessions: ["okta.users.manage"],
  /** estate-reconcile and `plan` / `reconcile`: users, groups and their members. */
  estate: ["okta.users.read", "okta.groups.read"],
  /** `okta register-hook`: list, create, replace, activate and verify event hooks. */
  registerHook: ["okta.eventHooks.read", "okta.eventHooks.manage"],
  /** `doctor`: reads the event hook. */
  doctor: ["okta.eventHooks.read"],
} as const satisfies Record<string, readonly string[]>;

/** Every scope the deployed functions and the CLI use: what to grant the service app. */
export const ALL_OKTA_SCOPES: readonly string[] = [...new Set(Object.values(OKTA_SCOPES).flat())].sort();
