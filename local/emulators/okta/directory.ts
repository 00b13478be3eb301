import type { OktaUserStatus } from "../../../core/estate.ts";
import { AppAssignments } from "./app-assignments.ts";
import { ID_PREFIX, type IdFactory } from "./deterministic.ts";

/** Profile attributes: the base ones Okta requires plus any custom attributes (`team`, `costCenter`...). */
export type OktaProfile = {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
} & Record<string, unknown>;

/** A user as the emulator stores it (the wire shape is built by `resources.ts`). */
export interface DirectoryUser {
  id: string;
  status: OktaUserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastUpdated: string;
  profile: OktaProfile;
  /**
   * The status an asynchronous transition is moving the user to, while it runs: a deactivation reads
   * `status: ACTIVE, transitioningToStatus: DEPROVISIONED` until it completes (Users API,
   * deactivateUser: "The user's transitioningToStatus property is DEPROVISIONED during deactivation";
   * User.transitioningToStatus "is only returned if the user's state is transitioning").
   */
  transitioningToStatus?: "ACTIVE" | "DEPROVISIONED" | "PROVISIONED";
}

/**
 * `OKTA_GROUP`: made in Okta (the API creates only these). `APP_GROUP`: imported from a directory such
 * as Active Directory or LDAP; its name may equal an `OKTA_GROUP`'s (management spec, `GroupType` and
 * the `list-groups-examples`, which list one of each).
 */
export type DirectoryGroupType = "OKTA_GROUP" | "APP_GROUP";

/** A group as the emulator stores it. */
export interface DirectoryGroup {
  id: string;
  type: DirectoryGroupType;
  /** An `APP_GROUP`'s source app (`source.id` on the wire); `null` for an `OKTA_GROUP`. */
  sourceAppId: string | null;
  name: string;
  description: string | null;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
}

/** A user to add; the id is generated unless given (seeded estates may pin ids). */
export interface NewUser {
  id?: string;
  status: OktaUserStatus;
  profile: OktaProfile;
}

/** A group to add; the id is generated unless given. */
export interface NewGroup {
  id?: string;
  /** @default "OKTA_GROUP" */
  type?: DirectoryGroupType;
  /** Required for an `APP_GROUP`: the app (an Active Directory or LDAP integration) it is imported from. */
  sourceAppId?: string;
  name: string;
  description?: string | null;
}

/** A JSON view of the whole directory (for `/local/state` and tests). */
export interface DirectorySnapshot {
  users: DirectoryUser[];
  groups: (DirectoryGroup & { memberIds: string[] })[];
}

/**
 * The emulated org's users, groups and memberships: storage and invariants only (unique ids and logins,
 * memberships only between existing objects). Okta's status rules, the System Log and change
 * notifications live in `operations.ts`, so seeding an estate here writes no events.
 */
export class OktaDirectory {
  private readonly usersById = new Map<string, DirectoryUser>();
  private readonly idsByLogin = new Map<string, string>();
  private readonly groupsById = new Map<string, DirectoryGroup>();
  /** Member ids per group, in the order they were added (Okta lists members in a stable order). */
  private readonly members = new Map<string, Set<string>>();
  private readonly ids: IdFactory;
  private readonly now: () => string;
  /** App assignments (listAppLinks): app-assignments.ts. */
  readonly apps = new AppAssignments();

  constructor(ids: IdFactory, now: () => string) {
    this.ids = ids;
    this.now = now;
  }

  /** Adds a user; throws when the id or the login (case-insensitive) is taken. */
  addUser(input: NewUser): DirectoryUser {
    const id = input.id ?? this.ids.objectId(ID_PREFIX.user);
    if (this.usersById.has(id)) throw new Error(`user id ${id} already exists`);
    if (this.loginTaken(input.profile.login)) throw new Error(`login ${input.profile.login} already exists`);
    const at = this.now();
    const active = input.status === "ACTIVE";
    const user: DirectoryUser = {
      id,
      status: input.status,
      created: at,
      activated: active ? at : null,
      statusChanged: active ? at : null,
      lastUpdated: at,
      profile: { ...input.profile },
    };
    this.usersById.set(id, user);
    this.idsByLogin.set(input.profile.login.toLowerCase(), id);
    return user;
  }

  /** Whether a login is used by a user (logins are unique case-insensitively in Okta). */
  loginTaken(login: string): boolean {
    return this.idsByLogin.has(login.toLowerCase());
  }

  /** A user by id or by login (case-insensitive), as `GET /api/v1/users/{idOrLogin}` resolves it. */
  user(idOrLogin: string): DirectoryUser | undefined {
    const byId = this.usersById.get(idOrLogin);
    if (byId !== undefined) return byId;
    const id = this.idsByLogin.get(idOrLogin.toLowerCase());
    return id === undefined ? undefined : this.usersById.get(id);
  }

  /** Every user, in creation order. */
  users(): DirectoryUser[] {
    return [...this.usersById.values()];
  }

