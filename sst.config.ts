/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "okta-aws-lifecycle",
      home: "aws",
      removal: input?.stage === "prod" ? "retain" : "remove",
      protect: input?.stage === "prod",
      // Deploy in Identity Center's home region (docs/deploy.md); unset: the AWS profile's region.
      ...(process.env.OAL_HOME_REGION
        ? { providers: { aws: { region: process.env.OAL_HOME_REGION as aws.Region } } }
        : {}),
    };
  },
  async run() {
    // Every setting is read and checked, and the topology decided, before any resource is created.
    const { resourceNames } = await import("./infra/names");
    const { preflight } = await import("./infra/preflight");
    const deployment = await preflight(process.env, resourceNames($app.name, $app.stage));
    const { evidenceBucket } = await import("./infra/evidence-bucket");
    const { readEvidenceSettings } = await import("./infra/evidence-settings");
    const evidence = evidenceBucket(readEvidenceSettings(process.env));
    const { lifecycleStack } = await import("./infra/lifecycle-stack");
    const { estateWorkflow } = await import("./infra/estate-workflow");
    const pipeline = lifecycleStack({
      evidence: {
        bucketName: evidence.bucket.name,
        encryptionKeyArn: evidence.encryptionKey.arn,
        signingKeyArn: evidence.signingKey.arn,
        writerEnvironment: { EVIDENCE_SIGNING_KEY_ID: evidence.signingKey.arn },
      },
      estateWorkflow: estateWorkflow(),
      deployment,
    });
    return {
      ...pipeline,
      evidenceBucket: evidence.bucket.name,
      evidenceAccessLogBucket: evidence.accessLogs.name,
      evidenceSigningKey: evidence.signingKey.arn,
    };
  },
});
