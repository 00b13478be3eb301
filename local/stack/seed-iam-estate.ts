import { accountRoles } from "../../core/credentials/account-roles.ts";
import {
  type CredentialsPolicySection,
  DEFAULT_MEMBER_ROLE_NAMES,
} from "../../core/policy/credentials-policy.ts";
import type { IamEmulator } from "../emulators/iam/index.ts";
import { expandAssignments } from "../estate/expand-assignments.ts";
import type { EstateFile } from "../estate/schema.ts";

/** The SAML audience AWS sign-in requires in a federated role's trust (IAM User Guide, "Creating a role for SAML 2.0 federation"). */
const SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";

/**
 * Puts the estate's IAM world into the IAM emulator: in every account (the Organization's and those
 * outside it) the discovery and revocation roles the member-roles StackSet creates
 * (infra/templates/member-roles.json), named as the policy says and trusting the account the tool runs
 * in, with the account's external id when the policy gives one; then the estate's IAM users (tags,
 * console password, MFA devices, access keys with their age and last use), SAML providers, and the
 * roles that trust them (`sts:AssumeRoleWithSAML`, the audience condition Okta's AWS Account
 * Federation app sets up). Each customer managed policy a permission set references is put in every
 * account the set is assigned in, as the StackSet a real estate would use puts it there.
 */
export function seedIamEstate(
  iam: IamEmulator,
  estate: Pick<EstateFile, "organization" | "iam" | "identityCenter">,
  options: { toolAccountId: string; credentials?: CredentialsPolicySection | undefined },
): void {
  const seed = iam.seed;
  const accounts = [
    ...estate.organization.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id),
    ...(estate.iam?.outsideAccounts ?? []).map((a) => a.id),
  ];
  for (const accountId of accounts) {
    const roles = options.credentials
      ? accountRoles(options.credentials, accountId)
      : { ...DEFAULT_MEMBER_ROLE_NAMES, externalId: undefined };
    const trustPolicy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${options.toolAccountId}:root` },
          Action: "sts:AssumeRole",
          ...(roles.externalId
            ? { Condition: { StringEquals: { "sts:ExternalId": roles.externalId } } }
            : {}),
        },
      ],
    };
    for (const name of new Set([roles.discovery, roles.revocation])) {
      seed.role({ accountId, name, trustPolicy, description: "okta-aws-lifecycle member role (StackSet)" });
    }
  }
  const sets = new Map(estate.identityCenter.permissionSets.map((set) => [set.name, set]));
  const seeded = new Set<string>();
  for (const { accountId, permissionSet } of expandAssignments(estate)) {
    for (const policy of sets.get(permissionSet)?.customerManagedPolicies ?? []) {
      const key = `${accountId}\n${policy.name}`;
      if (seeded.has(key)) continue;
      seeded.add(key);
      seed.managedPolicy({ accountId, name: policy.name, path: policy.path, document: policy.document });
    }
  }
  const world = estate.iam;
  if (world === undefined) return;
  for (const user of world.users) {
    seed.user({
      accountId: user.account,
      name: user.name,
      tags: user.tags,
      loginProfile: user.consolePassword,
      ...(user.passwordLastUsed ? { passwordLastUsed: new Date(user.passwordLastUsed) } : {}),
      mfaDevices: Array.from(
        { length: user.mfaDevices },
        (_, i) => `arn:aws:iam::${user.account}:mfa/${user.name}${i === 0 ? "" : `-${i + 1}`}`,
      ),
    });
    for (const key of user.accessKeys) {
      seed.accessKey({
        accountId: user.account,
        userName: user.name,
        status: key.status,
        createdAt: new Date(key.created),
        ...(key.lastUsed
          ? {
              lastUsed: {
                date: new Date(key.lastUsed.date),
                service: key.lastUsed.service,
                region: key.lastUsed.region,
              },
            }
          : {}),
      });
    }
  }
  const providers = new Map<string, string>();
  for (const provider of world.samlProviders) {
    providers.set(
      `${provider.account}:${provider.name}`,
      seed.samlProvider({ accountId: provider.account, name: provider.name }),
    );
  }
  for (const role of world.federatedRoles) {
    seed.role({
      accountId: role.account,
      name: role.name,
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: providers.get(`${role.account}:${role.samlProvider}`) },
            Action: ["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity"],
            Condition: { StringEquals: { "SAML:aud": SAML_AUDIENCE } },
          },
        ],
      },
    });
  }
}
