import { z } from "zod";
import type { OktaGroup, OktaTruth, OktaUser } from "../../core/estate.ts";
import type { OktaGroupType } from "../../core/plan/user-truth.ts";
import type { OktaUserPort } from "../../core/ports.ts";
import {
  OktaAdapterError,
  OktaAuthenticationError,
  OktaNotFoundError,
  OktaPermissionError,
  OktaResponseValidationError,
} from "./errors.ts";
import { OktaHttpClient, type OktaHttpOptions } from "./http-client.ts";
import {
  assignedAppLinkSchema,
  logPageSchema,
  oktaGroupSchema,
  oktaUserSchema,
  type RawOktaGroup,
  type RawOktaUser,
} from "./schemas.ts";

/** The user lifecycle operations the adapter can run. */
export type OktaLifecycleOperation = "activate" | "reactivate" | "deactivate" | "suspend" | "unsuspend";

/** A group by id and name. */
export interface OktaGroupRef {
  id: string;
  name: string;
  /** Okta's group type (management spec `GroupType`), when Okta states it. */
  type?: OktaGroupType;
  /** How many members Okta says the group has, when the read asked for `expand=stats`. */
  usersCount?: number;
}

/** The first System Log request of a poll; later ones follow the `next` link. */
export interface SystemLogQuery {
  /** Lower bound of `published` (ISO-8601 or a Date): the poller's look-back on its first run. */
  since: string | Date;
  /** A SCIM filter, usually `eventTypeFilter()`. */
  filter?: string;
  /** Events per page (Okta: 0 to 1000). @default 1000 */
  limit?: number;
}

/** One System Log page: raw events (validated one by one by core/okta) and the link to persist. */
export interface SystemLogPage {
  events: unknown[];
  /** The `rel="next"` link, absolute. A polling query always has one; `null` only for bounded queries. */
  nextUrl: string | null;
}

/** An app a user is assigned to (one per app instance, however many links it has). */
export interface AssignedApp {
  /** The app instance id (`0oa...`). */
  appId: string;
  /** Okta's catalog name (`amazon_aws` for AWS Account Federation). */
  appName: string;
  label: string;
}

/** Options of `OktaAdapter` (see `OktaHttpOptions` for retries, sleep and clock). */
export type OktaAdapterOptions = OktaHttpOptions;

/** Page sizes: the maximum each list endpoint serves, to keep the number of calls down. */
const PAGE = { users: 200, groups: 200, members: 1000, logs: 1000 } as const;
/** A paginated listing that never ends is a bug or a hostile server: stop well past any real org. */
const MAX_PAGES = 10_000;

/**
 * The longest a session clear waits in its Lambda for room in Okta's rate limit: none. Any wait goes
 * back to the workflow, which sleeps exactly that long holding no Lambda (usecases/reconcile-user/
 * clear-okta-sessions.ts). Measured on the layoff benchmark: a clear that slept in its task held a
 * local task slot (up to 88 of 100) while the leavers' reads and removals waited for one.
 */
export const CLEAR_SESSIONS_MAX_WAIT_MS = 0;

/**
 * Okta's Management API as the pipeline needs it: users, groups, memberships, lifecycle operations,
 * sessions and the System Log. Lists follow the `Link: rel="next"` header to the end (never crafting a
 * cursor); 429 and 5xx are retried by `OktaHttpClient`; every response is validated.
 */
export class OktaAdapter implements OktaUserPort {
  private readonly http: OktaHttpClient;

  constructor(options: OktaAdapterOptions) {
    this.http = new OktaHttpClient(options);
  }

  /** A user by id or login; `null` when Okta says 404. */
  async getUser(idOrLogin: string): Promise<OktaUser | null> {
    try {
      const { body } = await this.http.read(
        "GET",
        `/api/v1/users/${encodeURIComponent(idOrLogin)}`,
        oktaUserSchema,
      );
      return toOktaUser(body);
    } catch (error) {
      if (error instanceof OktaNotFoundError) return null;
      throw error;
    }
  }

  /**
   * Every user, DEPROVISIONED ones included: Okta's plain listing leaves them out, so they are read with
   * a second, filtered listing. A leaver then shows as DEPROVISIONED instead of silently missing.
   */
  async listUsers(): Promise<OktaUser[]> {
    const [current, deprovisioned] = await Promise.all([
      this.listAll(`/api/v1/users?limit=${PAGE.users}`, oktaUserSchema),
      this.listAll(
        `/api/v1/users?${new URLSearchParams({ filter: 'status eq "DEPROVISIONED"', limit: String(PAGE.users) })}`,
        oktaUserSchema,
      ),
    ]);
    const byId = new Map([...current, ...deprovisioned].map((user) => [user.id, toOktaUser(user)]));
    return [...byId.values()];
  }

