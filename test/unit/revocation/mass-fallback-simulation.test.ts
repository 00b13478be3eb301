import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { renderPolicy } from "../../../core/revocation/deny-statement.ts";
import { fitRevocationScps } from "../../../core/revocation/fit-revocation-scps.ts";
import { massFallbackStatement } from "../../../core/revocation/mass-fallback.ts";
import { leaver, userId } from "./revocation-builders.ts";

/*
 * The mass fallback proven by IAM evaluation (iam-simulate), not by reading the JSON: a session's
 * role ARN and issue time are the request's `aws:PrincipalArn` and `aws:TokenIssueTime`.
 */

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const ACCOUNT = "222222222222";
const T = "2026-06-01T12:00:00.000Z";
const BEFORE = "2026-06-01T11:59:59Z";
const AFTER = "2026-06-01T12:00:01Z";

const ssoRole = (region: string) =>
  `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${region === "" ? "" : `${region}/`}` +
  "AWSReservedSSO_Developer_1234567890abcdef";

async function evaluate(principal: string, user: string, issuedAt: string, scps: string[]) {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: "s3:ListAllMyBuckets",
        resource: { resource: "*", accountId: ACCOUNT },
        contextVariables: {
          "identitystore:userId": user,
          "aws:PrincipalArn": principal,
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

describe("the mass fallback under IAM evaluation", () => {
  const fallback = [renderPolicy([massFallbackStatement(T)])];

  it("denies Identity Center sessions issued before T, with or without the region in the role path", async () => {
    expect(await evaluate(ssoRole("eu-west-2"), "anyone", BEFORE, fallback)).toBe("ExplicitlyDenied");
    expect(await evaluate(ssoRole(""), "anyone", BEFORE, fallback)).toBe("ExplicitlyDenied");
  });

  it("allows Identity Center sessions issued after T: people sign in again", async () => {
    expect(await evaluate(ssoRole("eu-west-2"), "anyone", AFTER, fallback)).toBe("Allowed");
  });

  it("leaves roles that are not Identity Center's alone, whatever their sessions' age", async () => {
    const automation = `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`;
    const otherReserved = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/other.amazonaws.com/AWSReservedSSO_X_1234567890abcdef`;
    expect(await evaluate(automation, "anyone", BEFORE, fallback)).toBe("Allowed");
    expect(await evaluate(otherReserved, "anyone", BEFORE, fallback)).toBe("Allowed");
  });

  it("a layoff of 40 overflowing two 1,000-character slots: every leaver's older session is denied", async () => {
    // Prepare
    const denies: DenyEntry[] = Array.from({ length: 40 }, (_, i) => ({
      ...leaver(userId(i)),
      createdAt: new Date(Date.UTC(2026, 5, 1, 12, i)).toISOString(),
    }));
    // Act
    const fit = fitRevocationScps(denies, { maxChars: 1000, maxPolicies: 2, massFallback: "auto" });
    // Assess
    expect(fit.fallback?.userIds.length).toBeGreaterThan(0);
    for (const deny of denies) {
      // A session the leaver held when deactivated: issued a second before their Deny was recorded.
      const issuedAt = new Date(Date.parse(deny.createdAt) - 1000).toISOString();
      expect(await evaluate(ssoRole("eu-west-2"), deny.userId, issuedAt, fit.documents)).toBe(
        "ExplicitlyDenied",
      );
    }
    const afterAll = new Date(Date.parse(fit.fallback?.issuedBefore as string) + 1000).toISOString();
    expect(await evaluate(ssoRole("eu-west-2"), "someone-staying", afterAll, fit.documents)).toBe("Allowed");
  });
});
