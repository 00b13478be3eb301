/**
 * Okta meters its management API per endpoint family, each a bucket (developer.okta.com "Rate limits"
 * overview and "Management rate limits"). The families the pipeline calls, named by Okta's path
 * templates: the Okta emulator meters by them, and the Okta client keeps the headroom it saw per
 * family. Every path under `/api/v1/users/{id}` (the user's sessions and lifecycle operations too) is
 * taken as that family: the page lists `/api/v1/users/{id}` and sends anything unlisted to the org's
 * rate-limit dashboard, so a sub-resource with a bucket of its own is possible; the client is right
 * either way (a call in its own bucket just finds more headroom). The emulator meters the session
 * clear under each reading (`sessionClearBucket`, local/emulators/okta/rate-limits.ts).
 */
export type RateLimitFamily =
  | "/api/v1/users"
  | "/api/v1/users/{id}"
  | "/api/v1/groups"
  | "/api/v1/logs"
  | "/api/v1/eventHooks"
  | "/api/v1";

/** The family a request path is metered under. */
export function rateLimitFamily(path: string): RateLimitFamily {
  if (path === "/api/v1/logs") return "/api/v1/logs";
  if (path === "/api/v1/users") return "/api/v1/users";
  if (path.startsWith("/api/v1/users/")) return "/api/v1/users/{id}";
  if (path === "/api/v1/groups" || path.startsWith("/api/v1/groups/")) return "/api/v1/groups";
  if (path === "/api/v1/eventHooks" || path.startsWith("/api/v1/eventHooks/")) return "/api/v1/eventHooks";
  return "/api/v1";
}
