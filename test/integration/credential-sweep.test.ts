import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IamCredentialDiscovery } from "../../adapters/iam/iam-credential-discovery.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import { IamCredentialRevocation, revocationClients } from "../../adapters/iam/revoke-credentials.ts";
import { CredentialsGuardrail } from "../../adapters/organizations/credentials-guardrail.ts";
import { GUARDRAIL_SCP_NAME } from "../../core/credentials/guardrail-scp.ts";
import type { OktaUser, Organization } from "../../core/estate.ts";
import { type EvidenceDraft, evidenceRecordSchema } from "../../core/evidence/record.ts";
import type { Policy } from "../../core/policy/schema.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";
import {
  type CredentialSweepDeps,
  sweepEstateCredentials,
} from "../../usecases/reconcile-estate/credential-sweep.ts";
import { credentialsPolicy } from "../unit/credentials/credential-builders.ts";

/**
 * The estate sweep against the IAM/STS and Organizations emulators through the real SDK clients, the
 * discovery adapter and the revocation writer: a leaver's keys and password end in an Organization
 * account and an outside one, an employee's and the break-glass user's stay, a guard that would be
 * exceeded stops everything, an account that cannot be reached is a finding while the rest completes,
 * and the guardrail SCP is attached once.
 */

const TOOL = "111111111111";
const MEMBER = "222222222222";
const OUTSIDE = "333333333333";
const UNREACHABLE = "444444444444";
const NOW = Date.parse("2026-06-01T12:00:00Z");
const DISCOVERY = "okta-aws-lifecycle-discovery";
const REVOCATION = "okta-aws-lifecycle-revocation";

let iam: IamEmulator;
let iamServer: RunningServer;
let orgServer: RunningServer;
let organizations: OrganizationsClient;

