import { z } from "zod";
import { CustomerManagedPolicyRef } from "../../core/policy/permission-set-content.ts";

/**
 * The estate file: one JSON document describing the whole world the local stack emulates (the AWS
 * Organization, Okta, and IAM Identity Center's permission sets and group assignments). Identity
 * Center users, groups and memberships are not listed: the local stack derives them from Okta the
 * way SCIM provisioning would (see `scimProjection`). docs/estate.schema.json is generated from this.
 *
 * The schema checks each value on its own; `parseEstate` then checks the references between them.
 */

/** A 12-digit AWS account id, as a JSON string (a number would lose leading zeros). */
export const EstateAccountId = z
  .string()
  .regex(/^\d{12}$/, 'an AWS account id is exactly 12 digits, as a string: "123456789012"')
  .describe("A 12-digit AWS account id, as a string.");

/** The Organizations root id, `r-` and 4 to 32 lowercase letters or digits. */
export const EstateRootId = z
  .string()
  .regex(/^r-[0-9a-z]{4,32}$/, "a root id looks like r-ab12")
  .describe("The organization's root id, e.g. r-ab12.");

/** An organizational unit id, `ou-<root part>-<8 to 32 characters>`. */
export const EstateOuId = z
  .string()
  .regex(/^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/, "an OU id looks like ou-ab12-cd34ef56")
  .describe("An organizational unit id, e.g. ou-ab12-cd34ef56.");

/** What an OU or account sits in: the root or an OU. */
const ParentId = z
  .string()
  .regex(
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/,
    "use the root id (r-ab12) or an OU id (ou-ab12-cd34ef56)",
  )
  .describe("The root id or the id of an OU declared under organization.units.");

/** An organizational unit. */
export const EstateUnit = z
  .object({
    id: EstateOuId,
    name: z.string().min(1, "name the OU").max(128, "an OU name is at most 128 characters"),
    parentId: ParentId,
  })
  .strict();

/** A member account of the organization. */
export const EstateAccount = z
  .object({
    id: EstateAccountId,
    name: z.string().min(1, "name the account").max(50, "an account name is at most 50 characters"),
    parentId: ParentId,
    email: z.email("write the account's root email address, e.g. aws+prod@example.com").optional(),
    /** Account tags; policies can target accounts by tag. @default {} */
    tags: z
      .record(
        z.string().min(1, "a tag key cannot be empty").max(128, "a tag key is at most 128 characters"),
        z.string().max(256, "a tag value is at most 256 characters"),
      )
      .default({})
      .describe('Account tags, e.g. { "env": "prod", "team": "payments" }.'),
    /** Only ACTIVE accounts receive assignments. @default ACTIVE */
    status: z
      .enum(["ACTIVE", "SUSPENDED"])
      .default("ACTIVE")
      .describe("ACTIVE (default) or SUSPENDED; only ACTIVE accounts receive assignments."),
  })
  .strict();

/** The AWS Organization. */
export const EstateOrganization = z
  .object({
    /** The management account; it must also be listed under `accounts`. */
    managementAccountId: EstateAccountId.describe(
      "The management account's id; list the account under accounts too. SCPs never apply to it.",
    ),
    rootId: EstateRootId,
    /** @default [] */
    units: z.array(EstateUnit).default([]).describe("Organizational units, nested through parentId."),
    accounts: z.array(EstateAccount).min(1, "list at least the management account"),
  })
  .strict();

/** Okta user statuses the local stack models (Okta Users API). */
export const EstateOktaUserStatus = z.enum(["ACTIVE", "SUSPENDED", "DEPROVISIONED", "STAGED", "PROVISIONED"]);

/** An Okta user. */
export const EstateOktaUser = z
  .object({
    /** Okta's user id; derived from the login when omitted. */
    id: z
      .string()
      .regex(/^00u[0-9A-Za-z]{17}$/, "an Okta user id looks like 00u1a2b3c4d5e6f7g8h9")
      .optional()
      .describe("Okta user id (00u + 17 letters or digits); derived from the login when omitted."),
    login: z
      .string()
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an Okta login is an email address, e.g. jane.doe@example.com")
      .describe("The Okta login (an email address); Identity Center's userName."),
    firstName: z.string().min(1, "write the user's first name"),
    lastName: z.string().min(1, "write the user's last name"),
    status: EstateOktaUserStatus.describe(
      "Okta status; only ACTIVE users are provisioned to Identity Center.",
    ),
    profile: z
      .object({
        team: z.string().optional(),
        costCenter: z.string().optional(),
      })
      .catchall(z.string())
      .optional()
      .describe("Further profile attributes, all strings (team, costCenter, department...)."),
  })
  .strict();

