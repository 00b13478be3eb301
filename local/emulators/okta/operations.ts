import type { ChangeFeed } from "./changes.ts";
import type { IdFactory } from "./deterministic.ts";
import type { DirectoryGroup, DirectoryUser, OktaDirectory, OktaProfile } from "./directory.ts";
import { type OktaApiError, validationFailed } from "./errors.ts";
import { type LifecycleOperation, lifecycleTransition } from "./lifecycle-rules.ts";
import {
  buildLogEvent,
  groupTarget,
  type LogTarget,
  type RequestContext,
  userTarget,
} from "./log-event-factory.ts";
import type { SystemLog } from "./system-log.ts";

/** A `DELETE /api/v1/users/{id}/sessions` call, kept so tests and the local stack can see it happened. */
export interface SessionClear {
  userId: string;
  login: string;
  at: string;
  oauthTokens: boolean;
}

export interface OperationsDeps {
  directory: OktaDirectory;
  log: SystemLog;
  ids: IdFactory;
  /** Epoch milliseconds. */
  clock: () => number;
  changes: ChangeFeed;
}

/**
 * Every state change the Management API can make, with Okta's rules: each change is applied to the
 * directory, written to the System Log as a realistic LogEvent (which also feeds event hooks), and
 * announced on the change feed. Routes parse HTTP and call these; nothing else mutates the org.
 */
export class OktaOperations {
  readonly sessionClears: SessionClear[] = [];
  /**
   * How long a deactivation takes to complete. Okta deactivates asynchronously (deactivateUser: the
   * user reads `transitioningToStatus: DEPROVISIONED` until done; `Prefer: respond-async` returns before
   * it is): its event is written when it starts, so a run may read the user mid-transition. Okta
   * documents no duration. 0: at once. Mutable at runtime. @default 0
   */
  deactivationMs = 0;
  /**
   * What `activate` does to a user without a password. `immediate`: ACTIVE at once (the emulator's
   * users have no credentials). `welcome-flow`: PROVISIONED until the user completes Okta's welcome
   * flow (`completeWelcomeFlow`): activateUser, "Users who don't have a password must complete the
   * welcome flow by visiting the activation link to complete the transition to ACTIVE status".
   * Mutable at runtime. @default immediate
   */
  activation: "immediate" | "welcome-flow" = "immediate";
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();
  private readonly deps: OperationsDeps;

  constructor(deps: OperationsDeps) {
    this.deps = deps;
  }

  /** `POST /api/v1/users`: creates the user (STAGED, or ACTIVE with `activate`) and adds it to `groupIds`. */
  createUser(
    context: RequestContext,
    input: { profile: OktaProfile; groupIds: string[]; activate: boolean },
  ): DirectoryUser | OktaApiError {
    const { directory } = this.deps;
    const groups: DirectoryGroup[] = [];
    for (const groupId of input.groupIds) {
      const group = directory.group(groupId);
      if (group === undefined) return validationFailed("groupIds", [`groupIds: Group ${groupId} not found`]);
      groups.push(group);
    }
    if (directory.loginTaken(input.profile.login)) {
      return validationFailed("login", [
        "login: An object with this field already exists in the current organization",
      ]);
    }
    const user = directory.addUser({ status: "STAGED", profile: input.profile });
    this.write(context, "user.lifecycle.create", [userTarget(user)]);
    this.deps.changes.emit({
      kind: "user-created",
      userId: user.id,
      login: user.profile.login,
      status: user.status,
    });
    if (input.activate) this.applyStatus(context, user, "ACTIVE", "user.lifecycle.activate");
    for (const group of groups) this.addMember(context, group, user);
    return user;
  }

  /** `POST /api/v1/users/{id}`: partial profile update; writes `user.account.update_profile` when something changed. */
  updateProfile(
    context: RequestContext,
    user: DirectoryUser,
    patch: Record<string, unknown>,
  ): OktaApiError | undefined {
    const login = patch.login;
    if (typeof login === "string" && login.toLowerCase() !== user.profile.login.toLowerCase()) {
      if (this.deps.directory.loginTaken(login)) {
        return validationFailed("login", [
          "login: An object with this field already exists in the current organization",
        ]);
      }
    }
    const changed = this.deps.directory.updateProfile(user, patch);
    if (changed.length === 0) return undefined;
    this.write(context, "user.account.update_profile", [userTarget(user)], {
      changedAttributes: changed.join(","),
    });
    this.deps.changes.emit({
      kind: "user-profile",
      userId: user.id,
      login: user.profile.login,
      changedAttributes: changed,
    });
    return undefined;
  }

