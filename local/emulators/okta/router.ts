import type { IncomingMessage, ServerResponse } from "node:http";
import { requiredPermission, rolesAllow } from "./admin-roles.ts";
import {
  accessDenied,
  internalError,
  methodNotSupported,
  OktaApiError,
  rateLimited,
  resourceNotFound,
} from "./errors.ts";
import { baseUrlOf, clientIp, type Reply, readJsonBody, writeReply } from "./http.ts";
import type { RequestContext } from "./log-event-factory.ts";
import { OAuthChallengeError } from "./oauth/scopes.ts";
import type { Principal } from "./principals.ts";
import { type RateLimitDecision, type RateLimiter, rateLimitHeaders } from "./rate-limits.ts";
import type { OktaServices, Route } from "./routes/route.ts";

/** The prefix the emulator owns on a shared server. */
export const API_PREFIX = "/api/v1";

export interface RouterConfig {
  routes: Route[];
  services: OktaServices;
  limiter: RateLimiter;
  /**
   * Who is calling, from the `Authorization` header; throws 401 E0000011 (principals.ts). An OAuth
   * access token also needs the request (its DPoP proof, method and URL: oauth/resource-auth.ts).
   */
  resolvePrincipal: (
    authorization: string | undefined,
    req: IncomingMessage,
    url: URL,
  ) => Principal | Promise<Principal>;
  /** The org URL for links; by default the scheme and host the client used. */
  orgUrl: string | undefined;
  /** Unexpected exceptions (a bug, not an Okta error) are reported here and answered 500 E0000009. */
  onUnexpectedError: (error: unknown) => void;
}

/**
 * Answers requests under `/api/v1` the way Okta's API front door does, in this order: the org's
 * concurrency limit, authentication (the principal), rate limits (the bucket and the principal's share
 * of it; every response carries the `X-Rate-Limit-*` headers and a `Date` from the emulator's clock),
 * the principal's admin roles (403 E0000006, admin-roles.ts), injected server errors, then the route.
 * Errors are Okta's JSON error objects. Returns `false` for paths it does not own.
 */
export async function routeRequest(
  config: RouterConfig,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) return false;
  const { services, limiter } = config;
  const now = services.clock();
  // The Date header carries the emulator's clock, so a client can tell its skew from Okta's.
  let headers: Record<string, string> = { Date: new Date(now).toUTCString() };
  const meter = (decision: RateLimitDecision) => {
    headers = { ...headers, ...rateLimitHeaders(decision) };
  };
  const busy = limiter.enter(now);
  try {
    if (busy !== null) {
      meter(busy);
      throw rateLimited();
    }
    const family = limiter.bucket(req.method ?? "GET", url.pathname);
    let caller: Principal;
    try {
      caller = await config.resolvePrincipal(req.headers.authorization, req, url);
    } catch (error) {
      meter(limiter.take(family, now));
      throw error;
    }
    const decision = limiter.take(family, now, caller.id);
    const throttled = !decision.allowed || services.faults.drawThrottle();
    meter(throttled ? { ...decision, remaining: 0 } : decision);
    if (throttled) throw rateLimited();
    const permission = requiredPermission(req.method ?? "GET", url.pathname);
    if (permission !== null && !rolesAllow(caller.roles, permission)) throw accessDenied();
    if (services.faults.drawServerError()) throw internalError();
    const reply = await dispatch(config, req, url, caller);
    writeReply(res, reply, headers);
  } catch (error) {
    const okta = error instanceof OktaApiError ? error : unexpected(config, error);
    // An OAuth challenge (WWW-Authenticate, DPoP-Nonce) travels with the error: oauth/scopes.ts.
    const challenge = okta instanceof OAuthChallengeError ? { headers: okta.headers } : {};
    writeReply(res, { status: okta.status, body: okta.body(services.ids.errorId()), ...challenge }, headers);
  } finally {
    if (busy === null) limiter.leave();
  }
  return true;
}

async function dispatch(
  config: RouterConfig,
  req: IncomingMessage,
  url: URL,
  caller: Principal,
): Promise<Reply> {
  const matching = config.routes
    .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
    .filter((candidate) => candidate.match !== null);
  if (matching.length === 0) throw resourceNotFound(url.pathname, "Resource");
  const chosen = matching.find((candidate) => candidate.route.method === req.method);
  if (chosen === undefined) throw methodNotSupported();
  const params = Object.fromEntries(
    Object.entries(chosen.match?.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]),
  );
  const context: RequestContext = {
    requestId: config.services.ids.requestId(),
    requestUri: url.pathname,
    url: `${url.pathname}${url.search === "" ? "?" : url.search}`,
    ipAddress: clientIp(req),
    userAgent: typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"] : null,
    apiTokenId: caller.kind === "api-token" ? caller.id : null,
    actor: caller.actor,
  };
  return chosen.route.handle({
    req,
    url,
    baseUrl: baseUrlOf(req, config.orgUrl),
    params,
    body: () => readJsonBody(req),
    context,
  });
}

function unexpected(config: RouterConfig, error: unknown): OktaApiError {
  config.onUnexpectedError(error);
  return internalError();
}
