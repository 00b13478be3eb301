import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEstate } from "../../local/estate/demo-estate.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import type { EstateFile } from "../../local/estate/schema.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 13, point 1: Identity Center's UserName is whatever the AWS IAM Identity Center app's
 * "Application username format" says, not necessarily the Okta login. A leaver run must revoke a user
 * Identity Center holds under another name, and never end "nothing to revoke" when it cannot tell.
 */

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

type App = EstateFile["okta"]["identityCenterApp"];

function estateWith(app: App): EstateFile {
  const estate = demoEstate();
  return { ...estate, okta: { ...estate.okta, identityCenterApp: app } };
}

async function deactivate(stack: LocalStack, login: string) {
  const user = stack.emulators.okta.state.user(login);
  await oktaAdmin(stack, "POST", `/api/v1/users/${user?.id}/lifecycle/deactivate`);
  const key = await stack.waitForEvidence(String(user?.id));
  return JSON.parse(await stack.adapters.evidence.get(key));
}

const memberships = (stack: LocalStack, userName: string) => {
  const ic = stack.emulators.identityCenter.snapshot();
  const userId = ic.users.find((u) => u.userName === userName)?.userId;
  return ic.memberships.filter((m) => m.userId === userId);
};

describe.each([
  { app: { userNameFormat: "emailPrefix" } as App, expected: "jane.doe", scimExternalIds: false },
  {
    app: { userNameFormat: "custom", userNameTemplate: "{firstName}.{lastName}@corp.example" } as App,
    expected: "Jane.Doe@corp.example",
    scimExternalIds: false,
  },
  { app: { userNameFormat: "emailPrefix" } as App, expected: "jane.doe", scimExternalIds: true },
])(
  "a leaver under the $app.userNameFormat username format (SCIM external ids: $scimExternalIds)",
  ({ app, expected, scimExternalIds }) => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startTestStack(SECRET, {
        estate: estateWith(app),
        scimExternalIds,
      });
    });
    afterAll(() => stack.stop());

    it("is found under the name the app gave her and revoked fully", async () => {
      // Prepare: SCIM named her as the format says, not by her login
      const ic = stack.emulators.identityCenter.snapshot();
      expect(ic.users.some((u) => u.userName === LEAVER)).toBe(false);
      expect(memberships(stack, expected).length).toBeGreaterThan(0);

      // Act
      const record = await deactivate(stack, LEAVER);

      // Assess
      expect(memberships(stack, expected)).toEqual([]);
      expect(record.body.plan.findings[0]).toMatchObject({ decision: "revoke" });
      expect(record.body.truth.identityCenter.resolution).toMatchObject({
        outcome: "resolved",
        via: scimExternalIds ? "external-id" : "login",
      });
      expect(record.body.verification.passed).toBe(true);
    });
  },
);

describe("a leaver whose policy names the wrong username format", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // The app names users by email prefix; the policy says "Okta username" and names no external id issuer
    stack = await startTestStack(SECRET, {
      estate: estateWith({ userNameFormat: "emailPrefix" }),
      policyYaml: demoPolicyYaml({ withoutExternalIdIssuer: true }),
      scimExternalIds: false,
    });
  });
  afterAll(() => stack.stop());

  it("is a failed, alarmed run naming the user Identity Center may hold, never 'nothing to revoke'", async () => {
    // Act
    const record = await deactivate(stack, LEAVER);
    for (let i = 0; i < 100 && stack.signals.UnverifiableUserRuns === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));

    // Assess
    expect(record.body.plan.findings[0]).toMatchObject({ decision: "unverifiable" });
    expect(record.body.plan.findings[1]).toMatchObject({
      kind: "identity-unmatched",
      message: expect.stringContaining("jane.doe"),
    });
    expect(stack.signals.UnverifiableUserRuns).toBe(1);
  });

  it("with SCIM external ids, finds her by the Okta user id her Identity Center user carries", async () => {
    // (a second stack: the same misconfigured policy, but SCIM stored the Okta user id)
    const withIds = await startTestStack(SECRET, {
      estate: estateWith({ userNameFormat: "emailPrefix" }),
      policyYaml: demoPolicyYaml({ withoutExternalIdIssuer: true }),
      scimExternalIds: true,
    });
    try {
      const record = await deactivate(withIds, LEAVER);
      expect(record.body.truth.identityCenter.resolution).toMatchObject({
        outcome: "resolved",
        via: "external-id",
      });
      expect(memberships(withIds, "jane.doe")).toEqual([]);
    } finally {
      await withIds.stop();
    }
  });
});
