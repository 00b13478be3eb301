import { describe, expect, it } from "vitest";
import { rateLimitFamily } from "../../../core/okta/rate-limit-family.ts";

describe("core/okta/rate-limit-family: the bucket a path is metered under", () => {
  it.each([
    ["/api/v1/logs", "/api/v1/logs"],
    ["/api/v1/users", "/api/v1/users"],
    ["/api/v1/users/00u1", "/api/v1/users/{id}"],
    ["/api/v1/users/00u1/sessions", "/api/v1/users/{id}"],
    ["/api/v1/users/00u1/lifecycle/deactivate", "/api/v1/users/{id}"],
    ["/api/v1/groups", "/api/v1/groups"],
    ["/api/v1/groups/00g1/users", "/api/v1/groups"],
    ["/api/v1/eventHooks", "/api/v1/eventHooks"],
    ["/api/v1/eventHooks/who1/lifecycle/verify", "/api/v1/eventHooks"],
    ["/api/v1/apps", "/api/v1"],
  ])("%s -> %s", (path, family) => {
    expect(rateLimitFamily(path)).toBe(family);
  });
});
