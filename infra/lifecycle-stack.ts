/**
 * The lifecycle pipeline of issue 7, one call from sst.config.ts: parameters and discovery, secrets,
 * tables, the bus, the three ingress nets, the workflows, alarms and the dashboard. Every role comes
 * from infra/permissions.ts. The evidence bucket and its keys (infra/evidence-bucket.ts) are passed in.
 */

import { readFileSync } from "node:fs";
import { alarms } from "./alarms.ts";
import { credentialsGuardrailSlot } from "./credentials-guardrail-slot.ts";
import { dashboard } from "./dashboard.ts";
import { discoverFacts } from "./discovery.ts";
import { type EstateReconcileWorkflow, estateReconcile } from "./estate-reconcile.ts";
import { estateTriggers } from "./estate-triggers.ts";
import { restrictEvidenceSigning } from "./evidence-keys.ts";
import { hookApi } from "./hook-api.ts";
import { dispatch, lifecycleBus } from "./lifecycle-bus.ts";
import { logPoller } from "./log-poller.ts";
import { logStreaming } from "./log-streaming.ts";
import { memberRolesStackSet } from "./member-roles.ts";
import { checkMembershipSync } from "./membership-sync.ts";
import { resourceNames, USER_TASK_FUNCTIONS } from "./names.ts";
import { organizationsForwarding } from "./organizations-forwarding.ts";
import { policyLocationValue } from "./parameters.ts";
import { ESTATE_TASK_ROLES, type PermissionFacts } from "./permissions.ts";
import type { Preflight } from "./preflight.ts";
import { revocationScpSlots } from "./revocation-scp-slots.ts";
import { secrets as createSecrets } from "./secrets.ts";
import { tables as createTables } from "./tables.ts";
import { userReconcile, userReconcileEnvironment } from "./user-reconcile.ts";
import { workBucket } from "./work-bucket.ts";

/** What the evidence storage (infra/evidence-bucket.ts) gives the pipeline. */
export interface EvidenceOutputs {
  bucketName: $util.Input<string>;
  /** The bucket's SSE-KMS key: writers need kms:GenerateDataKey on it. */
  encryptionKeyArn?: $util.Input<string>;
  /** The manifest signing key, when a function of this stack signs. */
  signingKeyArn?: $util.Input<string>;
  /** Extra environment for the evidence writers. */
  writerEnvironment?: Record<string, $util.Input<string>>;
}

