import { describe, expect, it } from "vitest";
import type { LedgerDeny } from "../../../adapters/deny-ledger.ts";
import type { CredentialAction } from "../../../core/credentials/credential-action.ts";
import type { IamUser } from "../../../core/credentials/iam-user.ts";
import type { OktaTrustingRole } from "../../../core/credentials/plan-credential-revocation.ts";
import type { DenyEntry, OktaUser } from "../../../core/estate.ts";
import type {
  AccountCredentials,
  CredentialAccount,
  CredentialDiscoveryPort,
  CredentialRevocationPort,
} from "../../../core/ports.ts";
import { fitRevocationScps } from "../../../core/revocation/fit-revocation-scps.ts";
import { createCredentialProver } from "../../../local/runtime/credential-prover.ts";
import { credentialEvidence } from "../../../usecases/reconcile-user/credential-evidence.ts";
import { liftCredentialDenies } from "../../../usecases/reconcile-user/lift-credential-denies.ts";
import {
  type CredentialRunRecord,
  type RevokeCredentialsDeps,
  revokeCredentials,
} from "../../../usecases/reconcile-user/revoke-credentials.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";
import { credentialsPolicy, iamUser, key } from "../credentials/credential-builders.ts";

/*
 * The credential step of a leaver's run with in-memory ports: what it ends, where, what one failing
 * account does to the others, what it records and what it lifts.
 */

const NOW = "2026-12-07T03:00:00.000Z";
const MEMBER = "222222222222";
const FEDERATED = "333333333333";
const OUTSIDE = "444444444444";
const BROKEN = "555555555555";
const MANAGEMENT = "111111111111";
const LEAVER: OktaUser = {
  id: "00umaria",
  login: "maria.garcia@example.com",
  status: "DEPROVISIONED",
  profile: { email: "maria.garcia@example.com", firstName: "Maria", lastName: "Garcia" },
};
const OTHER: OktaUser = {
  id: "00umarco",
  login: "marco.garcia@example.com",
  status: "ACTIVE",
  profile: { email: "marco.garcia@example.com", firstName: "Marco", lastName: "Garcia" },
};
const credentials = credentialsPolicy({
  iamUsers: { namingRules: ["firstInitialLast"] },
  accounts: [
    { id: OUTSIDE, name: "acquired" },
    { id: BROKEN, name: "acquired-lost" },
  ],
  federation: { sessionNameAttribute: "login", sourceIdentity: true },
});

