/**
 * Who signed a request, from its access key id (sigv4-credential.ts), and so which account's IAM it
 * acts on (IAM is global per account: the account is the caller's). Three kinds, as GetCallerIdentity
 * reports them (STS API Reference, GetCallerIdentity, examples; IAM User Guide, "aws:userid" table):
 * - the local stack's own management identity: the management account's root (`UserId` = account id);
 * - an IAM user's active access key (`AKIA...`): `arn:aws:iam::<account>:user/<path><name>`, `UserId`
 *   the user's `AIDA...` id; its use is recorded as the key's last use (GetAccessKeyLastUsed);
 * - AssumeRole credentials (`ASIA...`): `arn:aws:sts::<account>:assumed-role/<role>/<session>`,
 *   `UserId` = `<AROA role id>:<session name>`, refused with ExpiredToken once expired.
 * An unknown or inactive key answers InvalidClientTokenId, an unsigned request MissingAuthenticationToken.
 */
import type { QueryRequestContext } from "../aws-query-protocol.ts";
import { expiredToken, invalidClientTokenId, missingAuthenticationToken } from "./errors.ts";
import type { IamState, SessionRecord } from "./state.ts";

export interface Caller {
  kind: "root" | "user" | "assumed-role";
  accountId: string;
  arn: string;
  /**
   * `aws:PrincipalArn`: for a role session the ARN of the role (with its path), not the session's
   * `assumed-role` ARN ("For IAM roles, the request context returns the ARN of the role, not the ARN of
   * the user that assumed the role", IAM User Guide, "AWS global condition context keys",
   * aws:PrincipalArn); for a user or the root, their ARN.
   */
  principalArn: string;
  userId: string;
  /** The IAM user's name (kind `user`). */
  userName?: string;
  /** The session (kind `assumed-role`). */
  session?: SessionRecord;
}

export interface CallerSettings {
  managementAccountId: string;
  /** Access key ids that stand for the management account's own identity. */
  managementAccessKeyIds: readonly string[];
  /** Region recorded as a key's last-used region. */
  region: string;
}

export type CallerResolver = (request: QueryRequestContext, service: "iam" | "sts") => Caller;

export function createCallerResolver(
  state: IamState,
  settings: CallerSettings,
  now: () => number,
): CallerResolver {
  return ({ accessKeyId }, service) => {
    if (accessKeyId === undefined) throw missingAuthenticationToken();
    if (settings.managementAccessKeyIds.includes(accessKeyId)) {
      const accountId = settings.managementAccountId;
      const arn = `arn:aws:iam::${accountId}:root`;
      return { kind: "root", accountId, arn, principalArn: arn, userId: accountId };
    }
    const session = state.sessions.get(accessKeyId);
    if (session) {
      if (session.expiresAt.getTime() <= now()) throw expiredToken();
      const path = state.account(session.accountId).role(session.roleName)?.path ?? "/";
      return {
        kind: "assumed-role",
        accountId: session.accountId,
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        principalArn: `arn:aws:iam::${session.accountId}:role${path}${session.roleName}`,
        userId: `${session.roleId}:${session.sessionName}`,
        session,
      };
    }
    const found = state.findAccessKey(accessKeyId);
    if (found === undefined || found.key.status !== "Active") throw invalidClientTokenId();
    found.key.lastUsed = { date: new Date(now()), service, region: settings.region };
    const { account, user } = found;
    const arn = `arn:aws:iam::${account.accountId}:user${user.path}${user.name}`;
    return {
      kind: "user",
      accountId: account.accountId,
      arn,
      principalArn: arn,
      userId: user.id,
      userName: user.name,
    };
  };
}
