import type { IdentityLinks } from "../../adapters/identity-links.ts";
import type { OktaUser } from "../../core/estate.ts";
import {
  externalIdVerdict,
  type IdentityResolution,
  type ResolvedVia,
} from "../../core/identity/identity-resolution.ts";
import {
  candidateUserNames,
  identityCenterUserName,
  type UserNameMapping,
} from "../../core/identity/user-name-format.ts";
import { isLeaver } from "../../core/plan/plan-users.ts";
import type { IdentityCenterUserIdentity, IdentityCenterUserPort } from "../../core/ports.ts";

export interface ResolveIdentityDeps {
  identityCenter: IdentityCenterUserPort;
  links: IdentityLinks;
  /**
   * The issuer of the external id Okta's SCIM stores on Identity Center users
   * (policy `okta.identityCenterApp.externalIdIssuer`); unset: external ids are not looked up.
   */
  externalIdIssuer: string | undefined;
  /** The app's username format (policy `okta.identityCenterApp.userNameFormat`). */
  userNames: UserNameMapping;
  now: () => string;
}

/**
 * Finds the Identity Center user of the Okta user `oktaUserId` from what Okta answered (`oktaUser`,
 * `null` for a 404), never from the event: an event's login is attacker- or accident-controlled
 * (a late event for a deleted user, a forged delivery), so it can never pick whom to revoke.
 *
 * Okta knows the user: by external id (the Okta user id SCIM stored), then by the user name the app's
 * username format gives Okta's answer, then by the pipeline's link record; a user found by name whose
 * external id names another Okta user is a conflict. When none finds them, every name another format
 * would give is tried: a user found that way is theirs if its external id is the Okta user id, and
 * otherwise an `unmatched` outcome (alarmed), never "nothing to revoke". The link is (re)recorded so
 * the user can still be found once deleted.
 *
 * Okta does not know the id: the link record, then the external id. Nothing else: an unknown id costs
 * one Okta read (made by the caller), one DynamoDB read and at most one identity-store read.
 */
export async function resolveIdentityCenterUser(
  deps: ResolveIdentityDeps,
  oktaUserId: string,
  oktaUser: OktaUser | null,
  options: {
    /** The Identity Center user a Deny-first pass denied (the pipeline's record): confirmed first. */
    deniedFirstAs?: string;
  } = {},
): Promise<IdentityResolution> {
  const issuer = deps.externalIdIssuer;
  const byExternalId = async () =>
    issuer === undefined ? null : deps.identityCenter.findUserIdByExternalId(issuer, oktaUserId);

  if (oktaUser === null) {
    const link = await deps.links.get(oktaUserId);
    if (link !== null) return checkCandidate(deps, oktaUserId, link.identityCenterUserId, "link", true);
    const found = await byExternalId();
    if (found !== null) return resolved(found, "external-id");
    return {
      outcome: "unresolved",
      detail:
        `Okta has no user ${oktaUserId} and the pipeline has no record of it` +
        (issuer === undefined ? "" : `, nor does Identity Center hold a user with that external id`) +
        ": the event's login is not trusted to name anyone, so nothing is revoked",
    };
  }

  // A leaver's Identity Center user may be gone already (SCIM deletes it, `scimDeactivation: delete`):
  // its live sessions still carry its id, so a deleted candidate still resolves for a leaver.
  const leaver = isLeaver(oktaUser);
  let resolution =
    options.deniedFirstAs === undefined
      ? null
      : await confirmDeniedFirst(deps, oktaUserId, oktaUser, options.deniedFirstAs);
  if (resolution === null) {
    const external = await byExternalId();
    if (external !== null) resolution = resolved(external, "external-id");
  }
  const userName = identityCenterUserName(oktaUser, deps.userNames);
  if (resolution === null && userName !== null) {
    const byName = await deps.identityCenter.findUserIdByUserName(userName);
    if (byName !== null) resolution = await checkCandidate(deps, oktaUserId, byName, "login", leaver);
  }
  if (resolution === null) {
    const link = await deps.links.get(oktaUserId);
    if (link !== null) {
      const linked = await checkCandidate(deps, oktaUserId, link.identityCenterUserId, "link", leaver);
      if (linked.outcome !== "absent") resolution = linked;
    }
  }
  if (resolution === null) resolution = await otherNames(deps, oktaUserId, oktaUser, userName);
  if (resolution.outcome === "resolved")
    await deps.links.put({
      oktaUserId,
      identityCenterUserId: resolution.userId,
      oktaLogin: oktaUser.login,
      linkedAt: deps.now(),
    });
  return resolution;
}

/**
 * After a Deny-first pass: the user denied first, with one read (`DescribeUser`), when what the identity
 * store says of it shows it is the user the search would find first: it carries this Okta user's
 * external id (external ids are unique in the store: `GetUserId` answers one user for one), or, with no
 * issuer configured, its user name is the one Okta's answer gives (user names are unique too), judged
 * by its external id as the search judges a user found by name. Anything else (deleted, renamed, no
 * external id while an issuer is configured): `null`, and the whole search runs. In a layoff this is
 * one identity-store call per leaver fewer than the search (`GetUserId`, then `DescribeUser`).
 */
