/**
 * Whether a role's trust policy lets a caller assume it, evaluated by @cloud-copilot/iam-simulate (the
 * same evaluator that proves the revocation Denies): the trust policy is the role's resource policy,
 * the action `sts:AssumeRole` (plus `sts:SetSourceIdentity` when the request sets a source identity:
 * "the role trust policy must allow sts:SetSourceIdentity", IAM User Guide, "Monitor and control
 * actions taken with assumed roles"), with `sts:ExternalId`, `sts:RoleSessionName`, `sts:SourceIdentity`
 * and `aws:PrincipalArn` (the role's ARN for a role session: caller.ts) as context keys. The caller's
 * own identity policies are not modelled: every caller may call sts:AssumeRole in its own account, so a cross-account assumption turns on the trust
 * policy alone (AWS asks both sides: STS API Reference, AssumeRole). Local-only: the simulator is
 * AGPL-licensed and never bundled into the deployed functions.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

export interface TrustRequest {
  trustPolicy: string;
  roleArn: string;
  roleAccountId: string;
  /** The caller's ARN (an assumed-role session's `arn:aws:sts::...:assumed-role/...`). */
  callerArn: string;
  /** `aws:PrincipalArn` (caller.ts): a session's role ARN, with its path. */
  principalArn: string;
  sessionName: string;
  externalId?: string;
  sourceIdentity?: string;
}

async function allows(request: TrustRequest, action: string): Promise<boolean> {
  const context: Record<string, string> = {
    "sts:RoleSessionName": request.sessionName,
    "aws:PrincipalArn": request.principalArn,
  };
  if (request.externalId !== undefined) context["sts:ExternalId"] = request.externalId;
  if (request.sourceIdentity !== undefined) context["sts:SourceIdentity"] = request.sourceIdentity;
  const result = await runSimulation(
    {
      request: {
        principal: request.callerArn,
        action,
        resource: { resource: request.roleArn, accountId: request.roleAccountId },
        contextVariables: context,
      },
      identityPolicies: [{ name: "CallerMayAssumeRoles", policy: ALLOW_ALL }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: JSON.parse(request.trustPolicy),
    } as never,
    {},
  );
  return result.resultType !== "error" && "overallResult" in result && result.overallResult === "Allowed";
}

export async function trustAdmits(request: TrustRequest): Promise<boolean> {
  if (!(await allows(request, "sts:AssumeRole"))) return false;
  return request.sourceIdentity === undefined || allows(request, "sts:SetSourceIdentity");
}
