import { describe, expect, it } from "vitest";
import { mapIamUsers } from "../../../core/credentials/map-iam-users.ts";
import {
  type CredentialRevocationInput,
  planCredentialRevocation,
} from "../../../core/credentials/plan-credential-revocation.ts";
import { credentialsPolicy, iamUser, key, person } from "./credential-builders.ts";

const MEMBER = "111111111111";
const OUTSIDE = "333333333333";
const MANAGEMENT = "999999999999";
const NOW = "2026-06-01T12:00:00.000Z";

const jane = person("jane.doe@corp.example");
const john = person("john.roe@corp.example");
const janeKeys = iamUser(MEMBER, "jane.doe", {
  hasConsolePassword: true,
  accessKeys: [
    key("AKIAjane000000000002"),
    key("AKIAjane000000000001"),
    key("AKIAjane000000000003", { status: "Inactive" }),
  ],
  mfaDevices: [{ serialNumber: `arn:aws:iam::${MEMBER}:mfa/jane` }],
});
const janeOutside = iamUser(OUTSIDE, "jdoe", {
  tags: { "okta:login": jane.login },
  accessKeys: [key("AKIAjaneoutside00001")],
});
const johnKeys = iamUser(MEMBER, "john.roe", { accessKeys: [key("AKIAjohn000000000001")] });

function input(overrides: Partial<CredentialRevocationInput> = {}): CredentialRevocationInput {
  const credentials =
    overrides.credentials ??
    credentialsPolicy({
      iamUsers: { namingRules: ["loginLocalPart"] },
      accounts: [{ id: OUTSIDE, name: "acquired-prod" }],
    });
  const mapping = mapIamUsers([janeKeys, janeOutside, johnKeys], [jane, john], {
    ownerTags: credentials.iamUsers.ownerTags,
    namingRules: credentials.iamUsers.namingRules,
    breakGlass: credentials.breakGlass,
  });
  return {
    leaver: jane,
    ownerships: mapping.ownerships,
    oktaTrustingRoles: [],
    credentials,
    hold: "PT12H",
    now: NOW,
    ...overrides,
  };
}

describe("planCredentialRevocation: IAM users", () => {
  it("denies, deactivates every active key and deletes the login profile of each of the leaver's users, Denies first", () => {
    // Act
    const { actions, findings } = planCredentialRevocation(input());

    // Assess
    expect(actions.map((a) => [a.kind, a.evidence.accountId, a.evidence.credentialId])).toEqual([
      ["iam-user.deny", MEMBER, "okta-aws-lifecycle-leaver-deny"],
      ["iam-user.deny", OUTSIDE, "okta-aws-lifecycle-leaver-deny"],
      ["access-key.deactivate", MEMBER, "AKIAjane000000000001"],
      ["access-key.deactivate", MEMBER, "AKIAjane000000000002"],
      ["access-key.deactivate", OUTSIDE, "AKIAjaneoutside00001"],
      ["login-profile.delete", MEMBER, "jane.doe"],
    ]);
    expect(actions[0]).toMatchObject({
      userName: "jane.doe",
      policyName: "okta-aws-lifecycle-leaver-deny",
      policyDocument:
        '{"Version":"2012-10-17","Statement":[{"Sid":"OktaAwsLifecycleLeaverDeny","Effect":"Deny","Action":"*","Resource":"*"}]}',
      evidence: { principal: janeKeys.arn, credential: "iam-user" },
    });
    expect(findings).toEqual([]);
  });

  it("deactivates MFA devices only when the policy says so", () => {
    // Prepare
    const credentials = credentialsPolicy({
      iamUsers: { namingRules: ["loginLocalPart"], removeMfaDevices: true },
    });

    // Act
    const { actions } = planCredentialRevocation(input({ credentials }));

    // Assess
    expect(actions.filter((a) => a.kind === "mfa-device.deactivate")).toEqual([
      {
        kind: "mfa-device.deactivate",
        accountId: MEMBER,
        userName: "jane.doe",
        serialNumber: `arn:aws:iam::${MEMBER}:mfa/jane`,
        evidence: expect.objectContaining({ credential: "mfa-device" }),
      },
    ]);
  });

  it("plans nothing for someone who holds nothing", () => {
    // Act / Assess
    expect(planCredentialRevocation(input({ leaver: person("nobody@corp.example") }))).toEqual({
      actions: [],
      findings: [],
    });
  });
});

