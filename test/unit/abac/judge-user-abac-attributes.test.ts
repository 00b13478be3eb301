import { describe, expect, it } from "vitest";
import type { OktaUser } from "../../../core/estate.ts";
import { judgeUserAbacAttributes } from "../../../core/plan/judge-user-abac-attributes.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";

/* A joiner or mover missing an attribute an ABAC-scoped set compares is a finding in the user run too. */

const DATA_ID = "00g1a2b3c4d5e6f7g8h9";
const policy = PolicyDocument.parse({
  version: 1,
  abac: {
    attributes: [
      { key: "team", oktaAttribute: "team" },
      { key: "costCenter", oktaAttribute: "costCenter" },
    ],
  },
  permissionSets: {
    DataEngineer: { abac: { attributes: ["team", "costCenter"], canaryActions: ["athena:GetWorkGroup"] } },
    Analyst: { abac: { attributes: ["team"], canaryActions: ["athena:GetWorkGroup"] } },
    ReadOnly: {},
  },
  rules: [
    {
      name: "data",
      group: "aws-data",
      permissionSet: "DataEngineer",
      targets: { accounts: ["111111111111"] },
    },
    {
      name: "data-2",
      group: { name: "aws-data" },
      permissionSet: "DataEngineer",
      targets: { accounts: ["222222222222"] },
    },
    {
      name: "analysts",
      group: { id: DATA_ID },
      permissionSet: "Analyst",
      targets: { accounts: ["111111111111"] },
    },
    { name: "read", group: "aws-read", permissionSet: "ReadOnly", targets: { accounts: ["111111111111"] } },
  ],
});
const user = (
  profile: Record<string, string | null> | undefined,
  status: OktaUser["status"] = "ACTIVE",
): OktaUser => ({
  id: "00u1",
  login: "ana@example.com",
  status,
  ...(profile === undefined ? {} : { profile }),
});
const groups = [
  { id: "00gdata000000000000", name: "aws-data" },
  { id: DATA_ID, name: "aws-analysts" },
  { id: "00gread000000000000", name: "aws-read" },
];

describe("judgeUserAbacAttributes", () => {
  it("reports each ABAC-scoped set once with the attributes the profile lacks, by group name or id", () => {
    // Act
    const findings = judgeUserAbacAttributes(policy, user({ team: " ", costCenter: "CC-1" }), groups);

    // Assess
    expect(findings.map((f) => f.subject)).toEqual([
      { oktaUserId: "00u1", permissionSet: "DataEngineer", oktaGroup: "aws-data", attributes: "team" },
      { oktaUserId: "00u1", permissionSet: "Analyst", oktaGroup: "aws-analysts", attributes: "team" },
    ]);
    expect(findings[0]?.kind).toBe("abac-attribute-missing");
    expect(findings[0]?.message).toContain("their Okta profile has no team: set it in Okta");
  });

  it("names every missing attribute when the profile is absent", () => {
    const findings = judgeUserAbacAttributes(policy, user(undefined), groups.slice(0, 1));
    expect(findings.map((f) => f.subject.attributes)).toEqual(["team,costCenter"]);
  });

  it("finds nothing for a complete profile, a leaver, groups no ABAC rule names, or a policy without abac", () => {
    const complete = judgeUserAbacAttributes(policy, user({ team: "payments", costCenter: "CC-1" }), groups);
    const leaver = judgeUserAbacAttributes(policy, user(undefined, "DEPROVISIONED"), groups);
    const other = judgeUserAbacAttributes(policy, user(undefined), [groups[2] as (typeof groups)[number]]);
    const noAbac = judgeUserAbacAttributes({ ...policy, abac: undefined } as never, user(undefined), groups);
    expect([complete, leaver, other, noAbac]).toEqual([[], [], [], []]);
  });
});
