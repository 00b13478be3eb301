import { z } from "zod";

/*
 * What a permission set *is*, as the policy may declare it. Every shape follows the sso-admin service
 * model (botocore data/sso-admin/2020-07-20/service-2.json, vendored in test/fixtures/aws/models):
 * ManagedPolicyArn (20-2048), CustomerManagedPolicyReference {Name 1-128 [\w+=,.@-]+, Path 1-512
 * ((/[A-Za-z0-9.,+@=_-]+)*)/, default "/"}, PermissionsBoundary (one of the two), RelayState (1-240),
 * PermissionSetDescription (1-700), TagList (at most 75 tags; TagKey 1-128, TagValue 0-256).
 */

/** An AWS managed policy: `arn:<partition>:iam::aws:policy/<path><name>`. */
export const ManagedPolicyArn = z
  .string()
  .max(2048, "a managed policy ARN is at most 2,048 characters")
  .regex(
    /^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/,
    "an AWS managed policy ARN looks like arn:aws:iam::aws:policy/ReadOnlyAccess (customer managed policies go under customerManagedPolicies)",
  );

/** A customer managed policy by name and path; each target account must hold a policy so named. */
export const CustomerManagedPolicyRef = z
  .object({
    name: z.string().regex(/^[\w+=,.@-]{1,128}$/, "a policy name is 1-128 of [A-Za-z0-9+=,.@_-]"),
    /** @default / */
    path: z
      .string()
      .max(512, "a policy path is at most 512 characters")
      .regex(/^(\/[A-Za-z0-9.,+@=_-]+)*\/$/, "a policy path starts and ends with '/', e.g. / or /team/")
      .default("/"),
  })
  .strict();

/** A permissions boundary: an AWS managed policy ARN, or a customer managed policy reference. */
export const PermissionsBoundaryDecl = z.union([ManagedPolicyArn, CustomerManagedPolicyRef], {
  error: "write an AWS managed policy ARN or { name: <policy name>, path: / } for a customer managed policy",
});

/** The inline policy: the IAM policy document itself, or a file path relative to the policy file. */
export const InlinePolicyDecl = z.union(
  [
    z.string().regex(/\.(json|ya?ml)$/, "an inline policy file ends in .json, .yaml or .yml"),
    z.record(z.string(), z.unknown()),
  ],
  {
    error:
      "write the IAM policy document here ({ Version: ..., Statement: [...] }) or a .json/.yaml file path",
  },
);

/** Where the AWS access portal sends the user after sign-in (sso-admin model RelayState). */
export const RelayState = z
  .string()
  .max(240, "relayState is at most 240 characters")
  .regex(
    /^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\] (){}]+$/,
    "relayState is a URL such as https://console.aws.amazon.com/ec2/",
  );

/**
 * Tag keys under this prefix are control tags, never a policy's content: the tool's ownership tag and
 * the tags only an administrator sets (`okta-aws-lifecycle:assignable`, `okta-aws-lifecycle:management-account`,
 * infra/runtime-contract.ts). A repair removing them would strip an administrator's decision (and, in
 * AWS, be refused by the role's tag conditions), so the policy may not declare them.
 */
export const RESERVED_TAG_PREFIX = "okta-aws-lifecycle:";

/** The permission set's tags (sso-admin model TagList: at most 75; TagKey 1-128, TagValue 0-256). */
export const PermissionSetTags = z
  .record(
    z
      .string()
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, "a tag key is 1-128 letters, digits, spaces or _.:/=+-@")
      .refine(
        (key) => !key.startsWith(RESERVED_TAG_PREFIX),
        `tag keys starting ${RESERVED_TAG_PREFIX} are the tool's and an administrator's control tags: use another key`,
      ),
    z
      .string()
      .regex(
        /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
        "a tag value is 0-256 letters, digits, spaces or _.:/=+-@",
      ),
  )
  .refine((tags) => Object.keys(tags).length <= 75, "a permission set holds at most 75 tags");

/** Keys that declare a permission set's content; an entry with none of them is only assigned, never written. */
export const PERMISSION_SET_CONTENT_KEYS = [
  "managedPolicies",
  "customerManagedPolicies",
  "inlinePolicy",
  "permissionsBoundary",
  "relayState",
  "tags",
] as const;

/** Whether a permission set entry declares content (the tool then owns what the set is). */
export function declaresContent(decl: object): boolean {
  return PERMISSION_SET_CONTENT_KEYS.some(
    (key) => Object.hasOwn(decl, key) && (decl as Record<string, unknown>)[key] !== undefined,
  );
}