describe("planCredentialRevocation: federated sessions", () => {
  const roles = [
    { accountId: MEMBER, roleName: "Okta-Admin", arn: `arn:aws:iam::${MEMBER}:role/Okta-Admin` },
    { accountId: OUTSIDE, roleName: "Okta-Dev", arn: `arn:aws:iam::${OUTSIDE}:role/Okta-Dev` },
    { accountId: OUTSIDE, roleName: "Okta-Dev", arn: `arn:aws:iam::${OUTSIDE}:role/Okta-Dev` },
    { accountId: MANAGEMENT, roleName: "Okta-Billing", arn: `arn:aws:iam::${MANAGEMENT}:role/Okta-Billing` },
  ];

  it("puts one SCP Deny for member accounts and an inline Deny on each role no SCP reaches, lifted after the hold", () => {
    // Prepare
    const credentials = credentialsPolicy({
      accounts: [{ id: OUTSIDE, name: "acquired-prod" }],
      federation: { sessionNameAttribute: "login", sourceIdentity: true },
    });

    // Act
    const { actions } = planCredentialRevocation(
      input({ credentials, oktaTrustingRoles: roles, managementAccountId: MANAGEMENT, ownerships: [] }),
    );

    // Assess
    expect(actions.map((a) => [a.kind, a.evidence.accountId])).toEqual([
      ["federated-deny.scp", "organization"],
      ["federated-deny.role", OUTSIDE],
      ["federated-deny.role", MANAGEMENT],
    ]);
    const scp = actions[0];
    if (scp?.kind !== "federated-deny.scp") throw new Error("expected the SCP Deny first");
    expect(scp.liftAt).toBe("2026-06-02T00:00:00.000Z");
    expect(scp.statements.map((s) => s.Condition)).toEqual([
      { StringLike: { "aws:userid": "*:jane.doe@corp.example" } },
      { StringEquals: { "aws:SourceIdentity": "jane.doe@corp.example" } },
    ]);
    expect(
      scp.statements.every((s) =>
        /^OktaAwsLifecycle(FederatedSession|SourceIdentity)[0-9a-f]{16}$/.test(s.Sid),
      ),
    ).toBe(true);
    const role = actions[1];
    if (role?.kind !== "federated-deny.role") throw new Error("expected a role Deny");
    expect(role).toMatchObject({
      roleName: "Okta-Dev",
      policyName: `okta-aws-lifecycle-leaver-deny-${jane.id}`,
    });
    expect(JSON.parse(role.policyDocument)).toEqual({ Version: "2012-10-17", Statement: scp.statements });
    expect(role.policyDocument).not.toMatch(/\s/);
  });

  it("names sessions by email when Okta sends the email, and leaves the SCP out when no member account trusts Okta", () => {
    // Prepare
    const credentials = credentialsPolicy({
      accounts: [{ id: OUTSIDE, name: "acquired-prod" }],
      federation: { sessionNameAttribute: "email" },
    });
    const leaver = person("jane", { email: "Jane.Doe@corp.example" });

    // Act
    const { actions } = planCredentialRevocation(
      input({ leaver, credentials, oktaTrustingRoles: roles.slice(1, 2), ownerships: [] }),
    );

    // Assess
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ kind: "federated-deny.role" });
    expect(
      actions[0]?.kind === "federated-deny.role" && JSON.parse(actions[0].policyDocument).Statement,
    ).toEqual([
      expect.objectContaining({ Condition: { StringLike: { "aws:userid": "*:Jane.Doe@corp.example" } } }),
    ]);
  });

  it("reports a session name AWS could never have been sent, and denies what it can", () => {
    // Prepare
    const credentials = credentialsPolicy({
      federation: { sessionNameAttribute: "email", sourceIdentity: true },
    });
    const noEmail = person("jane.doe@corp.example", { email: null });
    const odd = person("o'brien@corp.example", { email: null });

    // Act
    const partial = planCredentialRevocation(
      input({ leaver: noEmail, credentials, oktaTrustingRoles: roles, ownerships: [] }),
    );
    const none = planCredentialRevocation(
      input({ leaver: odd, credentials, oktaTrustingRoles: roles, ownerships: [] }),
    );

    // Assess
    expect(partial.findings.map((f) => f.subject)).toEqual([{ oktaUserId: noEmail.id, attribute: "email" }]);
    expect(partial.actions.map((a) => a.kind === "federated-deny.scp" && a.statements.length)).toEqual([1]);
    expect(none.actions).toEqual([]);
    expect(none.findings.map((f) => f.kind)).toEqual([
      "federated-session-name-unusable",
      "federated-session-name-unusable",
    ]);
    expect(none.findings[1]?.message).toContain("o'brien@corp.example");
  });
});
