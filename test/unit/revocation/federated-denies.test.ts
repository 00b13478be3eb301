import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { federatedSessionDenies } from "../../../core/credentials/leaver-deny-policies.ts";
import type { DenyEntry } from "../../../core/estate.ts";
import { atomKey, policyAtoms } from "../../../core/revocation/deny-atoms.ts";
import { scpLength } from "../../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import {
  federatedDenyEntry,
  federatedDenyUserId,
  federatedEntryAtoms,
  federatedStatementAtoms,
  federatedStatements,
  isFederatedDeny,
} from "../../../core/revocation/federated-denies.ts";
import { fitInlineDenies } from "../../../core/revocation/fit-inline-denies.ts";
import { fitRevocationScps } from "../../../core/revocation/fit-revocation-scps.ts";
import { leaverHeadroom } from "../../../core/revocation/scp-headroom.ts";
import { shardScps } from "../../../core/revocation/shard-scps.ts";
import { CREATED, EXPIRES, userId } from "./revocation-builders.ts";

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };

const federated = (oktaId: string, sessionName?: string, sourceIdentity?: string): DenyEntry =>
  federatedDenyEntry({
    oktaUserId: oktaId,
    statements: federatedSessionDenies(sessionName, sourceIdentity),
    createdAt: CREATED,
    liftAt: EXPIRES,
  });
const leaver = (u: string): DenyEntry => ({
  userId: u,
  scope: "all",
  reason: "leaver",
  createdAt: CREATED,
  expiresAt: EXPIRES,
});
const mover = (u: string, accounts: string[]): DenyEntry => ({
  userId: u,
  scope: { permissionSetName: "Developer", accountIds: accounts },
  reason: "mover",
  createdAt: CREATED,
  expiresAt: EXPIRES,
});
const atomsOf = (documents: readonly string[]) => new Set(documents.flatMap((d) => [...policyAtoms(d)]));

describe("federated-sessions ledger entries", () => {
  it("carry the session name and source identity of a federated-deny.scp action, lifted at liftAt", () => {
    const entry = federated("00ujane", "jane@corp.example", "jane@corp.example");
    expect(entry).toEqual({
      userId: "okta:00ujane",
      scope: "all",
      reason: "federated-sessions",
      createdAt: CREATED,
      expiresAt: EXPIRES,
      federated: { sessionName: "jane@corp.example", sourceIdentity: "jane@corp.example" },
    });
    expect(isFederatedDeny(entry)).toBe(true);
    expect(isFederatedDeny(leaver(userId(1)))).toBe(false);
    expect(federatedDenyUserId("00ujane")).toBe(entry.userId);
    expect(federated("00ubob", "bob").federated).toEqual({ sessionName: "bob" });
    expect(federatedEntryAtoms(leaver(userId(1)))).toEqual([]);
  });

  it("render as one session-name and one source-identity statement for every leaver, in any order", () => {
    const entries = [federated("00ub", "bob", "bob"), federated("00ua", "ann"), leaver(userId(1))];
    const statements = federatedStatements(entries);
    expect(statements.map((s) => s.Condition)).toEqual([
      { StringLike: { "aws:userid": ["*:ann", "*:bob"] } },
      { StringEquals: { "aws:SourceIdentity": ["bob"] } },
    ]);
    expect(federatedStatements([...entries].reverse())).toEqual(statements);
    expect(statements.map((s) => s.Sid)).toEqual([
      expect.stringMatching(/^OktaAwsLifecycleFederatedSession[0-9a-f]{16}$/),
      expect.stringMatching(/^OktaAwsLifecycleSourceIdentity[0-9a-f]{16}$/),
    ]);
    expect(federatedStatements([leaver(userId(1))])).toEqual([]);
  });

  it("are no Identity Center user's: not in identitystore:userId statements, nor in permission-set inline policies", () => {
    const entries = [federated("00ua", "ann"), leaver(userId(1))];
    expect(JSON.stringify(denyStatements(entries))).not.toContain("okta:");
    const inline = fitInlineDenies(null, entries, { permissionSetName: "Admin", accountId: "111111111111" });
    expect(inline.placed).toEqual([leaver(userId(1))]);
    expect(inline.document).not.toContain("aws:userid");
  });
});

