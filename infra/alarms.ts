/**
 * Alarms, all to one SNS topic (subscribe `OAL_ALARM_EMAIL`, or your pager, to it):
 * - workflow failures: any user-reconcile (or estate-reconcile) run FAILED, TIMED_OUT or ABORTED;
 * - dead letters: any message in any dead-letter queue (kept in ALARM while SQS publishes nothing);
 * - hook 5xx spike (Okta retries once, then the event waits for the poller) and 401 spike (a wrong or
 *   rotated secret, or someone probing the endpoint);
 * - time-to-revoke above the SLA (Okta published -> Deny in force, emitted by the evidence task), and a
 *   revocation still pending past the SLA (emitted by every ApplyDeny attempt of a leaver);
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
      returnData: false,
    });
    // Step Functions publishes each of the three counts only for periods in which it happened: FILL
    // gives every period a value, so one failed run counts whether or not `a + b` would drop (or zero)
    // the timestamps where another series has none (CloudWatch User Guide, "Using metric math": FILL;
    // AWS's advice for vended metrics without datapoints, aws/aws-sdk-js-v3#6873). FILL fills the
    // newest period before a late datapoint lands; 1 of 2 periods still sees it (the guide's advice).
    new aws.cloudwatch.MetricAlarm(`${pascal(name)}Failures`, {
      name: `${names.prefix}-${name}-failures`,
      alarmDescription: "A reconcile run failed, timed out or was aborted: read its execution history.",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
      metricQueries: [
        {
          id: "failures",
          expression: "FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
          label: "failed runs",
          returnData: true,
        },
        metric("failed", "ExecutionsFailed"),
        metric("timedOut", "ExecutionsTimedOut"),
        metric("aborted", "ExecutionsAborted"),
      ],
      ...actions,
    });
  }

  // SQS publishes queue metrics only while a queue is active: for up to six hours after it last held
  // or served messages (Amazon SQS Developer Guide, "Monitoring Amazon SQS queues using CloudWatch").
  // A dead-letter queue nobody reads goes quiet with its messages still in it: `ignore` keeps the
  // alarm in ALARM through the silence until a datapoint says the queue is empty (after a redrive or
  // purge), where `notBreaching` cleared it. A queue never used stays in INSUFFICIENT_DATA (no action).
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
      treatMissingData: "ignore",
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
  const userRunSignal = (
    id: string,
    metricName: string,
    threshold: number,
    alarmDescription: string,
    service: "user-reconcile" | "estate-reconcile" = "user-reconcile",
  ) =>
    new aws.cloudwatch.MetricAlarm(id, {
      name: `${names.prefix}-${id.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`,
      alarmDescription,
      namespace: RUNTIME_CONTRACT.metricNamespace,
      metricName,
      dimensions: { service },
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
    "Denies in force found no room: in a management-account permission set's inline policy (10,240 characters), or in the revocation SCPs with massFallback: ask. Sessions are not denied for the users the evidence's deny-dropped or scp-overflow findings name.",
  );
  userRunSignal(
    "MassFallbacks",
    signals.massFallback,
    1,
    "Revocation Denies fit in no revocation SCP and the policy's massFallback is auto: every Identity Center session issued before the time in the evidence's mass-fallback finding is denied, so everyone signs in again through Okta. Expected during a layoff; otherwise add SCP slots (OAL_REVOCATION_SCP_SLOTS).",
  );
  // An estate run writes the whole ledger, so it may be the one that first needs the fallback
  // (usecases/reconcile-estate/estate-run-signals.ts): the same fact, alarmed the same way.
  userRunSignal(
    "EstateMassFallbacks",
    signals.massFallback,
    1,
    "An estate run wrote the revocation Denies and they fit in no revocation SCP under massFallback: auto: every Identity Center session issued before the time in its evidence's mass-fallback finding (which names every leaver it covers) is denied. Expected during a layoff; otherwise add SCP slots (OAL_REVOCATION_SCP_SLOTS).",
    "estate-reconcile",
  );
  userRunSignal(
    "EstateDeniesDropped",
    signals.dropped,
    1,
    "An estate run's Deny write found Denies with no room (management-account inline policy, or SCPs under massFallback: ask): its evidence's deny-dropped or scp-overflow findings name the users not denied.",
    "estate-reconcile",
  );
  userRunSignal(
    "DenyPlacementsSkipped",
    signals.skipped,
    1,
    "A user run left a Deny placement out: SCPs are disabled on the organization's root (no Deny in member accounts), or, in a delegated-admin deployment, the management component is not installed (no Deny in the management account). Access was removed; the evidence's deny-placement-skipped finding says what to do.",
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
  // A leaver run stuck in ApplyDeny's retries never emits time-to-revoke; each attempt reports how long
  // the revocation has been pending (usecases/reconcile-user/revocation-pending.ts).
  new aws.cloudwatch.MetricAlarm("RevocationPending", {
    name: `${names.prefix}-revocation-pending-above-sla`,
    alarmDescription: `A leaver's revocation is still being attempted ${parameters.slaSeconds} s after Okta's event: the Deny is not in force yet. Read the user-reconcile execution's ApplyDeny attempts.`,
    namespace: RUNTIME_CONTRACT.metricNamespace,
    metricName: RUNTIME_CONTRACT.revocationPendingMetric,
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
