import type { IncomingMessage, ServerResponse } from "node:http";
import {
  internalError,
  invalidToken,
  methodNotSupported,
  OktaApiError,
  rateLimited,
  resourceNotFound,
} from "./errors.ts";
import { baseUrlOf, clientIp, type Reply, readJsonBody, writeReply } from "./http.ts";
import type { OktaAdmin, RequestContext } from "./log-event-factory.ts";
import { type RateLimiter, rateLimitFamily, rateLimitHeaders } from "./rate-limits.ts";
import type { OktaServices, Route } from "./routes/route.ts";

/** The prefix the emulator owns on a shared server. */
export const API_PREFIX = "/api/v1";

export interface RouterConfig {
  routes: Route[];
  services: OktaServices;
  limiter: RateLimiter;
  /** SSWS tokens accepted, with the admin each acts as and the token's id. */
  tokens: ReadonlyMap<string, { admin: OktaAdmin; tokenId: string }>;
  /** The org URL for links; by default the scheme and host the client used. */
  orgUrl: string | undefined;
  /** Unexpected exceptions (a bug, not an Okta error) are reported here and answered 500 E0000009. */
  onUnexpectedError: (error: unknown) => void;
}

/**
 * Answers requests under `/api/v1` the way Okta's API front door does, in this order: rate limit
 * (every response carries the `X-Rate-Limit-*` headers), SSWS authentication, injected server errors,
 * then the route. Errors are Okta's JSON error objects. Returns `false` for paths it does not own.
 */
export async function routeRequest(
  config: RouterConfig,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) return false;
  const { services } = config;
  const decision = config.limiter.take(rateLimitFamily(url.pathname), services.clock());
  const throttled = !decision.allowed || services.faults.drawThrottle();
  const headers = rateLimitHeaders(throttled ? { ...decision, remaining: 0 } : decision);
  try {
    if (throttled) throw rateLimited();
    const caller = authenticate(config, req);
    if (services.faults.drawServerError()) throw internalError();
    const reply = await dispatch(config, req, url, caller);
    writeReply(res, reply, headers);
  } catch (error) {
    const okta = error instanceof OktaApiError ? error : unexpected(config, error);
    writeReply(res, { status: okta.status, body: okta.body(services.ids.errorId()) }, headers);
  }
  return true;
}

function authenticate(config: RouterConfig, req: IncomingMessage): { admin: OktaAdmin; tokenId: string } {
  const match = /^SSWS\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  const caller = match?.[1] === undefined ? undefined : config.tokens.get(match[1]);
  if (caller === undefined) throw invalidToken();
  return caller;
}

async function dispatch(
  config: RouterConfig,
  req: IncomingMessage,
  url: URL,
  caller: { admin: OktaAdmin; tokenId: string },
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
    apiTokenId: caller.tokenId,
    actor: caller.admin,
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
