/**
 * Puts IAM entities in directly: no API calls, no callers, no call counts. What the demo estate and
 * tests need that the API cannot make: access keys with a past creation date and last use, MFA
 * devices, SAML providers, customer managed policies. Quotas and name rules still hold (a seed AWS could not hold is refused).
 */
import { entityAlreadyExists } from "./errors.ts";
import type { IamIds } from "./ids.ts";
import { addManagedPolicy, managedPolicyArn } from "./managed-policy-operations.ts";
import { checkAggregateSize, checkPolicyDocument, USER_POLICY_SIZE } from "./policy-document.ts";
import { addRole } from "./role-operations.ts";
import { roleArn, samlProviderArn, userArn } from "./shapes.ts";
import type { AccessKeyLastUsed, AccessKeyStatus, IamState } from "./state.ts";

type PolicyText = string | Record<string, unknown>;
const text = (policy: PolicyText) => (typeof policy === "string" ? policy : JSON.stringify(policy));

export interface SeedUser {
  accountId: string;
  name: string;
  /** @default "/" */
  path?: string;
  tags?: Record<string, string>;
  /** A console password (only that one exists is kept). */
  loginProfile?: boolean | { passwordResetRequired?: boolean; createdAt?: Date };
  passwordLastUsed?: Date;
  /** Serial numbers of MFA devices (virtual: `arn:aws:iam::<account>:mfa/<name>`). */
  mfaDevices?: string[];
  inlinePolicies?: Record<string, PolicyText>;
  createdAt?: Date;
}

export interface SeedAccessKey {
  accountId: string;
  userName: string;
  /** @default "Active" */
  status?: AccessKeyStatus;
  createdAt?: Date;
  /** Omitted: never used (GetAccessKeyLastUsed answers N/A). */
  lastUsed?: AccessKeyLastUsed;
}

export interface SeedRole {
  accountId: string;
  name: string;
  trustPolicy: PolicyText;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
  inlinePolicies?: Record<string, PolicyText>;
}

export interface SeedManagedPolicy {
  accountId: string;
  name: string;
  /** @default "/" */
  path?: string;
  document: PolicyText;
  description?: string;
}

export interface SeedSamlProvider {
  accountId: string;
  name: string;
  /** @default a minimal Okta-like EntityDescriptor */
  metadataDocument?: string;
  /** @default a year after now */
  validUntil?: Date;
}

export interface IamSeedHelpers {
  /** Adds a user; returns its ARN. */
  user(user: SeedUser): string;
  /** Adds an access key to a user; returns its id and secret (usable to sign requests). */
  accessKey(key: SeedAccessKey): { accessKeyId: string; secretAccessKey: string };
  /** Adds a role; returns its ARN. */
  role(role: SeedRole): string;
  /** Adds a customer managed policy (CreatePolicy's checks); returns its ARN. */
  managedPolicy(policy: SeedManagedPolicy): string;
  /** Adds a SAML provider; returns its ARN. */
  samlProvider(provider: SeedSamlProvider): string;
}

/** The model's samlMetadataDocumentType: 1,000 to 10,000,000 characters. */
const METADATA_MIN = 1_000;

/** IdP metadata shaped like Okta's for an app (entity id, signing certificate, SSO endpoints). */
const metadataFor = (name: string) => {
  const certificate = Buffer.from(`local emulator placeholder certificate of ${name} `.repeat(16)).toString(
    "base64",
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/${name}">`,
    '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>',
    `<ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>",
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/app/${name}/sso/saml"/>`,
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://example.okta.com/app/${name}/sso/saml"/>`,
    "</md:IDPSSODescriptor></md:EntityDescriptor>",
  ].join("");
};

export function createIamSeedHelpers(state: IamState, ids: IamIds, now: () => number): IamSeedHelpers {
  return {
    user(user) {
      const account = state.account(user.accountId);
      if (account.user(user.name)) throw entityAlreadyExists(`User with name ${user.name} already exists.`);
      const policies = Object.entries(user.inlinePolicies ?? {}).map(
        ([name, policy]) => [name, text(policy)] as const,
      );
      for (const [, document] of policies) checkPolicyDocument(document);
      checkAggregateSize(
        policies.map(([, document]) => document),
        USER_POLICY_SIZE,
        "UserPolicySize",
      );
      const createdAt = user.createdAt ?? new Date(now());
      const profile = user.loginProfile;
      const record = {
        name: user.name,
        id: ids.userId(),
        path: user.path ?? "/",
        createdAt,
        passwordLastUsed: user.passwordLastUsed,
        tags: new Map(Object.entries(user.tags ?? {})),
        accessKeys: [],
        loginProfile:
          profile === undefined || profile === false
            ? undefined
            : {
                createdAt: (profile === true ? undefined : profile.createdAt) ?? createdAt,
                passwordResetRequired: profile !== true && profile.passwordResetRequired === true,
              },
        mfaDevices: (user.mfaDevices ?? []).map((serialNumber) => ({ serialNumber, enabledAt: createdAt })),
        inlinePolicies: new Map(policies),
      };
      account.users.set(user.name.toLowerCase(), record);
      return userArn(user.accountId, record);
    },
    accessKey(key) {
      const account = state.account(key.accountId);
      const user = account.user(key.userName);
      if (user === undefined) throw new Error(`seed: no user ${key.userName} in ${key.accountId}`);
      if (user.accessKeys.length >= 2)
        throw new Error(`seed: ${key.userName} already has 2 access keys (AWS's quota)`);
      const record = {
        id: ids.accessKeyId(),
        secret: ids.secretAccessKey(),
        status: key.status ?? "Active",
        createdAt: key.createdAt ?? new Date(now()),
        lastUsed: key.lastUsed,
      };
      user.accessKeys.push(record);
      return { accessKeyId: record.id, secretAccessKey: record.secret };
    },
    role(role) {
      const account = state.account(role.accountId);
      const record = addRole({ ids, now }, account, {
        name: role.name,
        trustPolicy: text(role.trustPolicy),
        path: role.path,
        description: role.description,
        maxSessionDuration: role.maxSessionDuration,
        tags: new Map(Object.entries(role.tags ?? {})),
      });
      for (const [name, policy] of Object.entries(role.inlinePolicies ?? {})) {
        checkPolicyDocument(text(policy));
        record.inlinePolicies.set(name, text(policy));
      }
      return roleArn(role.accountId, record);
    },
    managedPolicy(policy) {
      const account = state.account(policy.accountId);
      const record = addManagedPolicy({ ids, now }, account, {
        name: policy.name,
        document: text(policy.document),
        path: policy.path,
        description: policy.description,
      });
      return managedPolicyArn(policy.accountId, record);
    },
    samlProvider(provider) {
      const account = state.account(provider.accountId);
      if (account.samlProviders.has(provider.name))
        throw entityAlreadyExists(`SAMLProvider ${provider.name} already exists.`);
      const metadataDocument = provider.metadataDocument ?? metadataFor(provider.name);
      if (metadataDocument.length < METADATA_MIN)
        throw new Error(
          `seed: a SAML metadata document has at least ${METADATA_MIN} characters (the model's minimum)`,
        );
      account.samlProviders.set(provider.name, {
        name: provider.name,
        uuid: ids.uuid(),
        metadataDocument,
        createdAt: new Date(now()),
        validUntil: provider.validUntil ?? new Date(now() + 365 * 24 * 3600 * 1000),
        tags: new Map(),
      });
      return samlProviderArn(provider.accountId, provider.name);
    },
  };
}