/** An Okta group. */
export const EstateOktaGroup = z
  .object({
    id: z
      .string()
      .regex(/^00g[0-9A-Za-z]{17}$/, "an Okta group id looks like 00g1a2b3c4d5e6f7g8h9")
      .optional()
      .describe("Okta group id (00g + 17 letters or digits); derived from the name when omitted."),
    name: z
      .string()
      .min(1, "name the group")
      .max(255, "a group name is at most 255 characters")
      .describe("The group's name; SCIM pushes it to Identity Center as the group's DisplayName."),
    description: z.string().optional(),
  })
  .strict();

/**
 * An `APP_GROUP`: a group Okta imports from Active Directory or LDAP. Okta lets it share the name of an
 * `OKTA_GROUP` or of another imported group (management spec, `GroupType`, and its list-groups
 * examples), so the estate declares it apart from `groups`, with its members: every name elsewhere in
 * the file (`memberships`, assignments, `provisionedGroups`) stays one `OKTA_GROUP`'s. The local SCIM
 * model never pushes it (Push Groups pushes one chosen group by id, and Identity Center group names are
 * unique: the estate's pushed group of a name is its `OKTA_GROUP`).
 */
export const EstateOktaAppGroup = z
  .object({
    id: z
      .string()
      .regex(/^00g[0-9A-Za-z]{17}$/, "an Okta group id looks like 00g1a2b3c4d5e6f7g8h9")
      .optional()
      .describe(
        "Okta group id (00g + 17 letters or digits); derived from the source app and name when omitted.",
      ),
    name: z
      .string()
      .min(1, "name the group")
      .max(255, "a group name is at most 255 characters")
      .describe("The group's name; it may equal an okta.groups[].name or another imported group's."),
    description: z.string().optional(),
    sourceAppId: z
      .string()
      .regex(/^0oa[0-9A-Za-z]{17}$/, "an Okta app id looks like 0oa1a2b3c4d5e6f7g8h9")
      .describe("The directory integration (Active Directory or LDAP app) the group is imported from."),
    /** @default [] */
    members: z
      .array(z.string().min(1, "name a user by login"))
      .default([])
      .describe(
        "Logins of okta.users[] in the group (imported from the directory, never changed by the API).",
      ),
  })
  .strict();

/** One user in one group, both by name. */
export const EstateMembership = z
  .object({
    group: z.string().min(1, "name a group declared under okta.groups").describe("An okta.groups[].name."),
    user: z.string().min(1, "name a user by login").describe("An okta.users[].login."),
  })
  .strict();

/** An Okta app instance (e.g. the AWS IAM Identity Center app that provisions by SCIM). */
export const EstateOktaApp = z
  .object({
    id: z.string().regex(/^0oa[0-9A-Za-z]{17}$/, "an Okta app id looks like 0oa1a2b3c4d5e6f7g8h9"),
    label: z.string().min(1, "label the app"),
  })
  .strict();

/** How the AWS IAM Identity Center app in Okta names the users it provisions by SCIM. */
export const EstateIdentityCenterApp = z
  .object({
    userNameFormat: z
      .enum(["oktaUsername", "oktaUsernamePrefix", "email", "emailPrefix", "custom"], {
        error: "use oktaUsername, oktaUsernamePrefix, email, emailPrefix or custom (with userNameTemplate)",
      })
      .default("oktaUsername")
      .describe(
        "The app's Application username format: what SCIM sends as the Identity Center UserName (the Okta login, its prefix, the email, its prefix, or a custom template).",
      ),
    userNameTemplate: z
      .string()
      .regex(/\{[A-Za-z_][A-Za-z0-9_]*\}/, "name at least one Okta profile attribute in braces, e.g. {email}")
      .optional()
      .describe("For custom: Okta profile attributes in braces, e.g. {firstName}.{lastName}@corp.example."),
  })
  .strict()
  .refine((app) => app.userNameFormat !== "custom" || app.userNameTemplate !== undefined, {
    message: "userNameFormat custom needs userNameTemplate, e.g. {firstName}.{lastName}@corp.example",
    path: ["userNameTemplate"],
  });

/** The Okta org: the truth about people. */
export const EstateOkta = z
  .object({
    users: z.array(EstateOktaUser),
    groups: z.array(EstateOktaGroup),
    /** @default [] */
    memberships: z
      .array(EstateMembership)
      .default([])
      .describe("Group memberships, by group name and login."),
    /** @default [] */
    appGroups: z
      .array(EstateOktaAppGroup)
      .default([])
      .describe(
        "APP_GROUPs imported from AD or LDAP, with their members; their names may collide with okta.groups. Never pushed by SCIM.",
      ),
    /** @default [] */
    apps: z
      .array(EstateOktaApp)
      .default([])
      .describe("Okta app instances, e.g. the AWS IAM Identity Center app."),
    /** @default { userNameFormat: "oktaUsername" } */
    identityCenterApp: EstateIdentityCenterApp.default({ userNameFormat: "oktaUsername" }),
  })
  .strict();

