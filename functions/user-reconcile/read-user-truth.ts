import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { Assignment } from "../../core/estate.ts";
import { denyInForce } from "../../core/plan/deny-key.ts";
import type { UserTruth } from "../../core/plan/user-truth.ts";
import type { IdentityCenterUserPort, OktaUserPort } from "../../core/ports.ts";
import type { UserRunState } from "./run-state.ts";

export interface ReadUserTruthDeps {
  okta: OktaUserPort;
  identityCenter: IdentityCenterUserPort;
  ledger: DenyLedger;
  instanceArn: string;
  identityStoreId: string;
  now: () => string;
}

/**
 * Task ReadTruth: the event only says which user to look at; read what Okta and Identity Center say
 * now (design.md principle 1). A failed read throws (the task is retried); only Okta's 404 means gone.
 */
export function readUserTruth(deps: ReadUserTruthDeps) {
  return async (state: UserRunState): Promise<UserTruth> => {
    const oktaUser = await deps.okta.getUser(state.user.id);
    const login = oktaUser?.login ?? state.user.login;
    const [groups, userId] = await Promise.all([
      oktaUser ? deps.okta.listUserGroups(oktaUser.id) : Promise.resolve([]),
      login ? deps.identityCenter.findUserIdByUserName(login) : Promise.resolve(null),
    ]);
    let memberships: UserTruth["identityCenter"]["memberships"] = [];
    let directAssignments: Assignment[] = [];
    let groupAssignments: Assignment[] = [];
    if (userId !== null) {
      const [raw, direct, icGroups] = await Promise.all([
        deps.identityCenter.listUserGroupMemberships(userId),
        deps.identityCenter.listAssignmentsForPrincipal(userId, "USER"),
        deps.identityCenter.listGroups(),
      ]);
      const names = new Map(icGroups.map((g) => [g.groupId, g.displayName]));
      memberships = raw.map((m) => ({ ...m, groupName: names.get(m.groupId) ?? null }));
      directAssignments = direct;
      groupAssignments = (
        await Promise.all(raw.map((m) => deps.identityCenter.listAssignmentsForPrincipal(m.groupId, "GROUP")))
      ).flat();
    }
    const now = deps.now();
    const denies =
      userId === null
        ? []
        : (await deps.ledger.list())
            .map((l) => l.deny)
            .filter((d) => d.userId === userId && denyInForce(d, now));
    return {
      observedAt: now,
      okta: { found: oktaUser !== null, status: oktaUser?.status ?? null, login, groups },
      identityCenter: {
        instanceArn: deps.instanceArn,
        identityStoreId: deps.identityStoreId,
        userId,
        userName: userId === null ? null : login,
        memberships,
        directAssignments,
        groupAssignments,
        denies,
      },
    };
  };
}
