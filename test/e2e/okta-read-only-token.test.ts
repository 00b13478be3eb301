import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

/*
 * Issue 13, permissions: the pipeline's Okta token is a Read-only Administrator's (it may read users and
 * groups but not clear sessions). A leaver is still revoked in AWS; the session clear Okta refused
 * (403 E0000006) is in evidence, naming what the token lacks, and the run is a partial one.
 */

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

describe("a leaver run whose Okta token may not clear sessions", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: SECRET, holdSeconds: 600, pollMs: 20 });
  });
  afterAll(() => stack.stop());

  it("still revokes in AWS, with the refused Okta session clear in evidence", async () => {
    // Prepare: the pipeline token's creator is made a Read-only Administrator (the token follows);
    // HR acts with a Super Administrator's token of its own
    const okta = stack.emulators.okta;
    okta.tokens.setCreatorRoles(okta.admin.id, [{ type: "READ_ONLY_ADMIN" }]);
    const hr = okta.issueApiToken([{ type: "SUPER_ADMIN" }]).token;
    const ic = () => stack.emulators.identityCenter.snapshot();
    const userId = String(ic().users.find((u) => u.userName === LEAVER)?.userId);
    expect(ic().memberships.filter((m) => m.userId === userId).length).toBeGreaterThan(0);
    const user = okta.state.user(LEAVER);

    // Act: HR deactivates her
    const res = await fetch(`${stack.url}/api/v1/users/${user?.id}/lifecycle/deactivate`, {
      method: "POST",
      headers: { authorization: `SSWS ${hr}`, accept: "application/json" },
    });
    const record = JSON.parse(
      await stack.adapters.evidence.get(await stack.waitForEvidence(String(user?.id))),
    );

    // Assess: access removed in AWS, her Okta sessions not cleared, the refusal in evidence
    expect(res.status).toBe(200);
    expect(ic().memberships.filter((m) => m.userId === userId)).toEqual([]);
    expect(okta.operations.sessionClears.map((c) => c.userId)).not.toContain(user?.id);
    const clears = record.body.actions.filter((a: { kind: string }) => a.kind === "okta.sessions.clear");
    expect(clears).toEqual([
      expect.objectContaining({
        status: "FAILED",
        error: expect.stringMatching(/OktaPermissionError.*E0000006.*okta\.users\.lifecycle\.clearSessions/),
      }),
    ]);
    expect(stack.stepFunctions.executions().find((e) => e.name.includes(String(user?.id)))?.status).not.toBe(
      "FAILED",
    );
    for (let i = 0; i < 100 && stack.signals.PartialRevocations === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(stack.signals.PartialRevocations).toBe(1);
  });
});
