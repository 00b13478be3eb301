import { z } from "zod";
import { AbacPolicy, PermissionSetAbac } from "./abac-policy.ts";
import { COMPROMISE_SIGNALS_OFF, CompromiseSignals } from "./compromise-signals.ts";
import { CredentialsPolicy } from "./credentials-policy.ts";
import {
  CustomerManagedPolicyRef,
  InlinePolicyDecl,
  ManagedPolicyArn,
  PermissionSetTags,
  PermissionsBoundaryDecl,
  RelayState,
} from "./permission-set-content.ts";

/** A 12-digit AWS account id, kept as a string (leading zeros matter). */
export const AccountId = z
  .string()
  .regex(/^\d{12}$/, 'an AWS account id is exactly 12 digits, quoted in YAML (e.g. "111111111111")');

/** An Organizations root (`r-xxxx`) or organizational unit (`ou-xxxx-xxxxxxxx`) id. */
export const OrgUnitId = z
  .string()
  .regex(
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
    "an OU id looks like ou-ab12-cd34ef56, the root like r-ab12",
  );

/** Account tags to match: every listed key must have one of the listed values. */
export const TagMatch = z.record(
  z.string().min(1, "a tag key cannot be empty"),
  z.union([z.string(), z.array(z.string()).min(1, "list at least one tag value")]),
);

/** Where a rule applies (or, under `exclude`, where it does not): account ids, OU ids, tag matches. */
export const TargetSet = z
  .object({
    accounts: z.array(AccountId).default([]),
    ous: z.array(OrgUnitId).default([]),
    tags: TagMatch.optional(),
  })
  .strict();

/** An Okta group, by name (what SCIM pushes as the Identity Center group's DisplayName) or by id. */
export const GroupRef = z.union(
  [
    z.string().min(1, "name the Okta group"),
    z.object({ name: z.string().min(1, "name the Okta group") }).strict(),
    z
      .object({
        id: z.string().regex(/^00g[0-9A-Za-z]{17}$/, "an Okta group id looks like 00g1a2b3c4d5e6f7g8h9"),
      })
      .strict(),
  ],
  {
    error:
      "write the Okta group's name (aws-developers), { name: aws-developers } or { id: 00g1a2b3c4d5e6f7g8h9 }",
  },
);

