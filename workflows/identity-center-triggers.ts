/**
 * Identity Center changes made outside the tool start a *scoped* estate run (core/plan/estate-scope.ts):
 * an assignment created or deleted by hand is judged for its (account, permission
 * set) pair, a permission-set edit for the permission set alone, within seconds and at the cost of a
 * handful of calls instead of a full read.
 *
 * Where the events are: Identity Center is regional. CloudTrail hands EventBridge its API calls
 * (source `aws.sso`, detail-type "AWS API Call via CloudTrail", `eventSource` `sso.amazonaws.com`;
 * Identity Center User Guide, "Logging IAM Identity Center API calls with AWS CloudTrail", and
 * EventBridge User Guide, "Events from AWS services delivered via AWS CloudTrail") on the *default bus
 * of the instance's home region* in the account the call was made in: the management or delegated
 * administrator account, which is where the stack is deployed (sst.config.ts deploys into
 * `OAL_HOME_REGION`, the instance's home region, because sso-admin answers only there). So these rules
 * sit on the stack's own default bus. A change made from the management account while the stack
 * runs as delegated administrator lands on the management account's default bus of the same region:
 * the management component (infra/management-component-template.ts) forwards it with
 * {@link identityCenterForwardingPatterns} to the lifecycle bus, where the `-fwd` rules match it
 * (docs/deploy.md, "What starts an estate run").
 *
 * The event fields (requestParameters as camelCase request members: `instanceArn`, `targetId`,
 * `targetType`, `permissionSetArn`, `principalType`, `principalId`; CreatePermissionSet's new ARN in
 * `responseElements.permissionSet.permissionSetArn`) are CloudTrail's, as the "Understanding CloudTrail
 * events for IAM Identity Center" page and public samples show them; the local Identity Center
 * emulator produces the same (local/emulators/identity-center/cloudtrail-events.ts).
 *
 * Events made by the tool itself are not matched: its roles all live under one IAM path
 * (infra/names.ts `rolePath`), and a role session's CloudTrail `userIdentity.sessionContext.
 * sessionIssuer.arn` is the role's ARN with that path (CloudTrail User Guide, "userIdentity element").
 * EventBridge's `anything-but` needs the field to be present, and an IAM user or the root user has no
 * session issuer, so each kind of change has two rules: callers without a role session, and role
 * sessions whose role is not under the tool's path. Only AWS may publish `aws.*` sources, so a forged
 * event cannot reach these rules; an odd one at worst costs the scoped run's read.
 */
import type { EstateEventTrigger } from "./estate-triggers.ts";

export type IdentityCenterTriggerKey =
  | "sso-assign"
  | "sso-assign-role"
  | "sso-set"
  | "sso-set-role"
  | "sso-assign-fwd"
  | "sso-set-fwd";

export const SSO_SOURCE = "aws.sso";

/** The assignment calls: each names its account (`targetId`) and permission set. */
export const SSO_ASSIGNMENT_EVENTS = ["CreateAccountAssignment", "DeleteAccountAssignment"] as const;

/** The permission-set edits: each names the permission set (CreatePermissionSet in its response). */
export const SSO_PERMISSION_SET_EVENTS = [
  "CreatePermissionSet",
  "UpdatePermissionSet",
  "DeletePermissionSet",
  "ProvisionPermissionSet",
  "PutInlinePolicyToPermissionSet",
  "DeleteInlinePolicyFromPermissionSet",
  "AttachManagedPolicyToPermissionSet",
  "DetachManagedPolicyFromPermissionSet",
  "AttachCustomerManagedPolicyReferenceToPermissionSet",
  "DetachCustomerManagedPolicyReferenceFromPermissionSet",
  "PutPermissionsBoundaryToPermissionSet",
  "DeletePermissionsBoundaryFromPermissionSet",
] as const;

/** The IAM path of every stage's roles of this app (infra/names.ts `rolePath` is one stage's). */
export const DEFAULT_TOOL_ROLE_PATH = "/okta-aws-lifecycle/";

