import { describe, expect, it } from "vitest";
import { ProbeOptionsError, parseProbeOptions } from "../../../cli/probe/probe-options.ts";
import { localStackWith } from "../../../cli/probe/probe-report.ts";
import { harmlessScp } from "../../../cli/probe/scp-quotas.ts";
import { judgeSwitches, observed, unknown } from "../../../cli/probe/switch-observation.ts";
import { AWS_BEHAVIOUR_SWITCHES } from "../../../local/emulators/aws-behaviour-switches.ts";

const base = { oktaTokenEnv: "OKTA_API_TOKEN", endpoints: ".local/endpoints.json", sample: "200" };

describe("probe options", () => {
  it.each([
    [{ allowWrites: true }, "--allow-writes needs --account"],
    [{ allowWrites: true, account: "12345" }, "--account must be a 12-digit AWS account id"],
    [{ regions: "us-east-1,moon-base" }, "--regions: must be an AWS region such as us-east-1"],
    [{ sample: "0" }, "--sample must be at least 1"],
    [{ stage: "Prod" }, "--stage is the SST stage you deployed"],
  ])("refuses %j, naming the option and the fix", (options, message) => {
    // Act
    const parse = () => parseProbeOptions({ ...base, ...options });

    // Assess
    expect(parse).toThrow(ProbeOptionsError);
    expect(parse).toThrow(message);
  });

  it("splits --regions and reads --sample as a number", () => {
    // Act
    const options = parseProbeOptions({ ...base, regions: "us-east-1, eu-west-1", sample: "50" });

    // Assess
    expect(options).toMatchObject({ regions: ["us-east-1", "eu-west-1"], sample: 50, allowWrites: false });
  });
});

describe("probe switch verdicts", () => {
  it("judges every registry switch: matches, differs with the flag to run, unknown when not observed", () => {
    // Act
    const verdicts = judgeSwitches([
      observed("listForPrincipalIncludesInherited", true, "saw group items"),
      observed("scpPolicyTypeEnabled", true, "ListRoots"),
      unknown("orphanedAssignmentDeletion", "needs --allow-writes"),
    ]);

    // Assess
    expect(verdicts.map((v) => v.name)).toEqual(AWS_BEHAVIOUR_SWITCHES.map((s) => s.name));
    const by = Object.fromEntries(verdicts.map((v) => [v.name, v]));
    expect(by.listForPrincipalIncludesInherited).toMatchObject({ verdict: "differs", observed: true });
    expect(by.listForPrincipalIncludesInherited?.summary).toContain(
      "--aws-behaviour listForPrincipalIncludesInherited=true",
    );
    expect(by.scpPolicyTypeEnabled).toMatchObject({ verdict: "matches" });
    expect(by.orphanedAssignmentDeletion).toMatchObject({
      verdict: "unknown",
      evidence: "needs --allow-writes",
    });
    expect(by.scimDeactivation).toMatchObject({ verdict: "unknown", evidence: "not probed" });
    expect(localStackWith(verdicts)).toEqual({
      npmStart: "npm start -- --aws-behaviour listForPrincipalIncludesInherited=true",
      testStack: 'startTestStack(secret, { awsBehaviour: {"listForPrincipalIncludesInherited":true} })',
    });
  });
});

describe("the probe's harmless SCP", () => {
  it.each([200, 5_121, 10_240])("is exactly %i characters of valid JSON that only allows", (length) => {
    // Act
    const content = harmlessScp(length, "OalProbe");

    // Assess
    expect(content).toHaveLength(length);
    const policy = JSON.parse(content) as { Statement: { Effect: string; Action: string }[] };
    expect(new Set(policy.Statement.map((s) => `${s.Effect} ${s.Action}`))).toEqual(
      new Set(["Allow sts:GetCallerIdentity"]),
    );
    expect(content).not.toMatch(/\s/);
  });
});
