import type { DirectoryGroup, DirectoryUser } from "./directory.ts";
import { type LifecycleOperation, lifecycleTransition } from "./lifecycle-rules.ts";

/** The User object as the Users API returns it (credentials reduced to the provider). */
export function userResource(user: DirectoryUser, baseUrl: string): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/users/${user.id}`;
  const lifecycleLinks = Object.fromEntries(
    (["activate", "suspend", "unsuspend", "deactivate"] satisfies LifecycleOperation[])
      .filter((operation) => !("errorCode" in lifecycleTransition(user.status, operation)))
      .map((operation) => [operation, { href: `${self}/lifecycle/${operation}`, method: "POST" }]),
  );
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: null,
    lastUpdated: user.lastUpdated,
    passwordChanged: null,
    type: { id: "oty1defaultusertype0" },
    profile: structuredClone(user.profile),
    credentials: { provider: { type: "OKTA", name: "OKTA" } },
    _links: { ...lifecycleLinks, self: { href: self } },
  };
}

/**
 * The Group object as the Groups API returns it (an Okta-mastered group). With `usersCount` (the
 * request's `expand=stats`), `_embedded.stats.usersCount` as the management spec's Group schema has it
 * ("You can use the `stats` value to return the number of users within a group", List all groups).
 */
export function groupResource(
  group: DirectoryGroup,
  baseUrl: string,
  usersCount?: number,
): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/groups/${group.id}`;
  return {
    ...(usersCount === undefined ? {} : { _embedded: { stats: { usersCount } } }),
    id: group.id,
    created: group.created,
    lastUpdated: group.lastUpdated,
    lastMembershipUpdated: group.lastMembershipUpdated,
    objectClass: ["okta:user_group"],
    type: "OKTA_GROUP",
    profile: { name: group.name, ...describedBy(group) },
    _links: {
      logo: [
        { name: "medium", href: `${baseUrl}/assets/img/logos/groups/okta-medium.png`, type: "image/png" },
        { name: "large", href: `${baseUrl}/assets/img/logos/groups/okta-large.png`, type: "image/png" },
      ],
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
  };
}

/**
 * `description` only when the group has one: the spec's group profiles (OktaUserGroupProfile,
 * OktaActiveDirectoryGroupProfile) type it `string`, not nullable.
 */
function describedBy(group: DirectoryGroup): { description?: string } {
  return group.description === null ? {} : { description: group.description };
}
