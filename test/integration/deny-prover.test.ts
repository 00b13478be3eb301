import { describe, expect, it } from "vitest";
import { identityCenterRolePattern } from "../../core/revocation/deny-statement.ts";
import { createDenyProver, identityCenterRoleArn } from "../../local/runtime/deny-prover.ts";

const policy = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const leaverScp = policy({
  Sid: "OktaAwsLifecycleLeavers",
  Effect: "Deny",
  Action: "*",
  Resource: "*",
  Condition: { StringEquals: { "identitystore:userId": ["u-leaver"] } },
});
const moverScp = policy({
  Sid: "OktaAwsLifecycleMover",
  Effect: "Deny",
  Action: "*",
  Resource: "*",
  Condition: {
    StringEquals: { "identitystore:userId": "u-mover" },
    ArnLike: { "aws:PrincipalArn": [identityCenterRolePattern("111111111111", "Admin")] },
  },
});

describe("deny prover (IAM policy evaluation)", () => {
  const prover = createDenyProver("r-root");
  const ask = (
    userId: string,
    accountId: string,
    permissionSetName: string,
    scps: string[],
    inline: string[] = [],
  ) => prover.isDenied({ userId, accountId, permissionSetName, scps, inline });

  it("denies every session of a leaver named in an SCP, and nobody else", async () => {
    expect(await ask("u-leaver", "111111111111", "Developer", [leaverScp])).toBe(true);
    expect(await ask("u-other", "111111111111", "Developer", [leaverScp])).toBe(false);
  });

  it("denies through a permission set's inline policy (the management account, where SCPs never apply)", async () => {
    expect(await ask("u-leaver", "999999999999", "Admin", [], [leaverScp])).toBe(true);
  });

  it("scopes a mover's Deny to the lost permission set's roles in the named account", async () => {
    expect(await ask("u-mover", "111111111111", "Admin", [moverScp])).toBe(true);
    expect(await ask("u-mover", "111111111111", "Developer", [moverScp])).toBe(false);
    expect(await ask("u-mover", "222222222222", "Admin", [moverScp])).toBe(false);
  });

  it("builds the role ARN Identity Center gives a permission set", () => {
    expect(identityCenterRoleArn("111111111111", "Admin")).toMatch(
      /^arn:aws:iam::111111111111:role\/aws-reserved\/sso\.amazonaws\.com\/AWSReservedSSO_Admin_[0-9a-f]+$/,
    );
  });
});
