import { describe, expect, it } from "vitest";
import type { OktaTruth } from "../../../core/estate.ts";
import {
  abacCanaryCases,
  CANARY_OTHER_VALUE,
  canaryDocuments,
  judgeAbacCanary,
} from "../../../core/plan/abac-canary.ts";
import { planEstate } from "../../../core/plan/plan-estate.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";
import { createAbacCanaryProver } from "../../../local/runtime/abac-canary-prover.ts";
import { proveAbacCanary } from "../../../usecases/reconcile-estate/prove-abac-canary.ts";
import { estate } from "../../support/estate-builder.ts";

/*
 * The ABAC canary proof, evaluated by @cloud-copilot/iam-simulate: a team's session reaches its own
 * team's resources only, and a session without the tag reaches nothing.
 */

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
const PRINCIPAL_TEAM = "${aws:PrincipalTag/team}";

const TEAM_ONLY_ALLOW = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["athena:*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/team": PRINCIPAL_TEAM } },
    },
  ],
};
/** The classic over-grant: a Deny on other teams' resources, over a managed policy that allows all. */
const DENY_OTHER_TEAMS = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyOtherTeams",
      Effect: "Deny",
      Action: ["athena:*"],
      Resource: "*",
      Condition: { StringNotEquals: { "aws:ResourceTag/team": PRINCIPAL_TEAM } },
    },
  ],
};
const DENY_UNTAGGED = {
  Sid: "DenyUntaggedSessions",
  Effect: "Deny",
  Action: "*",
  Resource: "*",
  Condition: { Null: { "aws:PrincipalTag/team": "true" } },
};

const okta = (teams: (string | undefined)[]): OktaTruth => ({
  users: teams.map((team, i) => ({
    id: `00u${i}`,
    login: `u${i}@example.com`,
    status: "ACTIVE",
    ...(team === undefined ? {} : { profile: { team } }),
  })),
  groups: [],
});

const policyWith = (dataEngineer: object) =>
  PolicyDocument.parse({
    version: 1,
    abac: { attributes: [{ key: "team", oktaAttribute: "team" }] },
    permissionSets: {
      DataEngineer: {
        abac: { attributes: ["team"], canaryActions: ["athena:GetWorkGroup"] },
        ...dataEngineer,
      },
      ReadOnly: {},
    },
    rules: [
      {
        name: "data",
        group: "aws-data",
        permissionSet: "DataEngineer",
        targets: { accounts: ["111111111111"] },
      },
    ],
  });

const prove = (dataEngineer: object, teams: (string | undefined)[] = ["payments", "search", undefined]) =>
  proveAbacCanary(createAbacCanaryProver(), {
    ...estate(),
    policy: policyWith(dataEngineer),
    okta: okta(teams),
  });

describe("ABAC canary cases", () => {
  it("asks, per team found in Okta, own resource allowed, the next team's denied, untagged denied", () => {
    // Act
    const cases = abacCanaryCases(policyWith({}), okta(["search", "payments", "search", " ", undefined]));

    // Assess
    expect(cases.map((c) => [c.principalTags.team ?? "-", c.resourceTags.team, c.expect])).toEqual([
      ["payments", "payments", "allowed"],
      ["payments", "search", "denied"],
      ["-", "payments", "denied"],
      ["search", "search", "allowed"],
      ["search", "payments", "denied"],
      ["-", "search", "denied"],
    ]);
  });

  it("keeps a set's other attributes equal on both sides while one is under test", () => {
    // Prepare: DataEngineer scoped by team and costCenter
    const policy = PolicyDocument.parse({
      version: 1,
      abac: {
        attributes: [
          { key: "team", oktaAttribute: "team" },
          { key: "costCenter", oktaAttribute: "costCenter" },
        ],
      },
      permissionSets: {
        DataEngineer: {
          abac: { attributes: ["team", "costCenter"], canaryActions: ["athena:GetWorkGroup"] },
        },
      },
      rules: [
        { name: "data", group: "g", permissionSet: "DataEngineer", targets: { accounts: ["111111111111"] } },
      ],
    });

    // Act
    const cases = abacCanaryCases(policy, {
      users: [{ id: "00u1", login: "a", status: "ACTIVE", profile: { team: "data", costCenter: "cc-1" } }],
      groups: [],
    });

    // Assess
    expect(cases.map((c) => [c.principalTags, c.resourceTags, c.expect])).toEqual([
      [{ costCenter: "canary", team: "data" }, { costCenter: "canary", team: "data" }, "allowed"],
      [{ costCenter: "canary", team: "data" }, { costCenter: "canary", team: CANARY_OTHER_VALUE }, "denied"],
      [{ costCenter: "canary" }, { costCenter: "canary", team: "data" }, "denied"],
      [{ team: "canary", costCenter: "cc-1" }, { team: "canary", costCenter: "cc-1" }, "allowed"],
      [{ team: "canary", costCenter: "cc-1" }, { team: "canary", costCenter: CANARY_OTHER_VALUE }, "denied"],
      [{ team: "canary" }, { team: "canary", costCenter: "cc-1" }, "denied"],
    ]);
  });

  it("uses a stand-in other team when Okta has one team, and ignores leavers' values", () => {
    // Act
    const cases = abacCanaryCases(policyWith({}), {
      users: [
        { id: "00u1", login: "a", status: "ACTIVE", profile: { team: "data" } },
        { id: "00u2", login: "b", status: "SUSPENDED", profile: { team: "gone" } },
      ],
      groups: [],
    });

    // Assess
    expect(cases.map((c) => c.resourceTags.team)).toEqual(["data", CANARY_OTHER_VALUE, "data"]);
  });
});

