import type { OperationProgress } from "../../adapters/identity-center.ts";
import type { Assignment } from "../../core/estate.ts";
import type { IdentityCenterUserPort } from "../../core/ports.ts";

/**
 * What the pipeline does in the management account: its permission sets' inline policies, re-provisioning,
 * and deleting assignments there.
 */
export interface ManagementAccountPort
  extends Pick<
    IdentityCenterUserPort,
    | "listPermissionSets"
    | "listProvisionedPermissionSets"
    | "getInlinePolicy"
    | "putInlinePolicy"
    | "deleteInlinePolicy"
  > {
  provisionPermissionSet(permissionSetArn: string, accountId: string): Promise<{ requestId: string }>;
  provisioningStatus(requestId: string): Promise<OperationProgress>;
  /** A leaver's assignments in the management account (management-assignment-deletions.ts). */
  deleteAssignment(assignment: Assignment): Promise<{ requestId: string }>;
  assignmentDeletionStatus(requestId: string): Promise<OperationProgress>;
}

/**
 * How the Deny tasks reach the management account (core/topology.ts):
 * - `direct` (`management` topology): with the pipeline's own clients; the workflow re-provisions.
 * - `component` (`delegated-admin`): through the management component's role, assumed for the run
 *   (sts:AssumeRole with the deployment's external id, the session named after the run); the task
 *   re-provisions and polls itself, as the workflow's own role may not.
 */
export type ManagementAccountAccess =
  | { kind: "direct" }
  | { kind: "component"; roleArn: string; connect: (runId: string) => Promise<ManagementAccountPort> };

/**
 * The management component could not be assumed: not deployed in the management account (yet), or its
 * trust policy or external id does not match this deployment. The management-account part is skipped
 * with a finding; nothing else in the run depends on it.
 */
export class ManagementComponentUnavailableError extends Error {
  override name = "ManagementComponentUnavailableError";
  readonly roleArn: string;
  constructor(roleArn: string, options: { cause: unknown }) {
    const cause = options.cause as { name?: string; message?: string };
    super(
      `cannot assume the management component ${roleArn} (${cause.name ?? "Error"}: ${cause.message ?? ""}): ` +
        "deploy infra/templates/management-component.json in the management account (docs/deploy.md)",
      options,
    );
    this.roleArn = roleArn;
  }
}
