import type { CredentialFinding } from "./credential-finding.ts";

/** Okta's catalog name of the AWS Account Federation app (its links read `/home/amazon_aws/<app id>/...`). */
export const AWS_ACCOUNT_FEDERATION_APP_NAME = "amazon_aws";

/** An app Okta says a user is assigned to. */
export interface AssignedFederationCandidate {
  appId: string;
  appName: string;
  label: string;
}

/**
 * Okta unassigns a leaver from the AWS Account Federation app itself (deactivation, group rules); an
 * assignment still there means their next sign-in to a federated account is one Okta status away. The
 * federation app is the policy's `credentials.federation.oktaAppId` when set, else every app named
 * `amazon_aws`. One finding per app still assigned.
 */
export function federationAppFindings(input: {
  leaver: { id: string; login: string };
  assigned: readonly AssignedFederationCandidate[];
  oktaAppId?: string | undefined;
}): CredentialFinding[] {
  const { leaver, oktaAppId } = input;
  const federation = input.assigned.filter((app) =>
    oktaAppId === undefined ? app.appName === AWS_ACCOUNT_FEDERATION_APP_NAME : app.appId === oktaAppId,
  );
  return federation.map((app) => ({
    kind: "okta-federation-app-still-assigned",
    message: `Okta still assigns ${leaver.login} the AWS Account Federation app "${app.label}" (${app.appId}); fix: unassign them in Okta (Applications > ${app.label} > Assignments), directly or through the group that assigns it`,
    subject: { oktaUserId: leaver.id, appId: app.appId },
  }));
}

/** The leaver's assignments could not be read: the check was not made (the rest of the run goes on). */
export function federationAppUnreadable(
  leaver: { id: string; login: string },
  reason: string,
): CredentialFinding {
  return {
    kind: "okta-federation-app-unreadable",
    message: `the Okta app assignments of ${leaver.login} could not be read (${reason}); fix: grant okta.users.read to the user-reconcile token (docs/credentials.md); the next run checks again`,
    subject: { oktaUserId: leaver.id },
  };
}