/** An IAM policy statement: only its effect is checked here. */
const PolicyStatement = z.looseObject({
  Effect: z.enum(["Allow", "Deny"], "a statement's Effect is Allow or Deny"),
});

/** An IAM policy document, kept as written. */
export const EstateIamPolicy = z
  .looseObject({
    Version: z.string().optional(),
    Statement: z.union([PolicyStatement, z.array(PolicyStatement).min(1, "list at least one statement")], {
      error: 'write a statement ({ "Effect": ..., "Action": ..., "Resource": ... }) or a list of them',
    }),
  })
  .describe("An IAM policy document (Version, Statement).");

/** An AWS managed policy ARN (customer managed policies are not modelled). */
const ManagedPolicyArn = z
  .string()
  .regex(
    /^arn:aws:iam::aws:policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/,
    "an AWS managed policy ARN looks like arn:aws:iam::aws:policy/ReadOnlyAccess",
  );

/**
 * A customer managed policy a permission set references: every account the set is assigned in holds
 * it, with this document (as a StackSet would put it there), so provisioning the set succeeds.
 */
export const EstateCustomerManagedPolicy = CustomerManagedPolicyRef.extend({
  // The name and path rules are the access policy's reference's (IAM's): one definition for both files.
  name: CustomerManagedPolicyRef.shape.name.describe("The IAM policy's name."),
  path: CustomerManagedPolicyRef.shape.path.describe("The IAM policy's path, / (default) or /like/this/."),
  document: EstateIamPolicy.describe("The policy document each account holds."),
}).strict();

/** A permission set of the Identity Center instance. */
export const EstatePermissionSet = z
  .object({
    name: z
      .string()
      .regex(/^[\w+=,.@-]{1,32}$/, "a permission set name is 1-32 of [A-Za-z0-9+=,.@_-]")
      .describe("The permission set's name, unique in the instance."),
    description: z.string().max(700, "a description is at most 700 characters").optional(),
    /** How long a role session lasts. @default PT1H */
    sessionDuration: z
      .string()
      .regex(/^PT([1-9]|1[0-2])H$/, "sessionDuration is PT1H to PT12H")
      .default("PT1H")
      .describe("Role session length, PT1H (default) to PT12H."),
    /** @default [] */
    managedPolicies: z.array(ManagedPolicyArn).default([]).describe("AWS managed policy ARNs to attach."),
    inlinePolicy: EstateIamPolicy.optional().describe(
      "The inline policy, as a JSON object (at most 10,240 non-whitespace characters).",
    ),
    customerManagedPolicies: z
      .array(EstateCustomerManagedPolicy)
      .optional()
      .describe(
        "Customer managed policies the set references; the IAM of every account it is assigned in holds each.",
      ),
  })
  .strict();

/** One group assignment: the group gets the permission set in the listed accounts and every account under the OUs. */
export const EstateAssignment = z
  .object({
    group: z.string().min(1, "name an Okta group").describe("An okta.groups[].name provisioned by SCIM."),
    permissionSet: z
      .string()
      .min(1, "name a permission set")
      .describe("An identityCenter.permissionSets[].name."),
    /** @default [] */
    accounts: z.array(EstateAccountId).default([]).describe("Account ids."),
    /** @default [] */
    ous: z
      .array(ParentId)
      .default([])
      .describe(
        "OU ids (nested OUs included); the root id means every account. Only ACTIVE accounts are assigned.",
      ),
  })
  .strict();

/** Which Okta groups the AWS IAM Identity Center app pushes (SCIM Push Groups). */
export const EstateScim = z
  .object({
    /** @default all */
    provisionedGroups: z
      .union([z.literal("all"), z.array(z.string().min(1, "name an Okta group"))], {
        error: 'write "all" or a list of Okta group names',
      })
      .default("all")
      .describe('"all" (default) or the names of the Okta groups pushed to Identity Center.'),
  })
  .strict();

/** IAM Identity Center: what is configured in it (its users, groups and memberships come from Okta). */
export const EstateIdentityCenter = z
  .object({
    permissionSets: z.array(EstatePermissionSet),
    /** @default [] */
    assignments: z.array(EstateAssignment).default([]),
    /** @default { provisionedGroups: "all" } */
    scim: EstateScim.default({ provisionedGroups: "all" }),
  })
  .strict();

/*
 * IAM outside Identity Center (issue 16): users with console passwords and access keys, SAML providers
 * and the roles that trust them, in Organization accounts and in accounts outside it (an acquisition's).
 * Names follow the IAM service model (botocore iam 2010-05-08: userNameType, roleNameType,
 * SAMLProviderNameType); a user holds at most 2 access keys (IAM quotas).
 */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const Instant = z.iso.datetime({ error: "write an ISO-8601 UTC instant, e.g. 2024-03-01T00:00:00Z" });

