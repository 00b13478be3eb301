import type { DenyEntry } from "../estate.ts";

/** A stable identity of a Deny entry (user, scope, reason and creation instant). */
export function denyKey(d: DenyEntry): string {
  const scope = d.scope === "all" ? "all" : `${d.scope.permissionSetName}:${d.scope.accountIds.join(",")}`;
  return `${d.userId}|${d.reason}|${scope}|${d.createdAt}`;
}

/** Whether the Deny still holds at `now`. */
export function denyInForce(d: DenyEntry, now: string): boolean {
  return Date.parse(d.expiresAt) > Date.parse(now);
}

/** `permissionSetName|accountId` strings a scoped Deny covers (none for an all-sessions Deny). */
export function scopedPairs(d: DenyEntry): string[] {
  if (d.scope === "all") return [];
  const { permissionSetName } = d.scope;
  return d.scope.accountIds.map((a) => `${permissionSetName}|${a}`);
}
