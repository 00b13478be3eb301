import { describe, expect, it } from "vitest";
import type { CredentialAction } from "../../../core/credentials/credential-action.ts";
import type { IamUser } from "../../../core/credentials/iam-user.ts";
import type { OktaUser, Organization } from "../../../core/estate.ts";
import type { EstateRunRecord, EvidenceDraft } from "../../../core/evidence/record.ts";
import type { Policy } from "../../../core/policy/schema.ts";
import type { AccountCredentials, CredentialAccount } from "../../../core/ports.ts";
import { credentialAccounts, oktaPerson } from "../../../usecases/reconcile-estate/credential-accounts.ts";
import { sweepEstateCredentials } from "../../../usecases/reconcile-estate/credential-sweep.ts";
import { credentialsPolicy, iamUser, key } from "../credentials/credential-builders.ts";

/*
 * The sweep use case with in-memory ports: what happens when one account's writes fail, when a read-back
 * misses an account, and what it reads from the organization and from Okta.
 */

const A = "111111111111";
const B = "222222222222";
const OUTSIDE = "333333333333";
const NOW = "2026-06-01T12:00:00.000Z";
const leaver: OktaUser = {
  id: "00uleaver0000000001",
  login: "jane.doe@example.com",
  status: "DEPROVISIONED",
  profile: { email: "jane@mail.example", firstName: "Jane", lastName: "Doe" },
};
const organization: Pick<Organization, "accounts"> = {
  accounts: [
    { id: A, name: "a", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
    { id: B, name: "b", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
    { id: "444444444444", name: "closed", parentId: "r-ab12", tags: {}, status: "SUSPENDED" },
  ],
};
const janes = (accountId: string): IamUser =>
  iamUser(accountId, "jane", {
    tags: { "okta:login": leaver.login },
    accessKeys: [key(`AKIAjane${accountId}`)],
  });

/** Discovery that reads `users` once, then `after` on the read-back (each account's users, by id). */
function fakeDiscovery(before: Record<string, IamUser[]>, after: Record<string, IamUser[]>) {
  let reads = 0;
  return {
    discover: async (accounts: readonly CredentialAccount[]) => {
      const world = reads++ === 0 ? before : after;
      const read: AccountCredentials[] = accounts
        .filter((a) => world[a.accountId] !== undefined)
        .map((a) => ({ accountId: a.accountId, users: world[a.accountId] ?? [], oktaTrustingRoles: [] }));
      return { accounts: read, problems: [] };
    },
  };
}

const policy = (section: Record<string, unknown> = {}) =>
  ({ credentials: credentialsPolicy(section), revocation: { hold: "PT12H" } }) as Pick<
    Policy,
    "credentials" | "revocation"
  >;

describe("sweepEstateCredentials", () => {
  it("fails only the actions of an account whose revocation role cannot be assumed; the read-back says which", async () => {
    // Prepare
    const drafts: EvidenceDraft[] = [];
    const applied: string[] = [];

    // Act
    const run = await sweepEstateCredentials(
      {
        policy: policy(),
        okta: { listUsers: async () => [leaver] },
        discovery: fakeDiscovery(
          { [A]: [janes(A)], [B]: [janes(B)] },
          { [A]: [{ ...janes(A), accessKeys: [] }] },
        ),
        revocation: {
          apply: async (account, actions: readonly CredentialAction[]) => {
            if (account.accountId === B) throw new Error("cannot assume the revocation role in B");
            applied.push(...actions.map((a) => `${account.accountId} ${a.kind}`));
            return actions.map((action) => ({ action, status: "SUCCEEDED" as const }));
          },
          liftRoleDeny: async () => {},
        },
        evidence: {
          append: async (draft) => {
            drafts.push(draft);
            return { key: "k", sequence: 0, hash: "h" };
          },
        },
        now: () => NOW,
        runId: "run-1",
      },
      { organization, apply: true, trigger: { type: "schedule" } },
    );

    // Assess
    expect(applied).toEqual([`${A} iam-user.deny`, `${A} access-key.deactivate`]);
    expect(run?.outcomes.map((o) => [o.target.accountId, o.kind, o.status, o.error])).toEqual([
      [A, "iam-user.deny", "SUCCEEDED", null],
      [A, "access-key.deactivate", "SUCCEEDED", null],
      [B, "iam-user.deny", "FAILED", "Error: cannot assume the revocation role in B"],
      [B, "access-key.deactivate", "FAILED", "Error: cannot assume the revocation role in B"],
    ]);
    const record = drafts[0] as Omit<EstateRunRecord, "sequence" | "previousHash">;
    expect(record.body.verification?.passed).toBe(false);
    expect(record.body.verification?.details.map((d) => [d.accountId, d.passed, d.detail])).toEqual([
      [A, true, "no console password, no active access key"],
      [B, false, "the account could not be read back"],
    ]);
  });

  it("does nothing without the credentials section, and writes no evidence for a plan-only run", async () => {
    // Prepare
    const drafts: EvidenceDraft[] = [];
    const deps = {
      okta: { listUsers: async () => [leaver] },
      discovery: fakeDiscovery({ [A]: [janes(A)] }, {}),
      revocation: {
        apply: async () => {
          throw new Error("no write expected");
        },
        liftRoleDeny: async () => {},
      },
      evidence: {
        append: async (draft: EvidenceDraft) => {
          drafts.push(draft);
          return { key: "k", sequence: 0, hash: "h" };
        },
      },
      now: () => NOW,
      runId: "run-2",
    };

    // Act
    const off = await sweepEstateCredentials(
      { ...deps, policy: { revocation: { hold: "PT12H" } } as Policy },
      { organization, apply: true, trigger: { type: "schedule" } },
    );
    const planOnly = await sweepEstateCredentials(
      {
        ...deps,
        policy: policy({
          guardrail: true,
          automationPrincipals: Array.from(
            { length: 200 },
            (_, i) => `arn:aws:iam::${String(i).padStart(12, "0")}:role/ci`,
          ),
        }),
      },
      { organization, apply: false, trigger: { type: "schedule" } },
    );

    // Assess
    expect(off).toBeNull();
    expect(planOnly?.applied).toBe(false);
    expect(planOnly?.sweep.actions).toHaveLength(2);
    expect(planOnly?.findings.map((f) => f.kind)).toContain("guardrail-scp-too-large");
    expect(drafts).toEqual([]);
  });

  it("reads the Organization's ACTIVE accounts and the outside ones once each, and Okta profiles as people", () => {
    // Act
    const accounts = credentialAccounts(
      organization,
      credentialsPolicy({
        accounts: [
          { id: OUTSIDE, name: "acquired", externalId: "acq-1", roleName: { discovery: "okta-read" } },
          { id: B, name: "listed by mistake" },
        ],
      }),
    );

    // Assess
    expect(
      accounts.map((a) => [a.accountId, a.name, a.inOrganization, a.roles.discovery, a.roles.externalId]),
    ).toEqual([
      [A, "a", true, "okta-aws-lifecycle-discovery", undefined],
      [B, "b", true, "okta-aws-lifecycle-discovery", undefined],
      [OUTSIDE, "acquired", false, "okta-read", "acq-1"],
    ]);
    expect(oktaPerson(leaver)).toEqual({
      id: leaver.id,
      login: leaver.login,
      email: "jane@mail.example",
      status: "DEPROVISIONED",
      profile: { firstName: "Jane", lastName: "Doe" },
    });
    expect(
      oktaPerson({
        id: "00u2",
        login: "x@example.com",
        status: "ACTIVE",
        transitioningToStatus: "DEPROVISIONED",
      }),
    ).toEqual({
      id: "00u2",
      login: "x@example.com",
      email: null,
      status: "ACTIVE",
      transitioningToStatus: "DEPROVISIONED",
      profile: { firstName: null, lastName: null },
    });
  });
});
