/**
 * Whether a role's trust policy lets a SAML identity provider of its account federate into it: a
 * statement with `Effect: Allow`, an `Action` matching `sts:AssumeRoleWithSAML` (action names compare
 * regardless of case, `*` and `?` as wildcards: IAM User Guide, "IAM JSON policy elements: Action") and
 * a `Principal.Federated` naming one of the account's SAML providers (the principal AssumeRoleWithSAML
 * is called with: STS API Reference, AssumeRoleWithSAML, PrincipalArn). Conditions (`SAML:aud`...) are
 * not weighed: a role that could trust the provider is one whose sessions a leaver may hold.
 * IAM returns the document URL-encoded (RFC 3986: IAM API Reference, GetRole, ListRoles).
 */
import { UnexpectedIamResponseError } from "./unexpected-response-error.ts";

const SAML_ACTION = "sts:assumerolewithsaml";

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const actionMatches = (pattern: unknown): boolean => {
  if (typeof pattern !== "string") return false;
  const escaped = pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(SAML_ACTION);
};

/** The trust policy's JSON, decoded; `operation` and `roleName` name the answer if it cannot be read. */
export function decodeTrustPolicy(encoded: string, roleName: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(encoded));
  } catch (cause) {
    throw new UnexpectedIamResponseError(
      "ListRoles",
      `Roles[${roleName}].AssumeRolePolicyDocument`,
      "not URL-encoded JSON",
      { cause },
    );
  }
}

/** Whether the decoded trust policy admits AssumeRoleWithSAML from one of `samlProviderArns`. */
export function trustsSamlProvider(trustPolicy: unknown, samlProviderArns: ReadonlySet<string>): boolean {
  if (samlProviderArns.size === 0 || typeof trustPolicy !== "object" || trustPolicy === null) return false;
  return list((trustPolicy as { Statement?: unknown }).Statement).some((statement) => {
    if (typeof statement !== "object" || statement === null) return false;
    const { Effect, Action, Principal } = statement as Record<string, unknown>;
    if (Effect !== "Allow" || !list(Action).some(actionMatches)) return false;
    if (typeof Principal !== "object" || Principal === null) return false;
    return list((Principal as { Federated?: unknown }).Federated).some(
      (federated) => typeof federated === "string" && samlProviderArns.has(federated),
    );
  });
}
