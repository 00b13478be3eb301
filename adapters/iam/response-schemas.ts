/**
 * The parts of IAM and STS answers discovery relies on, as zod schemas (botocore iam 2010-05-08, sts
 * 2011-06-15). The SDK gives timestamps as `Date`s; they leave here as ISO-8601 strings. Lists IAM
 * leaves out when empty default to `[]`; names, ids and statuses must be present.
 */
import { z } from "zod";

const required = (issue: { input?: unknown }) => (issue.input === undefined ? "required" : undefined);

const text = z.string({ error: required }).min(1);
const instant = z.date({ error: required }).transform((date) => date.toISOString());
const optionalInstant = z
  .date()
  .optional()
  .transform((date) => date?.toISOString());

/** ListUsers returns `PasswordLastUsed` (as GetUser does: model, User.PasswordLastUsed), not tags. */
export const listUsersPage = z.object({
  Users: z.array(z.object({ UserName: text, Arn: text, PasswordLastUsed: optionalInstant })).default([]),
});

export const listUserTagsPage = z.object({
  Tags: z.array(z.object({ Key: text, Value: z.string({ error: required }) })).default([]),
});

export const listAccessKeysPage = z.object({
  AccessKeyMetadata: z
    .array(
      z.object({
        AccessKeyId: text,
        Status: z.enum(["Active", "Inactive", "Expired"], { error: required }),
        CreateDate: instant,
      }),
    )
    .default([]),
});

/**
 * A key never used has no `LastUsedDate` and `ServiceName`/`Region` `N/A` (IAM API Reference,
 * AccessKeyLastUsed): read as absent.
 */
const notApplicable = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === "N/A" ? undefined : value));
export const getAccessKeyLastUsed = z.object({
  AccessKeyLastUsed: z
    .object({ LastUsedDate: optionalInstant, ServiceName: notApplicable, Region: notApplicable })
    .optional(),
});

export const listMfaDevicesPage = z.object({
  MFADevices: z.array(z.object({ SerialNumber: text, EnableDate: optionalInstant })).default([]),
});

export const listSamlProviders = z.object({
  SAMLProviderList: z.array(z.object({ Arn: text })).default([]),
});

/** `AssumeRolePolicyDocument` is URL-encoded JSON (RFC 3986), as IAM returns every policy document. */
export const listRolesPage = z.object({
  Roles: z
    .array(z.object({ RoleName: text, Arn: text, AssumeRolePolicyDocument: z.string().optional() }))
    .default([]),
});

export const assumeRole = z.object({
  Credentials: z.object(
    { AccessKeyId: text, SecretAccessKey: text, SessionToken: text, Expiration: z.date({ error: required }) },
    { error: required },
  ),
});

/** GetPolicy's `Policy` (model `Policy`): only that it names the policy asked for is relied on. */
export const getPolicy = z.object({
  Policy: z.object({ Arn: text, PolicyName: text }, { error: required }),
});
