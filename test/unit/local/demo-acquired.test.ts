import { describe, expect, it } from "vitest";
import { guardrailScp } from "../../../core/credentials/guardrail-scp.ts";
import type { IamUser, OktaPerson } from "../../../core/credentials/iam-user.ts";
import { sweepLongLivedCredentials } from "../../../core/credentials/sweep.ts";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { DEMO_ACQUIRED } from "../../../local/estate/demo-acquired.ts";
import { demoEstate, demoPolicyYaml } from "../../../local/estate/demo-estate.ts";
import { withOktaIds } from "../../../local/estate/okta-ids.ts";
import { validateEstate } from "../../../local/estate/parse-estate.ts";

/** The demo estate's IAM users as discovery would read them, and its Okta users as the sweep reads them. */
function demoCredentialWorld() {
  const estate = withOktaIds(demoEstate());
  const users: IamUser[] = (estate.iam?.users ?? []).map((u) => ({
    accountId: u.account,
    userName: u.name,
    arn: `arn:aws:iam::${u.account}:user/${u.name}`,
    tags: u.tags,
    hasConsolePassword: u.consolePassword,
    accessKeys: u.accessKeys.map((k, i) => ({
      id: `AKIAdemo${u.name.replace(/[^a-z]/g, "")}${i}`,
      status: k.status,
      createDate: k.created,
      ...(k.lastUsed ? { lastUsed: { date: k.lastUsed.date, serviceName: k.lastUsed.service } } : {}),
    })),
    mfaDevices: [],
  }));
  const people: OktaPerson[] = estate.okta.users.map((u) => ({
    id: u.id,
    login: u.login,
    email: u.login,
    status: u.status,
    profile: { firstName: u.firstName, lastName: u.lastName },
  }));
  const loaded = loadPolicy(demoPolicyYaml(), "demo-policy.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return { users, people, policy: loaded.policy };
}

describe("the demo acquisition", () => {
  it("maps each IAM user as the README tells: leavers revoked, employees kept, the rest findings", () => {
    // Prepare
    const { users, people, policy } = demoCredentialWorld();
    if (!policy.credentials) throw new Error("the demo policy has a credentials section");

    // Act
    const sweep = sweepLongLivedCredentials({
      users,
      people,
      credentials: policy.credentials,
      hold: policy.revocation.hold,
      now: "2026-12-07T00:00:00.000Z",
    });

    // Assess
    const by = Object.fromEntries(
      sweep.holders.map((h) => [h.userName, [h.ownership, h.owner?.login ?? null, h.revoke]]),
    );
    expect(by).toEqual({
      "jane.doe": ["mapped", "jane.doe@example.com", false],
      jdoe: ["mapped", "jane.doe@example.com", false],
      "sam.taylor": ["mapped", "sam.taylor@example.com", true],
      amorgan: ["mapped", "alex.morgan@example.com", true],
      "john.smith": ["mapped", "john.smith@example.com", false],
      "priya.patel": ["ambiguous", null, false],
      "contractor-ops": ["unmapped", null, false],
      "break-glass": ["breakGlass", null, false],
      "ci-deployer": ["unmapped", null, false],
    });
    expect(sweep.status).toBe("ready");
    expect(sweep.actions.filter((a) => a.kind === "access-key.deactivate")).toHaveLength(2);
    expect(sweep.humansHoldingLongLivedCredentials).toBe(7);
    expect(sweep.findings.map((f) => `${f.kind} ${f.subject.userName ?? ""}`).sort()).toEqual([
      "break-glass-user break-glass",
      "iam-user-owner-ambiguous priya.patel",
      "iam-user-unmapped-human contractor-ops",
    ]);
    // the guardrail is planned (shown) but off in the demo, exempting break-glass and automation
    const guardrail = guardrailScp(policy.credentials);
    expect(guardrail.attach).toBe(false);
    expect(guardrail.exemptions).toContain(`arn:aws:iam::${DEMO_ACQUIRED.dev.id}:user/ci-deployer`);
  });

  it("refuses IAM entities in unknown accounts, an outside account that is in the Organization, and a missing SAML provider", () => {
    // Prepare
    const estate = demoEstate();
    const iam = estate.iam as NonNullable<typeof estate.iam>;
    const broken = {
      ...estate,
      iam: {
        ...iam,
        outsideAccounts: [...iam.outsideAccounts, { id: DEMO_ACQUIRED.inOrganization, name: "folded" }],
        users: [
          ...iam.users,
          { ...iam.users[0], account: "800000000009" },
          { ...iam.users[0], name: "JANE.DOE" },
        ],
        federatedRoles: [
          ...iam.federatedRoles,
          { account: DEMO_ACQUIRED.prod.id, name: "x", samlProvider: "Oktaa" },
        ],
      },
    };

    // Act
    const result = validateEstate(broken, "estate.json");

    // Assess
    if (result.ok) throw new Error("expected problems");
    expect(result.error.problems.map((p) => `${p.path}: ${p.message} -> ${p.fix}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^iam\.outsideAccounts\[2\]\.id: account 100000000007 is in organization\.accounts/,
        ),
        expect.stringMatching(
          /^iam\.users\[9\]\.account: unknown account '800000000009' -> use an organization.accounts\[\]\.id or an iam\.outsideAccounts\[\]\.id/,
        ),
        expect.stringMatching(
          /^iam\.users\[10\]\.name: IAM user 'JANE\.DOE' is declared twice in account 800000000001/,
        ),
        expect.stringMatching(
          /^iam\.federatedRoles\[3\]\.samlProvider: no SAML provider 'Oktaa' .*did you mean 'Okta'/,
        ),
      ]),
    );
  });
});
