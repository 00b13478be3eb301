/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "okta-aws-lifecycle",
      home: "aws",
      removal: input?.stage === "prod" ? "retain" : "remove",
      protect: input?.stage === "prod",
    };
  },
  async run() {
    const { evidenceBucket } = await import("./infra/evidence-bucket");
    const bucket = evidenceBucket();
    return { evidenceBucket: bucket.name };
  },
});
