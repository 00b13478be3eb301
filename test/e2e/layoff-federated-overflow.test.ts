import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DenyEntry } from "../../core/estate.ts";
import { federatedDenyUserId } from "../../core/revocation/federated-denies.ts";
import { demoLogin } from "../../local/estate/demo-named-users.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createCredentialProver } from "../../local/runtime/credential-prover.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issues 16 + 17: a layoff whose federated-session Denies overflow the revocation SCPs (two slots of at
 * most 1,000 characters). 80 federated leavers recorded minutes ago are in the Deny ledger when HR
 * deactivates one more, who holds an Okta-federated role in a member account. Under massFallback: auto
 * the first SCP denies every session of the Okta-trusting role issued before T: every federated
 * leaver's session is denied (credential prover, iam-simulate), a session issued at T is not.
 */

const SECRET = randomHookSecret();
const LEAVER = demoLogin("Maria", "Garcia");
const MEMBER_ROLES = ["okta-aws-lifecycle-discovery", "okta-aws-lifecycle-revocation"];

interface Finding {
  kind: string;
  subject?: Record<string, string>;
}

describe("a layoff whose federated Denies overflow the revocation SCPs, massFallback auto", () => {
  let stack: LocalStack;
  let roleArn: string;
  let accountId: string;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      policyYaml: demoPolicyYaml().replace(/hold: PT12H/, "hold: PT12H\n  massFallback: auto"),
      scpLimits: { maxPolicyChars: 1000 },
    });
    const org = stack.estate.organization;
    accountId = String(
      org.accounts.find((a) => a.status === "ACTIVE" && a.id !== org.managementAccountId)?.id,
    );
    const { seed, state } = stack.emulators.iam;
    const trustTool = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
    };
    for (const name of MEMBER_ROLES)
      if (state.account(accountId).role(name) === undefined)
        seed.role({ accountId, name, trustPolicy: trustTool });
    // Okta's AWS Account Federation app in a member account: a SAML provider and a role (with a path) trusting it.
    const provider = seed.samlProvider({ accountId, name: "OktaLayoff" });
    seed.role({
      accountId,
      name: "E2eOktaEngineer",
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
    roleArn = `arn:aws:iam::${accountId}:role/E2eOktaEngineer`;
  });
  afterAll(() => stack?.stop());

  it("denies every federated leaver's older session through the fallback, names them all, and lets later sessions in", async () => {
    // Prepare: 80 federated leavers recorded over the last minutes
    const now = Date.now();
    const earlier: DenyEntry[] = Array.from({ length: 80 }, (_, i) => ({
      userId: federatedDenyUserId(`00ulayoff${String(i).padStart(4, "0")}`),
      scope: "all",
      reason: "federated-sessions",
      createdAt: new Date(now - (120 - i) * 1000).toISOString(),
      expiresAt: new Date(now + 3_600_000).toISOString(),
      federated: {
        sessionName: `layoff.person${i}@example.com`,
        sourceIdentity: `layoff.person${i}@example.com`,
        roleArns: [roleArn],
      },
    }));
    for (const deny of earlier) await stack.adapters.ledger.add(deny);
    // Act: HR deactivates one more
    const user = stack.emulators.okta.state.user(LEAVER);
    await oktaAdmin(stack, "POST", `/api/v1/users/${user?.id}/lifecycle/deactivate`);
    await stack.settle();
    const record = JSON.parse(
      await stack.adapters.evidence.get(await stack.waitForEvidence(String(user?.id))),
    );
    const ledger = (await stack.adapters.ledger.list()).map((l) => l.deny);
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    const findings = record.body.plan.findings as Finding[];

    // Assess: no federated Deny left uncovered, and every check of the run passed (none skipped)
    expect(findings.map((f) => f.kind)).not.toContain("federated-deny-uncovered");
    const details = record.body.verification.details as {
      check: string;
      passed: boolean;
      skipped?: string;
    }[];
    expect(details.filter((d) => !d.passed)).toEqual([]);
    expect(
      details.some(
        (d) => d.check === `federated session of the leaver denied through ${roleArn} (policy evaluation)`,
      ),
    ).toBe(true);
    // the fallback is a finding naming every federated leaver it covers; with the slots, all 81
    // (The Identity Center Deny's write, before the credential step recorded the leaver, is one; the
    // credential step's, covering the leaver too, the other.)
    const fallbacks = findings.filter(
      (f) => f.kind === "mass-fallback" && f.subject?.placement === "federated",
    );
    expect(fallbacks.map((f) => f.subject?.rolePatterns)).toContain("arn:*:iam::*:role/E2eOktaEngineer");
    const named = new Set(fallbacks.flatMap((f) => String(f.subject?.userIds).split(",")));
    const issuedBefore = fallbacks
      .map((f) => String(f.subject?.issuedBefore))
      .sort()
      .at(-1) as string;
    const federated = ledger.filter((d) => d.reason === "federated-sessions");
    expect(federated.length).toBe(81);
    const inSlots = scps.join("");
    expect(
      federated.every((d) => named.has(d.userId) || inSlots.includes(`*:${d.federated?.sessionName}"`)),
    ).toBe(true);
    // every federated leaver's session from before their Deny is denied by evaluation
    const prover = createCredentialProver(stack.estate.organization.rootId);
    for (const deny of federated) {
      const sessionName = String(deny.federated?.sessionName);
      const denied = await prover.isDenied({
        accountId,
        principal: {
          type: "federated-session",
          roleArn,
          sessionName,
          tokenIssuedAt: new Date(Date.parse(deny.createdAt) - 1000).toISOString(),
        },
        scps,
        identityPolicies: [],
      });
      expect(denied, deny.userId).toBe(true);
    }
    // someone staying signs in again through Okta after T: allowed
    const staying = {
      type: "federated-session" as const,
      roleArn,
      sessionName: "someone.staying@example.com",
      tokenIssuedAt: new Date(Date.parse(issuedBefore) + 1000).toISOString(),
    };
    expect(await prover.isDenied({ accountId, principal: staying, scps, identityPolicies: [] })).toBe(false);
    // and the same person's session from before T is not: everyone federated signs in again
    expect(
      await prover.isDenied({
        accountId,
        principal: { ...staying, tokenIssuedAt: new Date(Date.parse(issuedBefore) - 1000).toISOString() },
        scps,
        identityPolicies: [],
      }),
    ).toBe(true);
  });
});
