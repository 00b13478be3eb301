/**
 * The OAuth scope each emulated Management API operation needs: the operation's `security.oauth2` in
 * Okta's spec (management.openapi.yaml; vendored as test/fixtures/okta/spec/operation-scopes.json,
 * which test/unit/local/okta-oauth-scopes.test.ts checks this table against).
 *
 * A `.manage` scope also allows the `.read` operations of the same resource: Okta's support article
 * "insufficient_scope error when making a request to an OAuth or Management endpoint" says a request to
 * /api/v1/groups "requires the `okta.groups.read` or `okta.groups.manage` scope".
 *
 * A missing scope is answered 403 with `WWW-Authenticate: <scheme> authorization_uri=..., realm=...,
 * scope="<needed>", error="insufficient_scope", error_description="The access token provided does not
 * contain the required scopes.", resource="<path>"` (the same article's example) and the spec's
 * `ErrorAccessDenied` body (E0000006). Okta's example shows the `Bearer` scheme; for a DPoP token the
 * emulator answers with `DPoP` (RFC 9449 section 7.1: the challenge names the scheme the token uses).
 */
import { OktaApiError } from "../errors.ts";

const ID = "[^/]+";

interface ScopeRule {
  method: string;
  pattern: RegExp;
  scope: string;
  /** The spec's operationId. */
  operation: string;
}

const rule = (method: string, path: string, scope: string, operation: string): ScopeRule => ({
  method,
  pattern: new RegExp(`^${path.replace(/\{\w+\}/g, ID)}$`),
  scope,
  operation,
});

/** Spec path, method, scope and operationId of every operation the emulator serves. */
export const OPERATION_SCOPES: readonly ScopeRule[] = [
  rule("GET", "/api/v1/users", "okta.users.read", "listUsers"),
  rule("POST", "/api/v1/users", "okta.users.manage", "createUser"),
  rule("GET", "/api/v1/users/{userId}", "okta.users.read", "getUser"),
  rule("POST", "/api/v1/users/{userId}", "okta.users.manage", "updateUser"),
  rule("PUT", "/api/v1/users/{userId}", "okta.users.manage", "replaceUser"),
  rule("DELETE", "/api/v1/users/{userId}", "okta.users.manage", "deleteUser"),
  rule("GET", "/api/v1/users/{userId}/groups", "okta.users.read", "listUserGroups"),
  rule("GET", "/api/v1/users/{userId}/appLinks", "okta.users.read", "listAppLinks"),
  rule("POST", "/api/v1/users/{userId}/lifecycle/{operation}", "okta.users.manage", "activateUser"),
  rule("DELETE", "/api/v1/users/{userId}/sessions", "okta.users.manage", "revokeUserSessions"),
  rule("GET", "/api/v1/groups", "okta.groups.read", "listGroups"),
  rule("POST", "/api/v1/groups", "okta.groups.manage", "createGroup"),
  rule("GET", "/api/v1/groups/{groupId}", "okta.groups.read", "getGroup"),
  rule("PUT", "/api/v1/groups/{groupId}", "okta.groups.manage", "replaceGroup"),
  rule("DELETE", "/api/v1/groups/{groupId}", "okta.groups.manage", "deleteGroup"),
  rule("GET", "/api/v1/groups/{groupId}/users", "okta.groups.read", "listGroupUsers"),
  rule("PUT", "/api/v1/groups/{groupId}/users/{userId}", "okta.groups.manage", "assignUserToGroup"),
  rule("DELETE", "/api/v1/groups/{groupId}/users/{userId}", "okta.groups.manage", "unassignUserFromGroup"),
  rule("GET", "/api/v1/logs", "okta.logs.read", "listLogEvents"),
  rule("GET", "/api/v1/eventHooks", "okta.eventHooks.read", "listEventHooks"),
  rule("POST", "/api/v1/eventHooks", "okta.eventHooks.manage", "createEventHook"),
  rule("GET", "/api/v1/eventHooks/{eventHookId}", "okta.eventHooks.read", "getEventHook"),
  rule("PUT", "/api/v1/eventHooks/{eventHookId}", "okta.eventHooks.manage", "replaceEventHook"),
  rule("DELETE", "/api/v1/eventHooks/{eventHookId}", "okta.eventHooks.manage", "deleteEventHook"),
  rule(
    "POST",
    "/api/v1/eventHooks/{eventHookId}/lifecycle/{operation}",
    "okta.eventHooks.manage",
    "activateEventHook",
  ),
];

