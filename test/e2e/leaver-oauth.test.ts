import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

/** Accounts the user can still reach in Identity Center (directly or through groups). */
function reachableAccounts(stack: LocalStack, userName: string): string[] {
  const ic = stack.emulators.identityCenter.snapshot();
  const userId = ic.users.find((u) => u.userName === userName)?.userId;
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  return [
    ...new Set(
      ic.assignments
        .filter((a) => a.principalId === userId || groups.includes(a.principalId))
        .map((a) => a.accountId),
    ),
  ].sort();
}

// The same leaver as leaver.test.ts, with every function of the stack on OAuth: an API Services app,
// private_key_jwt, DPoP-bound tokens, each function asking for its own scopes (npm start -- --okta-auth oauth).
describe("a leaver, end to end, with the functions on an Okta OAuth service app", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      oktaAuth: "oauth",
    });
  });
  afterAll(() => stack.stop());

  it("registers the hook, revokes the leaver and writes evidence, every Okta call on a scoped DPoP token", async () => {
    // Prepare
    expect(stack.endpoints.okta.auth).toBe("oauth");
    expect(stack.endpoints.okta.serviceApp?.clientId).toMatch(/^0oa/);
    expect(reachableAccounts(stack, LEAVER).length).toBeGreaterThanOrEqual(5);
    const oktaUser = stack.emulators.okta.state.user(LEAVER);

    // Act: HR deactivates her in Okta (an admin's SSWS call; the pipeline's own calls are OAuth)
    const deactivated = await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(oktaUser?.id));

    // Assess: revoked everywhere, and the session clear went through
    expect(deactivated.status).toBe(200);
    expect(stack.emulators.okta.hooks.verifications.map((v) => v.verified)).toEqual([true]);
    expect(reachableAccounts(stack, LEAVER)).toEqual([]);
    expect(stack.emulators.okta.operations.sessionClears.map((c) => c.userId)).toContain(oktaUser?.id);
    // one run: the pipeline's own session clear (actor: the service app) started none
    expect(stack.stepFunctions.executions().map((r) => r.status)).toEqual(["RUNNING"]);
    // least privilege: the hook registration, the user reads and the session clear each had their own token
    const scopes = stack.emulators.okta.serviceApps.liveTokenScopes().map((s) => s.join(" "));
    expect(scopes).toEqual(
      expect.arrayContaining([
        "okta.eventHooks.read okta.eventHooks.manage",
        // user reads also find the policy's groups by id or name (APP_GROUPs may share a name)
        "okta.users.read okta.groups.read",
        "okta.users.manage",
      ]),
    );
  });
});