describe("federated statements in the revocation SCPs", () => {
  it("sit right after the Identity Center leavers and before movers when room is short", () => {
    const entries = [leaver(userId(1)), federated("00ua", "ann"), mover(userId(2), ["123456789012"])];
    const room = scpLength(JSON.stringify({ Version: "2012-10-17", Statement: [] })) + 420;
    const fit = fitRevocationScps(entries, { maxChars: room, maxPolicies: 1, massFallback: "ask" });
    const atoms = atomsOf(fit.documents);
    expect(atoms.has(atomKey(userId(1), "", "*"))).toBe(true);
    expect(atoms.has(federatedEntryAtoms(entries[1] as DenyEntry)[0] as string)).toBe(true);
    expect(fit.overflow).toHaveLength(1);
    expect(fit.federatedOverflow).toEqual([]);
    expect(fit.uncovered).toEqual([userId(2)]);
  });

  it("a federated statement with no room names its leaver as uncovered, with or without the mass fallback", () => {
    const entries = [leaver(userId(1)), federated("00ua", "ann", "ann")];
    const small = { maxChars: 300, maxPolicies: 1 };
    for (const massFallback of ["ask", "auto"] as const) {
      const fit = fitRevocationScps(entries, { ...small, massFallback });
      expect(fit.federatedOverflow.length).toBeGreaterThan(0);
      expect(fit.uncovered).toContain("okta:00ua");
    }
    const roomy = fitRevocationScps(entries, { maxChars: 5120, maxPolicies: 1, massFallback: "ask" });
    expect(roomy.uncovered).toEqual([]);
  });

  it("a long list of session names is split across documents, nothing lost", () => {
    const entries = Array.from({ length: 120 }, (_, i) => federated(`00u${i}`, `person.${i}@corp.example`));
    const fit = shardScps([], { maxChars: 1024, maxPolicies: 10, federated: federatedStatements(entries) });
    expect(fit.documents.length).toBeGreaterThan(1);
    expect(fit.federatedOverflow).toEqual([]);
    expect(atomsOf(fit.documents)).toEqual(new Set(entries.flatMap(federatedEntryAtoms)));
    const cramped = shardScps([], {
      maxChars: 1024,
      maxPolicies: 1,
      federated: federatedStatements(entries),
    });
    const kept = atomsOf(cramped.documents);
    const left = federatedStatementAtoms(cramped.federatedOverflow);
    expect(new Set([...kept, ...left])).toEqual(new Set(entries.flatMap(federatedEntryAtoms)));
    expect([...kept].some((a) => left.has(a))).toBe(false);
  });

  it("count in the leaver headroom the doctor reports", () => {
    const options = { maxChars: 1024, maxPolicies: 1 };
    const without = leaverHeadroom([leaver(userId(1))], options);
    const withFederated = leaverHeadroom(
      [leaver(userId(1)), federated("00ua", "ann.long.name@corp.example")],
      options,
    );
    expect(withFederated).toBeLessThan(without);
    expect(
      leaverHeadroom([federated("00ua", "a".repeat(64), "b".repeat(64))], { maxChars: 200, maxPolicies: 1 }),
    ).toBe(0);
  });

  it("property: sharded documents plus overflow hold exactly the atoms of the entries, each document within the limit", () => {
    const entryArb = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((n) => leaver(userId(n))),
      fc
        .record({
          n: fc.integer({ min: 0, max: 40 }),
          name: fc.boolean(),
          source: fc.boolean(),
        })
        .map(({ n, name, source }) =>
          federated(
            `00u${n}`,
            name || !source ? `p${n}@corp.example` : undefined,
            source ? `p${n}` : undefined,
          ),
        ),
    );
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 60 }),
        fc.integer({ min: 250, max: 3000 }),
        fc.integer({ min: 0, max: 4 }),
        (entries, maxChars, maxPolicies) => {
          const wanted = new Set([
            ...entries.filter((e) => !isFederatedDeny(e)).map((e) => atomKey(e.userId, "", "*")),
            ...entries.flatMap(federatedEntryAtoms),
          ]);
          const fit = fitRevocationScps(entries, { maxChars, maxPolicies, massFallback: "ask" });
          const kept = atomsOf(fit.documents);
          const left = new Set([
            ...fit.overflow.flatMap((s) =>
              s.Condition.StringEquals["identitystore:userId"].map((u) => atomKey(u, "", "*")),
            ),
            ...federatedStatementAtoms(fit.federatedOverflow),
          ]);
          expect(new Set([...kept, ...left])).toEqual(wanted);
          expect(fit.documents.length).toBeLessThanOrEqual(maxPolicies);
          for (const d of fit.documents) expect(scpLength(d)).toBeLessThanOrEqual(maxChars);
          const shuffled = fitRevocationScps([...entries].reverse(), {
            maxChars,
            maxPolicies,
            massFallback: "ask",
          });
          expect(shuffled.documents).toEqual(fit.documents);
          const uncoveredFederated = entries
            .filter((e) => federatedEntryAtoms(e).some((a) => left.has(a)))
            .map((e) => e.userId);
          for (const u of uncoveredFederated) expect(fit.uncovered).toContain(u);
        },
      ),
      RUNS,
    );
  });
});

describe("federated SCP statements under IAM evaluation", () => {
  const ACCOUNT = "222222222222";
  const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const evaluate = async (scps: string[], sessionName: string, sourceIdentity?: string) => {
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:sts::${ACCOUNT}:assumed-role/Okta-Admin/${sessionName}`,
          action: "s3:ListAllMyBuckets",
          resource: { resource: "*", accountId: ACCOUNT },
          contextVariables: {
            "aws:userid": `AROAexampleroleid0001:${sessionName}`,
            "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/Okta-Admin`,
            ...(sourceIdentity ? { "aws:SourceIdentity": sourceIdentity } : {}),
          },
        },
        identityPolicies: [{ name: "admin", policy: ALLOW_ALL }],
        serviceControlPolicies: [
          {
            orgIdentifier: "r-root",
            policies: [
              { name: "FullAWSAccess", policy: ALLOW_ALL },
              ...scps.map((text, i) => ({ name: `revocation-${i}`, policy: JSON.parse(text) })),
            ],
          },
          { orgIdentifier: ACCOUNT, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
        ],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
    return String((result as { overallResult: string }).overallResult);
  };

  it("the sharded SCPs deny each leaver's sessions, chained ones by source identity, and not another user's", async () => {
    const entries = [
      federated("00ua", "ann@corp.example", "ann@corp.example"),
      federated("00ub", "bob@corp.example"),
      leaver(userId(1)),
    ];
    const { documents } = fitRevocationScps(entries, { maxChars: 400, maxPolicies: 5, massFallback: "ask" });
    expect(documents.length).toBeGreaterThan(1);
    expect(await evaluate(documents, "ann@corp.example")).toBe("ExplicitlyDenied");
    expect(await evaluate(documents, "bob@corp.example")).toBe("ExplicitlyDenied");
    expect(await evaluate(documents, "chained-by-hub", "ann@corp.example")).toBe("ExplicitlyDenied");
    expect(await evaluate(documents, "carol@corp.example", "carol@corp.example")).toBe("Allowed");
  });
});
