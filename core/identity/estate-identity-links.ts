import type { IdentityCenterState, OktaTruth } from "../estate.ts";
import { icNameOf } from "../plan/plan-users.ts";
import type { Policy } from "../policy/schema.ts";

/** An Okta user id and the Identity Center user it was matched to (adapters/identity-links.ts). */
export interface EstateIdentityLink {
  oktaUserId: string;
  identityCenterUserId: string;
  oktaLogin: string;
  linkedAt: string;
}

/**
 * The identity links an estate run records: every Identity Center user it matches to exactly one Okta
 * user (by the app's username format, as the estate plan matches them), left out when the pipeline
 * already holds the same link, so a settled estate costs no write. A link outlives the user: once SCIM
 * deletes a leaver (`scimDeactivation: delete`) before their run reads, the link still names the
 * Identity Center user id their live sessions carry. Sorted by Okta user id.
 */
export function identityLinksToRecord(
  policy: Policy,
  okta: Pick<OktaTruth, "users">,
  ic: Pick<IdentityCenterState, "users">,
  existing: readonly Pick<EstateIdentityLink, "oktaUserId" | "identityCenterUserId">[],
  now: string,
): EstateIdentityLink[] {
  const held = new Map(existing.map((l) => [l.oktaUserId, l.identityCenterUserId]));
  const byName = new Map<string, string[]>();
  for (const u of ic.users) {
    const name = u.userName.toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), u.userId]);
  }
  const oktaByName = new Map<string, number>();
  for (const u of okta.users)
    oktaByName.set(icNameOf(policy, u), (oktaByName.get(icNameOf(policy, u)) ?? 0) + 1);
  const links: EstateIdentityLink[] = [];
  for (const user of okta.users) {
    const name = icNameOf(policy, user);
    const ids = byName.get(name) ?? [];
    // Two Okta users under one name, or two Identity Center users: no match is trustworthy.
    if (ids.length !== 1 || oktaByName.get(name) !== 1) continue;
    const identityCenterUserId = String(ids[0]);
    if (held.get(user.id) === identityCenterUserId) continue;
    links.push({ oktaUserId: user.id, identityCenterUserId, oktaLogin: user.login, linkedAt: now });
  }
  return links.sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId));
}
