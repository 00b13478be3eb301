import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { demoLogin } from "../../local/estate/demo-named-users.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 16, "Done when": a leaver with Identity Center access, IAM users with keys in two accounts
 * (one of the Organization, one outside it) and an Okta-federated role in a third, fully revoked in one
 * run; the evidence lists each credential; the simulator proves their sessions denied and another
 * person's not. Bad input: an outside account whose roles do not exist is a finding for that account
 * while the rest of the run completes. The IAM world is seeded here, directly in the IAM emulator.
 */

const SECRET = randomHookSecret();
const LEAVER = demoLogin("Maria", "Garcia");
const OUTSIDE = "800000000001"; // acquired-prod (demo policy: outside the Organization, external id)
const LOST = "800000000099"; // listed in the policy, but no role was ever deployed there
const MEMBER_ROLES = ["okta-aws-lifecycle-discovery", "okta-aws-lifecycle-revocation"];

/** The demo policy with one more outside account whose roles were never deployed. */
function policyWithLostAccount(): string {
  const doc = parseDocument(demoPolicyYaml());
  doc.addIn(["credentials", "accounts"], { id: LOST, name: "acquired-lost" });
  return doc.toString();
}

describe("a leaver's credentials outside Identity Center, end to end on the local stack", () => {
  let stack: LocalStack;
  let member: string;
  let federatedAccount: string;
  beforeAll(async () => {
    // A short local hold, so the lift after it is seen too.
    stack = await startTestStack(SECRET, { policyYaml: policyWithLostAccount(), holdSeconds: 3 });
    const org = stack.estate.organization;
    const members = org.accounts
      .filter((a) => a.status === "ACTIVE" && a.id !== org.managementAccountId)
      .map((a) => a.id);
    member = String(members[0]);
    federatedAccount = String(members[1]);
    const { seed, state } = stack.emulators.iam;
    const trustTool = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
    };
    // The member roles the StackSet deploys, where the stack's own seeding has not put them.
    for (const accountId of [member, federatedAccount])
      for (const name of MEMBER_ROLES)
        if (state.account(accountId).role(name) === undefined)
          seed.role({ accountId, name, trustPolicy: trustTool });
    seed.user({ accountId: member, name: "mgarcia", tags: { "okta:login": LEAVER }, loginProfile: true });
    seed.accessKey({ accountId: member, userName: "mgarcia" });
    seed.user({ accountId: OUTSIDE, name: "maria.garcia", tags: { "okta:login": LEAVER } });
    seed.accessKey({ accountId: OUTSIDE, userName: "maria.garcia" });
    // Okta's AWS Account Federation app: a SAML provider and a role trusting it, in a member account
    // (denied by the revocation SCP) and outside the Organization (denied inline on the role).
    for (const [accountId, name] of [
      [federatedAccount, "E2eOktaEngineer"],
      [OUTSIDE, "E2eOktaAdmin"],
    ] as const) {
      const provider = seed.samlProvider({ accountId, name: "OktaE2e" });
      seed.role({
        accountId,
        name,
        trustPolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: provider },
              Action: "sts:AssumeRoleWithSAML",
              Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
            },
          ],
        },
      });
    }
  });
  afterAll(() => stack?.stop());

  it("ends every credential in one run, lists each in the evidence, and proves the Denies", async () => {
    // Prepare: the settled estate, and her Identity Center access
    expect((await stack.runEstateReconcile())?.status).toBe("SUCCEEDED");
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    const icUser = stack.emulators.identityCenter.snapshot().users.find((u) => u.userName === LEAVER);
    expect(icUser).toBeDefined();

    // Act: HR deactivates her in Okta
    const deactivated = await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    const key = await stack.waitForEvidence(String(oktaUser?.id));

    // Assess: the run's record lists each credential ended, per account
    expect(deactivated.status).toBe(200);
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    parseEvidenceRecord(record);
    const ended = (record.body.actions as { kind: string; status: string; target: Record<string, string> }[])
      .filter((a) => a.target.credential !== undefined)
      .map((a) => `${a.kind} ${a.target.accountId} ${a.target.credential} ${a.status}`);
    expect(ended).toEqual(
      expect.arrayContaining([
        `iam-user.deny ${member} iam-user SUCCEEDED`,
        `access-key.deactivate ${member} access-key SUCCEEDED`,
        `login-profile.delete ${member} console-password SUCCEEDED`,
        `iam-user.deny ${OUTSIDE} iam-user SUCCEEDED`,
        `access-key.deactivate ${OUTSIDE} access-key SUCCEEDED`,
        "federated-deny.scp organization federated-sessions SUCCEEDED",
      ]),
    );
    expect(ended.filter((e) => e.endsWith("FAILED"))).toEqual([]);
    // the IAM world says so too
    const { state } = stack.emulators.iam;
    for (const [accountId, userName] of [
      [member, "mgarcia"],
      [OUTSIDE, "maria.garcia"],
    ] as const) {
      const user = state.account(accountId).users.get(userName);
      expect([...(user?.accessKeys.values() ?? [])].map((k) => k.status)).toEqual(["Inactive"]);
      expect(user?.inlinePolicies.has("okta-aws-lifecycle-leaver-deny")).toBe(true);
    }
    expect(state.account(member).users.get("mgarcia")?.loginProfile).toBeUndefined();

    // the simulator's proof: her IAM users and federated session denied, another person's session not
    const checks = record.body.verification.details as { check: string; passed: boolean }[];
    const roleArn = `arn:aws:iam::${federatedAccount}:role/E2eOktaEngineer`;
    expect(checks).toEqual(
      expect.arrayContaining([
        { check: `IAM user arn:aws:iam::${member}:user/mgarcia denied (policy evaluation)`, passed: true },
        {
          check: `IAM user arn:aws:iam::${OUTSIDE}:user/maria.garcia denied (policy evaluation)`,
          passed: true,
        },
        {
          check: `federated session of the leaver denied through ${roleArn} (policy evaluation)`,
          passed: true,
        },
        { check: `another person's session allowed through ${roleArn} (policy evaluation)`, passed: true },
        { check: "federated sessions Deny in the revocation SCPs", passed: true },
      ]),
    );
    expect(record.body.verification.passed).toBe(true);

    // bad input: the account whose roles were never deployed is a finding for it alone
    const problems = (
      record.body.plan.findings as { kind: string; accountId?: string; code?: string }[]
    ).filter((f) => f.kind === "credential-account-problem");
    expect(problems).toEqual([
      expect.objectContaining({
        accountId: LOST,
        code: "role-not-assumable",
        message: expect.stringContaining(LOST),
      }),
    ]);
  });

  it("after the hold, lifts the federated Denies: the ledger entry the SCPs render and the outside role's inline Deny", async () => {
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    const outsideRole = stack.emulators.iam.state.account(OUTSIDE).role("E2eOktaAdmin");
    const policyName = `okta-aws-lifecycle-leaver-deny-${oktaUser?.id}`;
    const record = JSON.parse(
      await stack.adapters.evidence.get(await stack.waitForEvidence(String(oktaUser?.id))),
    );
    const roleDeny = (
      record.body.actions as { kind: string; status: string; target: Record<string, string> }[]
    ).find((a) => a.kind === "federated-deny.role" && a.target.accountId === OUTSIDE);
    expect(roleDeny).toMatchObject({
      status: "SUCCEEDED",
      target: { credentialId: `arn:aws:iam::${OUTSIDE}:role/E2eOktaAdmin` },
    });

    const liftKey = await stack.waitForEvidence(String(oktaUser?.id), "lift");

    const lift = JSON.parse(await stack.adapters.evidence.get(liftKey));
    expect(lift.body.actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "federated-deny.lift",
          status: "SUCCEEDED",
          target: { accountId: OUTSIDE, roleName: "E2eOktaAdmin", policyName },
        }),
      ]),
    );
    expect(outsideRole?.inlinePolicies.has(policyName)).toBe(false);
    const ledger = await stack.adapters.ledger.list();
    expect(ledger.filter((l) => l.deny.userId === `okta:${oktaUser?.id}`)).toEqual([]);
  });
});
