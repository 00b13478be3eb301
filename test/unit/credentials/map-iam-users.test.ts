import { describe, expect, it } from "vitest";
import { type MappingPolicy, mapIamUsers } from "../../../core/credentials/map-iam-users.ts";
import { iamUser, key, person } from "./credential-builders.ts";

const A = "111111111111";
const B = "222222222222";
const POLICY: MappingPolicy = {
  ownerTags: ["okta:login", "okta:email"],
  namingRules: ["loginLocalPart", "firstDotLast"],
  breakGlass: [],
};
const jane = person("jane.doe@corp.example", { profile: { firstName: "Jane", lastName: "Doe" } });
const john = person("john.roe@corp.example", { email: "jroe@corp.example" });
const noEmail = person("ops@corp.example", { email: null });

describe("mapIamUsers", () => {
  it("maps by owner tag first, whatever the case of tag key and value", () => {
    // Prepare
    const user = iamUser(A, "deploy-bot", { tags: { "OKTA:LOGIN": "Jane.Doe@CORP.example" } });

    // Act
    const { ownerships, findings } = mapIamUsers([user], [jane, john], POLICY);

    // Assess
    expect(ownerships).toEqual([
      { outcome: "mapped", user, owner: jane, by: { source: "tag", tagKey: "OKTA:LOGIN" } },
    ]);
    expect(findings).toEqual([]);
  });

  it("maps by the email tag when the login tag is absent", () => {
    // Prepare
    const user = iamUser(A, "x", { tags: { "okta:email": "jroe@corp.example" } });

    // Act / Assess
    expect(mapIamUsers([user], [jane, john], POLICY).ownerships[0]).toMatchObject({
      outcome: "mapped",
      owner: { id: john.id },
      by: { source: "tag", tagKey: "okta:email" },
    });
  });

  it("maps by the first naming rule that matches, case-insensitively", () => {
    // Prepare
    const user = iamUser(A, "JANE.DOE");

    // Act / Assess
    expect(mapIamUsers([user], [jane, john], POLICY).ownerships[0]).toMatchObject({
      outcome: "mapped",
      owner: { id: jane.id },
      by: { source: "namingRule", rule: "loginLocalPart" },
    });
  });

  it("never guesses between two people a name fits", () => {
    // Prepare: another Jane Doe, whose login's local part is also jane.doe
    const other = person("jane.doe@acquired.example");
    const user = iamUser(A, "jane.doe", { hasConsolePassword: true });

    // Act
    const { ownerships, findings } = mapIamUsers([user], [jane, other], POLICY);

    // Assess
    expect(ownerships[0]).toEqual({ outcome: "ambiguous", user, candidateIds: [jane.id, other.id].sort() });
    expect(findings.map((f) => f.kind)).toEqual(["iam-user-owner-ambiguous"]);
    expect(findings[0]?.message).toContain("could belong to Okta users");
  });

  it("never guesses when tag and name disagree", () => {
    // Prepare: tagged John, named like Jane
    const user = iamUser(A, "jane.doe", { tags: { "okta:login": john.login } });

    // Act
    const { ownerships, findings } = mapIamUsers([user], [jane, john], POLICY);

    // Assess
    expect(ownerships[0]).toMatchObject({ outcome: "ambiguous", candidateIds: [jane.id, john.id].sort() });
    expect(findings.map((f) => f.kind)).toEqual(["iam-user-owner-ambiguous"]);
  });

  it("never guesses when the login and email tags name different people", () => {
    // Prepare
    const user = iamUser(A, "svc", { tags: { "okta:login": jane.login, "okta:email": "jroe@corp.example" } });

    // Act / Assess
    expect(mapIamUsers([user], [jane, john], POLICY).ownerships[0]?.outcome).toBe("ambiguous");
  });

  it("keeps a tag's owner when a naming rule also names them", () => {
    // Prepare
    const user = iamUser(A, "jane.doe", { tags: { "okta:login": jane.login } });

    // Act / Assess
    expect(mapIamUsers([user], [jane, john], POLICY).ownerships[0]).toMatchObject({
      outcome: "mapped",
      by: { source: "tag" },
    });
  });

  it("reports an owner tag that names nobody, and maps the user to nobody even if a name fits", () => {
    // Prepare
    const gone = iamUser(A, "old-admin", {
      tags: { "okta:login": "left@corp.example" },
      hasConsolePassword: true,
    });
    const renamed = iamUser(B, "jane.doe", { tags: { "okta:login": "left@corp.example" } });

    // Act
    const { ownerships, findings } = mapIamUsers([renamed, gone], [jane], POLICY);

    // Assess
    expect(ownerships.map((o) => [o.user.userName, o.outcome])).toEqual([
      ["old-admin", "unmapped"],
      ["jane.doe", "ambiguous"],
    ]);
    expect(findings.map((f) => [f.kind, f.subject.accountId])).toEqual([
      ["iam-user-owner-ambiguous", B],
      ["iam-user-owner-tag-unknown", A],
      ["iam-user-owner-tag-unknown", B],
      ["iam-user-unmapped-human", A],
    ]);
  });

  it("reports unmapped users that look human, and not workloads", () => {
    // Prepare
    const console = iamUser(A, "someone", { hasConsolePassword: true });
    const outside = iamUser(A, "laptop-key", {
      accessKeys: [key("AKIAoutside000000001", { usedFromOutsideAws: true })],
    });
    const workload = iamUser(A, "ci", {
      accessKeys: [key("AKIAci00000000000001", { usedFromOutsideAws: false })],
    });

    // Act
    const { findings } = mapIamUsers([console, outside, workload], [jane], POLICY);

    // Assess
    expect(findings.map((f) => [f.kind, f.subject.userName])).toEqual([
      ["iam-user-unmapped-human", "laptop-key"],
      ["iam-user-unmapped-human", "someone"],
    ]);
    expect(findings.find((f) => f.subject.userName === "laptop-key")?.message).toContain(
      "keys used from outside AWS",
    );
  });

  it("never maps a break-glass user, declared by ARN or short form, and reports its last use and MFA", () => {
    // Prepare
    const byArn = iamUser(A, "Break-Glass", {
      arn: `arn:aws:iam::${A}:user/emergency/Break-Glass`,
      tags: { "okta:login": jane.login },
      passwordLastUsed: "2026-03-01T00:00:00Z",
      accessKeys: [
        key("AKIAbreakglass000001", { lastUsed: { date: "2026-05-01T00:00:00Z" } }),
        key("AKIAbreakglass000002"),
      ],
      mfaDevices: [{ serialNumber: `arn:aws:iam::${A}:mfa/break-glass` }],
    });
    const byName = iamUser(B, "jane.doe");
    const policy = {
      ...POLICY,
      breakGlass: [`arn:aws:iam::${A}:user/emergency/break-glass`, `${B}:JANE.DOE`],
    };

    // Act
    const { ownerships, findings } = mapIamUsers([byArn, byName], [jane], policy);

    // Assess
    expect(ownerships.map((o) => o.outcome)).toEqual(["breakGlass", "breakGlass"]);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: "break-glass-user",
        subject: { accountId: A, userName: "Break-Glass", lastUsed: "2026-05-01T00:00:00Z", mfa: "enabled" },
      }),
      expect.objectContaining({
        kind: "break-glass-user",
        subject: { accountId: B, userName: "jane.doe", lastUsed: "never", mfa: "none" },
      }),
    ]);
    expect(findings[1]?.message).toContain("last used never, no MFA device");
  });

  it("leaves users no tag or rule matches unmapped, without a finding for a workload", () => {
    // Act
    const { ownerships, findings } = mapIamUsers([iamUser(A, "terraform")], [jane, noEmail], {
      ...POLICY,
      namingRules: ["login", "email", "emailLocalPart", "firstInitialLast"],
    });

    // Assess
    expect(ownerships[0]?.outcome).toBe("unmapped");
    expect(findings).toEqual([]);
  });

  it("ignores an empty owner tag and a repeated Okta user", () => {
    // Prepare
    const user = iamUser(A, "jane.doe", { tags: { "okta:login": "  " } });

    // Act / Assess
    expect(mapIamUsers([user], [jane, jane], POLICY).ownerships[0]).toMatchObject({
      outcome: "mapped",
      by: { source: "namingRule" },
    });
  });
});
