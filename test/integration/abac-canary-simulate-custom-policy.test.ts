import { IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createSimulateCustomPolicyProver } from "../../adapters/iam/simulate-custom-policy-prover.ts";
import type { OktaTruth } from "../../core/estate.ts";
import { type Policy, PolicyDocument } from "../../core/policy/schema.ts";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator } from "../../local/emulators/iam/index.ts";
import { demoOkta } from "../../local/estate/demo-okta.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { canaryResource, createAbacCanaryProver } from "../../local/runtime/abac-canary-prover.ts";
import { proveAbacCanary } from "../../usecases/reconcile-estate/prove-abac-canary.ts";
import { estate } from "../support/estate-builder.ts";

/*
 * The deployed ABAC canary prover (iam:SimulateCustomPolicy) through the IAM emulator answers as the
 * local prover does: the same verdicts on the demo's declared DataEngineer, the same over-grant
 * caught, and a condition key the canary cannot give is unproven, never denied.
 */

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
const PRINCIPAL_TEAM = "${aws:PrincipalTag/team}";

let server: RunningServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await startAwsQueryServer(createIamEmulator({ managementAccountId: "111111111111" }).services);
  iam = new IAMClient(localClientConfig(server.endpoint));
});
afterAll(() => server.close());

const demoOktaTruth = (): OktaTruth => ({
  users: demoOkta().users.map((u, i) => ({
    id: u.id ?? `00udemo${i}`,
    login: u.login,
    status: u.status,
    ...(u.profile === undefined ? {} : { profile: u.profile }),
  })),
  groups: [],
});

const demoPolicy = (): Policy => PolicyDocument.parse(parse(demoPolicyYaml()));

/** The demo policy with DataEngineer's declared policies replaced. */
function withDataEngineer(policy: Policy, inline: object, managed: string[] = []): Policy {
  const copy = structuredClone(policy);
  const set = copy.permissionSets.DataEngineer as Record<string, unknown>;
  set.inlinePolicy = inline;
  set.managedPolicies = managed;
  return copy;
}

const proveBoth = async (policy: Policy, okta = demoOktaTruth()) => {
  const input = { ...estate(), policy, okta };
  const local = await proveAbacCanary(createAbacCanaryProver(), input);
  const deployed = await proveAbacCanary(
    createSimulateCustomPolicyProver(iam, { resourceArn: canaryResource }),
    input,
  );
  return { local, deployed };
};

const verdicts = (result: Awaited<ReturnType<typeof proveBoth>>["local"]) =>
  result.evaluated.map((e) => `${e.case.action} ${e.case.why}: ${e.outcome}`);

describe("ABAC canary through iam:SimulateCustomPolicy", () => {
  it("gives the local prover's verdicts on the demo's DataEngineer, all as expected", async () => {
    // Act
    const { local, deployed } = await proveBoth(demoPolicy());

    // Assess
    expect(deployed.unproven).toEqual([]);
    expect(deployed.evaluated.length).toBeGreaterThan(0);
    expect(verdicts(deployed)).toEqual(verdicts(local));
    expect(deployed.evaluated.filter((e) => e.outcome !== e.case.expect)).toEqual([]);
  });

  it("catches the over-grant: a Deny on other teams' resources over an allow-all managed policy", async () => {
    // Prepare: the classic mistake, other teams denied but an untagged session allowed everything
    const policy = withDataEngineer(
      demoPolicy(),
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyOtherTeams",
            Effect: "Deny",
            Action: ["athena:*", "glue:*"],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:ResourceTag/team": PRINCIPAL_TEAM } },
          },
        ],
      },
      ["arn:aws:iam::aws:policy/AdministratorAccess"],
    );

    // Act
    const { local, deployed } = await proveBoth(policy);

    // Assess
    const wrong = deployed.evaluated.filter((e) => e.outcome !== e.case.expect);
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((e) => e.case.principalTags.team === undefined && e.outcome === "allowed")).toBe(true);
    expect(verdicts(deployed)).toEqual(verdicts(local));
  });

  it("leaves a set unproven when its policies need a condition key the canary cannot give", async () => {
    // Prepare: the team condition, and a source IP no canary session states
    const policy = withDataEngineer(demoPolicy(), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["athena:*", "glue:*"],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:ResourceTag/team": PRINCIPAL_TEAM },
            IpAddress: { "aws:SourceIp": "203.0.113.0/24" },
          },
        },
      ],
    });

    // Act
    const { deployed } = await proveBoth(policy);

    // Assess
    expect(deployed.evaluated).toEqual([]);
    expect(deployed.unproven).toEqual([
      { permissionSet: "DataEngineer", why: expect.stringContaining("aws:SourceIp") },
    ]);
  });
});
