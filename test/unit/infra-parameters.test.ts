import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMembershipSync } from "../../infra/membership-sync.ts";
import { ResourceNameError, resourceNames } from "../../infra/names.ts";
import {
  DeploymentParameterError,
  policyLocationValue,
  readDeploymentParameters,
} from "../../infra/parameters.ts";
import { estateEventTriggers } from "../../workflows/estate-triggers.ts";

const ORG = { OAL_OKTA_ORG_URL: "https://acme.okta.com" };

describe("infra/parameters: readDeploymentParameters", () => {
  it("reads okta-hook's reserved concurrency (issue 12, point 11), and refuses a bad one", () => {
    // Act
    const p = readDeploymentParameters({ ...ORG, OAL_HOOK_RESERVED_CONCURRENCY: "25" });
    const bad = () => readDeploymentParameters({ ...ORG, OAL_HOOK_RESERVED_CONCURRENCY: "0" });

    // Assess
    expect(p.hookReservedConcurrency).toBe(25);
    expect(bad).toThrow(/OAL_HOOK_RESERVED_CONCURRENCY: "0" is not a whole number between 1 and 1000/);
  });

  it("applies the documented defaults and leaves discoverable values unset", () => {
    // Act
    const p = readDeploymentParameters(ORG);

    // Assess
    expect(p).toEqual({
      oktaOrgUrl: "https://acme.okta.com",
      policy: { kind: "bundled", path: "policy.yaml" },
      slaSeconds: 300,
      holdSeconds: 43_200,
      pollMinutes: 5,
      estateSchedule: "rate(1 day)",
      hookRateLimit: 50,
      hookBurstLimit: 100,
      hookReservedConcurrency: 10,
      provisioningAppIds: [],
      pipelineActorIds: [],
      revocationScpSlots: 2,
      scpMaxChars: 5120,
      scpMaxPerTarget: 5,
      membershipSync: false,
      credentialsGuardrail: false,
    });
  });

  it("reads the organization's SCP quotas, and refuses a size too small or slots that leave FullAWSAccess no place", () => {
    // Act
    const p = readDeploymentParameters({ ...ORG, OAL_SCP_MAX_CHARS: "10240", OAL_SCP_MAX_PER_TARGET: "10" });
    const small = () => readDeploymentParameters({ ...ORG, OAL_SCP_MAX_CHARS: "900" });
    const full = () =>
      readDeploymentParameters({ ...ORG, OAL_SCP_MAX_PER_TARGET: "5", OAL_REVOCATION_SCP_SLOTS: "5" });
    const tooBig = () => readDeploymentParameters({ ...ORG, OAL_SCP_MAX_CHARS: "20480" });

    // Assess
    expect(p).toMatchObject({ scpMaxChars: 10_240, scpMaxPerTarget: 10 });
    expect(small).toThrow(/OAL_SCP_MAX_CHARS: "900" is below 1000/);
    expect(full).toThrow(
      /OAL_REVOCATION_SCP_SLOTS: 5 slots leave no place for FullAWSAccess .* at most 4 slots/,
    );
    expect(tooBig).toThrow(/OAL_SCP_MAX_CHARS: "20480" is not a whole number between 1 and 10240/);
  });

  it("reads the revocation SCP slots, the root id and membership sync, and refuses bad values", () => {
    // Act
    const p = readDeploymentParameters({
      ...ORG,
      OAL_REVOCATION_SCP_SLOTS: "4",
      OAL_ROOT_ID: "r-ab12",
      OAL_MEMBERSHIP_SYNC: "on",
    });
    const bad = () =>
      readDeploymentParameters({
        ...ORG,
        OAL_REVOCATION_SCP_SLOTS: "10",
        OAL_ROOT_ID: "ou-ab12-x",
        OAL_MEMBERSHIP_SYNC: "yes",
      });

    // Assess
    expect(p).toMatchObject({ revocationScpSlots: 4, rootId: "r-ab12", membershipSync: true });
    expect(bad).toThrow(/OAL_REVOCATION_SCP_SLOTS: "10" is not a whole number between 1 and 9/);
    expect(bad).toThrow(/OAL_ROOT_ID: "ou-ab12-x" is not an organization root id/);
    expect(bad).toThrow(/OAL_MEMBERSHIP_SYNC: "yes" is not one of on, off/);
  });

  it("refuses a deploy whose OAL_MEMBERSHIP_SYNC disagrees with the bundled policy", () => {
    // Prepare
    const policy = (sync: boolean) =>
      [
        "version: 1",
        "permissionSets: { ReadOnly: {} }",
        "rules: [{ name: r, group: aws-readers, permissionSet: ReadOnly, targets: { accounts: ['111111111111'] } }]",
        `ownership: { membershipSync: ${sync} }`,
      ].join("\n");
    const off = readDeploymentParameters(ORG);
    const on = readDeploymentParameters({ ...ORG, OAL_MEMBERSHIP_SYNC: "on" });
    const s3 = readDeploymentParameters({ ...ORG, OAL_POLICY: "s3://b/k.yaml" });

    // Act
    const agree = () => checkMembershipSync(off, () => policy(false));
    const disagree = () => checkMembershipSync(off, () => policy(true));
    const grantedButOff = () => checkMembershipSync(on, () => policy(false));
    const invalid = () => checkMembershipSync(off, () => "version: 2");
    const notRead = () =>
      checkMembershipSync(s3, () => {
        throw new Error("an S3 policy is not read at deploy");
      });

    // Assess
    expect(agree).not.toThrow();
    expect(notRead).not.toThrow();
    expect(disagree).toThrow(/OAL_MEMBERSHIP_SYNC is off but policy.yaml has ownership.membershipSync: true/);
    expect(grantedButOff).toThrow(/set OAL_MEMBERSHIP_SYNC=off/);
    expect(invalid).toThrow(/policy.yaml is not a valid policy/);
  });

  it("reads every parameter given", () => {
    // Act
    const p = readDeploymentParameters({
      ...ORG,
      OAL_HOME_REGION: "eu-west-1",
      OAL_MANAGEMENT_ACCOUNT_ID: "123456789012",
      OAL_ORGANIZATION_ID: "o-abcdef1234",
      OAL_INSTANCE_ARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
      OAL_IDENTITY_STORE_ID: "d-1234567890",
      OAL_POLICY: "s3://acme-config/lifecycle/policy.yaml",
      OAL_SLA_SECONDS: "120",
      OAL_HOLD_SECONDS: "7200",
      OAL_LOG_STREAMING_SOURCE: "aws.partner/okta.com/acme/lifecycle",
      OAL_ALARM_EMAIL: "iam@acme.com",
      OAL_PROVISIONING_APP_IDS: "0oa1, 0oa2",
      OAL_ORGANIZATIONS_EVENTS: "external",
    });

    // Assess
    expect(p).toMatchObject({
      homeRegion: "eu-west-1",
      managementAccountId: "123456789012",
      organizationId: "o-abcdef1234",
      identityCenter: {
        instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
        identityStoreId: "d-1234567890",
      },
      policy: { kind: "s3", bucket: "acme-config", key: "lifecycle/policy.yaml" },
      slaSeconds: 120,
      holdSeconds: 7200,
      logStreamingSource: "aws.partner/okta.com/acme/lifecycle",
      alarmEmail: "iam@acme.com",
      provisioningAppIds: ["0oa1", "0oa2"],
      organizationsEvents: "external",
    });
    expect(readDeploymentParameters({ ...ORG, OAL_ORGANIZATIONS_EVENTS: "off" }).organizationsEvents).toBe(
      "off",
    );
    expect(policyLocationValue(p.policy)).toBe("s3://acme-config/lifecycle/policy.yaml");
    expect(policyLocationValue({ kind: "bundled", path: "policy.yaml" })).toBe("file:policy.yaml");
  });

  it("names every bad variable in one error", () => {
    // Act
    const read = () =>
      readDeploymentParameters({
        OAL_INSTANCE_ARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
        OAL_SLA_SECONDS: "soon",
        OAL_HOLD_SECONDS: "60",
        OAL_POLICY: "../secrets/policy.yaml",
        OAL_LOG_STREAMING_SOURCE: "okta",
      });

    // Assess
    expect(read).toThrow(DeploymentParameterError);
    const message = (() => {
      try {
        read();
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of [
      "OAL_OKTA_ORG_URL: required",
      "OAL_INSTANCE_ARN and OAL_IDENTITY_STORE_ID: set both or neither",
      "OAL_SLA_SECONDS",
      "OAL_HOLD_SECONDS: 60 is below one hour",
      "OAL_POLICY",
      "OAL_LOG_STREAMING_SOURCE",
    ]) {
      expect(message).toContain(name);
    }
  });

  it("refuses an Okta URL that is not an https origin and an S3 location without a key", () => {
    // Act
    const http = () => readDeploymentParameters({ OAL_OKTA_ORG_URL: "http://acme.okta.com" });
    const s3 = () => readDeploymentParameters({ ...ORG, OAL_POLICY: "s3://bucket-only" });

    // Assess
    expect(http).toThrow(/OAL_OKTA_ORG_URL/);
    expect(s3).toThrow(/s3:\/\/<bucket>\/<key>/);
  });

  it("refuses an Organizations events mode it does not know, naming the variable and the allowed values", () => {
    // Act
    const read = () => readDeploymentParameters({ ...ORG, OAL_ORGANIZATIONS_EVENTS: "delegated" });

    // Assess
    expect(read).toThrow(DeploymentParameterError);
    expect(read).toThrow('OAL_ORGANIZATIONS_EVENTS: "delegated" is not one of forward, external, off');
  });
});

describe("infra/names: resourceNames", () => {
  it("prefixes every name with the app and stage", () => {
    // Act
    const names = resourceNames("okta-aws-lifecycle", "prod");

    // Assess
    expect(names.functions["okta-hook"]).toBe("okta-aws-lifecycle-prod-okta-hook");
    expect(names.userTasks.writeUserEvidence).toBe("okta-aws-lifecycle-prod-write-user-evidence");
    expect(names.tables).toEqual({
      idempotency: "okta-aws-lifecycle-prod-idempotency",
      state: "okta-aws-lifecycle-prod-state",
    });
  });

  it("refuses a stage that would make a Lambda name longer than 64 characters, or an invalid stage", () => {
    // Act
    const long = () => resourceNames("okta-aws-lifecycle", "a-very-long-stage-name-for-pr");
    const invalid = () => resourceNames("okta-aws-lifecycle", "Prod_1");

    // Assess
    expect(long).toThrow(ResourceNameError);
    expect(long).toThrow(/64/);
    expect(invalid).toThrow(/lower-case/);
  });

  it("names one rule per estate trigger (`<prefix>-estate-on-<key>`), the Organizations forwarder and the estate tasks", () => {
    // Act
    const names = resourceNames("okta-aws-lifecycle", "prod");

    // Assess
    expect(names.rules.estateTriggers).toEqual({
      "account-created": "okta-aws-lifecycle-prod-estate-on-account-created",
      "account-moved": "okta-aws-lifecycle-prod-estate-on-account-moved",
      "account-tagged": "okta-aws-lifecycle-prod-estate-on-account-tagged",
      "policy-changed": "okta-aws-lifecycle-prod-estate-on-policy-changed",
      "okta-group-event": "okta-aws-lifecycle-prod-estate-on-okta-group-event",
      "sso-assign": "okta-aws-lifecycle-prod-estate-on-sso-assign",
      "sso-assign-role": "okta-aws-lifecycle-prod-estate-on-sso-assign-role",
      "sso-set": "okta-aws-lifecycle-prod-estate-on-sso-set",
      "sso-set-role": "okta-aws-lifecycle-prod-estate-on-sso-set-role",
      "sso-assign-fwd": "okta-aws-lifecycle-prod-estate-on-sso-assign-fwd",
      "sso-set-fwd": "okta-aws-lifecycle-prod-estate-on-sso-set-fwd",
    });
    expect(names.rules.organizationsForwarder).toBe("okta-aws-lifecycle-prod-forward-org-events");
    expect(names.estateTasks).toEqual({
      coalesceEstateRun: "okta-aws-lifecycle-prod-estate-coalesce-estate-run",
      planEstateRun: "okta-aws-lifecycle-prod-estate-plan-estate-run",
      applyEstateDenies: "okta-aws-lifecycle-prod-estate-apply-estate-denies",
      applyEstateBatch: "okta-aws-lifecycle-prod-estate-apply-estate-batch",
      writeEstateEvidence: "okta-aws-lifecycle-prod-estate-write-estate-evidence",
      sweepCredentials: "okta-aws-lifecycle-prod-estate-sweep-credentials",
    });
    expect(Object.keys(names.rules.estateTriggers).sort()).toEqual(
      estateEventTriggers({ bucket: "b", key: "k" })
        .map((t) => t.key)
        .sort(),
    );
  });

  it("fits a 16-character stage and refuses a 17th character, which makes the longest name 65 characters", () => {
    // Prepare
    const longest = "s".repeat(16);

    // Act
    const fits = resourceNames("okta-aws-lifecycle", longest);
    const tooLong = () => resourceNames("okta-aws-lifecycle", `${longest}s`);

    // Assess
    expect(fits.estateTasks.writeEstateEvidence).toHaveLength(64);
    expect(fits.rules.estateTriggers["account-created"]).toHaveLength(61);
    expect(tooLong).toThrow(ResourceNameError);
    expect(tooLong).toThrow(
      /Lambda function name .*-estate-write-estate-evidence is 65 characters; AWS allows 64/,
    );
  });

  it("either refuses a stage or keeps every name within AWS's limit for its kind", () => {
    // Prepare
    const stages = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/);

    // Act / Assess
    fc.assert(
      fc.property(stages, (stage) => {
        let names: ReturnType<typeof resourceNames>;
        try {
          names = resourceNames("okta-aws-lifecycle", stage);
        } catch (error) {
          return error instanceof ResourceNameError;
        }
        const within = (values: string[], max: number) => values.every((v) => v.length <= max);
        return (
          within(
            [
              ...Object.values(names.functions),
              ...Object.values(names.userTasks),
              ...Object.values(names.estateTasks),
            ],
            64,
          ) &&
          within(
            [
              names.rules.lifecycle,
              names.rules.logStreaming,
              names.rules.organizationsForwarder,
              ...Object.values(names.rules.estateTriggers),
            ],
            64,
          ) &&
          within(Object.values(names.schedules), 64) &&
          within(Object.values(names.queues), 80) &&
          within(Object.values(names.stateMachines), 80)
        );
      }),
    );
  });
});

describe("OAL_OKTA_CLIENT_ID (an Okta API Services app instead of an SSWS token)", () => {
  it("is unset by default (SSWS) and kept when it is a client id", () => {
    expect(readDeploymentParameters(ORG).oktaClientId).toBeUndefined();
    expect(
      readDeploymentParameters({ ...ORG, OAL_OKTA_CLIENT_ID: "0oa1b2c3d4e5f6g7h8i9" }).oktaClientId,
    ).toBe("0oa1b2c3d4e5f6g7h8i9");
  });

  it("makes the app's client id, and OAL_OKTA_PIPELINE_ACTOR_IDS, the pipeline's own Okta actors", () => {
    // Their user.session.clear of a leaver is the pipeline's own: it must start no second run.
    expect(
      readDeploymentParameters({
        ...ORG,
        OAL_OKTA_CLIENT_ID: "0oa1b2c3d4e5f6g7h8i9",
        OAL_OKTA_PIPELINE_ACTOR_IDS: " 00u1a2b3c4d5e6f7g8h9 ,",
      }).pipelineActorIds,
    ).toEqual(["0oa1b2c3d4e5f6g7h8i9", "00u1a2b3c4d5e6f7g8h9"]);
  });

  it("refuses something that is not a client id, naming the variable", () => {
    expect(() => readDeploymentParameters({ ...ORG, OAL_OKTA_CLIENT_ID: "my-app" })).toThrow(
      /OAL_OKTA_CLIENT_ID: "my-app" is not an Okta app client id/,
    );
  });
});