/** `detail.userIdentity` patterns: no role session at all, or a role outside the tool's path. */
function callers(toolRolePath: string) {
  return {
    other: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } },
    role: {
      userIdentity: {
        sessionContext: {
          sessionIssuer: { arn: [{ "anything-but": { wildcard: `arn:aws*:iam::*:role${toolRolePath}*` } }] },
        },
      },
    },
  };
}

const apiCall = (eventNames: readonly string[], detail: Record<string, unknown>) => ({
  source: [SSO_SOURCE],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["sso.amazonaws.com"],
    eventName: [...eventNames],
    errorCode: [{ exists: false }],
    ...detail,
  },
});

const assignmentInput =
  '{"runId":"sso-<eventId>","trigger":{"type":"identity-center-event","eventName":"<eventName>","accountId":"<accountId>","permissionSetArn":"<permissionSetArn>"}}';
// CreatePermissionSet has its ARN in the response, the other edits in the request: a path missing
// from the event adds nothing (EventBridge input transformation), so exactly one of the two fills it.
const permissionSetInput =
  '{"runId":"sso-<eventId>","trigger":{"type":"identity-center-event","eventName":"<eventName>","permissionSetArn":"<requestedArn><createdArn>"}}';

/**
 * The management component's forwarding rules (delegated administrator): every assignment and
 * permission-set change recorded on the management account's default bus, by a caller that is not one
 * of the tool's roles (the management component's role lives under the same path), in the two
 * patterns `anything-but` needs. The `-fwd` triggers on the lifecycle bus then judge them.
 */
export function identityCenterForwardingPatterns(toolRolePath = DEFAULT_TOOL_ROLE_PATH) {
  const who = callers(toolRolePath);
  const events = [...SSO_ASSIGNMENT_EVENTS, ...SSO_PERMISSION_SET_EVENTS];
  return { other: apiCall(events, who.other), role: apiCall(events, who.role) };
}

export function identityCenterTriggers(toolRolePath = DEFAULT_TOOL_ROLE_PATH): EstateEventTrigger[] {
  const who = callers(toolRolePath);
  // Forwarded events were filtered on the tool's callers by the forwarding rule: no caller pattern.
  const forwarded = {};
  const assignment = (
    key: IdentityCenterTriggerKey,
    caller: Record<string, unknown>,
  ): EstateEventTrigger => ({
    key,
    description: "An assignment changed outside the tool is judged for its (account, permission set) pair",
    bus: caller === forwarded ? "lifecycle" : "default",
    pattern: apiCall(SSO_ASSIGNMENT_EVENTS, {
      requestParameters: { targetType: ["AWS_ACCOUNT"] },
      ...caller,
    }),
    inputPathsMap: {
      eventId: "$.id",
      eventName: "$.detail.eventName",
      accountId: "$.detail.requestParameters.targetId",
      permissionSetArn: "$.detail.requestParameters.permissionSetArn",
    },
    inputTemplate: assignmentInput,
  });
  const permissionSet = (
    key: IdentityCenterTriggerKey,
    caller: Record<string, unknown>,
  ): EstateEventTrigger => ({
    key,
    description: "A permission set edited outside the tool is judged alone",
    bus: caller === forwarded ? "lifecycle" : "default",
    pattern: apiCall(SSO_PERMISSION_SET_EVENTS, caller),
    inputPathsMap: {
      eventId: "$.id",
      eventName: "$.detail.eventName",
      requestedArn: "$.detail.requestParameters.permissionSetArn",
      createdArn: "$.detail.responseElements.permissionSet.permissionSetArn",
    },
    inputTemplate: permissionSetInput,
  });
  return [
    assignment("sso-assign", who.other),
    assignment("sso-assign-role", who.role),
    permissionSet("sso-set", who.other),
    permissionSet("sso-set-role", who.role),
    assignment("sso-assign-fwd", forwarded),
    permissionSet("sso-set-fwd", forwarded),
  ];
}