/** An access key of an IAM user, with its age and last use (what GetAccessKeyLastUsed reports). */
export const EstateAccessKey = z
  .object({
    /** @default Active */
    status: z.enum(["Active", "Inactive"], "a key's status is Active or Inactive").default("Active"),
    created: Instant.describe("When the key was created."),
    lastUsed: z
      .object({
        date: Instant,
        service: z.string().min(1, "name the service, e.g. s3"),
        region: z.string().min(1, "name the region, e.g. us-east-1"),
      })
      .strict()
      .optional()
      .describe("The key's last use; absent: never used."),
  })
  .strict();

/** An IAM user in one account. */
export const EstateIamUser = z
  .object({
    account: EstateAccountId.describe("An organization.accounts[].id or an iam.outsideAccounts[].id."),
    name: z.string().regex(IAM_NAME, "an IAM user name is 1-64 of A-Za-z0-9 and _+=,.@-"),
    /** @default {} */
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256))
      .default({})
      .describe(
        'Tags, e.g. { "okta:login": "jane.doe@example.com" }: how credential mapping finds the owner.',
      ),
    /** @default false */
    consolePassword: z.boolean().default(false).describe("Whether the user has a console password."),
    passwordLastUsed: Instant.optional().describe("When the console password was last used."),
    /** @default 0 */
    mfaDevices: z.number().int().min(0).max(8, "IAM allows at most 8 MFA devices per user").default(0),
    /** @default [] */
    accessKeys: z.array(EstateAccessKey).max(2, "IAM allows at most 2 access keys per user").default([]),
  })
  .strict();

/** A SAML identity provider (Okta's AWS Account Federation app) in one account. */
export const EstateSamlProvider = z
  .object({
    account: EstateAccountId,
    name: z.string().regex(/^[\w._-]{1,128}$/, "a SAML provider name is 1-128 of A-Za-z0-9 and ._-"),
  })
  .strict();

/** A role that trusts a SAML provider of its account (sts:AssumeRoleWithSAML): Okta-federated sessions. */
export const EstateFederatedRole = z
  .object({
    account: EstateAccountId,
    name: z.string().regex(IAM_NAME, "an IAM role name is 1-64 of A-Za-z0-9 and _+=,.@-"),
    samlProvider: z.string().min(1, "name an iam.samlProviders[].name of the same account"),
  })
  .strict();

/** An account outside the Organization (an acquisition's), federated to Okta per account. */
export const EstateOutsideAccount = z
  .object({
    id: EstateAccountId,
    name: z.string().min(1, "name the account").max(50, "an account name is at most 50 characters"),
  })
  .strict();

/** IAM users, SAML providers and federated roles outside Identity Center. */
export const EstateIam = z
  .object({
    /** @default [] */
    outsideAccounts: z
      .array(EstateOutsideAccount)
      .default([])
      .describe("Accounts outside the Organization; list them in the policy's credentials.accounts too."),
    /** @default [] */
    users: z.array(EstateIamUser).default([]),
    /** @default [] */
    samlProviders: z.array(EstateSamlProvider).default([]),
    /** @default [] */
    federatedRoles: z.array(EstateFederatedRole).default([]),
  })
  .strict();

/** The whole estate file. */
export const EstateFile = z
  .object({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editors."),
    organization: EstateOrganization,
    okta: EstateOkta,
    identityCenter: EstateIdentityCenter,
    iam: EstateIam.optional().describe(
      "IAM users, SAML providers and Okta-federated roles outside Identity Center (the credential sweep's world).",
    ),
    policy: z
      .string()
      .min(1, "write the path of an access policy YAML file")
      .optional()
      .describe("Path of the access policy YAML to run with, relative to this file."),
  })
  .strict()
  .meta({
    title: "okta-aws-lifecycle local estate",
    description:
      "The world the local stack emulates: an AWS Organization, an Okta org, and IAM Identity Center's " +
      "permission sets and group assignments. Identity Center users, groups and memberships are derived " +
      "from Okta as SCIM would provision them: the provisioned groups and their ACTIVE members.",
  });

/** A validated estate, defaults filled in. */
export type EstateFile = z.output<typeof EstateFile>;
export type EstateOrganizationData = EstateFile["organization"];
export type EstateOktaData = EstateFile["okta"];
export type EstateOktaUserData = EstateOktaData["users"][number];
export type EstateOktaGroupData = EstateOktaData["groups"][number];
export type EstateOktaAppGroupData = EstateOktaData["appGroups"][number];
export type EstateIdentityCenterData = EstateFile["identityCenter"];
export type EstatePermissionSetData = EstateIdentityCenterData["permissionSets"][number];
export type EstateAssignmentData = EstateIdentityCenterData["assignments"][number];
export type EstateIamData = NonNullable<EstateFile["iam"]>;
