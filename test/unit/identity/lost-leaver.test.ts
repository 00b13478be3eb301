/**
 * A deactivated Okta user whom SCIM deleted before any run linked them: no Deny can be placed, so the
 * run is unverifiable (finding + alarm), never "nothing to revoke".
 */
import { describe, expect, it } from "vitest";
import type { IdentityResolution } from "../../../core/identity/identity-resolution.ts";
import { lostLeaverResolution } from "../../../core/identity/lost-leaver.ts";

const absent: IdentityResolution = { outcome: "absent", detail: "Identity Center holds no user" };
const pushed = new Set(["aws-devs", "aws-admins"]);
const jane = { login: "jane@example.com", status: "DEPROVISIONED" as const };

describe("lostLeaverResolution", () => {
  it("makes a deactivated member of a pushed group whom nothing names unresolved, naming the groups", () => {
    const judged = lostLeaverResolution(absent, jane, ["everyone", "aws-devs"], pushed);
    expect(judged.outcome).toBe("unresolved");
    expect(judged.detail).toContain("jane@example.com");
    expect(judged.detail).toContain("aws-devs");
    expect(judged.detail).toContain("CloudTrail");
  });

  it("does the same while Okta is still deactivating the user", () => {
    const transitioning = {
      ...jane,
      status: "ACTIVE" as const,
      transitioningToStatus: "DEPROVISIONED" as const,
    };
    expect(lostLeaverResolution(absent, transitioning, ["aws-devs"], pushed).outcome).toBe("unresolved");
  });

  it("leaves absent a deactivated user in no pushed group (most likely never provisioned)", () => {
    expect(lostLeaverResolution(absent, jane, ["everyone"], pushed)).toBe(absent);
  });

  it("leaves absent a suspended or active user, and any other outcome as it is", () => {
    expect(lostLeaverResolution(absent, { ...jane, status: "SUSPENDED" }, ["aws-devs"], pushed)).toBe(absent);
    const resolved: IdentityResolution = { outcome: "resolved", userId: "ic-1", via: "link", detail: "x" };
    expect(lostLeaverResolution(resolved, jane, ["aws-devs"], pushed)).toBe(resolved);
  });
});
