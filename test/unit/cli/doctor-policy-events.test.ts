import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPolicyEvents, parseS3PolicyLocation } from "../../../cli/doctor/policy-events-check.ts";
import { resolveDoctorTargets } from "../../../cli/doctor/targets.ts";

const client = (endpoint: string, region = "eu-west-1") =>
  new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 1,
  });

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

/**
 * S3's wire answers for one bucket (GetBucketLocation, GetBucketNotificationConfiguration), so the
 * real client deserializes them: s3rver implements neither notification settings nor regions.
 */
async function s3Answering(location: string, notification: string) {
  const server: Server = createServer((request, response) => {
    response.setHeader("content-type", "application/xml");
    response.end(
      request.url?.includes("notification")
        ? `${XML}<NotificationConfiguration ${NS}>${notification}</NotificationConfiguration>`
        : `${XML}<LocationConstraint ${NS}>${location}</LocationConstraint>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const QUEUE_CONFIGURATION =
  "<QueueConfiguration><Id>ingest</Id><Queue>arn:aws:sqs:eu-west-1:111122223333:ingest</Queue>" +
  "<Event>s3:ObjectCreated:*</Event></QueueConfiguration>";

describe("doctor: policy change events (real S3 client)", () => {
  it("passes a bucket in the deployment's region with EventBridge notifications on", async () => {
    // Prepare
    const s3 = await s3Answering(
      "eu-west-1",
      `${QUEUE_CONFIGURATION}<EventBridgeConfiguration></EventBridgeConfiguration>`,
    );

    // Act
    const result = await checkPolicyEvents({
      s3: client(s3.endpoint),
      bucket: "acme-config",
      key: "policy.yaml",
    });
    await s3.close();

    // Assess
    expect(result).toEqual({
      check: "Policy change events",
      status: "ok",
      detail: "acme-config sends events to EventBridge: a new version of policy.yaml starts an estate run",
    });
  });

  it("flags notifications off and prints the command that turns them on without dropping the others", async () => {
    // Prepare
    const s3 = await s3Answering("eu-west-1", QUEUE_CONFIGURATION);

    // Act
    const result = await checkPolicyEvents({
      s3: client(s3.endpoint),
      bucket: "acme-config",
      key: "policy.yaml",
    });
    await s3.close();

    // Assess
    expect(result.status).toBe("problem");
    expect(result.detail).toBe(
      "acme-config does not send events to EventBridge: a new version of policy.yaml waits for the scheduled run",
    );
    const [command, json] = (result.fix ?? "").split(" --notification-configuration ");
    expect(command).toBe("aws s3api put-bucket-notification-configuration --bucket acme-config");
    expect(JSON.parse((json ?? "").slice(1, -1))).toEqual({
      QueueConfigurations: [
        {
          Id: "ingest",
          QueueArn: "arn:aws:sqs:eu-west-1:111122223333:ingest",
          Events: ["s3:ObjectCreated:*"],
        },
      ],
      EventBridgeConfiguration: {},
    });
  });

  it("flags a bucket in another region, whose events never reach the deployment's default bus", async () => {
    // Prepare: S3 answers no location constraint for us-east-1
    const s3 = await s3Answering("", "<EventBridgeConfiguration/>");

    // Act
    const result = await checkPolicyEvents({
      s3: client(s3.endpoint),
      bucket: "acme-config",
      key: "policy.yaml",
    });
    await s3.close();

    // Assess
    expect(result.status).toBe("problem");
    expect(result.detail).toContain("acme-config is in us-east-1");
    expect(result.detail).toContain("listens in eu-west-1");
  });

  describe("against s3rver", () => {
    let s3rver: S3rver;
    let directory: string;
    let s3: S3Client;

    beforeAll(async () => {
      directory = await mkdtemp(path.join(tmpdir(), "oal-doctor-s3-"));
      s3rver = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
      const address = (await s3rver.run()) as AddressInfo;
      // s3rver reports every bucket in us-east-1.
      s3 = client(`http://127.0.0.1:${address.port}`, "us-east-1");
      await s3.send(new CreateBucketCommand({ Bucket: "policy-bucket" }));
    });

    afterAll(async () => {
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    });

    it("reports a store without notification settings as not supported, never as a pass", async () => {
      // Act
      const result = await checkPolicyEvents({ s3, bucket: "policy-bucket", key: "policy.yaml" });

      // Assess
      expect(result.status).toBe("unsupported");
      expect(result.detail).toContain("not supported by the local emulator");
    });

    it("reports a policy bucket that does not exist, with the fix", async () => {
      // Act
      const result = await checkPolicyEvents({ s3, bucket: "no-such-bucket", key: "policy.yaml" });

      // Assess
      expect(result).toMatchObject({
        status: "problem",
        detail: "the policy bucket no-such-bucket does not exist",
        fix: expect.stringContaining("OAL_POLICY"),
      });
    });
  });
});

describe("doctor: which deployments get the policy change check", () => {
  const options = {
    endpoints: "",
    outputs: "no-such-outputs.json",
    oktaOrgUrl: "https://acme.okta.com",
    oktaTokenEnv: "OKTA_API_TOKEN",
    region: "eu-west-1",
    hookName: "okta-aws-lifecycle",
    stateTable: "state",
    evidenceBucket: "evidence",
    instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
    identityStoreId: "d-1234567890",
    pollMinutes: 5,
  };
  const env = { OKTA_API_TOKEN: "token" };

  it("checks an S3 policy and skips a bundled one", async () => {
    // Act
    const s3Policy = await resolveDoctorTargets(
      { ...options, policy: "s3://acme-config/lifecycle/policy.yaml" },
      env,
    );
    const bundled = await resolveDoctorTargets({ ...options, policy: "file:policy.yaml" }, env);

    // Assess
    expect(s3Policy.policyEvents).toMatchObject({ bucket: "acme-config", key: "lifecycle/policy.yaml" });
    expect(bundled.policyEvents).toBeUndefined();
    expect(parseS3PolicyLocation("s3://bucket-only")).toBeUndefined();
  });
});
