import { candidateUserNames } from "../../core/identity/user-name-format.ts";
import type { DirectorySample } from "./directory-sample.ts";
import { observed, type SwitchObservation, unknown } from "./switch-observation.ts";

const NAME = "scimDeactivation";

/**
 * What SCIM did with users Okta deactivated: an identity store user with `UserStatus: DISABLED`, or a
 * DEPROVISIONED Okta user still in the identity store DISABLED, says "disable"; DEPROVISIONED users
 * all absent says "delete" (weaker: they may never have been pushed). A DEPROVISIONED user still
 * ENABLED means the app's "Deactivate Users" is off: neither switch value, reported as unknown.
 */
export function observeScimDeactivation(sample: DirectorySample): SwitchObservation<typeof NAME> {
  const disabled = sample.identityStoreUsers.filter((u) => u.status === "DISABLED");
  const deprovisioned = sample.oktaUsers.filter((u) => u.status === "DEPROVISIONED");
  const stillThere = deprovisioned.flatMap((okta) => {
    const names = new Set(candidateUserNames(okta, { format: "oktaUsername" }));
    const found = sample.identityStoreUsers.find(
      (u) =>
        u.externalIds.some((e) => e.id === okta.id) || (u.userName !== undefined && names.has(u.userName)),
    );
    return found ? [{ okta, found }] : [];
  });
  const sampled = `${sample.identityStoreUsers.length}${sample.truncated ? " (a sample)" : ""} identity store user(s)`;
  if (disabled.length > 0)
    return observed(
      NAME,
      "disable",
      `${disabled.length} of ${sampled} have UserStatus DISABLED; ${stillThere.length} of ${deprovisioned.length} DEPROVISIONED Okta user(s) are still in the identity store`,
    );
  const enabled = stillThere.filter((s) => s.found.status !== "DISABLED");
  if (enabled.length > 0)
    return unknown(
      NAME,
      `${enabled.length} DEPROVISIONED Okta user(s) (e.g. ${enabled[0]?.okta.login}) are still ENABLED in the identity store: the AWS app's "Deactivate Users" may be off, or SCIM has not caught up`,
    );
  if (deprovisioned.length > 0 && sample.truncated)
    return unknown(
      NAME,
      `${deprovisioned.length} DEPROVISIONED Okta user(s) are not among ${sampled}, which is not the whole store: raise --sample`,
    );
  if (deprovisioned.length > 0)
    return observed(
      NAME,
      "delete",
      `none of ${deprovisioned.length} DEPROVISIONED Okta user(s) is in ${sampled}, and none is DISABLED (they may also never have been pushed)`,
    );
  return unknown(NAME, `Okta has no DEPROVISIONED user to compare, and none of ${sampled} is DISABLED`);
}
