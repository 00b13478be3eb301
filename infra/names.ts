/**
 * Physical names of the deployed resources, derived from the app and stage. Fixed names make the IAM
 * policies exact (a role can name the very function, table or state machine it may touch before the
 * resource exists) and let alarms and the dashboard refer to them. Pure: no sst globals, so tests and
 * the README generator use it too.
 */

import { ESTATE_RECONCILE_TASKS, type EstateReconcileTask } from "../workflows/estate-reconcile.ts";
import type { EstateEventTrigger } from "../workflows/estate-triggers.ts";

/** The user-reconcile Task handlers (workflows/user-reconcile.ts `USER_RECONCILE_TASKS`), kebab-cased. */
export const USER_TASK_FUNCTIONS = {
  readUserTruth: "read-user-truth",
  planUserRun: "plan-user-run",
  applyDenies: "apply-denies",
  revokeCredentials: "revoke-credentials",
  loadAssignmentDeletions: "load-assignment-deletions",
  recordAssignmentDeletions: "record-assignment-deletions",
  clearOktaSessions: "clear-okta-sessions",
  verifyUserRun: "verify-user-run",
  writeUserEvidence: "write-user-evidence",
  liftDenies: "lift-denies",
  liftCredentialDenies: "lift-credential-denies",
} as const;
export type UserTaskName = keyof typeof USER_TASK_FUNCTIONS;

