/**
 * One CloudWatch dashboard: the three ingress nets, the workflows, time-to-revoke, the dead-letter
 * queues and every alarm, so an operator sees the pipeline's health on one page.
 */
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export interface DashboardTargets {
  names: ResourceNames;
  parameters: DeploymentParameters;
  region: $util.Input<string>;
  hookApiId: $util.Input<string>;
  stateMachines: Record<string, $util.Input<string>>;
  deadLetterQueueNames: $util.Input<string>[];
}

type Metric = (string | { stat?: string; label?: string })[];

export function dashboard(targets: DashboardTargets) {
  const { names, parameters } = targets;
  const ns = RUNTIME_CONTRACT.metricNamespace;
  const TIME_TO_REVOKE_METRIC = RUNTIME_CONTRACT.timeToRevokeMetric;
  const body = $resolve({
    region: $output(targets.region),
    apiId: $output(targets.hookApiId),
    machines: $output(targets.stateMachines),
    queues: $output(targets.deadLetterQueueNames),
  }).apply(({ region, apiId, machines, queues }) => {
    let y = 0;
    const widget = (title: string, metrics: Metric[], extra: Record<string, unknown> = {}) => {
      const w = {
        type: "metric",
        width: 12,
        height: 6,
        x: 0,
        y,
        properties: { title, region, metrics, ...extra },
      };
      return w;
    };
    const row = (left: ReturnType<typeof widget>, right: ReturnType<typeof widget>) => {
      const placed = [left, { ...right, x: 12 }];
      y += 6;
      return placed;
    };
    const events = (metric: string): Metric[] =>
      ["okta-hook", "okta-logstream", "okta-log-poll"].map((service) => [
        ns,
        metric,
        "service",
        service,
        { stat: "Sum", label: service },
      ]);
    const sfn = (metric: string): Metric[] =>
      Object.entries(machines).map(([name, arn]) => [
        "AWS/States",
        metric,
        "StateMachineArn",
        arn,
        { stat: "Sum", label: name },
      ]);
    const widgets = [
      ...row(
        widget("Hook requests and errors", [
          ["AWS/ApiGateway", "Count", "ApiId", apiId, { stat: "Sum", label: "requests" }],
          ["AWS/ApiGateway", "4xx", "ApiId", apiId, { stat: "Sum", label: "4xx" }],
          ["AWS/ApiGateway", "5xx", "ApiId", apiId, { stat: "Sum", label: "5xx" }],
          [ns, "HookUnauthorized", "service", "okta-hook", { stat: "Sum", label: "401" }],
        ]),
        widget("Hook latency (Okta waits 3 s)", [
          ["AWS/ApiGateway", "Latency", "ApiId", apiId, { stat: "p99", label: "p99" }],
          ["AWS/ApiGateway", "Latency", "ApiId", apiId, { stat: "p50", label: "p50" }],
        ]),
      ),
      ...row(
        widget("Lifecycle events published, by net", events("EventsPublished")),
        widget("Events failed to publish, by net", events("EventsPublishFailed")),
      ),
      ...row(
        widget("Runs started", sfn("ExecutionsStarted")),
        widget("Runs failed", [...sfn("ExecutionsFailed"), ...sfn("ExecutionsTimedOut")]),
      ),
      ...row(
        widget(
          `Time to revoke (s): Okta event -> Deny in force (SLA ${parameters.slaSeconds} s)`,
          [
            [ns, TIME_TO_REVOKE_METRIC, "service", "user-reconcile", { stat: "Maximum", label: "max" }],
            [ns, TIME_TO_REVOKE_METRIC, "service", "user-reconcile", { stat: "p50", label: "p50" }],
          ],
          {
            annotations: { horizontal: [{ label: "SLA", value: parameters.slaSeconds }] },
          },
        ),
        widget(
          "Dead-letter queues (messages)",
          queues.map((queue) => [
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "QueueName",
            queue,
            { stat: "Maximum", label: queue.replace(`${names.prefix}-`, "") },
          ]),
        ),
      ),
      ...row(
        widget("System Log poller", [
          ["AWS/Lambda", "Invocations", "FunctionName", names.functions["okta-log-poll"], { stat: "Sum" }],
          ["AWS/Lambda", "Errors", "FunctionName", names.functions["okta-log-poll"], { stat: "Sum" }],
        ]),
        widget(
          "Task function errors",
          Object.entries(names.userTasks).map(([task, fn]) => [
            "AWS/Lambda",
            "Errors",
            "FunctionName",
            fn,
            { stat: "Sum", label: task },
          ]),
        ),
      ),
    ];
    return JSON.stringify({ widgets });
  });
  return new aws.cloudwatch.Dashboard("Dashboard", { dashboardName: names.dashboard, dashboardBody: body });
}