  /** The groups a user belongs to. */
  async listUserGroups(userId: string): Promise<OktaGroupRef[]> {
    const groups = await this.listAll(`/api/v1/users/${encodeURIComponent(userId)}/groups`, oktaGroupSchema);
    return groups.map(toGroupRef);
  }

  /**
   * The apps a user is assigned to, directly or through a group (`GET /api/v1/users/{userId}/appLinks`,
   * listAppLinks, scope okta.users.read; not paged in the spec). A user Okta no longer has (404) is
   * assigned to nothing.
   */
  async listAppLinks(userId: string): Promise<AssignedApp[]> {
    try {
      const { body } = await this.http.read(
        "GET",
        `/api/v1/users/${encodeURIComponent(userId)}/appLinks`,
        z.array(assignedAppLinkSchema),
      );
      const byApp = new Map(
        body.map((link) => [
          link.appInstanceId,
          { appId: link.appInstanceId, appName: link.appName, label: link.label ?? link.appName },
        ]),
      );
      return [...byApp.values()];
    } catch (error) {
      if (error instanceof OktaNotFoundError) return [];
      throw error;
    }
  }

  /** Every group. */
  async listGroups(): Promise<OktaGroupRef[]> {
    return (await this.listAll(`/api/v1/groups?limit=${PAGE.groups}`, oktaGroupSchema)).map(toGroupRef);
  }

  /**
   * Every group called exactly this name (`[]` if none; a case-insensitive match only when no group has
   * the exact name), each with Okta's member count. Okta lets an `APP_GROUP` imported from AD or LDAP
   * share an `OKTA_GROUP`'s name, so more than one is a real answer the caller must not pick from.
   * Asks with `search=profile.name eq "..."`, which Okta pages (listGroups `search`: "This operation
   * supports pagination"), never with `q`, which it does not ("You can't page a query").
   */
  async findGroupsByName(name: string): Promise<OktaGroupRef[]> {
    const query = new URLSearchParams({
      search: `profile.name eq ${JSON.stringify(name)}`,
      limit: String(PAGE.groups),
      expand: "stats",
    });
    // `search` values are case-insensitive: keep the exact name, or a unique case-insensitive one.
    const groups = (await this.listAll(`/api/v1/groups?${query}`, oktaGroupSchema)).map(toGroupRef);
    const exact = groups.filter((group) => group.name === name);
    if (exact.length > 0) return exact;
    return groups.filter((group) => group.name.toLowerCase() === name.toLowerCase());
  }

  /** The group with this id and Okta's member count (`filter=id eq "..."`); `null` if Okta has none. */
  async findGroupById(id: string): Promise<OktaGroupRef | null> {
    const query = new URLSearchParams({ filter: `id eq ${JSON.stringify(id)}`, expand: "stats" });
    const groups = (await this.listAll(`/api/v1/groups?${query}`, oktaGroupSchema)).map(toGroupRef);
    return groups.find((group) => group.id === id) ?? null;
  }

