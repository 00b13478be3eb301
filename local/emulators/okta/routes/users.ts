import { z } from "zod";
import type { DirectoryUser, OktaProfile } from "../directory.ts";
import { OktaApiError, resourceNotFound, validationFailed } from "../errors.ts";
import { json, noContent } from "../http.ts";
import { isLifecycleOperation } from "../lifecycle-rules.ts";
import { listLinks, pageAfter, readLimit } from "../pagination.ts";
import { groupResource, userResource } from "../resources.ts";
import { USER_FILTER, USER_SEARCH } from "../search-rules.ts";
import { parseFilterParam } from "./filter-param.ts";
import { type OktaServices, path, type Route, type RouteRequest } from "./route.ts";

/** Users API page size: 200 by default and at most (Users API, "List Users"). */
const USER_PAGES = { defaultLimit: 200, maxLimit: 200 };
/** listUsers `limit`: "Defaults to 10 if `q` is provided." */
const QUERY_PAGES = { defaultLimit: 10, maxLimit: 200 };

const REQUIRED_PROFILE = ["login", "email", "firstName", "lastName"] as const;

const createUserBody = z.object({
  profile: z.record(z.string(), z.unknown()),
  groupIds: z.array(z.string()).optional(),
  credentials: z.unknown().optional(),
});

const updateUserBody = z.object({ profile: z.record(z.string(), z.unknown()).optional() });

