import { beforeAll, describe, expect, it } from "vitest";
import { installFakeSstGlobals } from "../support/fake-sst-globals.ts";

describe("infra/lambda-function: what every function is deployed with", () => {
  let args: Record<string, unknown> & {
    environment: Record<string, string>;
    nodejs?: { sourcemap?: boolean };
    transform: { function: (fn: Record<string, unknown>) => void };
  };
  beforeAll(async () => {
    const declared = installFakeSstGlobals();
    // A computed specifier: infra/ is type-checked against SST's platform types (tsconfig.infra.json).
    const infraModule = "../../infra/lambda-function.ts";
    const { lambdaFunction } = await import(infraModule);
    lambdaFunction("Probe", {
      name: "okta-aws-lifecycle-test-probe",
      handler: "functions/dispatch/handler.handler",
      role: { arn: "arn:aws:iam::111122223333:role/probe" },
      environment: { EXTRA: "1" },
    });
    args = declared.find((d) => d.type === "sst.aws.Function")?.args as typeof args;
  });

  it("ships source maps whenever Node is told to use them", () => {
    // Act
    const enabled = (args.environment.NODE_OPTIONS ?? "").includes("--enable-source-maps");

    // Assess: the flag without maps in the bundle maps nothing (SST's nodejs.sourcemap defaults to false)
    expect(enabled).toBe(true);
    expect(args.nodejs?.sourcemap).toBe(true);
  });

  it("turns X-Ray Active tracing on, keeps the caller's environment and the role it was given", () => {
    // Prepare
    const fn: Record<string, unknown> = {};

    // Act
    args.transform.function(fn);

    // Assess
    expect(fn.tracingConfig).toEqual({ mode: "Active" });
    expect(args.environment).toMatchObject({ EXTRA: "1", POWERTOOLS_METRICS_NAMESPACE: "OktaAwsLifecycle" });
    expect(args.role).toBe("arn:aws:iam::111122223333:role/probe");
  });
});
