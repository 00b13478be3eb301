import type { PolicyPermissionSet } from "../policy/schema.ts";

/** A customer managed policy reference as sso-admin names it (CustomerManagedPolicyReference). */
export interface PolicyReference {
  name: string;
  /** Starts and ends with `/`. */
  path: string;
}

/** A permissions boundary: an AWS managed policy, or a customer managed policy reference. */
export type Boundary = { managedPolicyArn: string } | { customerManagedPolicy: PolicyReference };

/**
 * A permission set's content as Identity Center holds it, read through sso-admin: DescribePermissionSet,
 * ListManagedPoliciesInPermissionSet, ListCustomerManagedPolicyReferencesInPermissionSet,
 * GetInlinePolicyForPermissionSet (null when none or empty), GetPermissionsBoundaryForPermissionSet
 * (null when none), ListTagsForResource.
 */
export interface ObservedPermissionSetContent {
  description: string | null;
  sessionDuration: string;
  relayState: string | null;
  managedPolicyArns: string[];
  customerManagedPolicies: PolicyReference[];
  inlinePolicy: string | null;
  permissionsBoundary: Boundary | null;
  tags: Record<string, string>;
}

/** The boundary the policy declares, in the observed shape. */
export function declaredBoundary(decl: PolicyPermissionSet): Boundary | undefined {
  const boundary = decl.permissionsBoundary;
  if (boundary === undefined) return undefined;
  return typeof boundary === "string"
    ? { managedPolicyArn: boundary }
    : { customerManagedPolicy: { name: boundary.name, path: boundary.path } };
}

/** The declared inline policy document; a file path left unresolved is a caller's bug (loadPolicy resolves them). */
export function declaredInlineDocument(decl: PolicyPermissionSet): Record<string, unknown> | undefined {
  const inline = decl.inlinePolicy;
  if (typeof inline === "string") {
    throw new Error(
      `inline policy file '${inline}' was not resolved: load the policy with loadPolicy's readRelativeFile`,
    );
  }
  return inline;
}

/** `path` + `name`: how IAM spells a customer managed policy's place (`/team/deploy`). */
export function referenceKey(ref: PolicyReference): string {
  return `${ref.path}${ref.name}`;
}

export function describeBoundary(boundary: Boundary | null): string {
  if (boundary === null) return "(none)";
  return "managedPolicyArn" in boundary
    ? boundary.managedPolicyArn
    : `customer managed ${referenceKey(boundary.customerManagedPolicy)}`;
}
