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
      return { kind: "root", accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    }
    const session = state.sessions.get(accessKeyId);
    if (session) {
      if (session.expiresAt.getTime() <= now()) throw expiredToken();
      return {
        kind: "assumed-role",
        accountId: session.accountId,
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        userId: `${session.roleId}:${session.sessionName}`,
        session,
      };
    }
    const found = state.findAccessKey(accessKeyId);
    if (found === undefined || found.key.status !== "Active") throw invalidClientTokenId();
    found.key.lastUsed = { date: new Date(now()), service, region: settings.region };
    const { account, user } = found;
    return {
      kind: "user",
      accountId: account.accountId,
      arn: `arn:aws:iam::${account.accountId}:user${user.path}${user.name}`,
      userId: user.id,
      userName: user.name,
    };
  };
}
