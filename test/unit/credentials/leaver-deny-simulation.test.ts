import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import {
  federatedSessionDenies,
  iamUserDenyDocument,
  rolePolicyDocument,
} from "../../../core/credentials/leaver-deny-policies.ts";
import { renderPolicy } from "../../../core/revocation/deny-statement.ts";

/*
 * The credential Denies are proven, not grepped (design.md): iam-simulate evaluates them with the
 * condition keys AWS sets on an IAM user's requests and on a federated role session.
 */

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const ACCOUNT = "111111111111";
const LEAVER = "jane.doe@corp.example";

interface Request {
  principal: string;
  context: Record<string, string>;
  identityPolicies: unknown[];
  scps?: unknown[];
}

async function evaluate({ principal, context, identityPolicies, scps = [] }: Request): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: "s3:ListAllMyBuckets",
        resource: { resource: "*", accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: identityPolicies.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [
        {
          orgIdentifier: "r-root",
          policies: [
            { name: "FullAWSAccess", policy: ALLOW_ALL },
            ...scps.map((policy, i) => ({ name: `revocation-${i}`, policy })),
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

/** A session of role `role` named `sessionName`, optionally carrying a source identity. */
const session = (role: string, sessionName: string, sourceIdentity?: string) => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${sessionName}`,
  context: {
    "aws:userid": `AROAexampleroleid0001:${sessionName}`,
    "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/${role}`,
    ...(sourceIdentity === undefined ? {} : { "aws:SourceIdentity": sourceIdentity }),
  },
});

describe("credential Denies under IAM evaluation", () => {
  it("the inline Deny stops the IAM user it is put on", async () => {
    // Prepare
    const user = {
      principal: `arn:aws:iam::${ACCOUNT}:user/jane.doe`,
      context: { "aws:userid": "AIDAexampleuserid0001" },
    };

    // Act / Assess
    expect(
      await evaluate({ ...user, identityPolicies: [ALLOW_ALL, JSON.parse(iamUserDenyDocument())] }),
    ).toBe("ExplicitlyDenied");
    expect(await evaluate({ ...user, identityPolicies: [ALLOW_ALL] })).toBe("Allowed");
  });

  it("the SCP Denies end the leaver's federated and chained sessions, and nobody else's", async () => {
    // Prepare
    const scp = JSON.parse(renderPolicy(federatedSessionDenies(LEAVER, LEAVER)));
    const deny = { identityPolicies: [ALLOW_ALL], scps: [scp] };

    // Act / Assess
    expect(await evaluate({ ...session("Okta-Admin", LEAVER), ...deny })).toBe("ExplicitlyDenied");
    // hub-and-spoke: the spoke session is named by the hub user, but carries the source identity
    expect(await evaluate({ ...session("spoke-admin", "anything", LEAVER), ...deny })).toBe(
      "ExplicitlyDenied",
    );
    expect(
      await evaluate({ ...session("Okta-Admin", "john.roe@corp.example", "john.roe@corp.example"), ...deny }),
    ).toBe("Allowed");
    // a session whose name only ends like the leaver's is someone else's
    expect(await evaluate({ ...session("Okta-Admin", `x${LEAVER}`), ...deny })).toBe("Allowed");
  });

  it("the inline role Deny ends the leaver's sessions of that role where no SCP reaches", async () => {
    // Prepare
    const inline = JSON.parse(rolePolicyDocument(federatedSessionDenies(LEAVER, undefined)));

    // Act / Assess
    expect(await evaluate({ ...session("Okta-Dev", LEAVER), identityPolicies: [ALLOW_ALL, inline] })).toBe(
      "ExplicitlyDenied",
    );
    expect(
      await evaluate({ ...session("Okta-Dev", "john.roe"), identityPolicies: [ALLOW_ALL, inline] }),
    ).toBe("Allowed");
  });
});
