import { z } from "zod";
import type { DirectoryGroup, DirectoryUser } from "../directory.ts";
import { internalError, OktaApiError, resourceNotFound, validationFailed } from "../errors.ts";
import { json, noContent } from "../http.ts";
import { listLinks, pageAfter, readLimit } from "../pagination.ts";
import { groupResource, userResource } from "../resources.ts";
import { GROUP_FILTER, GROUP_SEARCH } from "../search-rules.ts";
import { parseFilterParam } from "./filter-param.ts";
import { type OktaServices, path, type Route, type RouteRequest } from "./route.ts";

/** Groups API page sizes: groups up to 10,000 per page, group members up to 1,000. */
const GROUP_PAGES = { defaultLimit: 10_000, maxLimit: 10_000 };
const MEMBER_PAGES = { defaultLimit: 1000, maxLimit: 1000 };
/**
 * listGroups `q`: "Paging and searching are currently mutually exclusive. You can't page a query. The
 * default limit for a query is 300 results." A `q` answer is one page with no `next` link, however
 * many groups match: a client that needs every match must use `search` (or `filter`).
 */
const QUERY_PAGES = { defaultLimit: 300, maxLimit: 10_000 };

const createGroupBody = z.object({
  profile: z.object({ name: z.string().min(1), description: z.string().nullish() }),
});

/** The Groups API subset: list (with `q`, `filter`, `search`), get, create, delete, members, membership add / remove. */
export function groupRoutes(services: OktaServices): Route[] {
  const { directory, operations, faults } = services;
  const groupOr404 = (request: RouteRequest, param = "id"): DirectoryGroup => {
    const id = request.params[param] ?? "";
    const group = directory.group(id);
    if (group === undefined) throw resourceNotFound(id, "UserGroup");
    return group;
  };
  /**
   * "You only can modify memberships for groups of the `OKTA_GROUP` type. App imports are responsible
   * for managing group memberships for groups of the `APP_GROUP` type" (assignUserToGroup); the
   * operation documents 403, 404 and 429, so an APP_GROUP is answered 403 E0000006 (the emulator's
   * reading: the code Okta uses here is not documented).
   */
  const oktaGroupOr403 = (request: RouteRequest): DirectoryGroup => {
    const group = groupOr404(request, "groupId");
    if (group.type === "APP_GROUP") {
      throw new OktaApiError(403, "E0000006", "You do not have permission to perform the requested action", [
        {
          errorSummary: `Group ${group.id} is an APP_GROUP: its memberships come from its source app's imports`,
        },
      ]);
    }
    return group;
  };
  const userOr404 = (request: RouteRequest): DirectoryUser => {
    const id = request.params.userId ?? "";
    const user = directory.user(id);
    if (user === undefined || user.id !== id) throw resourceNotFound(id, "User");
    return user;
  };

  return [
    {
      method: "GET",
      pattern: path("/api/v1/groups"),
      handle: ({ url, baseUrl }) => {
        const q = url.searchParams.get("q")?.toLowerCase() ?? null;
        const limit = readLimit(url, q === null ? GROUP_PAGES : QUERY_PAGES);
        const filter = parseFilterParam(url, "filter", GROUP_FILTER);
        const search = parseFilterParam(url, "search", GROUP_SEARCH);
        // `q` "Finds a group that matches the `name` property": a case-insensitive name prefix.
        const candidates = directory
          .groups()
          .filter((group) => q === null || group.name.toLowerCase().startsWith(q))
          .filter((group) => filter === undefined || filter(groupResource(group, baseUrl)))
          .filter((group) => search === undefined || search(groupResource(group, baseUrl)));
        const after = q === null ? url.searchParams.get("after") : null;
        const { page, nextAfter } = pageAfter(candidates, after, limit);
        const stats = url.searchParams.get("expand") === "stats";
        const next = q === null && nextAfter !== null ? { after: nextAfter, limit } : null;
        return json(
          page.map((group) =>
            groupResource(group, baseUrl, stats ? directory.memberIds(group.id).length : undefined),
          ),
          { link: listLinks(baseUrl, url, next) },
        );
      },
    },
    {
      method: "POST",
      pattern: path("/api/v1/groups"),
      handle: async ({ body, baseUrl, context }) => {
        const parsed = createGroupBody.safeParse((await body()) ?? {});
        if (!parsed.success) throw validationFailed("name", ["name: The field cannot be left blank"]);
        const created = operations.createGroup(context, {
          name: parsed.data.profile.name,
          description: parsed.data.profile.description ?? null,
        });
        if (created instanceof OktaApiError) throw created;
        return json(groupResource(created, baseUrl));
      },
    },
    {
      method: "GET",
      pattern: path("/api/v1/groups/:id"),
      handle: (request) => json(groupResource(groupOr404(request), request.baseUrl)),
    },
    {
      method: "DELETE",
      pattern: path("/api/v1/groups/:id"),
      handle: (request) => {
        operations.deleteGroup(request.context, groupOr404(request));
        return noContent();
      },
    },
    {
      method: "GET",
      pattern: path("/api/v1/groups/:id/users"),
      handle: (request) => {
        const group = groupOr404(request);
        if (faults.failingGroupMemberListings.has(group.id)) throw internalError();
        const limit = readLimit(request.url, MEMBER_PAGES);
        const members = directory
          .memberIds(group.id)
          .map((id) => directory.user(id))
          .filter((user): user is DirectoryUser => user !== undefined);
        const { page, nextAfter } = pageAfter(members, request.url.searchParams.get("after"), limit);
        // A half read: the listing ends early with no `next` link (faults.truncateGroupMemberListing).
        const cut = faults.truncatedGroupMemberListings.get(group.id);
        const served = cut === undefined ? page : page.slice(0, cut);
        const next = cut === undefined && nextAfter !== null ? { after: nextAfter, limit } : null;
        return json(
          served.map((user) => userResource(user, request.baseUrl, { inCollection: true })),
          { link: listLinks(request.baseUrl, request.url, next) },
        );
      },
    },
    {
      method: "PUT",
      pattern: path("/api/v1/groups/:groupId/users/:userId"),
      handle: (request) => {
        operations.addMember(request.context, oktaGroupOr403(request), userOr404(request));
        return noContent();
      },
    },
    {
      method: "DELETE",
      pattern: path("/api/v1/groups/:groupId/users/:userId"),
      handle: (request) => {
        operations.removeMember(request.context, oktaGroupOr403(request), userOr404(request));
        return noContent();
      },
    },
  ];
}