export function lifecycleStack(options: {
  evidence: EvidenceOutputs;
  /** workflows/estate-reconcile.ts, once it exists (infra/estate-reconcile.ts). */
  estateWorkflow?: EstateReconcileWorkflow;
  /** The parameters and topology infra/topology.ts `preflight` read and checked before any resource. */
  deployment: Preflight;
}) {
  const { topology } = options.deployment;
  const parameters = {
    ...options.deployment.parameters,
    organizationsEvents: topology.organizationsEvents,
  };
  checkMembershipSync(parameters, (path) => readFileSync(path, "utf8"));
  const names = resourceNames($app.name, $app.stage);
  const discovered = discoverFacts(parameters);
  const scpSlots = revocationScpSlots({ names, parameters, retained: options.deployment.retainedScpSlots });
  const guardrailSlot = parameters.credentialsGuardrail
    ? credentialsGuardrailSlot({
        names,
        rootId: scpSlots.rootId,
        retained: options.deployment.retainedGuardrailSlot,
      })
    : undefined;
  if (parameters.memberRoles) {
    memberRolesStackSet({
      names,
      partition: discovered.partition,
      toolAccountId: discovered.accountId,
      topology: topology.topology,
      organizationalUnitIds: parameters.memberRoles.targets ?? scpSlots.rootId.apply((root) => [root]),
      region: discovered.region,
      ...(parameters.memberRoles.externalId ? { externalId: parameters.memberRoles.externalId } : {}),
    });
  }
  // Run scratch: every user run's truth, plan and outcomes, and the estate runs' plans.
  const work = workBucket();
  const facts: $util.Output<PermissionFacts> = $resolve({
    partition: discovered.partition,
    region: discovered.region,
    accountId: discovered.accountId,
    organization: discovered.organization,
    identityCenter: discovered.identityCenter,
    evidenceBucket: $output(options.evidence.bucketName),
    encryptionKey: $output(options.evidence.encryptionKeyArn),
    signingKey: $output(options.evidence.signingKeyArn),
    workBucket: $output(work?.name),
    revocationScpIds: scpSlots.ids,
    guardrailScpId: $output(guardrailSlot?.id),
  }).apply((d) => ({
    partition: d.partition,
    region: d.region,
    accountId: d.accountId,
    managementAccountId: d.organization.managementAccountId,
    organizationId: d.organization.organizationId,
    instanceArn: d.identityCenter.instanceArn,
    identityStoreId: d.identityCenter.identityStoreId,
    names,
    evidenceBucket: d.evidenceBucket,
    ...(d.encryptionKey ? { evidenceEncryptionKeyArn: d.encryptionKey } : {}),
    ...(d.signingKey ? { evidenceSigningKeyArn: d.signingKey } : {}),
    ...(d.workBucket ? { workBucket: d.workBucket } : {}),
    ...(parameters.policy.kind === "s3"
      ? { policyObject: { bucket: parameters.policy.bucket, key: parameters.policy.key } }
      : {}),
    ...(parameters.logStreamingSource ? { logStreamingSource: parameters.logStreamingSource } : {}),
    revocationScpIds: d.revocationScpIds,
    ...(d.guardrailScpId ? { guardrailScpId: d.guardrailScpId } : {}),
    membershipSync: parameters.membershipSync,
    topology: topology.topology,
    ...(topology.managementComponent
      ? {
          managementComponent: {
            roleArn: topology.managementComponent.roleArn,
            externalId: topology.managementComponent.externalId,
          },
        }
      : {}),
  }));

  const secrets = createSecrets(names, parameters.oktaClientId);
  const tables = createTables(names);
  const bus = lifecycleBus(names);
  const common = { names, parameters, facts, tables, secrets };
  const evidenceDeps = {
    evidenceBucketName: options.evidence.bucketName,
    ...(options.evidence.writerEnvironment
      ? { evidenceEnvironment: options.evidence.writerEnvironment }
      : {}),
  };
  const users = userReconcile({ ...common, ...evidenceDeps });
  const dispatcher = dispatch({ names, facts, bus, tables, userReconcileArn: users.stateMachine.arn });
  const hook = hookApi({ ...common, bus });
  const streaming = logStreaming({ names, parameters, facts, tables, bus });
  const poller = logPoller({ ...common, bus });
  const estate = estateReconcile(
    {
      ...common,
      evidenceBucketName: options.evidence.bucketName,
      environment: {
        ...userReconcileEnvironment({ ...common, ...evidenceDeps }),
        ...(work ? { WORK_BUCKET: work.name } : {}),
      },
    },
    options.estateWorkflow,
  );
  // Account and policy events start estate runs too (Organizations events via the lifecycle bus).
  if (estate) {
    estateTriggers({ names, parameters, facts, bus, estate });
    organizationsForwarding({ names, parameters, facts, bus });
  }
  // The signing key signs for the evidence writers only (infra/evidence-signing-policy.ts).
  if (options.evidence.signingKeyArn) {
    const roleOf = (fn: sst.aws.Function) => fn.nodes.function.apply((f) => f.role);
    const estateEvidenceWriter = estate?.functions.writeEstateEvidence;
    restrictEvidenceSigning({
      signingKeyArn: options.evidence.signingKeyArn,
      facts,
      roleArns: {
        [USER_TASK_FUNCTIONS.writeUserEvidence]: roleOf(users.functions.writeUserEvidence),
        ...(estateEvidenceWriter
          ? { [ESTATE_TASK_ROLES.writeEstateEvidence]: roleOf(estateEvidenceWriter) }
          : {}),
      },
    });
  }

  const stateMachines: Record<string, $util.Input<string>> = {
    "user-reconcile": users.stateMachine.arn,
    ...(estate ? { "estate-reconcile": estate.stateMachine.arn } : {}),
  };
  const deadLetterQueues = {
    dispatch: dispatcher.deadLetters,
    poller: poller.deadLetters,
    ...(streaming ? { logstream: streaming.deadLetters } : {}),
    ...(estate ? { "estate-reconcile": estate.deadLetters } : {}),
  };
  const { topic } = alarms({
    names,
    parameters,
    hookApiId: hook.api.nodes.api.id,
    stateMachines,
    deadLetterQueues,
  });
  dashboard({
    names,
    parameters,
    region: discovered.region,
    hookApiId: hook.api.nodes.api.id,
    stateMachines,
    deadLetterQueueNames: Object.values(deadLetterQueues).map((q) => q.name),
  });

  return {
    hookUrl: hook.hookUrl,
    userReconcile: users.stateMachine.arn,
    estateReconcile: estate?.stateMachine.arn ?? "not deployed (workflows/estate-reconcile.ts not wired)",
    lifecycleBus: bus.name,
    /** The access policy (`OAL_POLICY`), for `doctor`'s policy-change check. */
    policyLocation: policyLocationValue(parameters.policy),
    stateTable: tables.state.name,
    idempotencyTable: tables.idempotency.name,
    alarmTopic: topic.arn,
    instanceArn: discovered.identityCenter.apply((ic) => ic.instanceArn),
    identityStoreId: discovered.identityCenter.apply((ic) => ic.identityStoreId),
    /** Where the stack runs (core/topology.ts), for `doctor`. */
    topology: topology.topology,
    /** delegated-admin: the management component's role and external id (its template's parameters). */
    ...(topology.managementComponent
      ? {
          managementComponentRoleArn: topology.managementComponent.roleArn,
          managementComponentExternalId: topology.managementComponent.externalId,
          managementComponentRoleName: topology.managementComponent.roleName,
          managementComponentRolePath: topology.managementComponent.rolePath,
        }
      : {}),
    /** The revocation SCP slots (the CLI's `doctor` and `reconcile` may be given them). */
    revocationScpIds: scpSlots.ids.apply((ids) => ids.join(",")),
    /** The credentials guardrail slot (OAL_CREDENTIALS_GUARDRAIL=on), empty when off. */
    guardrailScpId: $output(guardrailSlot?.id).apply((id) => id ?? ""),
  };
}
