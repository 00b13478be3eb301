/**
 * The deploy variables of the member-roles StackSet (infra/member-roles.ts; docs/credentials.md,
 * "Reaching every account"), read with the other `OAL_*` variables by infra/parameters.ts:
 * - `OAL_MEMBER_ROLES`: `stackset` deploys it, `off` (the default) does not;
 * - `OAL_MEMBER_ROLES_TARGETS`: comma-separated root (`r-...`) or OU (`ou-...`) ids; unset: the root;
 * - `OAL_MEMBER_ROLES_EXTERNAL_ID`: required by the roles as `sts:ExternalId` when set.
 */

/** @default undefined (no StackSet) */
export interface MemberRolesParameters {
  /** Unset: the organization's root (every account). */
  targets?: string[];
  externalId?: string;
}

const TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** Reads the variables; each bad one adds a problem naming it and what it should be. */
export function readMemberRolesParameters(
  get: (name: string) => string | undefined,
  problems: string[],
): MemberRolesParameters | undefined {
  const mode = get("OAL_MEMBER_ROLES") ?? "off";
  if (mode !== "stackset" && mode !== "off") {
    problems.push(`OAL_MEMBER_ROLES: "${mode}" is not one of stackset, off`);
    return undefined;
  }
  const targets = get("OAL_MEMBER_ROLES_TARGETS")
    ?.split(",")
    .map((target) => target.trim())
    .filter(Boolean);
  const externalId = get("OAL_MEMBER_ROLES_EXTERNAL_ID");
  for (const target of targets ?? []) {
    if (!TARGET.test(target))
      problems.push(`OAL_MEMBER_ROLES_TARGETS: "${target}" is not a root id (r-...) or an OU id (ou-...)`);
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    problems.push(
      `OAL_MEMBER_ROLES_EXTERNAL_ID: "${externalId}" is not 2 to 1224 of A-Za-z0-9_+=,.@:/- (sts:ExternalId)`,
    );
  if (mode === "off") {
    if (targets !== undefined || externalId !== undefined)
      problems.push("OAL_MEMBER_ROLES_TARGETS / _EXTERNAL_ID are set but OAL_MEMBER_ROLES is not stackset");
    return undefined;
  }
  return { ...(targets?.length ? { targets } : {}), ...(externalId ? { externalId } : {}) };
}
