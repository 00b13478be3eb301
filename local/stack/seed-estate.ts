import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  DEFAULT_REVOCATION_SCP_SLOTS,
  revocationScpSlot,
} from "../../adapters/organizations.ts";
import type { IdentityCenterEmulator } from "../emulators/identity-center/index.ts";
import type { OrganizationsEmulator } from "../emulators/organizations/index.ts";
import { estateOrganization, expandAssignments } from "../estate/expand-assignments.ts";
import type { EstateWithOktaIds } from "../estate/okta-ids.ts";
import { SCIM_EXTERNAL_ID_ISSUER, scimProjection } from "../estate/scim-projection.ts";

/**
 * Puts the estate into the AWS emulators the way a settled real world looks: the organization, the
 * permission sets, what Okta's SCIM provisioning has pushed (groups, ACTIVE members), and the group
 * assignments (provisioning their permission sets), and the revocation SCP slots a deploy creates
 * (infra/revocation-scp-slots.ts: empty, attached to the root), so the local pipeline writes Denies the
 * way the deployed one does. Okta's own directory is seeded by the Okta emulator. Returns the slot ids.
 */
export function seedAwsEmulators(
  estate: EstateWithOktaIds,
  emulators: { organizations: OrganizationsEmulator; identityCenter: IdentityCenterEmulator },
  revocationScpSlots = DEFAULT_REVOCATION_SCP_SLOTS,
  /**
   * `scimExternalIds: false` models a SCIM that stores no external id (@default true);
   * `scimDeactivation` what SCIM did with deactivated users (scim-projection.ts). @default "disable"
   */
  options: { scimExternalIds?: boolean; scimDeactivation?: "delete" | "disable" } = {},
) {
  emulators.organizations.seed.organization(estateOrganization(estate));
  const scpSlots = Array.from({ length: revocationScpSlots }, (_, slot) =>
    emulators.organizations.seed.policy({
      ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, slot),
      targetIds: [estate.organization.rootId],
    }),
  );
  const ic = emulators.identityCenter.seed;
  const permissionSets = new Map<string, string>();
  for (const ps of estate.identityCenter.permissionSets) {
    permissionSets.set(
      ps.name,
      ic.permissionSet({
        name: ps.name,
        sessionDuration: ps.sessionDuration,
        ...(ps.description ? { description: ps.description } : {}),
        ...(ps.inlinePolicy ? { inlinePolicy: JSON.stringify(ps.inlinePolicy) } : {}),
        managedPolicyArns: ps.managedPolicies ?? [],
        ...(ps.customerManagedPolicies
          ? {
              customerManagedPolicies: ps.customerManagedPolicies.map(({ name, path }) => ({ name, path })),
            }
          : {}),
      }),
    );
  }
  const scim = scimProjection(estate, { deactivation: options.scimDeactivation ?? "disable" });
  const groups = new Map<string, string>();
  for (const g of scim.groups) groups.set(g.displayName, ic.group({ displayName: g.displayName }));
  const users = new Map<string, string>();
  for (const u of scim.users) {
    users.set(
      u.userName,
      ic.user({
        userName: u.userName,
        displayName: u.displayName,
        email: u.email,
        ...(u.status === undefined ? {} : { userStatus: u.status }),
        ...(options.scimExternalIds === false
          ? {}
          : { externalId: { issuer: SCIM_EXTERNAL_ID_ISSUER, id: u.externalId } }),
      }),
    );
  }
  for (const m of scim.memberships) {
    const groupId = groups.get(m.group);
    const userId = users.get(m.userName);
    if (groupId && userId) ic.membership(groupId, userId);
  }
  for (const a of expandAssignments(estate)) {
    const groupId = groups.get(a.group);
    const permissionSetArn = permissionSets.get(a.permissionSet);
    if (!groupId || !permissionSetArn) continue; // a group SCIM does not push has no assignments
    ic.assignment({ accountId: a.accountId, permissionSetArn, principalType: "GROUP", principalId: groupId });
  }
  return { permissionSets, groups, users, scpSlots };
}
