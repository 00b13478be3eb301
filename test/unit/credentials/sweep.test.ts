import { describe, expect, it } from "vitest";
import {
  LONG_LIVED_CREDENTIALS_HEADER,
  longLivedCredentialsCsv,
  sweepLongLivedCredentials,
} from "../../../core/credentials/sweep.ts";
import { credentialsPolicy, iamUser, key, person } from "./credential-builders.ts";

const A = "111111111111";
const B = "333333333333";
const NOW = "2026-06-01T12:00:00.000Z";

const active = person("active@corp.example");
const suspended = person("suspended@corp.example", { status: "SUSPENDED" });
const leaving = person("leaving@corp.example", { transitioningToStatus: "DEPROVISIONED" });
const locked = person("locked@corp.example", { status: "LOCKED_OUT" });
const people = [active, suspended, leaving, locked];
const owned = (login: string) => ({ "okta:login": login });

const users = [
  iamUser(A, "active", {
    tags: owned(active.login),
    accessKeys: [
      key("AKIAactive0000000001", {
        createDate: "2026-05-01T13:00:00Z",
        lastUsed: { date: "2026-05-30T00:00:00Z", serviceName: "s3", region: "eu-west-1" },
      }),
    ],
  }),
  iamUser(A, "suspended", {
    tags: owned(suspended.login),
    hasConsolePassword: true,
    accessKeys: [key("AKIAsuspended0000001")],
  }),
  iamUser(B, "leaving", {
    tags: owned(leaving.login),
    accessKeys: [key("AKIAleaving000000001"), key("AKIAleaving000000002")],
  }),
  iamUser(A, "locked", { tags: owned(locked.login), hasConsolePassword: true }),
  iamUser(A, "ci", { accessKeys: [key("AKIAci00000000000001")] }),
  iamUser(A, "gone-human", { hasConsolePassword: true }),
  iamUser(A, "break-glass", {
    hasConsolePassword: true,
    mfaDevices: [{ serialNumber: "arn:aws:iam::111111111111:mfa/bg" }],
  }),
  iamUser(A, "old", {
    tags: owned(suspended.login),
    accessKeys: [key("AKIAold0000000000001", { status: "Inactive" })],
  }),
];

describe("sweepLongLivedCredentials", () => {
  it("lists every holder of a password or an active key with its owner, key age and last use", () => {
    // Act
    const sweep = sweepLongLivedCredentials({
      users,
      people,
      credentials: credentialsPolicy({ breakGlass: [`${A}:break-glass`] }),
      hold: "PT12H",
      now: NOW,
    });

    // Assess
    expect(
      sweep.holders.map((h) => [h.userName, h.ownership, h.owner?.status ?? null, h.human, h.revoke]),
    ).toEqual([
      ["active", "mapped", "ACTIVE", true, false],
      ["break-glass", "breakGlass", null, false, false],
      ["ci", "unmapped", null, false, false],
      ["gone-human", "unmapped", null, true, false],
      ["locked", "mapped", "LOCKED_OUT", true, false],
      ["suspended", "mapped", "SUSPENDED", true, true],
      ["leaving", "mapped", "ACTIVE", true, true],
    ]);
    expect(sweep.holders[0]?.activeKeys).toEqual([
      {
        id: "AKIAactive0000000001",
        createDate: "2026-05-01T13:00:00Z",
        ageDays: 30,
        lastUsedDate: "2026-05-30T00:00:00Z",
        lastUsedService: "s3",
      },
    ]);
    expect(sweep.holders.find((h) => h.userName === "locked")?.owner?.active).toBe(false);
    expect(sweep.humansHoldingLongLivedCredentials).toBe(5);
    expect(sweep.status).toBe("ready");
    expect(sweep.actions.map((a) => [a.kind, a.evidence.credentialId])).toEqual([
      ["iam-user.deny", "okta-aws-lifecycle-leaver-deny"],
      ["iam-user.deny", "okta-aws-lifecycle-leaver-deny"],
      ["access-key.deactivate", "AKIAsuspended0000001"],
      ["access-key.deactivate", "AKIAleaving000000001"],
      ["access-key.deactivate", "AKIAleaving000000002"],
      ["login-profile.delete", "suspended"],
    ]);
    expect(sweep.findings.map((f) => [f.kind, f.subject.userName])).toEqual([
      ["break-glass-user", "break-glass"],
      ["iam-user-unmapped-human", "gone-human"],
    ]);
  });

  it("stops and asks when it would deactivate more keys than maxKeyDeactivations", () => {
    // Act
    const sweep = sweepLongLivedCredentials({
      users,
      people,
      credentials: credentialsPolicy({ iamUsers: { maxKeyDeactivations: 2 } }),
      hold: "PT12H",
      now: NOW,
    });

    // Assess
    expect(sweep.status).toBe("blocked");
    expect(sweep.violations).toEqual([
      {
        guard: "max-key-deactivations",
        message: "The plan deactivates 3 access keys; credentials.iamUsers.maxKeyDeactivations is 2.",
      },
    ]);
  });

  it("writes long-lived-credentials.csv: a row per active key, one for a password-only user", () => {
    // Prepare
    const { holders } = sweepLongLivedCredentials({
      users: [users[0], users[3], users[4]].filter((u) => u !== undefined),
      people,
      credentials: credentialsPolicy(),
      hold: "PT12H",
      now: NOW,
    });

    // Act
    const csv = longLivedCredentialsCsv(holders);

    // Assess
    expect(csv.split("\r\n")).toEqual([
      LONG_LIVED_CREDENTIALS_HEADER.join(","),
      `${A},active,arn:aws:iam::${A}:user/active,mapped,${active.id},active@corp.example,ACTIVE,yes,yes,no,,AKIAactive0000000001,2026-05-01T13:00:00Z,30,2026-05-30T00:00:00Z,s3,no`,
      `${A},ci,arn:aws:iam::${A}:user/ci,unmapped,,,,,no,no,,AKIAci00000000000001,2025-01-01T00:00:00Z,516,,,no`,
      `${A},locked,arn:aws:iam::${A}:user/locked,mapped,${locked.id},locked@corp.example,LOCKED_OUT,no,yes,yes,,,,,,,no`,
      "",
    ]);
  });
});