/** An estate-reconcile task's function name, `<prefix>-estate-<kebab-cased task>`. */
export function estateTaskFunctionName(prefix: string, task: string): string {
  return `${prefix}-estate-${task.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The estate-reconcile event triggers (workflows/estate-triggers.ts), each deployed as its own rule. */
export type EstateTriggerKey = EstateEventTrigger["key"];

/** Lambda functions other than the user-reconcile tasks. */
export const INGRESS_FUNCTIONS = ["okta-hook", "dispatch", "okta-logstream", "okta-log-poll"] as const;
export type IngressFunction = (typeof INGRESS_FUNCTIONS)[number];

/** AWS's name limits: functions, rules and schedules 64 characters; queues and state machines 80. */
const NAME_LIMITS = {
  function: { max: 64, label: "Lambda function" },
  rule: { max: 64, label: "EventBridge rule" },
  schedule: { max: 64, label: "schedule" },
  queue: { max: 80, label: "SQS queue" },
  stateMachine: { max: 80, label: "state machine" },
} as const;

/** Thrown when the app and stage make a name AWS would refuse. */
export class ResourceNameError extends Error {
  override name = "ResourceNameError";
}

export interface ResourceNames {
  /** `<app>-<stage>`: every name starts with it. */
  prefix: string;
  functions: Record<IngressFunction, string>;
  userTasks: Record<UserTaskName, string>;
  /** The estate-reconcile task functions (workflows/estate-reconcile.ts `ESTATE_RECONCILE_TASKS`). */
  estateTasks: Record<EstateReconcileTask, string>;
  stateMachines: { userReconcile: string; estateReconcile: string };
  tables: { idempotency: string; state: string };
  bus: string;
  /** Secrets Manager secret names (ARNs end in `-` and six random characters). */
  secrets: { hookCurrent: string; hookNext: string; oktaToken: string; oktaPrivateKey: string };
  /**
   * Dead-letter queues, one per asynchronous path: each takes both what EventBridge (rule or
   * schedule) could not deliver and what the function still failed after Lambda's async retries.
   */
  queues: { dispatch: string; logstream: string; poller: string; estateReconcile: string };
  rules: {
    lifecycle: string;
    logStreaming: string;
    /** `<prefix>-estate-on-<key>`: one rule per estate trigger, on the trigger's bus. */
    estateTriggers: Record<EstateTriggerKey, string>;
    /** The us-east-1 default-bus rule forwarding Organizations events to the lifecycle bus. */
    organizationsForwarder: string;
  };
  schedules: { poller: string; estateReconcile: string };
  alarmTopic: string;
  dashboard: string;
  /** The Step Functions log groups (vended logs, so not under /aws/lambda). */
  stateMachineLogGroups: { userReconcile: string; estateReconcile: string };
  /**
   * The IAM path of every role the stack creates, `/okta-aws-lifecycle/<stage>/`: the Organizations
   * delegation policy (docs/deploy.md) names the tool's roles by it.
   */
  rolePath: string;
  /** The revocation SCP slot `n` (1-based): `<prefix>-revocation-<n>` (infra/revocation-scp-slots.ts). */
  revocationScp: (n: number) => string;
  /** The credentials guardrail SCP slot: `<prefix>-credentials-guardrail` (infra/credentials-guardrail-slot.ts). */
  guardrailScp: string;
}

/**
 * Every physical name for one stage. The stage must keep every name within AWS's limit for its kind
 * (the longest is the estate task function `<prefix>-estate-write-estate-evidence`: a stage of up to
 * 16 characters fits with the app name `okta-aws-lifecycle`).
 */
export function resourceNames(app: string, stage: string): ResourceNames {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(stage)) {
    throw new ResourceNameError(`stage "${stage}" must be lower-case letters, digits and dashes`);
  }
  const prefix = `${app}-${stage}`;
  const limited = (kind: keyof typeof NAME_LIMITS, name: string) => {
    const { max, label } = NAME_LIMITS[kind];
    if (name.length > max) {
      throw new ResourceNameError(
        `${label} name ${name} is ${name.length} characters; AWS allows ${max}: use a shorter stage`,
      );
    }
    return name;
  };
  const fn = (key: string) => limited("function", `${prefix}-${key}`);
  const rule = (key: string) => limited("rule", `${prefix}-${key}`);
  const estateTrigger = (key: EstateTriggerKey) => rule(`estate-on-${key}`);
  const functions = Object.fromEntries(INGRESS_FUNCTIONS.map((f) => [f, fn(f)])) as Record<
    IngressFunction,
    string
  >;
  const userTasks = Object.fromEntries(
    Object.entries(USER_TASK_FUNCTIONS).map(([task, key]) => [task, fn(key)]),
  ) as Record<UserTaskName, string>;
  return {
    prefix,
    functions,
    userTasks,
    estateTasks: Object.fromEntries(
      ESTATE_RECONCILE_TASKS.map((task) => [task, limited("function", estateTaskFunctionName(prefix, task))]),
    ) as Record<EstateReconcileTask, string>,
    stateMachines: {
      userReconcile: limited("stateMachine", `${prefix}-user-reconcile`),
      estateReconcile: limited("stateMachine", `${prefix}-estate-reconcile`),
    },
    tables: { idempotency: `${prefix}-idempotency`, state: `${prefix}-state` },
    bus: `${prefix}-lifecycle`,
    secrets: {
      hookCurrent: `${prefix}/hook-secret-current`,
      hookNext: `${prefix}/hook-secret-next`,
      oktaToken: `${prefix}/okta-api-token`,
      oktaPrivateKey: `${prefix}/okta-service-app-private-key`,
    },
    queues: {
      dispatch: limited("queue", `${prefix}-dispatch-dlq`),
      logstream: limited("queue", `${prefix}-okta-logstream-dlq`),
      poller: limited("queue", `${prefix}-okta-log-poll-dlq`),
      // The schedule's and the estate trigger rules' dead letters.
      estateReconcile: limited("queue", `${prefix}-estate-reconcile-dlq`),
    },
    rules: {
      lifecycle: rule("lifecycle-to-dispatch"),
      logStreaming: rule("okta-log-streaming"),
      estateTriggers: {
        "account-created": estateTrigger("account-created"),
        "account-moved": estateTrigger("account-moved"),
        "account-tagged": estateTrigger("account-tagged"),
        "policy-changed": estateTrigger("policy-changed"),
        "okta-group-event": estateTrigger("okta-group-event"),
        "sso-assign": estateTrigger("sso-assign"),
        "sso-assign-role": estateTrigger("sso-assign-role"),
        "sso-set": estateTrigger("sso-set"),
        "sso-set-role": estateTrigger("sso-set-role"),
        // delegated-admin: the management account's Identity Center events, forwarded to the lifecycle bus
        "sso-assign-fwd": estateTrigger("sso-assign-fwd"),
        "sso-set-fwd": estateTrigger("sso-set-fwd"),
      },
      organizationsForwarder: rule("forward-org-events"),
    },
    schedules: {
      poller: limited("schedule", `${prefix}-okta-log-poll`),
      estateReconcile: limited("schedule", `${prefix}-estate-reconcile`),
    },
    alarmTopic: `${prefix}-alarms`,
    dashboard: `${prefix}`,
    stateMachineLogGroups: {
      userReconcile: `/aws/vendedlogs/states/${prefix}-user-reconcile`,
      estateReconcile: `/aws/vendedlogs/states/${prefix}-estate-reconcile`,
    },
    rolePath: `/${app}/${stage}/`,
    revocationScp: (n) => `${prefix}-revocation-${n}`,
    guardrailScp: `${prefix}-credentials-guardrail`,
  };
}