/** A ledger, SCP port and scratch space in memory. */
function world(options: {
  users: IamUser[];
  roles?: OktaTrustingRole[];
  people?: OktaUser[];
  failAccount?: string;
}) {
  const ledger = new Map<string, DenyEntry>();
  const scratch = new Map<string, unknown>();
  let scps: string[] = [];
  const applied: { account: string; kinds: string[] }[] = [];
  const lifted: string[] = [];
  const discovery: CredentialDiscoveryPort = {
    discover: async (accounts) => ({
      accounts: accounts
        .filter((a) => a.accountId !== BROKEN)
        .map(
          (a): AccountCredentials => ({
            accountId: a.accountId,
            users: options.users.filter((u) => u.accountId === a.accountId),
            oktaTrustingRoles: (options.roles ?? []).filter((r) => r.accountId === a.accountId),
          }),
        ),
      problems: accounts.some((a) => a.accountId === BROKEN)
        ? [{ accountId: BROKEN, code: "role-not-assumable", message: "no role", fix: "deploy it" }]
        : [],
    }),
  };
  const revocation: CredentialRevocationPort = {
    apply: async (account: CredentialAccount, actions: readonly CredentialAction[]) => {
      if (account.accountId === options.failAccount) throw new Error("AccessDenied: cannot assume");
      applied.push({ account: account.accountId, kinds: actions.map((a) => a.kind) });
      return actions.map((action) => ({ action, status: "SUCCEEDED" as const }));
    },
    liftRoleDeny: async (account, roleName, policyName) => {
      lifted.push(`${account.accountId}/${roleName}/${policyName}`);
    },
  };
  let sequence = 0;
  const enforce = {
    ledger: {
      list: async () => [...ledger].map(([denyId, deny]): LedgerDeny => ({ denyId, deny })),
      sequence: async () => sequence,
    } as never,
    lock: {
      withLease: (_: string, fn: () => Promise<unknown>) => fn(),
      withLeaseUnless: async (_: string, settled: () => Promise<unknown>, fn: () => Promise<unknown>) =>
        (await settled()) ?? fn(),
    } as never,
    marker: { read: async () => undefined, record: async () => {} } as never,
    scps: {
      writeRevocationScps: async (denies: readonly DenyEntry[]) => {
        const fit = fitRevocationScps(denies, { maxChars: 5120, maxPolicies: 4, massFallback: "ask" });
        scps = fit.documents;
        return { policyIds: scps.map((_, i) => `p-${i}`), overflow: fit.overflow, uncovered: fit.uncovered };
      },
      listRevocationScps: async () => scps.map((content, i) => ({ policyId: `p-${i}`, content })),
    },
    identityCenter: {} as never,
    instanceArn: "arn:aws:sso:::instance/ssoins-1",
    managementAccountId: undefined,
    now: () => NOW,
  };
  const deps: RevokeCredentialsDeps = {
    credentials,
    hold: "PT12H",
    discovery,
    revocation,
    okta: { listUsers: async () => options.people ?? [LEAVER, OTHER] },
    organization: {
      readOrganization: async () => ({
        accounts: [MANAGEMENT, MEMBER, FEDERATED].map(
          (id) => ({ id, name: `acct-${id}`, status: "ACTIVE" }) as never,
        ),
      }),
    },
    ledger: {
      add: async (deny: DenyEntry) => {
        ledger.set(`${deny.userId}#${deny.createdAt}`, deny);
        return `${deny.userId}#${deny.createdAt}`;
      },
      remove: async (id: string) => void ledger.delete(id),
      advance: async () => ++sequence,
    } as never,
    enforce,
    prover: createCredentialProver("r-root"),
    managementAccountId: MANAGEMENT,
    scratch: {
      put: async (k, v) => void scratch.set(k, structuredClone(v)),
      get: async <T>(k: string) => scratch.get(k) as T,
    },
    now: () => NOW,
  };
  const state = {
    runId: "run-1",
    user: { id: LEAVER.id, login: LEAVER.login },
    plan: { decision: "revoke" },
  } as unknown as UserRunState;
  return { deps, state, ledger, scratch, applied, lifted, scps: () => scps };
}

const leaverUsers = () => [
  iamUser(MEMBER, "mgarcia", { hasConsolePassword: true, accessKeys: [key("AKIAmember0000001")] }),
  iamUser(OUTSIDE, "ops", { tags: { "okta:login": LEAVER.login }, accessKeys: [key("AKIAoutside000001")] }),
  iamUser(MEMBER, "someone-else", { accessKeys: [key("AKIAother00000001")] }),
];
const roles: OktaTrustingRole[] = [
  { accountId: FEDERATED, roleName: "Okta-Engineer", arn: `arn:aws:iam::${FEDERATED}:role/Okta-Engineer` },
  { accountId: OUTSIDE, roleName: "Okta-Admin", arn: `arn:aws:iam::${OUTSIDE}:role/Okta-Admin` },
];