describe("ABAC canary proof under IAM evaluation", () => {
  it("proves an Allow scoped with StringEquals on the principal tag", async () => {
    // Act
    const result = await prove({ inlinePolicy: TEAM_ONLY_ALLOW });

    // Assess
    expect(result.evaluated).toHaveLength(6);
    expect(judgeAbacCanary(policyWith({}), result)).toEqual({ violations: [], findings: [] });
  });

  it("blocks a Deny on other teams over a managed policy: a session without the tag gets everything", async () => {
    // Act
    const result = await prove({
      managedPolicies: ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess"],
      inlinePolicy: DENY_OTHER_TEAMS,
    });
    const verdict = judgeAbacCanary(policyWith({}), result);

    // Assess
    expect(verdict.violations).toEqual([
      {
        guard: "abac-canary",
        message:
          "ABAC canary: permission set 'DataEngineer', athena:GetWorkGroup: no team tag on team=payments's resource is allowed, must be denied; no team tag on team=search's resource is allowed, must be denied.",
      },
    ]);
  });

  it("proves the same Deny once untagged sessions are denied too", async () => {
    // Act
    const result = await prove({
      managedPolicies: ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess"],
      inlinePolicy: { ...DENY_OTHER_TEAMS, Statement: [...DENY_OTHER_TEAMS.Statement, DENY_UNTAGGED] },
    });

    // Assess
    expect(judgeAbacCanary(policyWith({}), result).violations).toEqual([]);
  });

  it("blocks a set that lets a team reach nothing, and leaves a set without policies unproven", async () => {
    // Act
    const nothing = await prove({ inlinePolicy: { Version: "2012-10-17", Statement: [DENY_UNTAGGED] } });
    const empty = await prove({});

    // Assess
    expect(judgeAbacCanary(policyWith({}), nothing).violations[0]?.message).toContain(
      "team=payments on its own resource is denied, must be allowed",
    );
    expect(judgeAbacCanary(policyWith({}), empty)).toEqual({
      violations: [],
      findings: [
        {
          kind: "abac-canary-unproven",
          message:
            "The ABAC canary could not prove permission set 'DataEngineer': it declares no policies (add inlinePolicy or managedPolicies to prove it).",
          subject: { permissionSet: "DataEngineer" },
        },
      ],
    });
  });

  it("blocks the estate plan on a failed proof and says when no proof ran", async () => {
    // Prepare
    const input = {
      ...estate(),
      policy: policyWith({
        managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
        inlinePolicy: DENY_OTHER_TEAMS,
      }),
      okta: { ...estate().okta, users: okta(["payments", undefined]).users },
    };

    // Act
    const proven = planEstate({
      ...input,
      abacCanary: await proveAbacCanary(createAbacCanaryProver(), input),
    });
    const unproven = planEstate(input);

    // Assess
    expect(proven.status).toBe("blocked");
    expect(proven.violations.map((v) => v.guard)).toContain("abac-canary");
    expect(unproven.findings.map((f) => f.kind)).toContain("abac-canary-unproven");
  });

  it("cannot prove a set whose inline policy file was not read, nor an undeclared set", () => {
    // Act / Assess
    expect(
      canaryDocuments({ sessionDuration: "PT1H", privileged: false, inlinePolicy: "abac.json" }),
    ).toEqual({
      unprovable: "its inline policy file abac.json was not read",
    });
    expect(canaryDocuments(undefined)).toEqual({ unprovable: "it is not declared" });
  });
});

describe("judgeAbacCanary", () => {
  it("gives one violation per set and action, sorted, with at most three problems spelled out", () => {
    // Prepare: four wrong answers for two actions, listed out of order
    const wrong = (action: string, team: string) => ({
      case: {
        permissionSet: "DataEngineer",
        action,
        principalTags: {},
        resourceTags: { team },
        expect: "denied" as const,
        why: `no team tag on team=${team}'s resource`,
      },
      outcome: "allowed" as const,
    });
    const evaluated = ["glue:GetTable", "athena:GetWorkGroup"].flatMap((action) =>
      ["a", "b", "c", "d"].map((team) => wrong(action, team)),
    );

    // Act
    const { violations } = judgeAbacCanary(policyWith({}), { evaluated, unproven: [] });

    // Assess
    expect(violations.map((v) => v.message)).toEqual(
      ["athena:GetWorkGroup", "glue:GetTable"].map(
        (action) =>
          `ABAC canary: permission set 'DataEngineer', ${action}: no team tag on team=a's resource is allowed, must be denied; ` +
          "no team tag on team=b's resource is allowed, must be denied; no team tag on team=c's resource is allowed, must be denied; and 1 more.",
      ),
    );
  });
});
