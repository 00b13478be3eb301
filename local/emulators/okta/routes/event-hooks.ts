import { z } from "zod";
import { resourceNotFound, validationFailed } from "../errors.ts";
import { eventHookResource, hookUriProblem, MAX_VERIFIED_HOOKS } from "../event-hooks.ts";
import { json } from "../http.ts";
import { type OktaServices, path, type Route, type RouteRequest } from "./route.ts";

const createHookBody = z.object({
  name: z.string().min(1),
  events: z.object({ type: z.literal("EVENT_TYPE"), items: z.array(z.string().min(1)).min(1) }),
  channel: z.object({
    type: z.literal("HTTP"),
    version: z.string().optional(),
    config: z.object({
      uri: z.string().min(1),
      headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).nullish(),
      authScheme: z
        .object({ type: z.literal("HEADER"), key: z.string().min(1), value: z.string().min(1) })
        .nullish(),
    }),
  }),
});

/** The Event Hooks Management API subset: create, list, get, replace, verify, activate, deactivate. */
export function eventHookRoutes(services: OktaServices): Route[] {
  const { hooks, delivery } = services;
  const hookOr404 = (request: RouteRequest) => {
    const id = request.params.id ?? "";
    const hook = hooks.get(id);
    if (hook === undefined) throw resourceNotFound(id, "EventHook");
    return hook;
  };

  const hookInput = async (body: RouteRequest["body"]) => {
    const parsed = createHookBody.safeParse((await body()) ?? {});
    if (!parsed.success) {
      const causes = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw validationFailed("eventHook", causes);
    }
    const { config } = parsed.data.channel;
    const problem = hookUriProblem(config.uri, hooks.allowLoopbackHttp);
    if (problem !== null) throw validationFailed("channel.config.uri", [`channel.config.uri: ${problem}`]);
    return {
      name: parsed.data.name,
      events: parsed.data.events.items,
      uri: config.uri,
      headers: config.headers ?? [],
      authScheme: config.authScheme ?? null,
    };
  };
  const lifecycle = (action: "activate" | "deactivate"): Route => ({
    method: "POST",
    pattern: path(`/api/v1/eventHooks/:id/lifecycle/${action}`),
    handle: (request) => {
      const hook = hookOr404(request);
      hooks.setStatus(hook, action === "activate" ? "ACTIVE" : "INACTIVE");
      return json(eventHookResource(hook, request.baseUrl));
    },
  });

  return [
    {
      method: "POST",
      pattern: path("/api/v1/eventHooks"),
      handle: async ({ body, baseUrl }) =>
        json(eventHookResource(hooks.create(await hookInput(body), baseUrl), baseUrl)),
    },
    {
      method: "PUT",
      pattern: path("/api/v1/eventHooks/:id"),
      handle: async (request) => {
        const hook = hookOr404(request);
        hooks.replace(hook, await hookInput(request.body));
        return json(eventHookResource(hook, request.baseUrl));
      },
    },
    lifecycle("activate"),
    lifecycle("deactivate"),
    {
      method: "GET",
      pattern: path("/api/v1/eventHooks"),
      handle: ({ baseUrl }) => json(hooks.list().map((hook) => eventHookResource(hook, baseUrl))),
    },
    {
      method: "GET",
      pattern: path("/api/v1/eventHooks/:id"),
      handle: (request) => json(eventHookResource(hookOr404(request), request.baseUrl)),
    },
    {
      method: "POST",
      pattern: path("/api/v1/eventHooks/:id/lifecycle/verify"),
      handle: async (request) => {
        const hook = hookOr404(request);
        if (hook.verificationStatus !== "VERIFIED" && hooks.verifiedCount() >= MAX_VERIFIED_HOOKS) {
          throw validationFailed("eventHook", [`At most ${MAX_VERIFIED_HOOKS} active, verified event hooks`]);
        }
        const record = await delivery.verify(hook);
        if (!record.verified) {
          throw validationFailed("Event hook verification failed", [
            `Verification of ${hook.uri} failed: ${record.reason ?? "unknown"}`,
          ]);
        }
        hooks.markVerified(hook);
        return json(eventHookResource(hook, request.baseUrl));
      },
    },
  ];
}
