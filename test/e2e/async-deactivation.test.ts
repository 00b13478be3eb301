import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 13, point 2: Okta deactivates asynchronously. Until it completes the user reads
 * `status: ACTIVE, transitioningToStatus: DEPROVISIONED`, and `Prefer: respond-async` makes the call
 * return before. A run that reads the user mid-transition must revoke at once, not wait for the hourly
 * estate run.
 */

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

describe("Okta's asynchronous lifecycle: deactivation in progress, activation without a password", () => {
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

  it("an activation without a password leaves the user PROVISIONED: nothing is granted until the welcome flow", async () => {
    // Prepare: Okta's welcome flow (the emulator's switch), and Omar, STAGED in his team's groups
    const operations = stack.emulators.okta.operations;
    operations.activation = "welcome-flow";
    const omar = stack.emulators.okta.state.user("omar.haddad@example.com");
    const headers = { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" };
    const icUser = () =>
      stack.emulators.identityCenter.snapshot().users.find((u) => u.userName === "omar.haddad@example.com");

    // Act
    await fetch(`${stack.url}/api/v1/users/${omar?.id}/lifecycle/activate?sendEmail=false`, {
      method: "POST",
      headers,
    });
    const key = await stack.waitForEvidence(String(omar?.id));
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    await stack.settle();

    // Assess: PROVISIONED, not provisioned to AWS, the run says why; then the welcome flow completes
    expect(omar?.status).toBe("PROVISIONED");
    expect(record.body.plan.findings[0]).toMatchObject({
      decision: "none",
      reason: "Okta status is PROVISIONED: the user is not active yet, so nothing is granted",
    });
    expect(icUser()).toBeUndefined();
    operations.completeWelcomeFlow(omar as NonNullable<typeof omar>);
    await stack.settle();
    expect(icUser()).toBeDefined();
    operations.activation = "immediate";
  });
});
