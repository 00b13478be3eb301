/** What the grant guards read of a permission set's declaration (core/policy/schema.ts PermissionSetDecl). */
export interface PrivilegeFacts {
  privileged: boolean;
  managedPolicies?: readonly string[] | undefined;
  /** The document, or a file path not read yet. */
  inlinePolicy?: string | Record<string, unknown> | undefined;
}

/**
 * AWS managed policies known to allow `*:*` or `iam:*` (their documents: AdministratorAccess allows
 * `"Action": "*"`, IAMFullAccess `"Action": ["iam:*", ...]`, per the AWS Managed Policy Reference).
 */
const PRIVILEGED_MANAGED_POLICIES = new Set(["AdministratorAccess", "IAMFullAccess"]);

/** An action pattern that covers every IAM action: `*`, `*:*`, `iam:*` (IAM action names are case-insensitive). */
const coversIam = (pattern: string) => ["*", "*:*", "iam:*"].includes(pattern.toLowerCase());

const asList = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === "string")
      : [];

/** Whether an inline policy document has an Allow that reaches `*:*` or `iam:*`. */
function inlineAllowsIam(document: Record<string, unknown>): boolean {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements.some((s: unknown) => {
    if (typeof s !== "object" || s === null) return false;
    const statement = s as Record<string, unknown>;
    if (statement.Effect !== "Allow") return false;
    if (asList(statement.Action).some(coversIam)) return true;
    // An Allow on NotAction grants every action it does not list: iam:* unless it lists it.
    return statement.NotAction !== undefined && !asList(statement.NotAction).some(coversIam);
  });
}

/**
 * Why a permission set counts as privileged for the grant guards, or `undefined`: it is marked
 * `privileged: true`, or its declared content allows `*:*` or `iam:*` (AdministratorAccess,
 * IAMFullAccess, or an inline Allow on those actions). An inline policy given as a file path is judged
 * once it is read into the declaration (core/policy/resolve-inline-policy-files.ts).
 */
export function privilegedReason(decl: PrivilegeFacts | undefined): string | undefined {
  if (decl === undefined) return undefined;
  if (decl.privileged) return "marked privileged in the policy";
  const managed = (decl.managedPolicies ?? []).find((arn) =>
    PRIVILEGED_MANAGED_POLICIES.has(arn.slice(arn.lastIndexOf("/") + 1)),
  );
  if (managed !== undefined) return `its managed policy ${managed} allows *:* or iam:*`;
  if (typeof decl.inlinePolicy === "object" && inlineAllowsIam(decl.inlinePolicy))
    return "its inline policy allows *:* or iam:*";
  return undefined;
}
