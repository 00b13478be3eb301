import { breakGlassKey } from "../policy/validate-credentials.ts";
import { type IamUser, iamUserKey } from "./iam-user.ts";

/** The break-glass users the policy declares, as `account:username` keys (ARN or short form alike). */
export function breakGlassKeys(entries: readonly string[]): ReadonlySet<string> {
  return new Set(entries.map(breakGlassKey));
}

/** Whether a user is declared break-glass: never mapped, never revoked. */
export function isBreakGlass(
  user: Pick<IamUser, "accountId" | "userName">,
  keys: ReadonlySet<string>,
): boolean {
  return keys.has(iamUserKey(user));
}