  /** The ids of a group's members, every page followed. */
  async listGroupMembers(groupId: string): Promise<string[]> {
    const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users?limit=${PAGE.members}`;
    return (await this.listAll(path, oktaUserSchema)).map((user) => user.id);
  }

  /**
   * The truth the planner needs: every user, and each named group with its members. A group whose member
   * read fails gets `memberIds: null` (never "no members", design principle 5); a name Okta does not
   * know is left out. A name more than one group has (an `APP_GROUP` beside an `OKTA_GROUP`) yields
   * every one of them with `memberIds: null` unread: core/plan blocks a rule that names it
   * (`okta-group-ambiguous`). Groups in `groupIds` are read by id. An authentication or permission failure fails the
   * whole read.
   */
  async readTruth(groupNames: readonly string[], groupIds: readonly string[] = []): Promise<OktaTruth> {
    const users = await this.listUsers();
    const groups: OktaGroup[] = [];
    const seen = new Set<string>();
    const add = async (group: OktaGroupRef, read: boolean) => {
      if (seen.has(group.id)) return;
      seen.add(group.id);
      const memberIds = read ? await this.membersOrNull(group.id) : null;
      // A member list shorter than the count Okta states for the group is a half read: never trusted
      // as "these are all the members" (it would plan removals and Denies for the rest).
      const short =
        memberIds !== null && group.usersCount !== undefined && memberIds.length < group.usersCount;
      groups.push({ id: group.id, name: group.name, memberIds: short ? null : memberIds });
    };
    for (const id of groupIds) {
      const group = await this.findGroupById(id);
      if (group !== null) await add(group, true);
    }
    for (const name of groupNames) {
      const matches = await this.findGroupsByName(name);
      for (const group of matches) await add(group, matches.length === 1);
    }
    return { users, groups };
  }

  /**
   * Ends the user's Okta sessions (not their AWS sessions: that takes the Deny). Low priority: it shares
   * the `/api/v1/users/{id}` bucket with the reads that decide whom to revoke, and yields to them. It
   * waits here at most {@link CLEAR_SESSIONS_MAX_WAIT_MS}; a longer wait throws the transient
   * OktaRateLimitError with the wait (`waitMs`) having sent nothing, and the workflow waits instead.
   */
  async clearUserSessions(userId: string): Promise<void> {
    await this.http.send("DELETE", `/api/v1/users/${encodeURIComponent(userId)}/sessions`, undefined, {
      priority: "low",
      maxHeadroomWaitMs: CLEAR_SESSIONS_MAX_WAIT_MS,
    });
  }

  /** Runs a lifecycle operation; Okta's status rules answer 400/403 (`OktaRequestRejectedError`). */
  async lifecycle(userId: string, operation: OktaLifecycleOperation): Promise<void> {
    // No emails from automation: activation hands back a link instead, deactivation tells no admin.
    const quiet = operation === "suspend" || operation === "unsuspend" ? "" : "?sendEmail=false";
    await this.http.send(
      "POST",
      `/api/v1/users/${encodeURIComponent(userId)}/lifecycle/${operation}${quiet}`,
    );
  }

  async addToGroup(groupId: string, userId: string): Promise<void> {
    await this.http.send(
      "PUT",
      `/api/v1/groups/${encodeURIComponent(groupId)}/users/${encodeURIComponent(userId)}`,
    );
  }

  async removeFromGroup(groupId: string, userId: string): Promise<void> {
    await this.http.send(
      "DELETE",
      `/api/v1/groups/${encodeURIComponent(groupId)}/users/${encodeURIComponent(userId)}`,
    );
  }

  /**
   * One System Log page. Given a URL (a persisted `next` link), follows it as is; given a query, starts a
   * polling request (`sortOrder=ASCENDING`, no `until`), whose `next` link Okta always returns.
   */
  async systemLogPage(from: string | SystemLogQuery): Promise<SystemLogPage> {
    const url = typeof from === "string" ? from : firstLogUrl(from);
    const { body, next } = await this.http.read("GET", url, logPageSchema);
    return { events: body, nextUrl: next };
  }

  private async membersOrNull(groupId: string): Promise<string[] | null> {
    try {
      return await this.listGroupMembers(groupId);
    } catch (error) {
      // A token that may not read groups fails the whole read, loudly, like a bad token.
      const credentials = error instanceof OktaAuthenticationError || error instanceof OktaPermissionError;
      if (error instanceof OktaAdapterError && !credentials) return null;
      throw error;
    }
  }

  private async listAll<S extends z.ZodType>(firstPath: string, item: S): Promise<z.output<S>[]> {
    const schema = z.array(item);
    const items: z.output<S>[] = [];
    const seen = new Set<string>();
    let url: string | null = firstPath;
    while (url !== null) {
      if (seen.has(url) || seen.size >= MAX_PAGES) {
        throw new OktaResponseValidationError(
          `Okta pagination did not end: ${url} came back or too many pages`,
          {
            method: "GET",
            url,
            problems: [{ path: "headers.link", message: "the next link repeats or never ends" }],
          },
        );
      }
      seen.add(url);
      const page: { body: z.output<S>[]; next: string | null } = await this.http.read("GET", url, schema);
      items.push(...page.body);
      url = page.next;
    }
    return items;
  }
}

function firstLogUrl(query: SystemLogQuery): string {
  const since = query.since instanceof Date ? query.since.toISOString() : query.since;
  const params = new URLSearchParams({
    since,
    sortOrder: "ASCENDING",
    limit: String(query.limit ?? PAGE.logs),
  });
  if (query.filter !== undefined) params.set("filter", query.filter);
  return `/api/v1/logs?${params}`;
}

/** Profile values as strings: numbers and booleans are stringified, arrays and objects left out. */
function toOktaUser(user: RawOktaUser): OktaUser {
  const profile: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(user.profile)) {
    if (value === null || typeof value === "string") profile[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") profile[key] = String(value);
  }
  return {
    id: user.id,
    login: user.profile.login,
    status: user.status,
    ...(user.transitioningToStatus ? { transitioningToStatus: user.transitioningToStatus } : {}),
    profile,
  };
}

function toGroupRef(group: RawOktaGroup): OktaGroupRef {
  const usersCount = group._embedded?.stats?.usersCount;
  return {
    id: group.id,
    name: group.profile.name,
    ...(group.type === undefined ? {} : { type: group.type }),
    ...(usersCount === undefined ? {} : { usersCount }),
  };
}