describe("RevokeCredentials", () => {
  it("ends the leaver's IAM users in every account, denies their federated sessions, and proves it", async () => {
    const w = world({ users: leaverUsers(), roles, people: [LEAVER] });

    const summary = await revokeCredentials(w.deps)(w.state);

    expect(w.applied).toEqual([
      { account: MEMBER, kinds: ["iam-user.deny", "access-key.deactivate", "login-profile.delete"] },
      { account: OUTSIDE, kinds: ["iam-user.deny", "federated-deny.role", "access-key.deactivate"] },
    ]);
    expect([...w.ledger.values()]).toEqual([
      expect.objectContaining({
        userId: "okta:00umaria",
        // The Organization's Okta-trusting roles: the federated mass fallback's principals if it overflows.
        federated: {
          sessionName: LEAVER.login,
          sourceIdentity: LEAVER.login,
          roleArns: ["arn:aws:iam::333333333333:role/Okta-Engineer"],
        },
        expiresAt: "2026-12-07T15:00:00.000Z",
      }),
    ]);
    expect(w.scps().join()).toContain(`*:${LEAVER.login}`);
    expect(summary).toMatchObject({ ended: 7, failed: 0, problems: 1, liftAt: "2026-12-07T15:00:00.000Z" });
    const record = w.scratch.get(String(summary.scratchKey)) as CredentialRunRecord;
    expect(record.problems.map((p) => p.accountId)).toEqual([BROKEN]);
    expect(record.checks.every((c) => c.passed)).toBe(true);
    expect(record.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        `federated session of the leaver denied through ${roles[0]?.arn} (policy evaluation)`,
        `another person's session allowed through ${roles[1]?.arn} (policy evaluation)`,
        `IAM user arn:aws:iam::${OUTSIDE}:user/ops denied (policy evaluation)`,
      ]),
    );
    expect(record.roleDenies).toEqual([
      expect.objectContaining({ accountId: OUTSIDE, roleName: "Okta-Admin" }),
    ]);
  });

  it("a name that fits two people is a finding and nothing is ended on it (everyone who could claim it is asked)", async () => {
    const w = world({ users: leaverUsers(), people: [LEAVER, OTHER] });

    await revokeCredentials(w.deps)(w.state);

    const member = w.applied.find((a) => a.account === MEMBER);
    expect(member).toBeUndefined();
    const record = [...w.scratch.values()][0] as CredentialRunRecord;
    expect(record.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "iam-user-owner-ambiguous",
          subject: { accountId: MEMBER, userName: "mgarcia" },
        }),
      ]),
    );
  });

  it("Okta still assigning the leaver the AWS Account Federation app is a finding; other apps and other ids are not", async () => {
    const asked: string[] = [];
    const assigned = [
      { appId: "0oaawsfederation0001", appName: "amazon_aws", label: "AWS Account Federation" },
      { appId: "0oaslack000000000001", appName: "slack", label: "Slack" },
    ];
    const findingsWith = async (policy: typeof credentials, apps = assigned) => {
      const w = world({ users: [], people: [LEAVER] });
      const deps = {
        ...w.deps,
        credentials: policy,
        assignedApps: async (id: string) => {
          asked.push(id);
          return apps;
        },
      };
      const summary = await revokeCredentials(deps)(w.state);
      const record = w.scratch.get(String(summary.scratchKey)) as CredentialRunRecord;
      return record.findings.filter((f) => f.kind.startsWith("okta-federation-app"));
    };

    // No app id in the policy: the app named amazon_aws is the federation app.
    expect(await findingsWith(credentials)).toEqual([
      expect.objectContaining({
        kind: "okta-federation-app-still-assigned",
        subject: { oktaUserId: LEAVER.id, appId: "0oaawsfederation0001" },
        message: expect.stringContaining("unassign them in Okta"),
      }),
    ]);
    expect(asked).toEqual([LEAVER.id]);
    // The policy names another app: only that one counts.
    const pinned = {
      ...credentials,
      federation: { ...credentials.federation, oktaAppId: "0oaslack000000000001" },
    };
    expect((await findingsWith(pinned)).map((f) => f.subject.appId)).toEqual(["0oaslack000000000001"]);
    // Unassigned (Okta's answer lists no federation app): no finding.
    expect(await findingsWith(credentials, [assigned[1] as (typeof assigned)[number]])).toEqual([]);
  });

  it("assignments Okta cannot show are a finding, and the credentials are still ended", async () => {
    const w = world({ users: leaverUsers(), people: [LEAVER] });
    const deps = {
      ...w.deps,
      assignedApps: async () => {
        throw Object.assign(new Error("missing scope"), { name: "OktaPermissionError" });
      },
    };

    const summary = await revokeCredentials(deps)(w.state);

    expect(summary.ended).toBeGreaterThan(0);
    const record = w.scratch.get(String(summary.scratchKey)) as CredentialRunRecord;
    expect(record.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "okta-federation-app-unreadable",
          subject: { oktaUserId: LEAVER.id },
        }),
      ]),
    );
  });

  it("an account whose revocation role cannot be assumed is a problem for it; the others complete", async () => {
    const w = world({ users: leaverUsers(), people: [LEAVER], failAccount: MEMBER });

    const summary = await revokeCredentials(w.deps)(w.state);

    expect(w.applied.map((a) => a.account)).toEqual([OUTSIDE]);
    const record = w.scratch.get(String(summary.scratchKey)) as CredentialRunRecord;
    expect(record.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          accountId: MEMBER,
          code: "revocation-failed",
          message: expect.stringContaining("AccessDenied"),
        }),
      ]),
    );
    expect(record.outcomes.filter((o) => o.status === "FAILED").map((o) => o.target.accountId)).toEqual([
      MEMBER,
      MEMBER,
      MEMBER,
    ]);
    expect(record.checks).toEqual(
      expect.arrayContaining([
        { check: `credentials ended and read back in ${MEMBER}`, passed: false, detail: "0 of 3" },
      ]),
    );
    const evidence = credentialEvidence({ ...w.state, credentials: summary }, record);
    expect(evidence.findings.map((f) => f.kind)).toContain("credential-account-problem");
    expect(evidence.actions).toHaveLength(record.outcomes.length);
  });

  it("a retried step records the same federated Deny (keyed by the run's start), so the lift finds it", async () => {
    const w = world({ users: leaverUsers(), roles, people: [LEAVER] });
    const started = {
      ...w.state,
      plan: { decision: "revoke", startedAt: "2026-12-07T02:59:00.000Z" },
    } as never;

    const first = await revokeCredentials(w.deps)(started);
    const retried = await revokeCredentials({ ...w.deps, now: () => "2026-12-07T03:05:00.000Z" })(started);

    expect(w.ledger.size).toBe(1);
    expect(retried.denyIds).toEqual(first.denyIds);
    expect(retried.liftAt).toBe("2026-12-07T14:59:00.000Z");
  });

  it("SCPs disabled on the root: the federated Deny is a finding and skipped checks, not a failure", async () => {
    const w = world({ users: leaverUsers(), roles, people: [LEAVER] });
    const disabled = Object.assign(new Error("SCPs are disabled"), { name: "PolicyTypeNotEnabledException" });
    const scps = { ...w.deps.enforce.scps, writeRevocationScps: async () => Promise.reject(disabled) };

    const summary = await revokeCredentials({ ...w.deps, enforce: { ...w.deps.enforce, scps } })(w.state);

    const record = w.scratch.get(String(summary.scratchKey)) as CredentialRunRecord;
    expect(record.scpSkipped).toContain("service control policies are disabled");
    expect(record.outcomes.map((o) => o.kind)).not.toContain("federated-deny.scp");
    expect(record.outcomes.every((o) => o.status === "SUCCEEDED")).toBe(true);
    const skipped = record.checks.filter((c) => c.skipped !== undefined).map((c) => c.check);
    expect(skipped).toEqual([
      "federated sessions Deny in the revocation SCPs",
      `federated session of the leaver denied through ${roles[0]?.arn} (policy evaluation)`,
    ]);
    const parts = credentialEvidence({ ...w.state, credentials: summary }, record);
    expect(parts.findings.map((f) => f.kind)).toContain("federated-deny-skipped");
  });

  it("does nothing without a credentials section, or for a mover", async () => {
    const w = world({ users: leaverUsers() });
    expect(await revokeCredentials({ ...w.deps, credentials: undefined })(w.state)).toMatchObject({
      skipped: "the policy has no credentials section",
    });
    const mover = { ...w.state, plan: { decision: "adjust" } } as unknown as UserRunState;
    expect(await revokeCredentials(w.deps)(mover)).toMatchObject({
      skipped: "not a leaver (decision adjust)",
    });
    expect(w.applied).toEqual([]);
  });

  it("after the hold, lifts the federated Denies from the ledger and the roles, and records each lift", async () => {
    const w = world({ users: leaverUsers(), roles, people: [LEAVER] });
    const summary = await revokeCredentials(w.deps)(w.state);
    const state = { ...w.state, credentials: summary };

    const lift = await liftCredentialDenies({
      ...w.deps,
      revocation: w.deps.revocation,
      scratch: w.deps.scratch,
    })(state);

    expect(w.ledger.size).toBe(0);
    expect(w.scps().join()).not.toContain(LEAVER.login);
    expect(w.lifted).toEqual([`${OUTSIDE}/Okta-Admin/okta-aws-lifecycle-leaver-deny-00umaria`]);
    const parts = credentialEvidence({ ...state, credentialLift: lift }, null);
    expect(parts.actions.map((a) => [a.kind, a.status])).toEqual([["federated-deny.lift", "SUCCEEDED"]]);
  });
});
