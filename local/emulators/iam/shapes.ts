/**
 * The output shapes of IAM (botocore iam 2010-05-08: User, Role, AccessKeyMetadata, ...) built from
 * the state. Policy documents are sent URL-encoded, as IAM does ("The policy document returned in
 * this structure is URL-encoded compliant with RFC 3986", IAM API Reference, GetUserPolicy, GetRole).
 */
import type { AccessKeyRecord, RoleRecord, UserRecord } from "./state.ts";

export const userArn = (accountId: string, user: UserRecord) =>
  `arn:aws:iam::${accountId}:user${user.path}${user.name}`;
export const roleArn = (accountId: string, role: RoleRecord) =>
  `arn:aws:iam::${accountId}:role${role.path}${role.name}`;
export const samlProviderArn = (accountId: string, name: string) =>
  `arn:aws:iam::${accountId}:saml-provider/${name}`;

/** RFC 3986 percent-encoding (encodeURIComponent leaves `!'()*` as they are: IAM encodes them). */
export const urlEncodedDocument = (document: string) =>
  encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const tagList = (tags: Map<string, string>) => [...tags].map(([Key, Value]) => ({ Key, Value }));

/** A User; `withTags` for GetUser (ListUsers "does not return ... Tags", IAM API Reference). */
export function userShape(accountId: string, user: UserRecord, withTags = false) {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: userArn(accountId, user),
    CreateDate: user.createdAt,
    PasswordLastUsed: user.passwordLastUsed,
    Tags: withTags && user.tags.size > 0 ? tagList(user.tags) : undefined,
  };
}

/** A Role; ListRoles "does not return ... Tags, PermissionsBoundary, RoleLastUsed" (IAM API Reference). */
export function roleShape(accountId: string, role: RoleRecord, withTags = false) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: roleArn(accountId, role),
    CreateDate: role.createdAt,
    AssumeRolePolicyDocument: urlEncodedDocument(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: withTags && role.tags.size > 0 ? tagList(role.tags) : undefined,
  };
}

export function accessKeyMetadata(user: UserRecord, key: AccessKeyRecord) {
  return { UserName: user.name, AccessKeyId: key.id, Status: key.status, CreateDate: key.createdAt };
}
