import { describe, expect, it } from "vitest";
import { IamState } from "../../../local/emulators/iam/state.ts";
import { cloudTrailCaller } from "../../../local/stack/cloudtrail-caller.ts";

const TOOL_ROLE = "arn:aws:iam::123456789012:role/okta-aws-lifecycle/local/okta-aws-lifecycle-local-tasks";

describe("the CloudTrail caller of a local Identity Center call", () => {
  const iam = new IamState();
  const caller = cloudTrailCaller(iam, {
    toolKeys: ["local"],
    toolRoleArn: TOOL_ROLE,
    defaultAccountId: "999999999999",
  });

  it("records the stack's own key as a session of a role under the stage's path", () => {
    expect(caller("local")).toMatchObject({
      type: "AssumedRole",
      accountId: "123456789012",
      sessionContext: { sessionIssuer: { type: "Role", arn: TOOL_ROLE } },
    });
  });

  it("records an AssumeRole session as its role, path included", () => {
    // Prepare
    iam.account("210987654321").roles.set("admin", {
      name: "Admin",
      id: "AROAadminrole",
      path: "/people/",
      createdAt: new Date(0),
      trustPolicy: "{}",
      maxSessionDuration: 3600,
    } as never);
    iam.sessions.set("session-key", {
      accessKeyId: "session-key",
      secretAccessKey: "s",
      sessionToken: "t",
      accountId: "210987654321",
      roleName: "Admin",
      roleId: "AROAadminrole",
      sessionName: "alice",
      expiresAt: new Date(Date.now() + 60_000),
    });

    // Act / Assess
    expect(caller("session-key")).toMatchObject({
      type: "AssumedRole",
      principalId: "AROAadminrole:alice",
      arn: "arn:aws:sts::210987654321:assumed-role/Admin/alice",
      sessionContext: { sessionIssuer: { arn: "arn:aws:iam::210987654321:role/people/Admin" } },
    });
  });

  it("records any other key as an IAM user with no session issuer", () => {
    const identity = caller("console-admin");
    expect(identity).toMatchObject({
      type: "IAMUser",
      arn: "arn:aws:iam::999999999999:user/console-admin",
      userName: "console-admin",
    });
    expect(identity).not.toHaveProperty("sessionContext");
    expect(caller(undefined)).toMatchObject({ type: "IAMUser", accessKeyId: "" });
  });
});
