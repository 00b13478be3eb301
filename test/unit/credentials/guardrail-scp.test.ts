import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import {
  breakGlassPatterns,
  GUARDRAIL_ACTIONS,
  GuardrailScpTooLargeError,
  guardrailScp,
} from "../../../core/credentials/guardrail-scp.ts";
import { credentialsPolicy } from "./credential-builders.ts";

/*
 * The guardrail SCP is proven, not grepped (design.md): iam-simulate evaluates it in the SCP chain of
 * a member account with the aws:PrincipalArn AWS sets for IAM users and role sessions.
 */

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const ACCOUNT = "111111111111";

async function evaluate(principal: string, principalArn: string, action: string, scp: string) {
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: `arn:aws:iam::${ACCOUNT}:user/new-user`, accountId: ACCOUNT },
        contextVariables: { "aws:PrincipalArn": principalArn },
      },
      identityPolicies: [{ name: "admin", policy: ALLOW_ALL }],
      serviceControlPolicies: [
        {
          orgIdentifier: "r-root",
          policies: [
            { name: "FullAWSAccess", policy: ALLOW_ALL },
            { name: "guardrail", policy: JSON.parse(scp) },
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

const user = (path: string, name: string) => {
  const arn = `arn:aws:iam::${ACCOUNT}:user${path}${name}`;
  return [arn, arn] as const;
};
const roleSession = (role: string, session: string) =>
  [
    `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    `arn:aws:iam::${ACCOUNT}:role/${role}`,
  ] as const;

const POLICY = credentialsPolicy({
  guardrail: true,
  breakGlass: [`arn:aws:iam::${ACCOUNT}:user/emergency/break-glass`, `${ACCOUNT}:root-of-trust`],
  automationPrincipals: ["arn:aws:iam::*:role/terraform-*"],
});

describe("the guardrail SCP under IAM evaluation", () => {
  it("denies a human (an admin IAM user, an Okta-federated role session) every creating call", async () => {
    // Prepare
    const { content } = guardrailScp(POLICY);

    // Act / Assess
    for (const action of GUARDRAIL_ACTIONS) {
      expect(await evaluate(...user("/", "jane.doe"), action, content)).toBe("ExplicitlyDenied");
      expect(await evaluate(...roleSession("Okta-Admin", "jane.doe@example.com"), action, content)).toBe(
        "ExplicitlyDenied",
      );
    }
    // everything else stays allowed
    expect(await evaluate(...user("/", "jane.doe"), "iam:GetUser", content)).toBe("Allowed");
  });

  it("allows automation roles and break-glass users, by ARN or by account and name at any path", async () => {
    // Prepare
    const { content } = guardrailScp(POLICY);

    // Act / Assess
    for (const action of GUARDRAIL_ACTIONS) {
      expect(await evaluate(...roleSession("terraform-apply", "ci-run-42"), action, content)).toBe("Allowed");
      expect(await evaluate(...user("/emergency/", "break-glass"), action, content)).toBe("Allowed");
      expect(await evaluate(...user("/", "root-of-trust"), action, content)).toBe("Allowed");
      expect(await evaluate(...user("/ops/team/", "root-of-trust"), action, content)).toBe("Allowed");
    }
    // a name that only ends like a break-glass user's, or a role only named like automation's, is not exempt
    expect(await evaluate(...user("/", "xroot-of-trust"), "iam:CreateUser", content)).toBe(
      "ExplicitlyDenied",
    );
    expect(await evaluate(...user("/", "break-glass"), "iam:CreateUser", content)).toBe("ExplicitlyDenied");
    expect(await evaluate(...roleSession("my-terraform-apply", "s"), "iam:CreateUser", content)).toBe(
      "ExplicitlyDenied",
    );
  });

  it("with no exemption denies everyone; exemptions are sorted and unique whatever the policy's order", () => {
    // Prepare
    const none = guardrailScp(credentialsPolicy({}));
    const a = guardrailScp(
      credentialsPolicy({ breakGlass: ["111111111111:bg"], automationPrincipals: ["arn:aws:iam::*:role/b"] }),
    );
    const b = guardrailScp(
      credentialsPolicy({
        automationPrincipals: ["arn:aws:iam::*:role/b", "arn:aws:iam::111111111111:user/bg"],
        breakGlass: ["111111111111:bg"],
      }),
    );

    // Assess
    expect(JSON.parse(none.content).Statement[0].Condition).toBeUndefined();
    expect(none.attach).toBe(false);
    expect(a.content).toBe(
      guardrailScp(
        credentialsPolicy({
          automationPrincipals: ["arn:aws:iam::*:role/b"],
          breakGlass: ["111111111111:bg"],
        }),
      ).content,
    );
    expect(b.exemptions).toEqual([
      "arn:aws:iam::*:role/b",
      "arn:aws:iam::111111111111:user/*/bg",
      "arn:aws:iam::111111111111:user/bg",
    ]);
    expect(breakGlassPatterns("arn:aws:iam::111111111111:user/x")).toEqual([
      "arn:aws:iam::111111111111:user/x",
    ]);
  });

  it("refuses a guardrail longer than an SCP may be, naming the fix", () => {
    // Prepare
    const many = credentialsPolicy({
      automationPrincipals: Array.from(
        { length: 200 },
        (_, i) => `arn:aws:iam::${String(i).padStart(12, "0")}:role/ci`,
      ),
    });

    // Act / Assess
    expect(() => guardrailScp(many)).toThrow(GuardrailScpTooLargeError);
    expect(() => guardrailScp(many)).toThrow(/exempt automation by pattern/);
  });
});