/** One grant: members of the Okta group get the permission set in every targeted account. */
export const Rule = z
  .object({
    /** Unique, human-readable rule id; shows up in plans and evidence. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' or '-'"),
    group: GroupRef,
    permissionSet: z.string().min(1, "name a permission set declared under permissionSets"),
    targets: TargetSet,
    exclude: TargetSet.optional(),
  })
  .strict();

/**
 * A permission set the policy uses; its name is the key under `permissionSets`. With any content key
 * (core/policy/permission-set-content.ts) the tool owns what the set is: it creates, updates and
 * repairs it; without one the set only has to exist (docs/policy.md, "Permission sets as code").
 */
export const PermissionSetDecl = z
  .object({
    /** ISO-8601 duration, Identity Center allows PT1H to PT12H. @default PT1H */
    sessionDuration: z
      .string()
      .regex(/^PT([1-9]|1[0-2])H$/, "sessionDuration is PT1H to PT12H")
      .default("PT1H"),
    description: z
      .string()
      .min(1, "leave description out rather than empty")
      .max(700, "a description is at most 700 characters")
      .optional(),
    /** AWS managed policy ARNs. @default unset: not managed */
    managedPolicies: z.array(ManagedPolicyArn).optional(),
    /** Customer managed policies by name and path, which must exist in every target account. @default unset */
    customerManagedPolicies: z.array(CustomerManagedPolicyRef).optional(),
    /** The inline policy document, or a .json/.yaml file relative to the policy file. @default unset */
    inlinePolicy: InlinePolicyDecl.optional(),
    permissionsBoundary: PermissionsBoundaryDecl.optional(),
    relayState: RelayState.optional(),
    tags: PermissionSetTags.optional(),
    /** Scoped by attributes for access control (docs/policy.md, ABAC). @default unset: not ABAC-scoped */
    abac: PermissionSetAbac.optional(),
    /** Grants of this set are held to guards.maxPrivilegedAccounts (docs/policy.md, Grant guards). @default false */
    privileged: z.boolean().default(false),
  })
  .strict();

/** ISO-8601 duration in hours or minutes, e.g. PT12H, PT90M. */
export const Duration = z
  .string()
  .regex(/^PT(?=\d)(\d+H)?(\d+M)?$/, "use an ISO-8601 duration such as PT12H or PT90M");

/** Which Identity Center assignments the tool manages, and what it does with the rest. */
export const Ownership = z
  .object({
    /**
     * Which group assignments the tool owns (may delete):
     * `declared`: only (group, permission set) pairs that a rule names;
     * `permission-sets`: every group assignment of a permission set the policy declares;
     * `all`: every group assignment in the instance.
     * @default declared
     */
    scope: z.enum(["declared", "permission-sets", "all"]).default("declared"),
    /** Direct user assignments are a finding; `delete` removes them (leavers' are always removed). @default report */
    directUserAssignments: z.enum(["report", "delete"]).default("report"),
    /** When true the tool adds/removes Identity Center group memberships itself (no SCIM). @default false */
    membershipSync: z.boolean().default(false),
  })
  .strict();

/** How a leaver's or mover's live sessions are cut off. */
export const Revocation = z
  .object({
    /** `scp` puts Denies in SCPs (plus inline for the management account); `inline` uses inline policies only. @default scp */
    method: z.enum(["scp", "inline"]).default("scp"),
    /** How long a Deny stays in force; at least the longest session duration. @default PT12H */
    hold: Duration.default("PT12H"),
    /**
     * When Denies fit in no revocation SCP: `auto` writes the mass fallback on its own (every Identity
     * Center session issued before the latest such Deny is denied, everyone signs in again); `ask` writes
     * nothing more and raises a finding and the DeniesDropped alarm. docs/policy.md. @default ask
     */
    massFallback: z
      .enum(["auto", "ask"], { message: "use auto (deny every older Identity Center session) or ask" })
      .default("ask"),
  })
  .strict();

/** Limits that stop a plan (blocked, with a finding) instead of applying it. */
export const Guards = z
  .object({
    /** Most deletions (assignments + memberships) one run may apply. @default 50 */
    maxDeletes: z
      .number()
      .int("use a whole number of deletions, e.g. 50")
      .min(0, "use 0 (no deletions at all) or more")
      .default(50),
    /** Most deletions as a percentage of the managed assignments. @default 20 */
    maxDeletePercent: z
      .number()
      .min(0, "use a percentage from 0 to 100")
      .max(100, "use a percentage from 0 to 100")
      .default(20),
    /** Block the plan when an Okta group the policy names reads as empty. @default true */
    abortOnEmptyGroup: z.boolean().default(true),
    /** Most accounts one run may newly grant a privileged permission set in. @default 3 */
    maxPrivilegedAccounts: z
      .number()
      .int("use a whole number of accounts, e.g. 3")
      .min(0, "use 0 (no new privileged grant without --allow-grants) or more")
      .default(3),
    /** Most assignments one run may create. @default 100 */
    maxNewAssignments: z
      .number()
      .int("use a whole number of assignments, e.g. 100")
      .min(0, "use 0 or more")
      .default(100),
    /** Most accounts one rule may newly reach in one run (a policy edit widening its targets). @default 10 */
    maxRuleWidening: z
      .number()
      .int("use a whole number of accounts, e.g. 10")
      .min(0, "use 0 or more")
      .default(10),
    /**
     * Most permission sets one run may delete: sets the tool created (ownership tag) that the policy no
     * longer declares (core/plan/plan-permission-set-deletions.ts). @default 1
     */
    maxPermissionSetDeletes: z
      .number()
      .int("use a whole number of permission sets, e.g. 1")
      .min(0, "use 0 (no permission set deleted without --allow-deletes) or more")
      .default(1),
  })
  .strict();

/** The whole access policy file. */
export const PolicyDocument = z
  .object({
    version: z.literal(1, "the only policy version is 1"),
    /** The management account: SCPs never apply there, so Denies also go inline. */
    managementAccountId: AccountId.optional(),
    okta: z
      .object({
        /** Okta app instance ids that provision AWS IAM Identity Center; application.* events count only for these. */
        provisioningAppIds: z
          .array(z.string().regex(/^0oa[0-9A-Za-z]{17}$/, "an Okta app id looks like 0oa..."))
          .default([]),
        /** How the AWS IAM Identity Center app provisions users (SCIM). */
        identityCenterApp: z
          .object({
            /**
             * The `Issuer` of the external id Okta's SCIM stores on each Identity Center user (its Id is
             * the Okta user id). Set it to find users by Okta user id first, whatever their userName;
             * read it from `aws identitystore describe-user` on a provisioned user. @default unset
             */
            externalIdIssuer: z
              .string()
              .min(1, "name the issuer, e.g. the value describe-user shows")
              .optional(),
            /**
             * The app's "Application username format": what Identity Center's UserName is for an Okta
             * user (core/identity/user-name-format.ts). @default oktaUsername
             */
            userNameFormat: z
              .enum(["oktaUsername", "oktaUsernamePrefix", "email", "emailPrefix", "custom"], {
                error:
                  "use oktaUsername, oktaUsernamePrefix, email, emailPrefix or custom (with userNameTemplate)",
              })
              .default("oktaUsername"),
            /** For `custom`: Okta profile attributes in braces, e.g. `{firstName}.{lastName}@corp.example`. */
            userNameTemplate: z
              .string()
              .regex(
                /\{[A-Za-z_][A-Za-z0-9_]*\}/,
                "name at least one Okta profile attribute in braces, e.g. {email}",
              )
              .optional(),
          })
          .strict()
          .refine((app) => app.userNameFormat !== "custom" || app.userNameTemplate !== undefined, {
            message: "userNameFormat custom needs userNameTemplate, e.g. {firstName}.{lastName}@corp.example",
            path: ["userNameTemplate"],
          })
          .default({ userNameFormat: "oktaUsername" }),
      })
      .strict()
      .default({ provisioningAppIds: [], identityCenterApp: { userNameFormat: "oktaUsername" } }),
    /** Okta profile attributes that flow into session tags (ABAC); changing one revokes older sessions. */
    sessionTagAttributes: z.array(z.string().min(1, "name an Okta profile attribute")).default([]),
    permissionSets: z.record(
      z.string().regex(/^[\w+=,.@-]{1,32}$/, "a permission set name is 1-32 of [A-Za-z0-9+=,.@_-]"),
      PermissionSetDecl,
    ),
    rules: z.array(Rule).min(1, "declare at least one rule"),
    /**
     * What an estate run does with a permission set whose content was changed outside the tool:
     * `report` raises a permission-set-drift finding with a diff, `repair` also writes the declared
     * content back and re-provisions. @default report
     */
    permissionSetDrift: z.enum(["report", "repair"]).default("report"),
    ownership: Ownership.default({
      scope: "declared",
      directUserAssignments: "report",
      membershipSync: false,
    }),
    revocation: Revocation.default({ method: "scp", hold: "PT12H", massFallback: "ask" }),
    guards: Guards.default({
      maxDeletes: 50,
      maxDeletePercent: 20,
      abortOnEmptyGroup: true,
      maxPrivilegedAccounts: 3,
      maxNewAssignments: 100,
      maxRuleWidening: 10,
      maxPermissionSetDeletes: 1,
    }),
    /** Attributes for access control and missing-attribute handling (docs/policy.md, ABAC). @default unset */
    abac: AbacPolicy.optional(),
    /** Okta compromise signals that end the user's older AWS sessions (docs/policy.md). @default all ignore */
    compromiseSignals: CompromiseSignals.default(COMPROMISE_SIGNALS_OFF),
    /** IAM users, access keys and federated role sessions (docs/credentials.md). @default unset: not managed */
    credentials: CredentialsPolicy.optional(),
  })
  .strict();

export type Policy = z.output<typeof PolicyDocument>;
export type PolicyRule = z.output<typeof Rule>;
export type PolicyTargets = z.output<typeof TargetSet>;
export type PolicyGroupRef = z.output<typeof GroupRef>;
export type PolicyPermissionSet = z.output<typeof PermissionSetDecl>;
