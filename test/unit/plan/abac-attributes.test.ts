import { describe, expect, it } from "vitest";
import { judgeAbacAttributes } from "../../../core/plan/abac-attributes.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";
import type { PlanInput } from "../../../core/plan/plan-estate.ts";
import { planEstate } from "../../../core/plan/plan-estate.ts";
import { resolveRules } from "../../../core/plan/resolve-rules.ts";
import { arn, DEV, estate, oktaUser } from "../../support/estate-builder.ts";

/** The base estate with Developer ABAC-scoped by team; ana has a team, ben has none. */
const abacEstate = (missingAttribute: "report" | "withhold", change: (e: PlanInput) => void = () => {}) =>
  estate((e) => {
    e.policy.abac = { attributes: [{ key: "team", oktaAttribute: "team" }], missingAttribute };
    e.policy.permissionSets.Developer = {
      sessionDuration: "PT1H",
      privileged: false,
      abac: { attributes: ["team"], canaryActions: ["athena:GetWorkGroup"] },
    };
    oktaUser(e, "ana").profile = { team: "payments" };
    oktaUser(e, "ben").profile = { team: "  " };
    // The canary ran and had nothing to say (it is tested in test/unit/abac/).
    e.abacCanary = { evaluated: [], unproven: [] };
    change(e);
  });

describe("planEstate: members without an ABAC attribute", () => {
  it("reports a member of a group granted the ABAC-scoped set whose profile lacks the attribute, once", () => {
    // Act
    const plan = planEstate(abacEstate("report"));

    // Assess
    expect(plan.status).toBe("ready");
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toEqual([
      {
        kind: "abac-attribute-missing",
        message:
          "ben@example.com is in aws-devs, which gets the ABAC-scoped permission set Developer, but their Okta profile has no team: set it in Okta (sessions carry no aws:PrincipalTag/team until then).",
        subject: {
          oktaUserId: "00uben",
          permissionSet: "Developer",
          oktaGroup: "aws-devs",
          attributes: "team",
        },
      },
    ]);
  });

  it("reports nobody when every member has the attribute, a leaver lacks it, or no set is ABAC-scoped", () => {
    // Act / Assess
    expect(
      planEstate(abacEstate("report", (e) => (oktaUser(e, "ben").profile = { team: "search" }))).findings,
    ).toEqual([]);
    const leaver = planEstate(abacEstate("report", (e) => (oktaUser(e, "ben").status = "SUSPENDED")));
    expect(leaver.findings.filter((f) => f.kind.startsWith("abac"))).toEqual([]);
    expect(
      planEstate(abacEstate("report", (e) => delete e.policy.permissionSets.Developer?.abac)).findings,
    ).toEqual([]);
  });

  it("with withhold, does not create the group's new assignment of the set but keeps existing ones", () => {
    // Prepare: the devs' assignment in DEV is missing and must be created
    const input = abacEstate("withhold", (e) => {
      e.identityCenter.assignments = e.identityCenter.assignments.filter(
        (a) => !(a.accountId === DEV && a.permissionSetArn === arn("dev")),
      );
    });

    // Act
    const plan = planEstate(input);

    // Assess
    expect(plan.actions).toEqual([]);
    expect(plan.findings.map((f) => f.kind)).toEqual(["abac-assignment-withheld", "abac-attribute-missing"]);
    expect(plan.findings[0]?.subject).toEqual({
      rule: "devs",
      accountId: DEV,
      groupId: "icg-devs",
      permissionSetArn: arn("dev"),
    });
  });

  it("with report, creates the same assignment", () => {
    // Act
    const plan = planEstate(
      abacEstate("report", (e) => {
        e.identityCenter.assignments = e.identityCenter.assignments.filter(
          (a) => !(a.accountId === DEV && a.permissionSetArn === arn("dev")),
        );
      }),
    );

    // Assess
    expect(plan.actions.map((a) => a.kind)).toEqual(["assignment.create"]);
  });
});

describe("judgeAbacAttributes with withhold", () => {
  it("holds back only creations for a group with a member lacking the attribute, keeping every other action", () => {
    // Prepare
    const input = abacEstate("withhold");
    const resolution = resolveRules(input.policy, input.okta, input.organization, input.identityCenter);
    const other: PlanAction = {
      kind: "assignment.create",
      assignment: {
        accountId: DEV,
        permissionSetArn: arn("admin"),
        principalType: "GROUP",
        principalId: "icg-admins",
      },
      rule: "admins",
    };
    const membership: PlanAction = {
      kind: "membership.add",
      groupId: "icg-devs",
      userId: "ic-ben",
      why: "test",
    };
    const held: PlanAction = {
      kind: "assignment.create",
      assignment: {
        accountId: DEV,
        permissionSetArn: arn("dev"),
        principalType: "GROUP",
        principalId: "icg-devs",
      },
      rule: "devs",
    };

    // Act
    const judged = judgeAbacAttributes(input.policy, input.okta, resolution.rules, [membership, other, held]);

    // Assess
    expect(judged.actions).toEqual([membership, other]);
    expect(judged.findings.map((f) => f.kind)).toEqual([
      "abac-attribute-missing",
      "abac-assignment-withheld",
    ]);
  });
});

describe("judgeAbacAttributes: edges", () => {
  it("reports a user once across groups, skips members Okta did not return, and judges groups SCIM has not provisioned", () => {
    // Prepare: ben has no profile at all and is in two groups granted Developer, one not in Identity Center
    const input = abacEstate("withhold", (e) => {
      delete oktaUser(e, "ben").profile;
      e.okta.groups.push({ id: "00gnew", name: "aws-new", memberIds: ["00uben", "00ughost"] });
      e.policy.rules.push({
        name: "new",
        group: "aws-new",
        permissionSet: "Developer",
        targets: { accounts: [DEV], ous: [] },
      });
    });
    const resolution = resolveRules(input.policy, input.okta, input.organization, input.identityCenter);

    // Act
    const judged = judgeAbacAttributes(input.policy, input.okta, resolution.rules, []);

    // Assess
    expect(judged.findings.map((f) => [f.kind, f.subject.oktaUserId])).toEqual([
      ["abac-attribute-missing", "00uben"],
    ]);
  });
});
