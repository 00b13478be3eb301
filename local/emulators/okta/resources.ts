import type { DirectoryGroup, DirectoryUser } from "./directory.ts";
import { type LifecycleOperation, lifecycleTransition } from "./lifecycle-rules.ts";

/**
 * The User object as the Users API returns it (credentials reduced to the provider). In a collection
 * (`{ inCollection: true }`: List all users, a group's members) a user carries only its `self` link, as
 * the management spec's `ListUsersResponse` example shows; one user read alone also carries the
 * lifecycle operations its status allows.
 */
export function userResource(
  user: DirectoryUser,
  baseUrl: string,
  options: { inCollection?: boolean } = {},
): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/users/${user.id}`;
  const lifecycleLinks = Object.fromEntries(
    (["activate", "suspend", "unsuspend", "deactivate"] satisfies LifecycleOperation[])
      .filter((operation) => !("errorCode" in lifecycleTransition(user.status, operation)))
      .map((operation) => [operation, { href: `${self}/lifecycle/${operation}`, method: "POST" }]),
  );
  return {
    id: user.id,
    status: user.status,
    ...(user.transitioningToStatus === undefined
      ? {}
      : { transitioningToStatus: user.transitioningToStatus }),
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: null,
    lastUpdated: user.lastUpdated,
    passwordChanged: null,
    type: { id: "oty1defaultusertype0" },
    profile: structuredClone(user.profile),
    credentials: { provider: { type: "OKTA", name: "OKTA" } },
    _links:
      options.inCollection === true ? { self: { href: self } } : { ...lifecycleLinks, self: { href: self } },
  };
}

/**
 * The Group object as the Groups API returns it: an `OKTA_GROUP` (objectClass `okta:user_group`), or an
 * `APP_GROUP` imported from Active Directory (objectClass `okta:windows_security_principal`, the AD
 * profile attributes, `source.id` and a `source` link), both as the management spec's
 * `list-groups-examples` show them. With `usersCount` (the
 * request's `expand=stats`), `_embedded.stats.usersCount` as the management spec's Group schema has it
 * ("You can use the `stats` value to return the number of users within a group", List all groups).
 */
export function groupResource(
  group: DirectoryGroup,
  baseUrl: string,
  usersCount?: number,
): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/groups/${group.id}`;
  const app = group.type === "APP_GROUP" ? group.sourceAppId : null;
  const logo = app === null ? "okta" : "active_directory";
  return {
    ...(usersCount === undefined ? {} : { _embedded: { stats: { usersCount } } }),
    id: group.id,
    created: group.created,
    lastUpdated: group.lastUpdated,
    lastMembershipUpdated: group.lastMembershipUpdated,
    objectClass: [app === null ? "okta:user_group" : "okta:windows_security_principal"],
    type: group.type,
    profile: app === null ? { name: group.name, ...describedBy(group) } : adProfile(group),
    ...(app === null ? {} : { source: { id: app } }),
    _links: {
      logo: [
        { name: "medium", href: `${baseUrl}/assets/img/logos/groups/${logo}-medium.png`, type: "image/png" },
        { name: "large", href: `${baseUrl}/assets/img/logos/groups/${logo}-large.png`, type: "image/png" },
      ],
      ...(app === null ? {} : { source: { href: `${baseUrl}/api/v1/apps/${app}` } }),
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
  };
}

/** An Active Directory group's profile, with the attributes of the spec's APP_GROUP example. */
function adProfile(group: DirectoryGroup): Record<string, unknown> {
  return {
    name: group.name,
    ...describedBy(group),
    groupType: "Security",
    samAccountName: group.name,
    groupScope: "Global",
    dn: `CN=${group.name},OU=Groups,DC=corp,DC=example,DC=com`,
    windowsDomainQualifiedName: `CORP\\${group.name}`,
    externalId: group.id,
  };
}

/**
 * `description` only when the group has one: the spec's group profiles (OktaUserGroupProfile,
 * OktaActiveDirectoryGroupProfile) type it `string`, not nullable.
 */
function describedBy(group: DirectoryGroup): { description?: string } {
  return group.description === null ? {} : { description: group.description };
}