  /** `POST /api/v1/users/{id}/lifecycle/{operation}` under Okta's status rules. */
  lifecycle(
    context: RequestContext,
    user: DirectoryUser,
    operation: LifecycleOperation,
  ): OktaApiError | undefined {
    const transition = lifecycleTransition(user.status, operation);
    if ("errorCode" in transition) return transition;
    if (transition.to === "DEPROVISIONED" && this.deactivationMs > 0) {
      if (user.transitioningToStatus !== undefined) return undefined; // already on its way
      user.transitioningToStatus = "DEPROVISIONED";
      this.write(context, transition.eventType, [userTarget(user)]);
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        delete user.transitioningToStatus;
        const from = user.status;
        this.deps.directory.setStatus(user, "DEPROVISIONED");
        this.deps.changes.emit({
          kind: "user-status",
          userId: user.id,
          login: user.profile.login,
          from,
          to: "DEPROVISIONED",
        });
      }, this.deactivationMs);
      this.pending.add(timer);
      return undefined;
    }
    const to = operation === "activate" && this.activation === "welcome-flow" ? "PROVISIONED" : transition.to;
    this.applyStatus(context, user, to, transition.eventType);
    return undefined;
  }

  /**
   * The user follows their activation link and sets a password: PROVISIONED becomes ACTIVE. Okta
   * documents no System Log event for it that this pipeline listens to, so none is written; the
   * change still reaches SCIM.
   */
  completeWelcomeFlow(user: DirectoryUser): void {
    if (user.status !== "PROVISIONED") return;
    this.deps.directory.setStatus(user, "ACTIVE");
    this.deps.changes.emit({
      kind: "user-status",
      userId: user.id,
      login: user.profile.login,
      from: "PROVISIONED",
      to: "ACTIVE",
    });
  }

  /** Resolves once the user's asynchronous transition, if any, has completed. */
  async settled(user: DirectoryUser): Promise<void> {
    while (user.transitioningToStatus !== undefined) await new Promise((r) => setTimeout(r, 10));
  }

  /** Cancels transitions still running (server shutdown). */
  close(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  /**
   * `DELETE /api/v1/users/{id}`: like Okta, a user who is not DEPROVISIONED is deactivated first; a
   * second delete removes the user (`user.lifecycle.delete.initiated`).
   */
  deleteUser(context: RequestContext, user: DirectoryUser): "deactivated" | "deleted" {
    if (user.status !== "DEPROVISIONED") {
      this.applyStatus(context, user, "DEPROVISIONED", "user.lifecycle.deactivate");
      return "deactivated";
    }
    this.write(context, "user.lifecycle.delete.initiated", [userTarget(user)]);
    this.deps.directory.removeUser(user);
    this.deps.changes.emit({ kind: "user-deleted", userId: user.id, login: user.profile.login });
    return "deleted";
  }

  /** `DELETE /api/v1/users/{id}/sessions`: recorded and logged as `user.session.clear`. */
  clearSessions(context: RequestContext, user: DirectoryUser, oauthTokens: boolean): void {
    this.sessionClears.push({ userId: user.id, login: user.profile.login, at: this.nowIso(), oauthTokens });
    this.write(context, "user.session.clear", [userTarget(user)]);
  }

  /**
   * Writes an event Okta raises from a flow the emulator does not model as an API (an admin's
   * factor reset or Universal Logout, Okta's breached-credential and risk detections, an account
   * lockout, a group rename...), so tests can drive the pipeline with it: it goes to the System Log
   * and, like every event, to the event hooks subscribed to its type. The shapes follow Okta's event
   * catalogue (event-types.csv): `security.breached_credential.detected` has "the user with the
   * breached credential" as actor and the credential as target (`actor: "user"`, `targets`); the
   * others name the user as a `User` target and the admin (`context.actor`) as actor.
   */
  recordEvent(
    context: RequestContext,
    eventType: string,
    input: {
      user?: DirectoryUser;
      group?: DirectoryGroup;
      /** `"user"`: the user is the actor, not a target. @default the context's admin */
      actor?: "user";
      /** Targets besides the user's and the group's (an `AppInstance`, a credential). @default [] */
      targets?: LogTarget[];
      debugData?: Record<string, string>;
    },
  ): void {
    const { user, group } = input;
    const actor =
      input.actor === "user" && user !== undefined
        ? { id: user.id, login: user.profile.login, displayName: userTarget(user).displayName }
        : context.actor;
    const targets = [
      ...(user !== undefined && input.actor !== "user" ? [userTarget(user)] : []),
      ...(group !== undefined ? [groupTarget(group)] : []),
      ...(input.targets ?? []),
    ];
    this.write({ ...context, actor }, eventType, targets, input.debugData);
  }

  /** `POST /api/v1/groups`: group names are unique (case-insensitive). */
  createGroup(
    context: RequestContext,
    input: { name: string; description: string | null },
  ): DirectoryGroup | OktaApiError {
    if (this.deps.directory.groupNamed(input.name) !== undefined) {
      return validationFailed("name", [
        "name: An object with this field already exists in the current organization",
      ]);
    }
    const group = this.deps.directory.addGroup(input);
    this.write(context, "group.lifecycle.create", [groupTarget(group)]);
    this.deps.changes.emit({ kind: "group-created", groupId: group.id, groupName: group.name });
    return group;
  }

  /** `DELETE /api/v1/groups/{id}`: the event names only the group; its memberships go with it. */
  deleteGroup(context: RequestContext, group: DirectoryGroup): void {
    this.write(context, "group.lifecycle.delete", [groupTarget(group)]);
    const formerMemberIds = this.deps.directory.removeGroup(group);
    this.deps.changes.emit({
      kind: "group-deleted",
      groupId: group.id,
      groupName: group.name,
      formerMemberIds,
    });
  }

  /** `PUT /api/v1/groups/{groupId}/users/{userId}`: idempotent; only a real change is logged. */
  addMember(context: RequestContext, group: DirectoryGroup, user: DirectoryUser): void {
    if (!this.deps.directory.addMember(group, user)) return;
    this.write(context, "group.user_membership.add", [userTarget(user), groupTarget(group)]);
    this.deps.changes.emit({
      kind: "membership-added",
      groupId: group.id,
      groupName: group.name,
      userId: user.id,
      login: user.profile.login,
    });
  }

  /** `DELETE /api/v1/groups/{groupId}/users/{userId}`: idempotent; only a real change is logged. */
  removeMember(context: RequestContext, group: DirectoryGroup, user: DirectoryUser): void {
    if (!this.deps.directory.removeMember(group, user)) return;
    this.write(context, "group.user_membership.remove", [userTarget(user), groupTarget(group)]);
    this.deps.changes.emit({
      kind: "membership-removed",
      groupId: group.id,
      groupName: group.name,
      userId: user.id,
      login: user.profile.login,
    });
  }

  private applyStatus(
    context: RequestContext,
    user: DirectoryUser,
    to: DirectoryUser["status"],
    eventType: string,
  ): void {
    const from = user.status;
    this.deps.directory.setStatus(user, to);
    this.write(context, eventType, [userTarget(user)]);
    if (from !== to)
      this.deps.changes.emit({ kind: "user-status", userId: user.id, login: user.profile.login, from, to });
  }

  private write(
    context: RequestContext,
    eventType: string,
    targets: LogTarget[],
    debugData?: Record<string, string>,
  ) {
    const publishedMs = this.deps.clock();
    const event = buildLogEvent({
      uuid: this.deps.ids.uuid(),
      published: new Date(publishedMs).toISOString(),
      eventType,
      targets,
      context,
      ...(debugData === undefined ? {} : { debugData }),
    });
    this.deps.log.append(event, publishedMs);
  }

  private nowIso(): string {
    return new Date(this.deps.clock()).toISOString();
  }
}
