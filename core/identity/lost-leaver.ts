import type { OktaUser } from "../estate.ts";
import type { IdentityResolution } from "./identity-resolution.ts";

/**
 * A deactivated Okta user whom Identity Center no longer holds and no identity link names, although
 * they are in a group SCIM pushes to Identity Center: SCIM most likely deleted their user
 * (`scimDeactivation: delete`) before any run recorded the link. Their role sessions still carry the
 * deleted identitystore user id, which no API answers any more, so no Deny can be placed: that is an
 * `unresolved` outcome (a finding and an alarm), never "nothing to revoke". A deactivated user in no
 * pushed group was most likely never provisioned and stays `absent`.
 */
export function lostLeaverResolution(
  resolution: IdentityResolution,
  oktaUser: Pick<OktaUser, "login" | "status" | "transitioningToStatus">,
  oktaGroupNames: readonly string[],
  identityCenterGroupNames: ReadonlySet<string>,
): IdentityResolution {
  if (resolution.outcome !== "absent") return resolution;
  const deactivated =
    oktaUser.status === "DEPROVISIONED" || oktaUser.transitioningToStatus === "DEPROVISIONED";
  const pushed = oktaGroupNames.filter((name) => identityCenterGroupNames.has(name)).sort();
  if (!deactivated || pushed.length === 0) return resolution;
  return {
    outcome: "unresolved",
    detail:
      `Okta user ${oktaUser.login} is deactivated and a member of ${pushed.join(", ")} (groups Identity Center holds), ` +
      "but Identity Center holds no user for them and the pipeline recorded no identity link: SCIM most likely deleted the user " +
      "before any run linked it, so the identitystore user id their live sessions carry (up to 12 h) is unknown and no Deny " +
      "was placed. Find the id in CloudTrail (the identitystore DeleteUser event of the SCIM deletion) and revoke by hand; " +
      "estate runs record a link for every matched user so this only happens to users provisioned since the last estate run.",
  };
}
