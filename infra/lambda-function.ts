/**
 * The one way this stack creates a Lambda function: a fixed name (so policies, alarms and the
 * dashboard can name it), the role from infra/roles.ts (SST adds no permissions of its own when given
 * a role), Node 24 on arm64, JSON logs kept 90 days, X-Ray active tracing, and Powertools settings.
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
