import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import { mergeInlineDeny } from "../../../core/revocation/merge-inline-deny.ts";
import { shardScps } from "../../../core/revocation/shard-scps.ts";
import { attributeChange, leaver, mover } from "./revocation-builders.ts";

/*
 * Denies are proven, not grepped (design.md): iam-simulate evaluates the rendered SCPs and inline
 * policies with the condition keys a permission-set session carries.
 */

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const ACCOUNT = "222222222222";
const ISSUED_BEFORE = "2026-06-01T12:00:00Z";

interface Session {
  user: string;
  permissionSet: string;
  /** Role path segment after `sso.amazonaws.com/`: a region, or "" for the region-less (us-east-1) shape. */
  region?: string;
  account?: string;
  issuedAt?: string;
}

const roleArn = ({ permissionSet, region = "eu-west-2", account = ACCOUNT }: Session) =>
  `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${region === "" ? "" : `${region}/`}` +
  `AWSReservedSSO_${permissionSet}_1234567890abcdef`;

async function evaluate(session: Session, scps: string[], inline?: string | null): Promise<string> {
  const principal = roleArn(session);
  const result = await runSimulation(
    {
      request: {
        principal,
        action: "s3:ListAllMyBuckets",
        resource: { resource: "*", accountId: session.account ?? ACCOUNT },
        contextVariables: {
          "identitystore:userId": session.user,
          "aws:PrincipalArn": principal,
          "aws:TokenIssueTime": session.issuedAt ?? "2026-06-01T08:00:00Z",
        },
      },
      identityPolicies: [{ name: "permission-set", policy: inline ? JSON.parse(inline) : ALLOW_ALL }],
      serviceControlPolicies: [
        {
          orgIdentifier: "r-root",
          policies: [
            { name: "FullAWSAccess", policy: ALLOW_ALL },
            ...scps.map((doc, i) => ({ name: `revocation-${i}`, policy: JSON.parse(doc) })),
          ],
        },
        {
          orgIdentifier: session.account ?? ACCOUNT,
          policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }],
        },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return String((result as { overallResult: string }).overallResult);
}

const scpsFor = (denies: DenyEntry[]) => shardScps(denyStatements(denies), { maxPolicies: 4 }).documents;

describe("rendered Denies under IAM evaluation", () => {
  it("denies a leaver in every role and account, and leaves other users alone", async () => {
    // Prepare
    const scps = scpsFor([leaver("u-leaver")]);
    // Act / Assess
    expect(await evaluate({ user: "u-leaver", permissionSet: "ReadOnly" }, scps)).toBe("ExplicitlyDenied");
    expect(await evaluate({ user: "u-leaver", permissionSet: "Admin", account: "333333333333" }, scps)).toBe(
      "ExplicitlyDenied",
    );
    expect(await evaluate({ user: "u-other", permissionSet: "ReadOnly" }, scps)).toBe("Allowed");
  });

  it("denies a mover only the lost permission set, in both role path shapes, only in its accounts", async () => {
    // Prepare
    const scps = scpsFor([mover("u-mover", "Developer", [ACCOUNT])]);
    // Act / Assess
    expect(await evaluate({ user: "u-mover", permissionSet: "Developer" }, scps)).toBe("ExplicitlyDenied");
    expect(await evaluate({ user: "u-mover", permissionSet: "Developer", region: "" }, scps)).toBe(
      "ExplicitlyDenied",
    );
    expect(await evaluate({ user: "u-mover", permissionSet: "ReadOnly" }, scps)).toBe("Allowed");
    expect(
      await evaluate({ user: "u-mover", permissionSet: "Developer", account: "333333333333" }, scps),
    ).toBe("Allowed");
    expect(await evaluate({ user: "u-other", permissionSet: "Developer" }, scps)).toBe("Allowed");
  });

  it("denies a mover exactly the lost permission set's role, not sets whose names extend it", async () => {
    // Prepare: `Dev` lost; `Dev_Admin` and `Dev_ReadOnly` roles also start with `AWSReservedSSO_Dev_`
    const scps = scpsFor([mover("u-mover", "Dev", [ACCOUNT])]);
    // Act / Assess
    expect(await evaluate({ user: "u-mover", permissionSet: "Dev" }, scps)).toBe("ExplicitlyDenied");
    expect(await evaluate({ user: "u-mover", permissionSet: "Dev", region: "" }, scps)).toBe(
      "ExplicitlyDenied",
    );
    expect(await evaluate({ user: "u-mover", permissionSet: "Dev_Admin" }, scps)).toBe("Allowed");
    expect(await evaluate({ user: "u-mover", permissionSet: "Dev_ReadOnly", region: "" }, scps)).toBe(
      "Allowed",
    );
  });

  it("denies sessions issued before an attribute change and allows the ones issued after", async () => {
    // Prepare
    const scps = scpsFor([attributeChange("u-abac", ISSUED_BEFORE)]);
    // Act / Assess
    const old = { user: "u-abac", permissionSet: "Developer", issuedAt: "2026-06-01T11:59:00Z" };
    expect(await evaluate(old, scps)).toBe("ExplicitlyDenied");
    expect(await evaluate({ ...old, issuedAt: "2026-06-01T12:01:00Z" }, scps)).toBe("Allowed");
  });

  it("denies through a permission set's inline policy too (management account), keeping its grants", async () => {
    // Prepare
    const inline = mergeInlineDeny(JSON.stringify(ALLOW_ALL), denyStatements([leaver("u-leaver")]));
    // Act / Assess
    expect(await evaluate({ user: "u-leaver", permissionSet: "Admin" }, [], inline)).toBe("ExplicitlyDenied");
    expect(await evaluate({ user: "u-other", permissionSet: "Admin" }, [], inline)).toBe("Allowed");
  });
});
