/**
 * The account an access key id acts in, for the other emulators (Identity Center refuses a delegated
 * administrator's changes in the management account: identity-center/delegated-administration.ts). The
 * same three kinds of key as caller.ts: the management identity's keys, an AssumeRole session's key
 * (while unexpired), an IAM user's active key. A lookup only: it records no last use.
 */
import type { IamState } from "./state.ts";

export function callerAccountOf(
  state: IamState,
  settings: { managementAccountId: string; managementAccessKeyIds: readonly string[] },
  now: () => number = Date.now,
): (accessKeyId: string | undefined) => string | undefined {
  return (accessKeyId) => {
    if (accessKeyId === undefined) return undefined;
    if (settings.managementAccessKeyIds.includes(accessKeyId)) return settings.managementAccountId;
    const session = state.sessions.get(accessKeyId);
    if (session) return session.expiresAt.getTime() > now() ? session.accountId : undefined;
    const found = state.findAccessKey(accessKeyId);
    return found?.key.status === "Active" ? found.account.accountId : undefined;
  };
}