async function confirmDeniedFirst(
  deps: ResolveIdentityDeps,
  oktaUserId: string,
  oktaUser: OktaUser,
  userId: string,
): Promise<IdentityResolution | null> {
  const identity = await deps.identityCenter.describeUser(userId);
  if (identity === null) return null;
  const issuer = deps.externalIdIssuer;
  if (issuer !== undefined)
    return identity.externalIds.some((e) => e.issuer === issuer && e.id === oktaUserId)
      ? resolved(userId, "external-id")
      : null;
  const userName = identityCenterUserName(oktaUser, deps.userNames);
  if (userName === null || identity.userName !== userName) return null;
  return judgedByExternalId(deps, oktaUserId, identity, "login");
}

function resolved(userId: string, via: ResolvedVia): IdentityResolution {
  const how = {
    "external-id": "its external id is the Okta user id",
    login: "its userName is the login Okta answered with",
    link: "the pipeline recorded it for this Okta user id",
  }[via];
  return { outcome: "resolved", userId, via, detail: `Identity Center user ${userId}: ${how}` };
}

/**
 * A candidate found by login or link is this Okta user's unless its external id names another. One
 * the identity store no longer holds is `absent`, or with `deletedResolves` (Okta deleted the user or
 * says they are a leaver) resolved as deleted: what the run found it by was backed by Okta's answer.
 */
async function checkCandidate(
  deps: ResolveIdentityDeps,
  oktaUserId: string,
  userId: string,
  via: "login" | "link",
  deletedResolves: boolean,
): Promise<IdentityResolution> {
  const identity = await deps.identityCenter.describeUser(userId);
  if (identity === null && deletedResolves)
    return {
      outcome: "resolved",
      userId,
      via,
      deleted: true,
      detail: `Identity Center user ${userId} (the pipeline's ${via === "link" ? "record" : "login match"} for this Okta user) was deleted from the identity store; its live sessions still carry its id`,
    };
  if (identity === null)
    return { outcome: "absent", detail: `Identity Center user ${userId} no longer exists` };
  return judgedByExternalId(deps, oktaUserId, identity, via);
}

/** A candidate that exists is this Okta user's unless its external id names another Okta user. */
function judgedByExternalId(
  deps: ResolveIdentityDeps,
  oktaUserId: string,
  identity: IdentityCenterUserIdentity,
  via: "login" | "link",
): IdentityResolution {
  const userId = identity.userId;
  if (externalIdVerdict(identity, oktaUserId, deps.externalIdIssuer) === "other-user") {
    const others = identity.externalIds.map((e) => `${e.issuer}:${e.id}`).join(", ");
    return {
      outcome: "conflict",
      userId,
      detail: `Identity Center user ${userId} (found by ${via}) carries the external id ${others} of another Okta user, not ${oktaUserId}: nobody is acted on`,
    };
  }
  return resolved(userId, via);
}

/**
 * Nobody under the configured name: look under every name another username format would give. A user
 * found there whose external id is this Okta user's is theirs; any other is a possible match that the
 * run must not act on, nor call "nothing to revoke".
 */
async function otherNames(
  deps: ResolveIdentityDeps,
  oktaUserId: string,
  oktaUser: OktaUser,
  configured: string | null,
): Promise<IdentityResolution> {
  const names = candidateUserNames(oktaUser, deps.userNames).filter((n) => n !== configured);
  const found: { userId: string; userName: string }[] = [];
  for (const name of names) {
    const userId = await deps.identityCenter.findUserIdByUserName(name);
    if (userId === null || found.some((f) => f.userId === userId)) continue;
    const identity = await deps.identityCenter.describeUser(userId);
    if (identity === null) continue;
    if (externalIdVerdict(identity, oktaUserId, deps.externalIdIssuer) === "matches")
      return resolved(userId, "external-id");
    found.push({ userId, userName: name });
  }
  const expected = configured ?? `(no ${deps.userNames.format} name: an attribute it needs is empty)`;
  if (found.length === 0)
    return {
      outcome: "absent",
      detail: `Identity Center holds no user for Okta user ${oktaUser.login} (expected user name ${expected})`,
    };
  const held = found.map((f) => `${f.userName} (${f.userId})`).join(", ");
  return {
    outcome: "unmatched",
    candidates: found,
    detail:
      `Identity Center holds no user named ${expected} (username format ${deps.userNames.format}) but holds ${held}, ` +
      `which could be Okta user ${oktaUser.login}: nobody is acted on; set okta.identityCenterApp.userNameFormat ` +
      "(or externalIdIssuer) to what the AWS IAM Identity Center app in Okta uses",
  };
}