  /** Sets a user's status and the timestamps Okta moves with it. */
  setStatus(user: DirectoryUser, status: OktaUserStatus): void {
    const at = this.now();
    user.status = status;
    user.statusChanged = at;
    user.lastUpdated = at;
    if (status === "ACTIVE" && user.activated === null) user.activated = at;
  }

  /**
   * Merges `patch` into the profile (Okta's partial update: `null` clears an attribute) and returns the
   * names of the attributes whose value changed, sorted. The login index follows a login change.
   */
  updateProfile(user: DirectoryUser, patch: Record<string, unknown>): string[] {
    const changed = Object.keys(patch)
      .filter((key) => JSON.stringify(user.profile[key] ?? null) !== JSON.stringify(patch[key] ?? null))
      .sort();
    if (changed.length === 0) return changed;
    const oldLogin = user.profile.login;
    user.profile = { ...user.profile, ...patch } as OktaProfile;
    if (user.profile.login !== oldLogin) {
      this.idsByLogin.delete(oldLogin.toLowerCase());
      this.idsByLogin.set(user.profile.login.toLowerCase(), user.id);
    }
    user.lastUpdated = this.now();
    return changed;
  }

  /** Removes a user and their memberships; returns the ids of the groups they were in. */
  removeUser(user: DirectoryUser): string[] {
    const groupIds = this.groupsOf(user.id).map((group) => group.id);
    for (const groupId of groupIds) this.members.get(groupId)?.delete(user.id);
    this.apps.removeUser(user.id);
    this.usersById.delete(user.id);
    this.idsByLogin.delete(user.profile.login.toLowerCase());
    return groupIds;
  }

  /**
   * Adds a group; throws when the id is taken, when an `OKTA_GROUP`'s name (case-insensitive) is taken
   * by another `OKTA_GROUP`, or when an `APP_GROUP` has no source app. An `APP_GROUP` may share any name.
   */
  addGroup(input: NewGroup): DirectoryGroup {
    const id = input.id ?? this.ids.objectId(ID_PREFIX.group);
    const type = input.type ?? "OKTA_GROUP";
    if (this.groupsById.has(id)) throw new Error(`group id ${id} already exists`);
    if (type === "OKTA_GROUP" && this.groupNamed(input.name) !== undefined)
      throw new Error(`group ${input.name} already exists`);
    if (type === "APP_GROUP" && input.sourceAppId === undefined)
      throw new Error(`APP_GROUP ${input.name} needs sourceAppId: the app it is imported from`);
    const at = this.now();
    const group: DirectoryGroup = {
      id,
      type,
      sourceAppId: type === "APP_GROUP" ? (input.sourceAppId ?? null) : null,
      name: input.name,
      description: input.description ?? null,
      created: at,
      lastUpdated: at,
      lastMembershipUpdated: at,
    };
    this.groupsById.set(id, group);
    this.members.set(id, new Set());
    return group;
  }

  group(id: string): DirectoryGroup | undefined {
    return this.groupsById.get(id);
  }

  /** The group of this type (an `OKTA_GROUP` by default) with this name, compared case-insensitively. */
  groupNamed(name: string, type: DirectoryGroupType = "OKTA_GROUP"): DirectoryGroup | undefined {
    const wanted = name.toLowerCase();
    return this.groups().find((group) => group.type === type && group.name.toLowerCase() === wanted);
  }

  /** Every group, in creation order. */
  groups(): DirectoryGroup[] {
    return [...this.groupsById.values()];
  }

  /** Removes a group; returns the ids of its former members. */
  removeGroup(group: DirectoryGroup): string[] {
    const former = this.memberIds(group.id);
    this.groupsById.delete(group.id);
    this.members.delete(group.id);
    return former;
  }

  /** Adds a membership; `false` when it already existed (nothing changed). */
  addMember(group: DirectoryGroup, user: DirectoryUser): boolean {
    const set = this.members.get(group.id);
    if (set === undefined || set.has(user.id)) return false;
    set.add(user.id);
    group.lastMembershipUpdated = this.now();
    return true;
  }

  /** Removes a membership; `false` when there was none. */
  removeMember(group: DirectoryGroup, user: DirectoryUser): boolean {
    const removed = this.members.get(group.id)?.delete(user.id) ?? false;
    if (removed) group.lastMembershipUpdated = this.now();
    return removed;
  }

  /** Member user ids of a group, in the order they were added. */
  memberIds(groupId: string): string[] {
    return [...(this.members.get(groupId) ?? [])];
  }

  /** The groups a user belongs to, in group creation order. */
  groupsOf(userId: string): DirectoryGroup[] {
    return this.groups().filter((group) => this.members.get(group.id)?.has(userId) ?? false);
  }

  /** A deep copy of the directory as JSON-ready data. */
  snapshot(): DirectorySnapshot {
    return structuredClone({
      users: this.users(),
      groups: this.groups().map((group) => ({ ...group, memberIds: this.memberIds(group.id) })),
    });
  }
}