const toolTrust = (externalId?: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${TOOL}:root` },
      Action: "sts:AssumeRole",
      ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
    },
  ],
});

const okta = (login: string, status: OktaUser["status"], firstName: string, lastName: string): OktaUser => ({
  id: `00u${login
    .replace(/[^a-z]/g, "")
    .padEnd(17, "x")
    .slice(0, 17)}`,
  login,
  status,
  profile: { email: login, firstName, lastName },
});
const PEOPLE = [
  okta("jane.doe@example.com", "DEPROVISIONED", "Jane", "Doe"),
  okta("bob.ray@example.com", "ACTIVE", "Bob", "Ray"),
  okta("sam.lee@example.com", "ACTIVE", "Sam", "Lee"),
  okta("sam.lee@corp.example", "ACTIVE", "Sam", "Lee"),
];

const organization: Pick<Organization, "accounts"> = {
  accounts: [
    { id: TOOL, name: "management", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
    { id: MEMBER, name: "payments-prod", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
    { id: UNREACHABLE, name: "no-stackset", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
  ],
};

function deps(section: Record<string, unknown>, drafts: EvidenceDraft[], runId: string): CredentialSweepDeps {
  const config = localClientConfig(iamServer.endpoint);
  const credentials = credentialsPolicy({
    iamUsers: { namingRules: ["loginLocalPart", "firstInitialLast"] },
    breakGlass: [`${MEMBER}:break-glass`],
    automationPrincipals: ["arn:aws:iam::*:role/terraform-*"],
    accounts: [{ id: OUTSIDE, name: "acquired-prod", externalId: "acq-2026" }],
    ...section,
  });
  return {
    policy: { credentials, revocation: { hold: "PT12H" } as Policy["revocation"] },
    okta: { listUsers: async () => PEOPLE },
    discovery: new IamCredentialDiscovery({
      sessions: new MemberAccountSessions({ sts: new STSClient(config), now: () => NOW }),
      connection: { endpoint: config.endpoint, region: config.region, maxAttempts: 1 },
    }),
    revocation: new IamCredentialRevocation(
      revocationClients(new MemberAccountSessions({ sts: new STSClient(config), now: () => NOW }), {
        endpoint: config.endpoint,
        region: config.region,
        maxAttempts: 1,
      }),
    ),
    guardrail: new CredentialsGuardrail({ client: organizations }),
    evidence: {
      append: async (draft) => {
        drafts.push(draft);
        return { key: `v1/records/${draft.recordId}.json`, record: draft } as never;
      },
    },
    now: () => new Date(NOW).toISOString(),
    runId,
  };
}

const activeKeys = (accountId: string, userName: string) =>
  iam.state
    .account(accountId)
    .user(userName)
    ?.accessKeys.filter((k) => k.status === "Active")
    .map((k) => k.id) ?? [];

beforeAll(async () => {
  iam = createIamEmulator({ managementAccountId: TOOL, now: () => NOW });
  const seed = iam.seed;
  for (const [accountId, externalId] of [
    [TOOL, undefined],
    [MEMBER, undefined],
    [OUTSIDE, "acq-2026"],
  ] as const) {
    seed.role({ accountId, name: DISCOVERY, trustPolicy: toolTrust(externalId) });
    seed.role({ accountId, name: REVOCATION, trustPolicy: toolTrust(externalId) });
  }
  const old = new Date("2023-03-01T00:00:00Z");
  // The leaver: tagged in the member account, named by rule in the outside one.
  seed.user({
    accountId: MEMBER,
    name: "jane",
    tags: { "okta:login": "jane.doe@example.com" },
    loginProfile: true,
  });
  seed.accessKey({ accountId: MEMBER, userName: "jane", createdAt: old });
  seed.accessKey({ accountId: MEMBER, userName: "jane", createdAt: new Date("2026-05-01T00:00:00Z") });
  seed.user({ accountId: OUTSIDE, name: "jdoe" });
  seed.accessKey({
    accountId: OUTSIDE,
    userName: "jdoe",
    createdAt: old,
    lastUsed: { date: new Date("2026-05-30T00:00:00Z"), service: "s3", region: "us-east-1" },
  });
  // An employee, the break-glass user, a name two people fit, a person nobody owns.
  seed.user({ accountId: MEMBER, name: "bob.ray" });
  seed.accessKey({ accountId: MEMBER, userName: "bob.ray" });
  seed.user({
    accountId: MEMBER,
    name: "break-glass",
    loginProfile: true,
    mfaDevices: [`arn:aws:iam::${MEMBER}:mfa/bg`],
  });
  seed.user({ accountId: OUTSIDE, name: "slee" });
  seed.accessKey({ accountId: OUTSIDE, userName: "slee" });
  seed.user({ accountId: OUTSIDE, name: "old.contractor", loginProfile: true });
  iamServer = await startAwsQueryServer(iam.services);

  const org = createOrganizationsEmulator({
    rootId: "r-ab12",
    managementAccount: { id: TOOL, name: "management", email: "aws@example.com" },
  });
  orgServer = await startAwsJsonServer([org.service]);
  organizations = new OrganizationsClient(localClientConfig(orgServer.endpoint));
});

afterAll(async () => {
  organizations.destroy();
  await orgServer.close();
  await iamServer.close();
});

describe("the estate sweep on the emulators", () => {
  it("a plan above maxKeyDeactivations applies nothing: a finding, the reason in evidence, every key still active", async () => {
    // Prepare
    const drafts: EvidenceDraft[] = [];

    // Act
    const run = await sweepEstateCredentials(
      deps(
        { iamUsers: { maxKeyDeactivations: 2, namingRules: ["loginLocalPart", "firstInitialLast"] } },
        drafts,
        "run-blocked",
      ),
      {
        organization,
        apply: true,
        trigger: { type: "schedule" },
      },
    );

    // Assess
    expect(run?.sweep.status).toBe("blocked");
    expect(run?.applied).toBe(false);
    expect(run?.outcomes.filter((o) => o.kind !== "guardrail-scp.attach")).toEqual([]);
    expect(run?.findings.map((f) => f.kind)).toContain("credential-sweep-blocked");
    expect(activeKeys(MEMBER, "jane")).toHaveLength(2);
    expect(activeKeys(OUTSIDE, "jdoe")).toHaveLength(1);
    const [record] = drafts;
    expect(record?.kind === "estate-run" && record.body.plan.blockedReason).toMatch(
      /deactivates 3 access keys/,
    );
  });

  it("ends the leaver's keys and password in every account, leaves everyone else's, and proves it by read-back", async () => {
    // Prepare
    const drafts: EvidenceDraft[] = [];

    // Act
    const run = await sweepEstateCredentials(deps({}, drafts, "run-1"), {
      organization,
      apply: true,
      trigger: { type: "schedule" },
    });

    // Assess: the leaver's credentials are gone, in the Organization account and the outside one
    expect(run?.applied).toBe(true);
    expect(activeKeys(MEMBER, "jane")).toEqual([]);
    expect(activeKeys(OUTSIDE, "jdoe")).toEqual([]);
    expect(iam.state.account(MEMBER).user("jane")?.loginProfile).toBeUndefined();
    expect(iam.state.account(MEMBER).user("jane")?.inlinePolicies.has("okta-aws-lifecycle-leaver-deny")).toBe(
      true,
    );
    // an employee's key, the break-glass user, the ambiguous and the unmapped users are untouched
    expect(activeKeys(MEMBER, "bob.ray")).toHaveLength(1);
    expect(iam.state.account(MEMBER).user("break-glass")?.loginProfile).toBeDefined();
    expect(activeKeys(OUTSIDE, "slee")).toHaveLength(1);
    expect(iam.state.account(OUTSIDE).user("old.contractor")?.loginProfile).toBeDefined();
    expect(run?.outcomes.filter((o) => o.status !== "SUCCEEDED")).toEqual([]);

    // the unreachable account is a finding; the others were swept
    expect(run?.problems.map((p) => p.accountId)).toEqual([UNREACHABLE]);
    const kinds = run?.findings.map((f) => `${f.kind} ${Object.values(f.subject).join(" ")}`) ?? [];
    expect(kinds).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^credential-account-problem ${UNREACHABLE}`)),
        expect.stringMatching(/^break-glass-user .*break-glass/),
        expect.stringMatching(/^iam-user-owner-ambiguous .*slee/),
        expect.stringMatching(/^iam-user-unmapped-human .*old.contractor/),
        expect.stringMatching(/^guardrail-scp-off/),
      ]),
    );
    // humans holding long-lived credentials: jane (x2), bob, slee, old.contractor; not break-glass
    expect(run?.sweep.humansHoldingLongLivedCredentials).toBe(5);

    // evidence: a valid estate-run record with the holders before and the read-back after
    const [draft] = drafts;
    const record = evidenceRecordSchema.parse({ ...draft, sequence: 0, previousHash: null });
    expect(record.recordId).toBe("run-1.credentials");
    if (record.kind !== "estate-run") throw new Error("expected an estate-run record");
    expect(record.body.verification?.passed).toBe(true);
    expect(record.body.verification?.details.map((d) => d.arn).sort()).toEqual([
      `arn:aws:iam::${MEMBER}:user/jane`,
      `arn:aws:iam::${OUTSIDE}:user/jdoe`,
    ]);
    const truth = record.body.truth.organization?.credentials as {
      holders: { userName: string }[];
      guardrail: { step: string; content: string };
    };
    // the guardrail is shown before anything attaches it
    expect(truth.guardrail.step).toBe("off");
    expect(JSON.parse(truth.guardrail.content).Statement[0].Action).toContain("iam:CreateAccessKey");
    expect(truth.holders.map((h) => h.userName).sort()).toEqual([
      "bob.ray",
      "break-glass",
      "jane",
      "jdoe",
      "old.contractor",
      "slee",
    ]);
  });

  it("attaches the guardrail SCP to the root when the policy turns it on, once", async () => {
    // Prepare
    const guardrail = new CredentialsGuardrail({ client: organizations });

    // Act
    const first = await sweepEstateCredentials(deps({ guardrail: true }, [], "run-g1"), {
      organization,
      apply: true,
      trigger: { type: "schedule" },
    });
    const second = await sweepEstateCredentials(deps({ guardrail: true }, [], "run-g2"), {
      organization,
      apply: true,
      trigger: { type: "schedule" },
    });

    // Assess
    expect(first?.guardrail.step).toBe("attach");
    expect(first?.outcomes.find((o) => o.kind === "guardrail-scp.attach")?.status).toBe("SUCCEEDED");
    const stored = await guardrail.read(GUARDRAIL_SCP_NAME);
    expect(stored?.attached).toBe(true);
    expect(
      JSON.parse(stored?.content ?? "{}").Statement[0].Condition.ArnNotLike["aws:PrincipalArn"],
    ).toContain("arn:aws:iam::*:role/terraform-*");
    expect(second?.guardrail.step).toBe("in-force");
    expect(second?.outcomes.some((o) => o.kind === "guardrail-scp.attach")).toBe(false);
  });

  it("never detaches the guardrail, and without an Organizations writer only shows it, each with a finding", async () => {
    // Prepare: the previous test left the guardrail attached; a deployed run has no guardrail writer
    const { guardrail: _writer, ...deployed } = deps({ guardrail: true }, [], "run-d");

    // Act
    const off = await sweepEstateCredentials(deps({ guardrail: false }, [], "run-off"), {
      organization,
      apply: true,
      trigger: { type: "schedule" },
    });
    const unavailable = await sweepEstateCredentials(deployed, {
      organization,
      apply: true,
      trigger: { type: "schedule" },
    });

    // Assess
    expect(off?.findings.map((f) => f.kind)).toContain("guardrail-scp-attached-while-off");
    expect(
      (await new CredentialsGuardrail({ client: organizations }).read(GUARDRAIL_SCP_NAME))?.attached,
    ).toBe(true);
    expect(unavailable?.guardrail.step).toBe("unavailable");
    expect(unavailable?.findings.find((f) => f.kind === "guardrail-scp-not-attached")?.fix).toMatch(
      /create-policy, then attach-policy/,
    );
    expect(unavailable?.outcomes.some((o) => o.kind === "guardrail-scp.attach")).toBe(false);
  });
});
