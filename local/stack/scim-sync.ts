import {
  CreateGroupCommand,
  CreateUserCommand,
  DeleteUserCommand,
  type IdentitystoreClient,
} from "@aws-sdk/client-identitystore";
import type { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import type { AwsBehaviourSwitches } from "../emulators/aws-behaviour-switches.ts";
import type { OktaChange, OktaEmulator } from "../emulators/okta/index.ts";

export interface ScimSyncOptions {
  okta: OktaEmulator;
  identityStore: IdentitystoreClient;
  identityStoreId: string;
  identityCenter: IdentityCenterAdapter;
  /** Okta groups pushed to Identity Center (`all`, or names): `OKTA_GROUP`s only, never an `APP_GROUP`. */
  pushedGroups: "all" | readonly string[];
  /** Delay before each change reaches Identity Center (SCIM lag). @default 0 */
  lagMs?: number;
  /**
   * The Identity Center UserName the app gives an Okta user (its username format), `null` when the
   * format has nothing to give (the user is not provisioned). @default the Okta login
   */
  userNameOf?: (user: { login: string; profile: Record<string, unknown> }) => string | null;
  /** Records the Okta user id as a new user's external id, as SCIM does; absent: SCIM stores none. */
  stampExternalId?: (userId: string, oktaUserId: string) => void;
  /**
   * What Identity Center's SCIM endpoint does with a user Okta deactivates, read when it happens (the
   * `scimDeactivation` AWS behaviour switch): `delete` removes the user (its memberships go with it,
   * its assignments stay listed), `disable` keeps it with `UserStatus: DISABLED`. @default "disable"
   */
  deactivation?: () => AwsBehaviourSwitches["scimDeactivation"];
  /** Sets a user's identitystore `UserStatus`, which only SCIM can (the emulator's seed helper). */
  setUserStatus?: (userId: string, status: "ENABLED" | "DISABLED") => void;
  onError: (error: unknown) => void;
}

/**
 * Plays Okta's SCIM provisioning into the Identity Center emulator, through the identitystore API:
 * ACTIVE members of pushed groups get a user and memberships, and membership removals follow. Like
 * the real integration it sends nothing when a user is suspended. A deactivated user is deleted (its
 * direct assignments stay listed, orphaned) or kept DISABLED with its memberships and assignments, as
 * `deactivation` says: either way live sessions survive, so revoking is the pipeline's job.
 */
export function startScimSync(options: ScimSyncOptions): {
  idle(): Promise<void>;
  stop(): void;
  setLag(ms: number): void;
} {
  const { okta, identityCenter } = options;
  const pending = new Set<Promise<void>>();
  // Push Groups pushes chosen groups by id; the estate names its OKTA_GROUPs, so an APP_GROUP of the
  // same name (management spec, GroupType) is never pushed here (local/estate/schema.ts appGroups).
  const pushed = (groupId: string) => {
    const group = okta.state.group(groupId);
    if (group === undefined || group.type !== "OKTA_GROUP") return false;
    return options.pushedGroups === "all" || options.pushedGroups.includes(group.name);
  };

  const nameOf = (login: string): string | null => {
    const user = okta.state.user(login);
    if (!options.userNameOf || !user) return login;
    return options.userNameOf({ login, profile: user.profile as Record<string, unknown> });
  };
  const ensureUser = async (login: string): Promise<string | null> => {
    const userName = nameOf(login);
    if (userName === null) return null; // the username format gives them no name: SCIM fails them
    const existing = await identityCenter.findUserIdByUserName(userName);
    if (existing) return existing;
    const user = okta.state.user(login);
    const first = String(user?.profile.firstName ?? login);
    const last = String(user?.profile.lastName ?? "");
    const email = String(user?.profile.email ?? login);
    const created = await options.identityStore.send(
      new CreateUserCommand({
        IdentityStoreId: options.identityStoreId,
        UserName: userName,
        DisplayName: `${first} ${last}`.trim(),
        Name: { GivenName: first, FamilyName: last || first },
        Emails: [{ Value: email, Primary: true, Type: "work" }],
      }),
    );
    const userId = String(created.UserId);
    if (user) options.stampExternalId?.(userId, user.id);
    return userId;
  };
  const ensureGroup = async (name: string): Promise<string> => {
    const found = (await identityCenter.listGroups()).find((g) => g.displayName === name);
    if (found) return found.groupId;
    const created = await options.identityStore.send(
      new CreateGroupCommand({ IdentityStoreId: options.identityStoreId, DisplayName: name }),
    );
    return String(created.GroupId);
  };
  const addMembership = async (groupName: string, login: string) => {
    const [groupId, userId] = await Promise.all([ensureGroup(groupName), ensureUser(login)]);
    if (userId === null) return;
    const current = await identityCenter.listUserGroupMemberships(userId);
    if (!current.some((m) => m.groupId === groupId)) await identityCenter.createMembership(groupId, userId);
  };

  const deactivate = async (login: string) => {
    const userName = nameOf(login);
    const userId = userName === null ? null : await identityCenter.findUserIdByUserName(userName);
    if (!userId) return;
    if ((options.deactivation?.() ?? "disable") === "disable") {
      options.setUserStatus?.(userId, "DISABLED");
      return;
    }
    await options.identityStore.send(
      new DeleteUserCommand({ IdentityStoreId: options.identityStoreId, UserId: userId }),
    );
  };

  const apply = async (change: OktaChange) => {
    switch (change.kind) {
      case "membership-added": {
        const user = okta.state.user(change.userId);
        if (pushed(change.groupId) && user?.status === "ACTIVE")
          await addMembership(change.groupName, change.login);
        return;
      }
      case "membership-removed": {
        if (!pushed(change.groupId)) return;
        const userName = nameOf(change.login);
        const userId = userName === null ? null : await identityCenter.findUserIdByUserName(userName);
        const groupId = (await identityCenter.listGroups()).find(
          (g) => g.displayName === change.groupName,
        )?.groupId;
        if (!userId || !groupId) return;
        const membership = (await identityCenter.listUserGroupMemberships(userId)).find(
          (m) => m.groupId === groupId,
        );
        if (membership) await identityCenter.deleteMembership(membership.membershipId);
        return;
      }
      case "user-status": {
        if (change.to === "DEPROVISIONED") return deactivate(change.login);
        if (change.to !== "ACTIVE") return; // suspend: SCIM sends nothing
        const userName = nameOf(change.login);
        const existing = userName === null ? null : await identityCenter.findUserIdByUserName(userName);
        if (existing) options.setUserStatus?.(existing, "ENABLED");
        for (const group of okta.state.groupsOf(change.userId)) {
          if (pushed(group.id)) await addMembership(group.name, change.login);
        }
        return;
      }
      default:
        return;
    }
  };

  let lagMs = options.lagMs ?? 0;
  const unsubscribe = okta.on("change", (change) => {
    const work = new Promise<void>((resolve) => setTimeout(resolve, lagMs))
      .then(() => apply(change))
      .catch(options.onError);
    pending.add(work);
    void work.finally(() => pending.delete(work));
  });
  return {
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: unsubscribe,
    /** Changes the SCIM lag for the changes that follow (tests of SCIM lag). */
    setLag: (ms: number) => {
      lagMs = ms;
    },
  };
}
