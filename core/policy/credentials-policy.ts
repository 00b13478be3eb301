import { z } from "zod";

/*
 * policy `credentials`: the credentials a person holds outside Identity Center (issue 16): IAM users
 * with console passwords, access keys and MFA devices, and role sessions federated from Okta's AWS
 * Account Federation app. Name patterns are the IAM and STS service models' (botocore iam 2010-05-08
 * `userNameType`, `roleNameType`; sts 2011-06-15 `externalIdType`).
 */

const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** An IAM role name (1-64 of `[A-Za-z0-9_+=,.@-]`). */
const RoleName = z.string().regex(IAM_NAME, "an IAM role name is 1-64 of A-Za-z0-9 and _+=,.@-");

/**
 * The naming rules: how an IAM user's name is derived from an Okta user (core/credentials/naming-rules.ts).
 * Compared case-insensitively, as IAM user names are unique regardless of case.
 */
export const NAMING_RULES = [
  "login",
  "loginLocalPart",
  "email",
  "emailLocalPart",
  "firstDotLast",
  "firstInitialLast",
] as const;

/** One naming rule. */
export type NamingRule = (typeof NAMING_RULES)[number];

/** The two roles the tool assumes in an account: read-only discovery, and revocation writes. */
export const MemberRoleNames = z
  .object({
    /** Lists users, keys, MFA devices, roles, SAML providers. @default okta-aws-lifecycle-discovery */
    discovery: RoleName.default("okta-aws-lifecycle-discovery"),
    /** Deactivates keys, deletes login profiles, puts Deny policies. @default okta-aws-lifecycle-revocation */
    revocation: RoleName.default("okta-aws-lifecycle-revocation"),
  })
  .strict();

/** The default member role names (what the shipped StackSet template creates). */
export const DEFAULT_MEMBER_ROLE_NAMES = Object.freeze({
  discovery: "okta-aws-lifecycle-discovery",
  revocation: "okta-aws-lifecycle-revocation",
});

/** An account outside the Organization (no SCPs reach it), federated to Okta per account. */
export const OutsideAccount = z
  .object({
    id: z
      .string()
      .regex(ACCOUNT_ID, 'an AWS account id is exactly 12 digits, quoted in YAML (e.g. "111111111111")'),
    /** Shown in plans, findings and evidence. */
    name: z.string().min(1, "give the account a name people recognise, e.g. acquired-prod"),
    /** The roles to assume there (the same template, deployed by hand); each name unset is memberRoleName's. */
    roleName: z
      .object({ discovery: RoleName.optional(), revocation: RoleName.optional() })
      .strict()
      .optional(),
    /** The external id its roles' trust policies require (sts:ExternalId, 2-1224 characters). */
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, "an external id is 2-1224 of A-Za-z0-9 and _+=,.@:/-")
      .optional(),
  })
  .strict();

/** How IAM users are mapped to Okta users and what a leaver's revocation does to them. */
export const IamUsersPolicy = z
  .object({
    /** Tag keys whose value is the owner's Okta login or email, tried in order. @default [okta:login, okta:email] */
    ownerTags: z
      .array(z.string().min(1, "a tag key cannot be empty").max(128, "a tag key is at most 128 characters"))
      .default(["okta:login", "okta:email"]),
    /** Naming rules tried after the tags, in order. @default [] */
    namingRules: z
      .array(
        z.enum(NAMING_RULES, {
          error: `use one of ${NAMING_RULES.join(", ")} (docs/credentials.md)`,
        }),
      )
      .default([]),
    /** Also deactivate a leaver's MFA devices (they belong to the person, not the account). @default false */
    removeMfaDevices: z.boolean().default(false),
    /** Most access keys an estate sweep may deactivate in one run before it stops and asks. @default 10 */
    maxKeyDeactivations: z
      .number()
      .int("use a whole number of keys, e.g. 10")
      .min(0, "use 0 (the sweep never deactivates keys by itself) or more")
      .default(10),
  })
  .strict();

/** How Okta's AWS Account Federation app names role sessions. */
export const FederationPolicy = z
  .object({
    /** What Okta sends as RoleSessionName: the Okta login or the email. @default login */
    sessionNameAttribute: z
      .enum(["login", "email"], { error: "use login or email (what the app sends as RoleSessionName)" })
      .default("login"),
    /** Whether the app sends SourceIdentity (the Okta login); it survives role chaining. @default false */
    sourceIdentity: z.boolean().default(false),
    /**
     * The AWS Account Federation app's id in Okta (Okta app ids are `0oa` and 17 letters or digits): a
     * leaver still assigned to it is a finding. @default absent: every app named `amazon_aws`
     */
    oktaAppId: z
      .string()
      .regex(
        /^0oa[A-Za-z0-9]{17}$/,
        "write the app's id from Okta (Applications > the AWS Account Federation app: the 20 characters starting 0oa in its URL)",
      )
      .optional(),
  })
  .strict();

/** An IAM user never touched: its ARN, or `account:userName`. */
const BreakGlassUser = z
  .string()
  .regex(
    /^(arn:aws[a-z-]*:iam::\d{12}:user\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}|\d{12}:[\w+=,.@-]{1,64})$/,
    'write the IAM user\'s ARN (arn:aws:iam::111111111111:user/break-glass) or "111111111111:break-glass"',
  );

/** An IAM user or role the guardrail SCP exempts; `*` and `?` match as in ArnLike. */
const AutomationPrincipal = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::(\d{12}|\*):(user|role)\/[\w+=,.@\-/*?]+$/,
    "write an IAM user or role ARN, e.g. arn:aws:iam::111111111111:role/terraform-*",
  );

/** The `credentials` section. */
export const CredentialsPolicy = z
  .object({
    iamUsers: IamUsersPolicy.default({
      ownerTags: ["okta:login", "okta:email"],
      namingRules: [],
      removeMfaDevices: false,
      maxKeyDeactivations: 10,
    }),
    /** IAM users never mapped, never revoked; their last use and MFA state are reported. @default [] */
    breakGlass: z.array(BreakGlassUser).default([]),
    /** Principals the optional guardrail SCP lets create users and keys. @default [] */
    automationPrincipals: z.array(AutomationPrincipal).default([]),
    /**
     * Attach the guardrail SCP (core/credentials/guardrail-scp.ts) to the Organization's root: deny
     * iam:CreateUser, iam:CreateAccessKey, iam:CreateLoginProfile to all but the break-glass users and
     * automationPrincipals. Estate plans show it either way. @default false
     */
    guardrail: z.boolean({ error: "use true (attach the guardrail SCP) or false" }).default(false),
    /** Accounts outside the Organization. @default [] */
    accounts: z.array(OutsideAccount).default([]),
    /** The roles assumed in member accounts. @default the two defaults */
    memberRoleName: MemberRoleNames.default(DEFAULT_MEMBER_ROLE_NAMES),
    federation: FederationPolicy.default({ sessionNameAttribute: "login", sourceIdentity: false }),
  })
  .strict();

/** The parsed `credentials` section. */
export type CredentialsPolicySection = z.output<typeof CredentialsPolicy>;
