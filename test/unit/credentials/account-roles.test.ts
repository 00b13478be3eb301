import { describe, expect, it } from "vitest";
import { accountRoles } from "../../../core/credentials/account-roles.ts";
import { credentialsPolicy } from "./credential-builders.ts";

describe("accountRoles", () => {
  const credentials = credentialsPolicy({
    memberRoleName: { revocation: "lifecycle-write" },
    accounts: [
      {
        id: "333333333333",
        name: "acquired-prod",
        roleName: { discovery: "okta-read" },
        externalId: "acq-2026",
      },
      { id: "444444444444", name: "acquired-dev" },
    ],
  });

  it("uses memberRoleName in Organization accounts", () => {
    // Act / Assess
    expect(accountRoles(credentials, "111111111111")).toEqual({
      discovery: "okta-aws-lifecycle-discovery",
      revocation: "lifecycle-write",
    });
  });

  it("uses an outside account's own names and external id, memberRoleName's for the rest", () => {
    // Act / Assess
    expect(accountRoles(credentials, "333333333333")).toEqual({
      discovery: "okta-read",
      revocation: "lifecycle-write",
      externalId: "acq-2026",
    });
    expect(accountRoles(credentials, "444444444444")).toEqual({
      discovery: "okta-aws-lifecycle-discovery",
      revocation: "lifecycle-write",
    });
  });
});