/** The Users API subset: list, get, create, partial update, lifecycle, delete, groups, sessions. */
export function userRoutes(services: OktaServices): Route[] {
  const { directory, operations } = services;
  const userOr404 = (request: RouteRequest): DirectoryUser => {
    const id = request.params.id ?? "";
    const user = directory.user(id);
    if (user === undefined) throw resourceNotFound(id, "User");
    return user;
  };

  return [
    {
      method: "GET",
      pattern: path("/api/v1/users"),
      handle: ({ url, baseUrl }) => {
        const q = url.searchParams.get("q")?.toLowerCase() ?? null;
        const limit = readLimit(url, q === null ? USER_PAGES : QUERY_PAGES);
        const filter = parseFilterParam(url, "filter", USER_FILTER);
        const search = parseFilterParam(url, "search", USER_SEARCH);
        const filtered = filter !== undefined || search !== undefined;
        // "This operation omits users that have a status of `DEPROVISIONED` ... To return all users, use a
        // filter or search query instead"; `q` omits them too.
        const candidates = directory
          .users()
          .filter((user) => (filtered && q === null) || user.status !== "DEPROVISIONED")
          .filter((user) => filter === undefined || filter(userResource(user, baseUrl)))
          .filter((user) => search === undefined || search(userResource(user, baseUrl)))
          .filter((user) => q === null || matchesQuery(user, q));
        const after = q === null ? url.searchParams.get("after") : null;
        const { page, nextAfter } = pageAfter(candidates, after, limit);
        // `q` "doesn't support pagination, but you can use `limit`": never a `next` link.
        const next = q === null && nextAfter !== null ? { after: nextAfter, limit } : null;
        return json(
          page.map((user) => userResource(user, baseUrl, { inCollection: true })),
          { link: listLinks(baseUrl, url, next) },
        );
      },
    },
    {
      method: "POST",
      pattern: path("/api/v1/users"),
      handle: async ({ url, baseUrl, body, context }) => {
        const parsed = createUserBody.safeParse((await body()) ?? {});
        if (!parsed.success) throw validationFailed("profile", ["profile: The field cannot be left blank"]);
        const profile = requireProfile(parsed.data.profile);
        const activate = url.searchParams.get("activate") !== "false";
        const created = operations.createUser(context, {
          profile,
          groupIds: parsed.data.groupIds ?? [],
          activate,
        });
        if (created instanceof OktaApiError) throw created;
        return json(userResource(created, baseUrl));
      },
    },
    {
      method: "GET",
      pattern: path("/api/v1/users/:id"),
      handle: (request) => json(userResource(userOr404(request), request.baseUrl)),
    },
    {
      method: "POST",
      pattern: path("/api/v1/users/:id"),
      handle: async (request) => {
        const user = userOr404(request);
        const parsed = updateUserBody.safeParse((await request.body()) ?? {});
        if (!parsed.success) throw validationFailed("profile", ["profile: must be an object"]);
        const patch = parsed.data.profile ?? {};
        for (const field of REQUIRED_PROFILE) {
          if (field in patch && (typeof patch[field] !== "string" || patch[field] === "")) {
            throw validationFailed(field, [`${field}: The field cannot be left blank`]);
          }
        }
        const error = operations.updateProfile(request.context, user, patch);
        if (error !== undefined) throw error;
        return json(userResource(user, request.baseUrl));
      },
    },
    {
      method: "DELETE",
      pattern: path("/api/v1/users/:id"),
      handle: (request) => {
        operations.deleteUser(request.context, userOr404(request));
        return noContent();
      },
    },
    {
      method: "POST",
      pattern: path("/api/v1/users/:id/lifecycle/:operation"),
      handle: async (request) => {
        const operation = request.params.operation ?? "";
        if (!isLifecycleOperation(operation)) throw resourceNotFound(request.url.pathname, "Resource");
        const user = userOr404(request);
        const error = operations.lifecycle(request.context, user, operation);
        if (error !== undefined) throw error;
        // deactivateUser completes before it answers unless the caller sent `Prefer: respond-async`.
        if (!/respond-async/i.test(String(request.req.headers.prefer ?? ""))) await operations.settled(user);
        const sendEmail = request.url.searchParams.get("sendEmail");
        // Activation without an email hands back the activation link instead (Users API, "Activate User").
        if ((operation === "activate" || operation === "reactivate") && sendEmail === "false") {
          const token = services.ids.token();
          return json({ activationUrl: `${request.baseUrl}/welcome/${token}`, activationToken: token });
        }
        // deactivateUser, suspendUser and unsuspendUser declare a 200 with no content (answer-switches.ts).
        const bodiless = operation === "deactivate" || operation === "suspend" || operation === "unsuspend";
        if (bodiless && services.answerSwitches.lifecycleBody === "none") return { status: 200 };
        return json({});
      },
    },
    {
      // listAppLinks: "Lists all app links for all direct or indirect (through group membership) assigned
      // apps" (management spec); an unknown user is a 404 like every /users/{userId} operation.
      method: "GET",
      pattern: path("/api/v1/users/:id/appLinks"),
      handle: (request) => json(directory.apps.linksOf(userOr404(request).id, request.baseUrl)),
    },
    {
      method: "GET",
      pattern: path("/api/v1/users/:id/groups"),
      handle: (request) => {
        const user = userOr404(request);
        return json(directory.groupsOf(user.id).map((group) => groupResource(group, request.baseUrl)));
      },
    },
    {
      method: "DELETE",
      pattern: path("/api/v1/users/:id/sessions"),
      handle: (request) => {
        const user = userOr404(request);
        operations.clearSessions(
          request.context,
          user,
          request.url.searchParams.get("oauthTokens") === "true",
        );
        return noContent();
      },
    },
  ];
}

/** The base profile attributes must be non-empty strings (Okta's default user schema). */
function requireProfile(profile: Record<string, unknown>): OktaProfile {
  const blank = REQUIRED_PROFILE.filter(
    (field) => typeof profile[field] !== "string" || profile[field] === "",
  );
  if (blank.length > 0) {
    throw validationFailed(
      blank.join(", "),
      blank.map((field) => `${field}: The field cannot be left blank`),
    );
  }
  return profile as OktaProfile;
}

/**
 * listUsers `q`: "matched against `firstName`, `lastName`, or `email`. This performs a `startsWith`
 * match" (not the login).
 */
function matchesQuery(user: DirectoryUser, q: string): boolean {
  return [user.profile.firstName, user.profile.lastName, user.profile.email].some((value) =>
    value.toLowerCase().startsWith(q),
  );
}
