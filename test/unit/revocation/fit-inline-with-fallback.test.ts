import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { fitInlineWithFallback } from "../../../core/revocation/fit-inline-with-fallback.ts";
import { MASS_FALLBACK_SID } from "../../../core/revocation/mass-fallback.ts";
import { leaver, userId } from "./revocation-builders.ts";

/*
 * The mass fallback in the management account's inline policies (SCPs never apply there): one
 * statement on aws:TokenIssueTime, proven with iam-simulate.
 */

const MGMT = "111111111111";
const TARGET = { permissionSetName: "PlatformAdmin", accountId: MGMT };
const layoff: DenyEntry[] = Array.from({ length: 40 }, (_, i) => ({
  ...leaver(userId(i)),
  createdAt: new Date(Date.UTC(2026, 5, 1, 12, i)).toISOString(),
}));
const ALLOW = { Effect: "Allow", Action: "*", Resource: "*" };
const customer = (chars: number) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ ...ALLOW, Sid: "Pad", Condition: { StringLike: { "aws:userid": ["x".repeat(chars)] } } }],
  });

async function evaluate(inline: string, user: string, issuedAt: string): Promise<string> {
  const principal = `arn:aws:iam::${MGMT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_1234567890abcdef`;
  const result = await runSimulation(
    {
      request: {
        principal,
        action: "s3:ListAllMyBuckets",
        resource: { resource: "*", accountId: MGMT },
        contextVariables: {
          "identitystore:userId": user,
          "aws:PrincipalArn": principal,
          "aws:TokenIssueTime": issuedAt,
        },
      },
      identityPolicies: [
        { name: "managed", policy: { Version: "2012-10-17", Statement: [ALLOW] } },
        { name: "inline", policy: JSON.parse(inline) },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return String((result as { overallResult: string }).overallResult);
}

describe("fitInlineWithFallback", () => {
  it("auto: every leaver's older session in the management account is denied, a newer one is not", async () => {
    // Act: 1,500 characters of room
    const fit = fitInlineWithFallback(null, layoff, TARGET, "auto", 1500);
    // Assess
    expect(fit.dropped).toEqual([]);
    expect(fit.fallback?.userIds.length).toBeGreaterThan(0);
    expect(JSON.parse(fit.document as string).Statement[0].Sid).toBe(MASS_FALLBACK_SID);
    for (const d of layoff) {
      const before = new Date(Date.parse(d.createdAt) - 1000).toISOString();
      expect(await evaluate(fit.document as string, d.userId, before)).toBe("ExplicitlyDenied");
    }
    const after = new Date(Date.parse(fit.fallback?.issuedBefore as string) + 1000).toISOString();
    expect(await evaluate(fit.document as string, "someone-staying", after)).toBe("Allowed");
  });

  it("ask, or no Deny dropped: the plain fit, no fallback", () => {
    const ask = fitInlineWithFallback(null, layoff, TARGET, "ask", 1500);
    expect(ask.fallback).toBeNull();
    expect(ask.dropped.length).toBeGreaterThan(0);
    const roomy = fitInlineWithFallback(null, layoff.slice(0, 2), TARGET, "auto");
    expect(roomy).toMatchObject({ fallback: null, dropped: [] });
  });

  it("keeps the plain fit and its drops when not even the fallback fits next to the customer's statements", () => {
    const full = customer(1300);
    const fit = fitInlineWithFallback(full, layoff, TARGET, "auto", 1500);
    expect(fit.fallback).toBeNull();
    expect(fit.dropped.length).toBeGreaterThan(0);
    expect(fit.document).not.toContain(MASS_FALLBACK_SID);
  });
});
