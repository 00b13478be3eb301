import { identityCenterUserName, userNameMappingOf } from "../../core/identity/user-name-format.ts";
import type { EstateWithOktaIds } from "./okta-ids.ts";

/**
 * The `Issuer` the local SCIM model records with each user's external id (the Okta user id). Which
 * issuer AWS records for a SCIM-provisioned user is not documented: this value is the emulator's claim,
 * and the demo policy names it in `okta.identityCenterApp.externalIdIssuer`, as a user names the one
 * `aws identitystore describe-user` shows. The local stack can also run with no external ids at all
 * (`scimExternalIds: false`), and the pipeline must be right under both.
 */
export const SCIM_EXTERNAL_ID_ISSUER = "okta";

/** An Identity Center user as Okta's SCIM provisioning creates it. */
export interface ScimUser {
  /** The Okta login. */
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
  /** The Okta user id (SCIM `externalId`). */
  externalId: string;
  /** identitystore `UserStatus`: `DISABLED` for a deactivated user SCIM keeps (`deactivation: disable`). */
  status?: "DISABLED";
}

/** An Identity Center group as Okta's SCIM Push Groups creates it. */
export interface ScimGroup {
  /** The Okta group's name. */
  displayName: string;
  description?: string;
  /** The Okta group id (SCIM `externalId`). */
  externalId: string;
}

/** One membership, by group display name and user name. */
export interface ScimMembership {
  group: string;
  userName: string;
}

/** The Identity Center users, groups and memberships SCIM would have provisioned from Okta. */
export interface ScimProjection {
  users: ScimUser[];
  groups: ScimGroup[];
  memberships: ScimMembership[];
}

/**
 * What Identity Center holds once SCIM has synced the estate's Okta org: the provisioned groups
 * (`identityCenter.scim.provisionedGroups`, all groups by default), the ACTIVE users who are members of
 * at least one of them, and those memberships. Users in any other status are left out (the estate
 * describes a settled world, not one where SCIM lags behind Okta), except that with `deactivation:
 * "disable"` (the `scimDeactivation` AWS behaviour switch) a DEPROVISIONED member is kept, DISABLED and
 * without memberships, as a settled world where SCIM disables rather than deletes would hold it. Lists
 * keep the file's order.
 */
export function scimProjection(
  estate: EstateWithOktaIds,
  options: { deactivation?: "delete" | "disable" } = {},
): ScimProjection {
  const provisioned = estate.identityCenter.scim.provisionedGroups;
  const groups = estate.okta.groups.filter(
    (group) => provisioned === "all" || provisioned.includes(group.name),
  );
  const groupNames = new Set(groups.map((group) => group.name));
  const activeLogins = new Set(
    estate.okta.users.filter((user) => user.status === "ACTIVE").map((user) => user.login),
  );
  const memberships: ScimMembership[] = [];
  const seen = new Set<string>();
  for (const { group, user } of estate.okta.memberships) {
    const key = `${group}\n${user}`;
    if (!groupNames.has(group) || !activeLogins.has(user) || seen.has(key)) continue;
    seen.add(key);
    memberships.push({ group, userName: user });
  }
  // SCIM names each user as the app's username format says (core/identity/user-name-format.ts); a
  // user the format gives no name (an empty attribute) is not provisioned, as SCIM would fail them.
  const mapping = userNameMappingOf(estate.okta.identityCenterApp);
  const names = new Map(
    estate.okta.users.map((user) => [user.login, identityCenterUserName(scimSource(user), mapping)]),
  );
  const named = memberships.flatMap((m) => {
    const userName = names.get(m.userName);
    return userName ? [{ group: m.group, userName }] : [];
  });
  const members = new Set(memberships.map((membership) => membership.userName));
  const disabled = new Set(
    options.deactivation === "disable"
      ? estate.okta.memberships
          .filter(({ group, user }) => groupNames.has(group) && !members.has(user))
          .map(({ user }) => user)
          .filter((login) => estate.okta.users.some((u) => u.login === login && u.status === "DEPROVISIONED"))
      : [],
  );
  return {
    users: estate.okta.users
      .filter((user) => (members.has(user.login) || disabled.has(user.login)) && names.get(user.login))
      .map((user) => ({
        userName: String(names.get(user.login)),
        displayName: `${user.firstName} ${user.lastName}`,
        givenName: user.firstName,
        familyName: user.lastName,
        email: user.login,
        externalId: user.id,
        ...(disabled.has(user.login) ? { status: "DISABLED" as const } : {}),
      })),
    groups: groups.map((group) => ({
      displayName: group.name,
      ...(group.description === undefined ? {} : { description: group.description }),
      externalId: group.id,
    })),
    memberships: named,
  };
}

/** The Okta profile the app's username format reads: the estate's user, whose email is the login. */
export function scimSource(user: {
  login: string;
  firstName: string;
  lastName: string;
  profile?: Record<string, string | undefined> | undefined;
}) {
  return {
    login: user.login,
    profile: { ...user.profile, email: user.login, firstName: user.firstName, lastName: user.lastName },
  };
}
