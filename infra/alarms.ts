/**
 * Alarms, all to one SNS topic (subscribe `OAL_ALARM_EMAIL`, or your pager, to it):
 * - workflow failures: any user-reconcile (or estate-reconcile) run FAILED, TIMED_OUT or ABORTED;
 * - dead letters: any message in any dead-letter queue;
 * - hook 5xx spike (Okta retries once, then the event waits for the poller) and 401 spike (a wrong or
 *   rotated secret, or someone probing the endpoint);
 * - time-to-revoke above the SLA (Okta published -> Deny in force, emitted by the evidence task);
 * - poller lag: no successful System Log poll in three intervals;
 * - evidence write failures: the evidence task failed (the workflow retries; the revocation is done);
 * - user runs that could tie an event to nobody (an id Okta does not know: forged, or very late), runs
 *   that revoked only in part (a refused Deny placement, a failed Okta session clear), Denies with no
 *   room left, and a revocation rate above the usual (a layoff, or someone deactivating people).
 */
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

/** Thresholds: a "spike" is this many in five minutes. */
export const ALARM_THRESHOLDS = {
  hook5xxPerFiveMinutes: 5,
  hook401PerFiveMinutes: 10,
  /** One event for an unknown id is already worth a look: it revoked nobody, but someone sent it. */
  unverifiableRunsPerFiveMinutes: 1,
  /** More leavers than this in five minutes is a layoff or an attack: someone should know at once. */
  revocationsPerFiveMinutes: 25,
} as const;

/** The EMF metric the evidence task emits per leaver, in seconds (functions/user-reconcile/handler.ts). */
const TIME_TO_REVOKE_METRIC = RUNTIME_CONTRACT.timeToRevokeMetric;

export interface AlarmTargets {
  names: ResourceNames;
  parameters: DeploymentParameters;
  hookApiId: $util.Input<string>;
  /** By a short name for the alarm (`user-reconcile`, `estate-reconcile`). */
  stateMachines: Record<string, $util.Input<string>>;
  /** By a short name for the alarm. */
  deadLetterQueues: Record<string, aws.sqs.Queue>;
}