/** The scope `method path` needs; `null` for a path the emulator does not serve (answered 404 later). */
export function requiredScope(method: string, path: string): string | null {
  return OPERATION_SCOPES.find((r) => r.method === method && r.pattern.test(path))?.scope ?? null;
}

/** Whether the granted scopes allow an operation needing `scope` (`.manage` covers `.read`). */
export function scopeAllows(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true;
  return scope.endsWith(".read") && granted.includes(`${scope.slice(0, -".read".length)}.manage`);
}

/** An Okta error that also carries response headers (an OAuth challenge). */
export class OAuthChallengeError extends OktaApiError {
  override name = "OAuthChallengeError";
  readonly headers: Record<string, string>;

  constructor(status: number, errorCode: string, summary: string, headers: Record<string, string>) {
    super(status, errorCode, summary);
    this.headers = headers;
  }
}

/** The challenge header's common part (the support article's `authorization_uri` and `realm`). */
function challenge(scheme: string, baseUrl: string, fields: Record<string, string>): string {
  const all = { authorization_uri: `${baseUrl}/oauth2/v1/authorize`, realm: baseUrl, ...fields };
  return `${scheme} ${Object.entries(all)
    .map(([key, value]) => `${key}="${value}"`)
    .join(", ")}`;
}

/** 403 insufficient_scope, as Okta answers it. */
export function insufficientScope(scheme: string, baseUrl: string, scope: string, path: string) {
  return new OAuthChallengeError(
    403,
    "E0000006",
    "You do not have permission to perform the requested action",
    {
      "WWW-Authenticate": challenge(scheme, baseUrl, {
        scope,
        error: "insufficient_scope",
        error_description: "The access token provided does not contain the required scopes.",
        resource: path,
      }),
    },
  );
}

/** 401 for an unknown, expired or unbound access token (E0000011 with an `invalid_token` challenge). */
export function invalidAccessToken(scheme: string, baseUrl: string, description: string) {
  return new OAuthChallengeError(401, "E0000011", "Invalid token provided", {
    "WWW-Authenticate": challenge(scheme, baseUrl, {
      error: "invalid_token",
      error_description: description,
    }),
  });
}

/**
 * 401 `use_dpop_nonce` from the resource server (RFC 9449 section 9), with the nonce to use; only when
 * the emulator's `resourceNonce` switch is on (Okta's docs do not say its Management API asks for one).
 */
export function useDpopNonce(baseUrl: string, nonce: string) {
  return new OAuthChallengeError(401, "E0000011", "Invalid token provided", {
    "WWW-Authenticate": challenge("DPoP", baseUrl, {
      error: "use_dpop_nonce",
      error_description: "Resource server requires nonce in DPoP proof.",
    }),
    "DPoP-Nonce": nonce,
  });
}

/**
 * 401 invalid_dpop_proof on a resource request (a missing, malformed, replayed or mismatched proof):
 * RFC 9449 section 7.1; Okta's guides do not show the resource server's answer.
 */
export function invalidDpopProof(baseUrl: string, description: string) {
  return new OAuthChallengeError(401, "E0000011", "Invalid token provided", {
    "WWW-Authenticate": challenge("DPoP", baseUrl, {
      error: "invalid_dpop_proof",
      error_description: description,
    }),
  });
}
