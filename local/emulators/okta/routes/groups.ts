import { z } from "zod";
import type { DirectoryGroup, DirectoryUser } from "../directory.ts";
import { internalError, OktaApiError, resourceNotFound, validationFailed } from "../errors.ts";
import { json, noContent } from "../http.ts";
import { listLinks, pageAfter, readLimit } from "../pagination.ts";
import { groupResource, userResource } from "../resources.ts";
import { parseFilterParam } from "./filter-param.ts";
import { type OktaServices, path, type Route, type RouteRequest } from "./route.ts";

/** Groups API page sizes: groups up to 10,000 per page, group members up to 1,000. */
const GROUP_PAGES = { defaultLimit: 10_000, maxLimit: 10_000 };
const MEMBER_PAGES = { defaultLimit: 1000, maxLimit: 1000 };

const createGroupBody = z.object({
  profile: z.object({ name: z.string().min(1), description: z.string().nullish() }),
});

/** The Groups API subset: list (with `q`), get, create, delete, members, membership add / remove. */
export function groupRoutes(services: OktaServices): Route[] {
  const { directory, operations, faults } = services;
  const groupOr404 = (request: RouteRequest, param = "id"): DirectoryGroup => {
    const id = request.params[param] ?? "";
    const group = directory.group(id);
    if (group === undefined) throw resourceNotFound(id, "UserGroup");
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
        const limit = readLimit(url, GROUP_PAGES);
        const q = url.searchParams.get("q")?.toLowerCase() ?? null;
        const filter = parseFilterParam(url, "filter") ?? parseFilterParam(url, "search");
        // `q` matches a prefix of the group name, case-insensitively (Groups API, "Find Groups").
        const candidates = directory
          .groups()
          .filter((group) => q === null || group.name.toLowerCase().startsWith(q))
          .filter((group) => filter === undefined || filter(groupResource(group, baseUrl)));
        const { page, nextAfter } = pageAfter(candidates, url.searchParams.get("after"), limit);
        const stats = url.searchParams.get("expand") === "stats";
        return json(
          page.map((group) =>
            groupResource(group, baseUrl, stats ? directory.memberIds(group.id).length : undefined),
          ),
          { link: listLinks(baseUrl, url, nextAfter === null ? null : { after: nextAfter, limit }) },
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
          served.map((user) => userResource(user, request.baseUrl)),
          { link: listLinks(request.baseUrl, request.url, next) },
        );
      },
    },
    {
      method: "PUT",
      pattern: path("/api/v1/groups/:groupId/users/:userId"),
      handle: (request) => {
        operations.addMember(request.context, groupOr404(request, "groupId"), userOr404(request));
        return noContent();
      },
    },
    {
      method: "DELETE",
      pattern: path("/api/v1/groups/:groupId/users/:userId"),
      handle: (request) => {
        operations.removeMember(request.context, groupOr404(request, "groupId"), userOr404(request));
        return noContent();
      },
    },
  ];
}
