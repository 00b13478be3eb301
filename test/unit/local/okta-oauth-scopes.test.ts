import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERATION_SCOPES, requiredScope, scopeAllows } from "../../../local/emulators/okta/oauth/scopes.ts";

const spec = JSON.parse(
  readFileSync(new URL("../../fixtures/okta/spec/operation-scopes.json", import.meta.url), "utf8"),
) as { operations: { method: string; path: string; operationId: string; oauth2: string[] | null }[] };

describe("the emulator's OAuth scope per operation", () => {
  it.each(spec.operations)("$method $path ($operationId) needs the spec's scope", (operation) => {
    const concrete = operation.path.replace(/\{\w+\}/g, "00u1abc");
    expect(operation.oauth2).toHaveLength(1);
    expect(requiredScope(operation.method, concrete)).toBe(operation.oauth2?.[0]);
  });

  it("every rule of the table is an operation of the vendored spec", () => {
    const ids = new Set(spec.operations.map((o) => o.operationId));
    for (const rule of OPERATION_SCOPES) expect(ids.has(rule.operation), rule.operation).toBe(true);
  });

  it("a path the emulator does not serve needs no scope (it is answered 404)", () => {
    expect(requiredScope("GET", "/api/v1/apps")).toBeNull();
    expect(requiredScope("PATCH", "/api/v1/users/00u1")).toBeNull();
  });

  it("a .manage scope covers the .read operations of its resource, never the reverse or another resource", () => {
    expect(scopeAllows(["okta.groups.manage"], "okta.groups.read")).toBe(true);
    expect(scopeAllows(["okta.groups.read"], "okta.groups.manage")).toBe(false);
    expect(scopeAllows(["okta.users.manage"], "okta.groups.read")).toBe(false);
    expect(scopeAllows(["okta.logs.read"], "okta.logs.read")).toBe(true);
  });
});
