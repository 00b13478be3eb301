import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 13, point 2: Okta deactivates asynchronously. Until it completes the user reads
 * `status: ACTIVE, transitioningToStatus: DEPROVISIONED`, and `Prefer: respond-async` makes the call
 * return before. A run that reads the user mid-transition must revoke at once, not wait for the hourly
 * estate run.
 */

const SECRET = "Bearer e2e-async-hook-secret";
const LEAVER = "jane.doe@example.com";

describe("a leaver delivered while Okta is still deactivating them", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // a deactivation that takes far longer than the run: every read happens mid-transition
    stack = await startTestStack(SECRET, {
      oktaDeactivationMs: 60_000,
    });
  });
  afterAll(() => stack.stop());

  it("is revoked at once, on the transitioning status", async () => {
    // Prepare
    const user = stack.emulators.okta.state.user(LEAVER);
    const ic = () => stack.emulators.identityCenter.snapshot();
    const icUserId = ic().users.find((u) => u.userName === LEAVER)?.userId;
    expect(ic().memberships.filter((m) => m.userId === icUserId).length).toBeGreaterThan(0);
    const headers = { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" };

    // Act: deactivate asynchronously, as Okta's API allows
    const res = await fetch(`${stack.url}/api/v1/users/${user?.id}/lifecycle/deactivate`, {
      method: "POST",
      headers: { ...headers, prefer: "respond-async" },
    });
    const read = (await (await fetch(`${stack.url}/api/v1/users/${user?.id}`, { headers })).json()) as Record<
      string,
      unknown
    >;
    const key = await stack.waitForEvidence(String(user?.id));
    const record = JSON.parse(await stack.adapters.evidence.get(key));

    // Assess: Okta still says ACTIVE (transitioning), and the run revoked anyway
    expect(res.status).toBe(200);
    expect(read).toMatchObject({ status: "ACTIVE", transitioningToStatus: "DEPROVISIONED" });
    expect(record.body.truth.okta.userStatus).toBe("ACTIVE");
    expect(record.body.plan.findings[0]).toMatchObject({
      decision: "revoke",
      reason: "leaver: Okta status is ACTIVE, transitioning to DEPROVISIONED",
    });
    expect(ic().memberships.filter((m) => m.userId === icUserId)).toEqual([]);
    expect(record.body.verification.passed).toBe(true);
  });

  it("a deactivation without Prefer: respond-async answers once it is complete", async () => {
    // Prepare: a short transition for this call
    stack.emulators.okta.operations.deactivationMs = 300;
    const user = stack.emulators.okta.state.user("priya.patel@example.com");
    const headers = { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" };

    // Act
    const started = Date.now();
    await fetch(`${stack.url}/api/v1/users/${user?.id}/lifecycle/deactivate`, { method: "POST", headers });
    const read = (await (await fetch(`${stack.url}/api/v1/users/${user?.id}`, { headers })).json()) as Record<
      string,
      unknown
    >;

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(read.status).toBe("DEPROVISIONED");
    expect(read).not.toHaveProperty("transitioningToStatus");
  });
});
