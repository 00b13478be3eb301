/**
 * Physical names of the deployed resources, derived from the app and stage. Fixed names make the IAM
 * policies exact (a role can name the very function, table or state machine it may touch before the
 * resource exists) and let alarms and the dashboard refer to them. Pure: no sst globals, so tests and
 * the README generator use it too.
 */

/** The user-reconcile Task handlers (workflows/user-reconcile.ts `USER_RECONCILE_TASKS`), kebab-cased. */
export const USER_TASK_FUNCTIONS = {
  readUserTruth: "read-user-truth",
  planUserRun: "plan-user-run",
  applyDenies: "apply-denies",
  clearOktaSessions: "clear-okta-sessions",
  verifyUserRun: "verify-user-run",
  writeUserEvidence: "write-user-evidence",
  liftDenies: "lift-denies",
} as const;
export type UserTaskName = keyof typeof USER_TASK_FUNCTIONS;

/** Lambda functions other than the user-reconcile tasks. */
export const INGRESS_FUNCTIONS = ["okta-hook", "dispatch", "okta-logstream", "okta-log-poll"] as const;
export type IngressFunction = (typeof INGRESS_FUNCTIONS)[number];

/** Lambda function names are at most 64 characters. */
const MAX_FUNCTION_NAME = 64;

/** Thrown when the app and stage make a name AWS would refuse. */
export class ResourceNameError extends Error {
  override name = "ResourceNameError";
}

export interface ResourceNames {
  /** `<app>-<stage>`: every name starts with it. */
  prefix: string;
  functions: Record<IngressFunction, string>;
  userTasks: Record<UserTaskName, string>;
  stateMachines: { userReconcile: string; estateReconcile: string };
  tables: { idempotency: string; state: string };
  bus: string;
  /** Secrets Manager secret names (ARNs end in `-` and six random characters). */
  secrets: { hookCurrent: string; hookNext: string; oktaToken: string };
  /**
   * Dead-letter queues, one per asynchronous path: each takes both what EventBridge (rule or
   * schedule) could not deliver and what the function still failed after Lambda's async retries.
   */
  queues: { dispatch: string; logstream: string; poller: string; estateSchedule: string };
  rules: { lifecycle: string; logStreaming: string };
  schedules: { poller: string; estateReconcile: string };
  alarmTopic: string;
  dashboard: string;
  /** The Step Functions log groups (vended logs, so not under /aws/lambda). */
  stateMachineLogGroups: { userReconcile: string; estateReconcile: string };
}

/**
 * Every physical name for one stage. The stage must keep the longest Lambda name within 64 characters.
 */
export function resourceNames(app: string, stage: string): ResourceNames {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(stage)) {
    throw new ResourceNameError(`stage "${stage}" must be lower-case letters, digits and dashes`);
  }
  const prefix = `${app}-${stage}`;
  const fn = (key: string) => {
    const name = `${prefix}-${key}`;
    if (name.length > MAX_FUNCTION_NAME) {
      throw new ResourceNameError(
        `function name ${name} is ${name.length} characters; AWS allows ${MAX_FUNCTION_NAME}: use a shorter stage`,
      );
    }
    return name;
  };
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
    stateMachines: {
      userReconcile: `${prefix}-user-reconcile`,
      estateReconcile: `${prefix}-estate-reconcile`,
    },
    tables: { idempotency: `${prefix}-idempotency`, state: `${prefix}-state` },
    bus: `${prefix}-lifecycle`,
    secrets: {
      hookCurrent: `${prefix}/hook-secret-current`,
      hookNext: `${prefix}/hook-secret-next`,
      oktaToken: `${prefix}/okta-api-token`,
    },
    queues: {
      dispatch: `${prefix}-dispatch-dlq`,
      logstream: `${prefix}-okta-logstream-dlq`,
      poller: `${prefix}-okta-log-poll-dlq`,
      estateSchedule: `${prefix}-estate-reconcile-dlq`,
    },
    rules: { lifecycle: `${prefix}-lifecycle-to-dispatch`, logStreaming: `${prefix}-okta-log-streaming` },
    schedules: { poller: `${prefix}-okta-log-poll`, estateReconcile: `${prefix}-estate-reconcile` },
    alarmTopic: `${prefix}-alarms`,
    dashboard: `${prefix}`,
    stateMachineLogGroups: {
      userReconcile: `/aws/vendedlogs/states/${prefix}-user-reconcile`,
      estateReconcile: `/aws/vendedlogs/states/${prefix}-estate-reconcile`,
    },
  };
}
