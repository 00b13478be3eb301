/**
 * Which admin role may call which endpoint: the one table of the emulator's permission model.
 *
 * Sources (Okta's own words; where they are silent the choice is named below):
 * - Role types: the spec's `RoleType` enum (management.openapi.yaml, components.schemas.RoleType).
 * - "Standard administrator roles and permissions" (help.okta.com, topics/security/
 *   administrators-admin-comparison.htm): what each standard role may do, e.g. the "View System Log"
 *   row (Super, Org, Group, App, Read-only, Help Desk and Report admins) and the user and group rows.
 * - "Help desk administrators" (administrators-help-desk-admin.htm): view users, clear user sessions;
 *   no creating, activating, suspending or deleting users, no group assignments.
 * - "Group membership administrators" (administrators-group-membership-admin.htm): view users and
 *   groups, add and remove members; no creating or deleting groups, no managing users.
 * - "Read-only administrators" view everything and change nothing; "Report administrators" view reports
 *   and the System Log only (same comparison page).
 * - Custom roles (`CUSTOM`): "Role permissions" (help.okta.com, custom-admin-role/about-role-permissions.htm)
 *   and the permission names of the Roles API (`okta.users.read`, `okta.users.lifecycle.clearSessions`...).
 *   The System Log has no custom-role permission there; the emulator names it by its OAuth scope,
 *   `okta.logs.read`, as the spec's `listLogEvents` does.
 * - Silent: which standard roles may read and manage event hooks. The emulator lets Super and Org admins
 *   manage them and Read-only admins list them (both "org settings" rows of the comparison page); a
 *   token for `okta register-hook` should be a Super admin's or carry `okta.eventHooks.manage`.
 */

/** The spec's `RoleType` enum. */
export const ROLE_TYPES = [
  "ACCESS_CERTIFICATIONS_ADMIN",
  "ACCESS_REQUESTS_ADMIN",
  "API_ACCESS_MANAGEMENT_ADMIN",
  "APP_ADMIN",
  "CUSTOM",
  "GROUP_MEMBERSHIP_ADMIN",
  "HELP_DESK_ADMIN",
  "ORG_ADMIN",
  "READ_ONLY_ADMIN",
  "REPORT_ADMIN",
  "SUPER_ADMIN",
  "USER_ADMIN",
  "WORKFLOWS_ADMIN",
] as const;
export type RoleType = (typeof ROLE_TYPES)[number];

/** The permissions the emulated endpoints need, by Okta's permission (or, for the log, scope) names. */
export const OKTA_PERMISSIONS = [
  "okta.users.read",
  "okta.users.manage",
  "okta.users.lifecycle.manage",
  "okta.users.lifecycle.clearSessions",
  "okta.groups.read",
  "okta.groups.manage",
  "okta.groups.members.manage",
  "okta.logs.read",
  "okta.eventHooks.read",
  "okta.eventHooks.manage",
] as const;
export type OktaPermission = (typeof OKTA_PERMISSIONS)[number];

/** One role held by a principal; a `CUSTOM` role lists its permissions. */
export type AdminRole =
  | { type: Exclude<RoleType, "CUSTOM"> }
  | { type: "CUSTOM"; permissions: readonly OktaPermission[] };

const ALL: readonly OktaPermission[] = OKTA_PERMISSIONS;
const VIEW: readonly OktaPermission[] = ["okta.users.read", "okta.groups.read"];

/**
 * What each standard role may do on the emulated endpoints. `USER_ADMIN` is the console's "Group
 * Administrator". Roles absent here (App, API Access Management, Workflows, Access Requests and
 * Certifications admins) manage other resources and get 403 on these endpoints.
 */
export const STANDARD_ROLE_PERMISSIONS: Readonly<
  Record<Exclude<RoleType, "CUSTOM">, readonly OktaPermission[]>
