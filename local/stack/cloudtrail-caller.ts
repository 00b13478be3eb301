/**
 * The CloudTrail `userIdentity` of a call to the local Identity Center emulator, from the access key
 * that signed it, in the shapes of CloudTrail's "userIdentity element" page (CloudTrail User Guide):
 * - the stack's own keys stand for the deployed functions' and state machines' roles, which all live
 *   under the stage's IAM path (infra/names.ts `rolePath`): an `AssumedRole` whose
 *   `sessionContext.sessionIssuer.arn` is such a role;
 * - an AssumeRole session of the IAM emulator (the management component, or anyone's role): an
 *   `AssumedRole` issued by that role, its path included;
 * - an IAM user's key: an `IAMUser` (no session issuer);
 * - any other key (a test's or the `aws` CLI's own, which the Identity Center emulator does not check):
 *   an `IAMUser` named `console-admin`, a person at the console.
 */
import type { IamState } from "../emulators/iam/state.ts";

export interface CloudTrailCallerOptions {
  /** The keys the stack's own functions and tasks sign with. */
  toolKeys: readonly string[];
  /** The role the stack's own calls are recorded as (under the stage's role path). */
  toolRoleArn: string;
  /** The account of a key nobody issued. */
  defaultAccountId: string;
}

const assumedRole = (roleArn: string, accountId: string, sessionName: string, roleId: string) => ({
  type: "AssumedRole",
  principalId: `${roleId}:${sessionName}`,
  arn: `arn:aws:sts::${accountId}:assumed-role/${roleArn.split("/").pop()}/${sessionName}`,
  accountId,
  sessionContext: {
    sessionIssuer: {
      type: "Role",
      principalId: roleId,
      arn: roleArn,
      accountId,
      userName: roleArn.split("/").pop(),
    },
    attributes: { mfaAuthenticated: "false" },
  },
});

export function cloudTrailCaller(
  iam: IamState,
  options: CloudTrailCallerOptions,
): (accessKeyId: string | undefined) => Record<string, unknown> {
  const toolAccount = options.toolRoleArn.split(":")[4] ?? options.defaultAccountId;
  return (accessKeyId) => {
    if (accessKeyId !== undefined && options.toolKeys.includes(accessKeyId)) {
      return assumedRole(options.toolRoleArn, toolAccount, "okta-aws-lifecycle-local", "AROALOCALSTACKTOOL");
    }
    const session = accessKeyId === undefined ? undefined : iam.sessions.get(accessKeyId);
    if (session) {
      const role = iam.account(session.accountId).role(session.roleName);
      const roleArn = `arn:aws:iam::${session.accountId}:role${role?.path ?? "/"}${session.roleName}`;
      return assumedRole(roleArn, session.accountId, session.sessionName, session.roleId);
    }
    const found = accessKeyId === undefined ? undefined : iam.findAccessKey(accessKeyId);
    const accountId = found?.account.accountId ?? options.defaultAccountId;
    const userName = found?.user.name ?? "console-admin";
    return {
      type: "IAMUser",
      principalId: found?.user.id ?? "AIDAlocalconsoleadmin",
      arn: `arn:aws:iam::${accountId}:user${found?.user.path ?? "/"}${userName}`,
      accountId,
      accessKeyId: accessKeyId ?? "",
      userName,
    };
  };
}
