import type { IdentityCenterUserIdentity } from "../ports.ts";

/** How a run found the Identity Center user of an Okta user id. */
export type ResolvedVia =
  /** Identity Center's external id for the user (what Okta's SCIM stored) is the Okta user id. */
  | "external-id"
  /** Identity Center's userName is the login Okta answered with (not the event's). */
  | "login"
  /** The pipeline's own record of this Okta user id, made when Okta still answered for it. */
  | "link";

/**
 * Whom a user run may act on, decided only from Okta's answer, Identity Center and the pipeline's
 * own records, never from an event's fields (issue 12):
 * - `resolved`: this Identity Center user is the Okta user;
 * - `absent`: Identity Center holds no user for them (nothing to revoke);
 * - `unresolved`: Okta does not know the id and nothing trustworthy names an Identity Center user:
 *   revoke nothing, record the run as unverifiable, alarm;
 * - `conflict`: the candidate Identity Center user belongs to another Okta user (its external id
 *   says so): act on nobody, alarm;
 * - `unmatched`: the configured user name finds nobody, but Identity Center holds users under another
 *   name this Okta user could have (another username format): act on nobody, alarm (a leaver must
 *   never end "nothing to revoke" because the format is configured wrong).
 */
export type IdentityResolution =
  | {
      outcome: "resolved";
      userId: string;
      via: ResolvedVia;
      detail: string;
      /**
       * The identity store no longer holds the user (SCIM deleted it, `scimDeactivation: delete`): its
       * live sessions still carry its id and its assignments stay listed, so a leaver run still acts.
       */
      deleted?: boolean;
    }
  | { outcome: "absent"; detail: string }
  | { outcome: "unresolved"; detail: string }
  | { outcome: "conflict"; userId: string; detail: string }
  | { outcome: "unmatched"; candidates: { userId: string; userName: string }[]; detail: string };

/** Okta user ids: `00u` and 17 letters or digits (Okta's User.id). */
const OKTA_USER_ID = /^00u[0-9A-Za-z]{17}$/;

/**
 * Whether an Identity Center user's external ids tie it to the Okta user `oktaUserId`:
 * `matches` when one of them is that id; `other-user` when one that the identity source could have
 * written (the configured issuer's, or with no issuer configured any that is shaped like an Okta
 * user id) names a different Okta user; `unknown` otherwise (SCIM stored nothing we can read).
 */
export function externalIdVerdict(
  identity: Pick<IdentityCenterUserIdentity, "externalIds">,
  oktaUserId: string,
  issuer: string | undefined,
): "matches" | "other-user" | "unknown" {
  if (identity.externalIds.some((e) => e.id === oktaUserId)) return "matches";
  const ours = identity.externalIds.filter((e) =>
    issuer === undefined ? OKTA_USER_ID.test(e.id) : e.issuer === issuer,
  );
  return ours.length > 0 ? "other-user" : "unknown";
}

/** Whether a resolution lets the run act on nobody and must be alarmed. */
export function isUnverifiable(resolution: IdentityResolution): boolean {
  return (
    resolution.outcome === "unresolved" ||
    resolution.outcome === "conflict" ||
    resolution.outcome === "unmatched"
  );
}
