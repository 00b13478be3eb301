/**
 * What a call to Okta needs, in Okta's terms, so a 403 can say what the token lacks: the admin
 * permission (custom admin role permission names, help.okta.com "Role permissions"), a standard role
 * that has it (help.okta.com "Standard administrator roles and permissions") and the OAuth scope of
 * the operation (the management spec's `security.oauth2`). docs/deploy.md lists them per function.
 */
export interface OktaNeed {
  /** What the call does, in words. */
  action: string;
  /** The admin permission (a custom role's), e.g. `okta.users.lifecycle.clearSessions`. */
  permission: string;
  /** Standard admin roles that grant it, least powerful first. */
  roles: string[];
  /** The OAuth scope the operation requires of a service app. */
  scope: string;
}

const NEEDS: { method: string; pattern: RegExp; need: OktaNeed }[] = [
  {
    method: "DELETE",
    pattern: /^\/api\/v1\/users\/[^/]+\/sessions$/,
    need: {
      action: "clear a user's sessions",
      permission: "okta.users.lifecycle.clearSessions",
      roles: ["Help Desk Administrator", "Group Administrator", "Org Administrator", "Super Administrator"],
      scope: "okta.users.manage",
    },
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/users\/[^/]+\/lifecycle\/[^/]+$/,
    need: {
      action: "change a user's lifecycle status",
      permission: "okta.users.lifecycle.manage",
      roles: ["Group Administrator", "Org Administrator", "Super Administrator"],
      scope: "okta.users.manage",
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/users(\/[^/]+(\/groups|\/appLinks)?)?$/,
    need: {
      action: "read users",
      permission: "okta.users.read",
      roles: ["Read-only Administrator", "Org Administrator", "Super Administrator"],
      scope: "okta.users.read",
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/groups(\/[^/]+(\/users)?)?$/,
    need: {
      action: "read groups",
      permission: "okta.groups.read",
      roles: ["Read-only Administrator", "Org Administrator", "Super Administrator"],
      scope: "okta.groups.read",
    },
  },
  {
    method: "*",
    pattern: /^\/api\/v1\/groups\/[^/]+\/users\/[^/]+$/,
    need: {
      action: "change group memberships",
      permission: "okta.groups.members.manage",
      roles: ["Group Membership Administrator", "Org Administrator", "Super Administrator"],
      scope: "okta.groups.manage",
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/logs$/,
    need: {
      action: "read the System Log",
      permission: "View System Log",
      roles: ["Report Administrator", "Read-only Administrator", "Super Administrator"],
      scope: "okta.logs.read",
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/eventHooks(\/[^/]+)?$/,
    need: {
      action: "read event hooks",
      permission: "okta.eventHooks.read",
      roles: ["Super Administrator"],
      scope: "okta.eventHooks.read",
    },
  },
  {
    method: "*",
    pattern: /^\/api\/v1\/eventHooks(\/[^/]+(\/lifecycle\/[^/]+)?)?$/,
    need: {
      action: "manage event hooks",
      permission: "okta.eventHooks.manage",
      roles: ["Super Administrator"],
      scope: "okta.eventHooks.manage",
    },
  },
];

/** What `method url` needs, or `null` for a call this table does not know. */
export function oktaNeedOf(method: string, url: string): OktaNeed | null {
  const path = new URL(url, "https://okta.invalid").pathname;
  return NEEDS.find((n) => (n.method === "*" || n.method === method) && n.pattern.test(path))?.need ?? null;
}

/** One sentence for a refused call: what the token lacks and how to grant it. */
export function describeMissingPermission(method: string, url: string, scope: string | null): string {
  const need = oktaNeedOf(method, url);
  if (need === null)
    return "the token's admin role does not allow this call: see docs/deploy.md (Okta permissions per function)";
  const scopeNeeded = scope ?? need.scope;
  return (
    `the token may not ${need.action}: an SSWS token needs its creator to hold ${need.permission} ` +
    `(e.g. ${need.roles.join(" or ")}); a service app needs that admin role and the scope ${scopeNeeded} ` +
    "(docs/deploy.md, Okta permissions per function)"
  );
}
