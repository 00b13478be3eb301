import type { IdentityCenterState } from "../estate.ts";
import type { Finding } from "./plan.ts";

/**
 * Findings for identity-store entries the run skipped: `User.UserName` and `Group.DisplayName` are
 * optional in the identitystore model, and an entry without one cannot be matched to Okta (users by
 * the app's username format, groups by the Okta group name SCIM pushes), so it is left alone and
 * reported rather than failing the run.
 */
export function unnamedEntryFindings(unnamed: IdentityCenterState["unnamed"]): Finding[] {
  const users = (unnamed?.userIds ?? []).map((userId) => ({
    kind: "unnamed-identity-store-entry" as const,
    message: `Identity Center user ${userId} has no UserName: it cannot be matched to an Okta user, so this run leaves it alone.`,
    subject: { userId },
  }));
  const groups = (unnamed?.groupIds ?? []).map((groupId) => ({
    kind: "unnamed-identity-store-entry" as const,
    message: `Identity Center group ${groupId} has no DisplayName: it cannot be matched to an Okta group, so this run leaves it alone.`,
    subject: { groupId },
  }));
  return [...users, ...groups];
}
