/**
 * The `RoleSessionName` of the tool's sessions in member and outside accounts: it names the run, so
 * each account's CloudTrail says which run read or changed what. STS allows 2 to 64 of `[\w+=,.@-]`
 * (STS API Reference, AssumeRole, RoleSessionName); any other character becomes `-`, the end is cut,
 * and the `oal-` prefix keeps it at least 2 long even for an empty run id.
 */
export function memberSessionName(runId: string): string {
  return `oal-${runId}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}