export function alarms(targets: AlarmTargets) {
  const { names, parameters } = targets;
  const topic = new aws.sns.Topic("Alarms", { name: names.alarmTopic });
  if (parameters.alarmEmail) {
    new aws.sns.TopicSubscription("AlarmsEmail", {
      topic: topic.arn,
      protocol: "email",
      endpoint: parameters.alarmEmail,
    });
  }
  const actions = { alarmActions: [topic.arn], okActions: [topic.arn] };
  const fiveMinutes = 300;

  const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  for (const [name, arn] of Object.entries(targets.stateMachines)) {
    const metric = (id: string, metricName: string) => ({
      id,
      metric: {
        namespace: "AWS/States",
        metricName,
        dimensions: { StateMachineArn: arn },
        period: fiveMinutes,
        stat: "Sum",
      },
    });
    new aws.cloudwatch.MetricAlarm(`${pascal(name)}Failures`, {
      name: `${names.prefix}-${name}-failures`,
      alarmDescription: "A reconcile run failed, timed out or was aborted: read its execution history.",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      metricQueries: [
        { id: "failures", expression: "failed + timedOut + aborted", label: "failed runs", returnData: true },
        metric("failed", "ExecutionsFailed"),
        metric("timedOut", "ExecutionsTimedOut"),
        metric("aborted", "ExecutionsAborted"),
      ],
      ...actions,
    });
  }

  for (const [name, queue] of Object.entries(targets.deadLetterQueues)) {
    new aws.cloudwatch.MetricAlarm(`${pascal(name)}DeadLetters`, {
      name: `${names.prefix}-${name}-dead-letters`,
      alarmDescription: "Events were dead-lettered: inspect the queue, fix the cause, redrive.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      period: fiveMinutes,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      ...actions,
    });
  }

  new aws.cloudwatch.MetricAlarm("Hook5xx", {
    name: `${names.prefix}-hook-5xx`,
    alarmDescription: "The hook answered 5xx: Okta retries once, then relies on the System Log poller.",
    namespace: "AWS/ApiGateway",
    metricName: "5xx",
    dimensions: { ApiId: targets.hookApiId },
    statistic: "Sum",
    period: fiveMinutes,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: ALARM_THRESHOLDS.hook5xxPerFiveMinutes,
    treatMissingData: "notBreaching",
    ...actions,
  });
  new aws.cloudwatch.MetricAlarm("Hook401", {
    name: `${names.prefix}-hook-401`,
    alarmDescription:
      "Deliveries with a wrong Authorization header: the hook secret in Okta and HookSecret differ, or the endpoint is probed.",
    namespace: RUNTIME_CONTRACT.metricNamespace,
    metricName: "HookUnauthorized",
    dimensions: { service: "okta-hook" },
    statistic: "Sum",
    period: fiveMinutes,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: ALARM_THRESHOLDS.hook401PerFiveMinutes,
    treatMissingData: "notBreaching",
    ...actions,
  });
  const signals = RUNTIME_CONTRACT.userRunSignals;
  const userRunSignal = (id: string, metricName: string, threshold: number, alarmDescription: string) =>
    new aws.cloudwatch.MetricAlarm(id, {
      name: `${names.prefix}-${id.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`,
      alarmDescription,
      namespace: RUNTIME_CONTRACT.metricNamespace,
      metricName,
      dimensions: { service: "user-reconcile" },
      statistic: "Sum",
      period: fiveMinutes,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold,
      treatMissingData: "notBreaching",
      ...actions,
    });
  userRunSignal(
    "UnverifiableUserRuns",
    signals.unverifiable,
    ALARM_THRESHOLDS.unverifiableRunsPerFiveMinutes,
    "User runs for Okta user ids that Okta does not know and nothing ties to an Identity Center user: nobody was revoked. Forged deliveries (check the hook secret) or very late events; see the runs' evidence.",
  );
  userRunSignal(
    "PartialRevocations",
    signals.partial,
    1,
    "A user run could not do everything: a Deny placement was refused, an operation failed, or Okta sessions were not cleared. The rest was done; its evidence names what failed.",
  );
  userRunSignal(
    "DeniesDropped",
    signals.dropped,
    1,
    "Denies in force found no room in a management-account permission set's inline policy (10,240 characters): sessions there are not denied for the users the evidence names.",
  );
  userRunSignal(
    "RevocationRate",
    signals.revocations,
    ALARM_THRESHOLDS.revocationsPerFiveMinutes,
    `More than ${ALARM_THRESHOLDS.revocationsPerFiveMinutes - 1} leavers revoked in five minutes: a layoff, or someone deactivating people in Okta.`,
  );
  new aws.cloudwatch.MetricAlarm("TimeToRevoke", {
    name: `${names.prefix}-time-to-revoke-above-sla`,
    alarmDescription: `A leaver's Deny took longer than the ${parameters.slaSeconds} s SLA from Okta's event to be in force.`,
    namespace: RUNTIME_CONTRACT.metricNamespace,
    metricName: TIME_TO_REVOKE_METRIC,
    dimensions: { service: "user-reconcile" },
    statistic: "Maximum",
    period: fiveMinutes,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: parameters.slaSeconds,
    treatMissingData: "notBreaching",
    ...actions,
  });
  const lagPeriod = parameters.pollMinutes * 60 * 3;
  const lambdaMetric = (id: string, metricName: string, functionName: string, period: number) => ({
    id,
    metric: {
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: functionName },
      period,
      stat: "Sum",
    },
  });
  new aws.cloudwatch.MetricAlarm("PollerLag", {
    name: `${names.prefix}-poller-lag`,
    alarmDescription: `No successful System Log poll in ${lagPeriod / 60} minutes: the backstop net is down.`,
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: 1,
    // No data at all means the schedule stopped invoking the poller: that is lag too.
    treatMissingData: "breaching",
    metricQueries: [
      { id: "successes", expression: "invocations - errors", label: "successful polls", returnData: true },
      lambdaMetric("invocations", "Invocations", names.functions["okta-log-poll"], lagPeriod),
      lambdaMetric("errors", "Errors", names.functions["okta-log-poll"], lagPeriod),
    ],
    ...actions,
  });
  new aws.cloudwatch.MetricAlarm("EvidenceWriteFailures", {
    name: `${names.prefix}-evidence-write-failures`,
    alarmDescription:
      "Writing evidence failed (retried by the workflow; a failed run also raises workflow-failures).",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: names.userTasks.writeUserEvidence },
    statistic: "Sum",
    period: fiveMinutes,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    treatMissingData: "notBreaching",
    ...actions,
  });
  return { topic };
}
