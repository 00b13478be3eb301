import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { renderPolicy } from "../../../core/revocation/deny-statement.ts";
import { federatedDenyUserId } from "../../../core/revocation/federated-denies.ts";
import { federatedMassFallbackStatement } from "../../../core/revocation/federated-mass-fallback.ts";
import { fitRevocationScps } from "../../../core/revocation/fit-revocation-scps.ts";
import { EXPIRES } from "./revocation-builders.ts";

/*
 * The federated mass fallback proven by IAM evaluation (iam-simulate): a SAML role session's
 * `aws:PrincipalArn` is its role's ARN (path included), `aws:userid` is `<role id>:<session name>`,
 * and `aws:TokenIssueTime` is when it was issued.
 */

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const ACCOUNT = "222222222222";
const T = "2026-06-01T12:00:00.000Z";
const BEFORE = "2026-06-01T11:59:59Z";
const AFTER = "2026-06-01T12:00:01Z";
const OKTA_ROLE = `arn:aws:iam::${ACCOUNT}:role/okta/Okta-Admin`;

async function evaluate(roleArn: string, sessionName: string, issuedAt: string, scps: string[]) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleArn.split("/").at(-1)}/${sessionName}`,
        action: "s3:ListAllMyBuckets",
        resource: { resource: "*", accountId: ACCOUNT },
        contextVariables: {
          "aws:userid": `AROAexampleoktarole01:${sessionName}`,
          "aws:SourceIdentity": sessionName,
          "aws:PrincipalArn": roleArn,
          "aws:TokenIssueTime": issuedAt,
        },
      },
      identityPolicies: [{ name: "identity", policy: ALLOW_ALL }],
      serviceControlPolicies: [
        {
          orgIdentifier: "r-root",
          policies: [
            { name: "FullAWSAccess", policy: ALLOW_ALL },
            ...scps.map((doc, i) => ({ name: `revocation-${i}`, policy: JSON.parse(doc) })),
          ],
        },
        { orgIdentifier: ACCOUNT, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return String((result as { overallResult: string }).overallResult);
}

describe("the federated mass fallback under IAM evaluation", () => {
  const fallback = [
    renderPolicy([
      federatedMassFallbackStatement({
        issuedBefore: T,
        rolePatterns: ["arn:*:iam::*:role/okta/Okta-Admin"],
        userIds: ["okta:x"],
      }),
    ]),
  ];

  it("denies an Okta-trusting role's session issued before T, in any account", async () => {
    expect(await evaluate(OKTA_ROLE, "anyone@example.com", BEFORE, fallback)).toBe("ExplicitlyDenied");
  });

  it("allows the same role's session issued after T: people sign in again through Okta", async () => {
    expect(await evaluate(OKTA_ROLE, "anyone@example.com", AFTER, fallback)).toBe("Allowed");
  });

  it("leaves other roles alone, a same name under another path included, whatever their sessions' age", async () => {
    expect(await evaluate(`arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`, "ci", BEFORE, fallback)).toBe(
      "Allowed",
    );
    expect(await evaluate(`arn:aws:iam::${ACCOUNT}:role/Okta-Admin`, "x@example.com", BEFORE, fallback)).toBe(
      "Allowed",
    );
    const ssoRole = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_1234567890abcdef`;
    expect(await evaluate(ssoRole, "x@example.com", BEFORE, fallback)).toBe("Allowed");
  });

  it("a layoff of 40 federated leavers overflowing two 500-character slots: every leaver's older session is denied", async () => {
    // Prepare
    const denies: DenyEntry[] = Array.from({ length: 40 }, (_, i) => ({
      userId: federatedDenyUserId(`00u${String(i).padStart(17, "0")}`),
      scope: "all",
      reason: "federated-sessions",
      createdAt: new Date(Date.UTC(2026, 5, 1, 12, i)).toISOString(),
      expiresAt: EXPIRES,
      federated: { sessionName: `person${i}@example.com`, roleArns: [OKTA_ROLE] },
    }));
    // Act
    const fit = fitRevocationScps(denies, { maxChars: 500, maxPolicies: 2, massFallback: "auto" });
    // Assess
    expect(fit.federatedFallback?.userIds.length).toBeGreaterThan(0);
    expect(fit.uncovered).toEqual([]);
    for (const [i, deny] of denies.entries()) {
      // A session the leaver held when deactivated: issued a second before their Deny was recorded.
      const issuedAt = new Date(Date.parse(deny.createdAt) - 1000).toISOString();
      expect(await evaluate(OKTA_ROLE, `person${i}@example.com`, issuedAt, fit.documents)).toBe(
        "ExplicitlyDenied",
      );
    }
    const afterAll = new Date(Date.parse(fit.federatedFallback?.issuedBefore as string) + 1000).toISOString();
    expect(await evaluate(OKTA_ROLE, "someone.staying@example.com", afterAll, fit.documents)).toBe("Allowed");
  });
});