> = {
  SUPER_ADMIN: ALL,
  ORG_ADMIN: ALL,
  USER_ADMIN: [
    ...VIEW,
    "okta.users.manage",
    "okta.users.lifecycle.manage",
    "okta.users.lifecycle.clearSessions",
    "okta.groups.manage",
    "okta.groups.members.manage",
    "okta.logs.read",
  ],
  READ_ONLY_ADMIN: [...VIEW, "okta.logs.read", "okta.eventHooks.read"],
  HELP_DESK_ADMIN: ["okta.users.read", "okta.users.lifecycle.clearSessions", "okta.logs.read"],
  GROUP_MEMBERSHIP_ADMIN: [...VIEW, "okta.groups.members.manage"],
  REPORT_ADMIN: ["okta.logs.read"],
  APP_ADMIN: ["okta.logs.read"],
  API_ACCESS_MANAGEMENT_ADMIN: [],
  WORKFLOWS_ADMIN: [],
  ACCESS_REQUESTS_ADMIN: [],
  ACCESS_CERTIFICATIONS_ADMIN: [],
};

/**
 * The permission a request needs, from its method and path (the spec's operation and its
 * `security.oauth2` scope); `null` for paths the emulator does not serve (they answer 404 as before).
 */
export function requiredPermission(method: string, path: string): OktaPermission | null {
  const rule = RULES.find((r) => r.pattern.test(path) && (r.method === "*" || r.method === method));
  if (rule === undefined) return null;
  return method === "GET" ? rule.read : rule.write;
}

interface Rule {
  method: string;
  pattern: RegExp;
  read: OktaPermission;
  write: OktaPermission;
}

const ID = "[^/]+";
const RULES: Rule[] = [
  // revokeUserSessions (DELETE /api/v1/users/{userId}/sessions)
  {
    method: "DELETE",
    pattern: new RegExp(`^/api/v1/users/${ID}/sessions$`),
    read: "okta.users.read",
    write: "okta.users.lifecycle.clearSessions",
  },
  // activateUser, deactivateUser, suspendUser, unsuspendUser, reactivateUser
  {
    method: "*",
    pattern: new RegExp(`^/api/v1/users/${ID}/lifecycle/${ID}$`),
    read: "okta.users.read",
    write: "okta.users.lifecycle.manage",
  },
  // listUsers, getUser, listUserGroups, listAppLinks / createUser, updateUser, deleteUser
  {
    method: "*",
    pattern: new RegExp(`^/api/v1/users(/${ID}(/groups|/appLinks)?)?$`),
    read: "okta.users.read",
    write: "okta.users.manage",
  },
  // assignUserToGroup, unassignUserFromGroup
  {
    method: "*",
    pattern: new RegExp(`^/api/v1/groups/${ID}/users/${ID}$`),
    read: "okta.groups.read",
    write: "okta.groups.members.manage",
  },
  // listGroups, getGroup, listGroupUsers / createGroup, deleteGroup
  {
    method: "*",
    pattern: new RegExp(`^/api/v1/groups(/${ID}(/users)?)?$`),
    read: "okta.groups.read",
    write: "okta.groups.manage",
  },
  // listLogEvents
  { method: "*", pattern: /^\/api\/v1\/logs$/, read: "okta.logs.read", write: "okta.logs.read" },
  // listEventHooks, getEventHook / createEventHook, replaceEventHook, lifecycle (verify, (de)activate)
  {
    method: "*",
    pattern: new RegExp(`^/api/v1/eventHooks(/${ID}(/lifecycle/${ID})?)?$`),
    read: "okta.eventHooks.read",
    write: "okta.eventHooks.manage",
  },
];

/** Whether any of the roles grants the permission. */
export function rolesAllow(roles: readonly AdminRole[], permission: OktaPermission): boolean {
  return roles.some((role) =>
    role.type === "CUSTOM"
      ? role.permissions.includes(permission)
      : STANDARD_ROLE_PERMISSIONS[role.type].includes(permission),
  );
}
