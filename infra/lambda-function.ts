/**
 * The one way this stack creates a Lambda function: a fixed name (so policies, alarms and the
 * dashboard can name it), the role from infra/roles.ts (SST adds no permissions of its own when given
 * a role), Node 24 on arm64, JSON logs kept 90 days, X-Ray active tracing, and Powertools settings.
 *
 * Source maps: `NODE_OPTIONS=--enable-source-maps` maps stack traces back to the TypeScript only if
 * the bundle carries the maps, and SST adds them to a deployed bundle only with `nodejs.sourcemap`
 * (its default is false): both are set, so a stack trace in the logs names `usecases/...ts:line`.
 *
 * Tracing: with Active tracing Lambda itself records a segment per invocation (no code needed, "AWS
 * Lambda and AWS X-Ray", X-Ray developer guide), so each Task of a traced Step Functions execution shows
 * its function's time. Subsegments per AWS call would need Powertools Tracer
 * (`@aws-lambda-powertools/tracer`, `captureAWSv3Client`) in every entry point; it is not a dependency:
 * it builds on the X-Ray SDK, in maintenance mode since 2026-02-25 (AWS recommends OpenTelemetry).
 */
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export interface LambdaFunctionArgs {
  /** The physical name (infra/names.ts). */
  name: string;
  /** `path/to/file.exportName`, relative to the project root. */
  handler: string;
  role: aws.iam.Role;
  environment: Record<string, $util.Input<string>>;
  /** @default "30 seconds" */
  timeout?: `${number} seconds` | `${number} minutes`;
  /** @default "512 MB" */
  memory?: `${number} MB`;
  /** Files bundled next to the handler (the access policy when it is bundled). */
  copyFiles?: { from: string; to?: string }[];
  /** Reserved concurrency: a cap on this function's instances and a floor kept for it. Unset: none. */
  reservedConcurrency?: number;
}

export function lambdaFunction(id: string, args: LambdaFunctionArgs) {
  return new sst.aws.Function(id, {
    name: args.name,
    handler: args.handler,
    role: args.role.arn,
    runtime: "nodejs24.x",
    architecture: "arm64",
    timeout: args.timeout ?? "30 seconds",
    memory: args.memory ?? "512 MB",
    logging: { retention: "3 months", format: "json" },
    nodejs: { sourcemap: true },
    environment: {
      POWERTOOLS_METRICS_NAMESPACE: RUNTIME_CONTRACT.metricNamespace,
      POWERTOOLS_LOG_LEVEL: "INFO",
      NODE_OPTIONS: "--enable-source-maps",
      ...args.environment,
    },
    ...(args.copyFiles ? { copyFiles: args.copyFiles } : {}),
    ...(args.reservedConcurrency === undefined
      ? {}
      : { concurrency: { reserved: args.reservedConcurrency } }),
    transform: {
      function: (fn) => {
        fn.tracingConfig = { mode: "Active" };
      },
    },
  });
}
