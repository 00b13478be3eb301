import {
  CreateInstanceAccessControlAttributeConfigurationCommand,
  SSOAdminClient,
  UpdateInstanceAccessControlAttributeConfigurationCommand,
} from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAbacAttributes } from "../../cli/doctor/abac-check.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import {
  createIdentityCenterEmulator,
  type IdentityCenterEmulator,
} from "../../local/emulators/identity-center/index.ts";

const POLICY = `version: 1
abac:
  attributes:
    - { key: team, oktaAttribute: team }
    - { key: costCenter, oktaAttribute: costCenter }
permissionSets:
  DataEngineer: { abac: { attributes: [team], canaryActions: [athena:GetWorkGroup] } }
rules:
  - { name: data, group: aws-data, permissionSet: DataEngineer, targets: { accounts: ["111111111111"] } }
`;

describe("doctor: Identity Center's attributes for access control against the policy", () => {
  let ic: IdentityCenterEmulator;
  let server: RunningServer;
  let sso: SSOAdminClient;
  const check = (text: string | null = POLICY) =>
    checkAbacAttributes({
      ssoAdmin: sso,
      instanceArn: ic.instanceArn,
      readPolicy: async () => (text === null ? undefined : { text, from: "policy.yaml" }),
    });
  const configuration = (...keys: string[]) => ({
    InstanceArn: ic.instanceArn,
    InstanceAccessControlAttributeConfiguration: {
      AccessControlAttributes: keys.map((Key) => ({ Key, Value: { Source: [`path:enterprise.${Key}`] } })),
    },
  });

  beforeAll(async () => {
    ic = createIdentityCenterEmulator({ limits: { latencyMs: 1, ssoAdminTps: 0, identityStoreTps: 0 } });
    server = await startAwsJsonServer([...ic.services]);
    sso = new SSOAdminClient(localClientConfig(server.endpoint));
  });
  afterAll(() => server.close());

  it.each(["not-found", "empty"] as const)(
    "reports ABAC not enabled, whichever way Describe answers it (%s)",
    async (absent) => {
      // Prepare
      ic.behaviour.accessControlAttributesAbsent = absent;

      // Act
      const result = await check();

      // Assess
      expect(result).toMatchObject({
        status: "problem",
        detail: "attributes for access control are not enabled; the policy needs team, costCenter",
      });
      expect(result.fix).toContain("add team from the user attribute Okta provisions from profile.team");
    },
  );

  it("names the key Identity Center does not map, then passes once it does", async () => {
    // Prepare
    await sso.send(
      new CreateInstanceAccessControlAttributeConfigurationCommand(configuration("team", "department")),
    );

    // Act
    const partial = await check();
    await sso.send(
      new UpdateInstanceAccessControlAttributeConfigurationCommand(
        configuration("team", "costCenter", "department"),
      ),
    );
    const complete = await check();

    // Assess
    expect(partial).toMatchObject({
      status: "problem",
      detail:
        "Identity Center does not map costCenter (it maps team, department): sessions carry no such tag",
    });
    expect(complete).toEqual({
      check: "ABAC attributes",
      status: "ok",
      detail:
        "Identity Center maps team (path:enterprise.team), costCenter (path:enterprise.costCenter); also department, which the policy does not list",
    });
  });

  it("cannot judge without a policy, and passes a policy without abac", async () => {
    // Act / Assess
    expect((await check(null)).status).toBe("unsupported");
    expect(
      await check(
        'version: 1\npermissionSets: { ReadOnly: {} }\nrules:\n  - { name: r, group: g, permissionSet: ReadOnly, targets: { accounts: ["111111111111"] } }\n',
      ),
    ).toMatchObject({
      status: "ok",
      detail: "the policy declares none; Identity Center maps team, costCenter, department",
    });
  });
});
