/**
 * Identity Center as a delegated administrator sees it. AWS, "Register a member account" (IAM Identity
 * Center user guide): the delegated administrator "can perform all IAM Identity Center administrative
 * tasks from the account, except for: ... Managing permission sets provisioned in the management
 * account; ... Enabling or disabling user access in the management account". The troubleshooting page
 * gives the console's words, "You can't delete/modify/remove/assign access to permission sets provisioned
 * in the management account"; the API's error type, AccessDeniedException, is from field reports
 * (fivexl/terraform-aws-sso-elevator issue 101, aws-samples/iam-identity-center-team issue 59).
 * Calls signed by the management account itself (the management component's role there) may do it.
 * The product's own reading of the same sources is core/topology.ts; this is the emulator's.
 */
import { type AwsJsonService, type AwsOperation, AwsServiceError } from "../aws-json-protocol.ts";
import { SSO_ADMIN_TARGET } from "./services.ts";
import type { EmulatorState } from "./state.ts";

export interface DelegatedAdministration {
  /** The organization's management account (where the instance lives). */
  managementAccountId: string;
  /**
   * The account whose credentials signed a call, from its access key id (the IAM and STS emulator knows
   * them: local/emulators/iam/caller-account.ts); undefined for an unknown or missing key, which is not
   * the management account.
   */
  accountOf(accessKeyId: string | undefined): string | undefined;
}

/** sso-admin changes, and which request members name the account and the permission set they touch. */
const CHANGES: Readonly<Record<string, { target?: string; permissionSet: string }>> = {
  CreateAccountAssignment: { target: "TargetId", permissionSet: "PermissionSetArn" },
  DeleteAccountAssignment: { target: "TargetId", permissionSet: "PermissionSetArn" },
  ProvisionPermissionSet: { target: "TargetId", permissionSet: "PermissionSetArn" },
  DeletePermissionSet: { permissionSet: "PermissionSetArn" },
  UpdatePermissionSet: { permissionSet: "PermissionSetArn" },
  PutInlinePolicyToPermissionSet: { permissionSet: "PermissionSetArn" },
  DeleteInlinePolicyFromPermissionSet: { permissionSet: "PermissionSetArn" },
  AttachManagedPolicyToPermissionSet: { permissionSet: "PermissionSetArn" },
  DetachManagedPolicyFromPermissionSet: { permissionSet: "PermissionSetArn" },
  AttachCustomerManagedPolicyReferenceToPermissionSet: { permissionSet: "PermissionSetArn" },
  DetachCustomerManagedPolicyReferenceFromPermissionSet: { permissionSet: "PermissionSetArn" },
  PutPermissionsBoundaryToPermissionSet: { permissionSet: "PermissionSetArn" },
  DeletePermissionsBoundaryFromPermissionSet: { permissionSet: "PermissionSetArn" },
};

const REFUSAL =
  "You can't delete/modify/remove/assign access to permission sets provisioned in the management account";

/** Why a change by a delegated administrator is refused (undefined: it is allowed). */
function refusal(
  state: EmulatorState,
  managementAccountId: string,
  change: { target?: string; permissionSet: string },
  input: Record<string, unknown>,
): string | undefined {
  const target = change.target === undefined ? undefined : input[change.target];
  if (target === managementAccountId) {
    return `${REFUSAL}: the delegated administrator cannot change access in the management account ${managementAccountId}`;
  }
  const permissionSetArn = input[change.permissionSet];
  const provisionedThere = [...state.provisioned.values()].some(
    (p) => p.accountId === managementAccountId && p.permissionSetArn === permissionSetArn,
  );
  if (provisionedThere) {
    return `${REFUSAL}: ${String(permissionSetArn)} is provisioned to the management account ${managementAccountId}`;
  }
  return undefined;
}

/** The services with sso-admin's changes refused to any caller but the management account. */
export function withDelegatedAdministration(
  services: AwsJsonService[],
  state: EmulatorState,
  delegation: DelegatedAdministration | undefined,
): AwsJsonService[] {
  if (delegation === undefined) return services;
  return services.map((service) => {
    if (service.targetPrefix !== SSO_ADMIN_TARGET) return service;
    const operations: Record<string, AwsOperation> = { ...service.operations };
    for (const [name, change] of Object.entries(CHANGES)) {
      const operation = service.operations[name];
      if (operation === undefined) continue;
      operations[name] = (input, request) => {
        if (delegation.accountOf(request?.accessKeyId) !== delegation.managementAccountId) {
          const reason = refusal(
            state,
            delegation.managementAccountId,
            change,
            (input ?? {}) as Record<string, unknown>,
          );
          if (reason !== undefined) throw new AwsServiceError("AccessDeniedException", reason, 403);
        }
        return operation(input, request);
      };
    }
    return { ...service, operations };
  });
}
