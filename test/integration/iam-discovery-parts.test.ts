import { STSClient } from "@aws-sdk/client-sts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountProblem } from "../../adapters/iam/account-problem.ts";
import { AssumeMemberRoleError, MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import { decodeTrustPolicy, trustsSamlProvider } from "../../adapters/iam/saml-trust.ts";
import { memberSessionName } from "../../adapters/iam/session-name.ts";
import { UnexpectedIamResponseError } from "../../adapters/iam/unexpected-response-error.ts";
import type { CredentialAccount } from "../../core/ports.ts";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";

/**
 * The parts of the discovery adapter (adapters/iam): session names, which trust policies count as
 * Okta-trusting, how errors become account problems, and how long an assumed session is reused
 * (against the IAM/STS emulator, on one clock).
 */

const PROVIDER = "arn:aws:iam::222222222222:saml-provider/Okta";
const providers = new Set([PROVIDER]);
const statement = (overrides: Record<string, unknown>) => ({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithSAML", ...overrides },
  ],
});

describe("memberSessionName", () => {
  it("is always 2 to 64 of STS's RoleSessionName characters, and keeps a short clean run id as it is", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (runId) => {
        expect(memberSessionName(runId)).toMatch(/^[\w+=,.@-]{2,64}$/);
      }),
    );
    expect(memberSessionName("run-42")).toBe("oal-run-42");
    expect(memberSessionName("a".repeat(100))).toHaveLength(64);
  });
});

describe("trustsSamlProvider", () => {
  it("counts an Allow of AssumeRoleWithSAML (any case, wildcards, in a list) to one of the account's providers", () => {
    expect(trustsSamlProvider(statement({}), providers)).toBe(true);
    expect(
      trustsSamlProvider(statement({ Action: ["sts:TagSession", "sts:assumerolewithsaml"] }), providers),
    ).toBe(true);
    expect(trustsSamlProvider(statement({ Action: "sts:*" }), providers)).toBe(true);
    expect(trustsSamlProvider(statement({ Action: "*" }), providers)).toBe(true);
    expect(trustsSamlProvider(statement({ Principal: { Federated: ["x", PROVIDER] } }), providers)).toBe(
      true,
    );
    // A single statement object rather than a list is valid policy grammar.
    expect(trustsSamlProvider({ Statement: statement({}).Statement[0] }, providers)).toBe(true);
  });

  it("does not count a Deny, another action, another provider, an AWS principal, or an account without providers", () => {
    expect(trustsSamlProvider(statement({ Effect: "Deny" }), providers)).toBe(false);
    expect(trustsSamlProvider(statement({ Action: "sts:AssumeRole" }), providers)).toBe(false);
    expect(trustsSamlProvider(statement({ Action: "sts:AssumeRoleWithWebIdentity" }), providers)).toBe(false);
    expect(
      trustsSamlProvider(
        statement({ Principal: { Federated: "arn:aws:iam::3:saml-provider/Okta" } }),
        providers,
      ),
    ).toBe(false);
    expect(trustsSamlProvider(statement({ Principal: { AWS: PROVIDER } }), providers)).toBe(false);
    expect(trustsSamlProvider(statement({ Principal: "*" }), providers)).toBe(false);
    expect(trustsSamlProvider(statement({}), new Set())).toBe(false);
    expect(trustsSamlProvider(null, providers)).toBe(false);
    expect(trustsSamlProvider({ Statement: [null, 3] }, providers)).toBe(false);
  });

  it("decodes IAM's URL-encoded document, and names the role when it cannot", () => {
    const encoded = encodeURIComponent(JSON.stringify(statement({})));
    expect(trustsSamlProvider(decodeTrustPolicy(encoded, "okta-admin"), providers)).toBe(true);
    expect(() => decodeTrustPolicy("%7Bnot-json", "okta-admin")).toThrow(
      new UnexpectedIamResponseError(
        "ListRoles",
        "Roles[okta-admin].AssumeRolePolicyDocument",
        "not URL-encoded JSON",
      ),
    );
  });
});

describe("accountProblem", () => {
  const account: CredentialAccount = {
    accountId: "222222222222",
    name: "payments",
    inOrganization: true,
    roles: { discovery: "okta-aws-lifecycle-discovery", revocation: "okta-aws-lifecycle-revocation" },
  };
  const sdkError = (name: string, status?: number, code?: string) =>
    Object.assign(new Error(`${name} happened`), {
      name,
      ...(code ? { code } : {}),
      $metadata: status === undefined ? {} : { httpStatusCode: status },
    });
  const assumeError = (cause: unknown) =>
    new AssumeMemberRoleError("arn:aws:iam::222222222222:role/okta-aws-lifecycle-discovery", { cause });
  const codeOf = (error: unknown) => accountProblem(account, account.roles.discovery, error).code;

  it("names each cause with its fix", () => {
    expect(codeOf(assumeError(sdkError("AccessDenied", 403)))).toBe("role-not-assumable");
    expect(codeOf(assumeError(sdkError("RegionDisabledException", 403)))).toBe("account-unreachable");
    expect(codeOf(assumeError(sdkError("Error", undefined, "ECONNREFUSED")))).toBe("account-unreachable");
    expect(codeOf(assumeError(sdkError("InternalFailure", 500)))).toBe("account-unreachable");
    expect(codeOf(assumeError(sdkError("ValidationError", 400)))).toBe("role-not-assumable");
    expect(codeOf(sdkError("AccessDenied", 403))).toBe("discovery-role-denied");
    expect(codeOf(sdkError("TimeoutError", undefined))).toBe("account-unreachable");
    expect(codeOf(sdkError("ServiceFailureException", 503))).toBe("account-unreachable");
    expect(codeOf(new UnexpectedIamResponseError("ListUsers", "Users[0].UserName", "required"))).toBe(
      "discovery-failed",
    );
    expect(codeOf(new TypeError("x is undefined"))).toBe("discovery-failed");
    const denied = accountProblem(account, account.roles.discovery, sdkError("AccessDenied", 403));
    expect(denied.message).toContain("payments (222222222222)");
    expect(denied.fix).toContain("infra/templates/member-roles.json");
  });
});

describe("MemberAccountSessions", () => {
  let emulator: IamEmulator;
  let server: RunningServer;
  let clock = Date.parse("2026-06-01T12:00:00Z");

  beforeAll(async () => {
    emulator = createIamEmulator({ managementAccountId: "111111111111", now: () => clock });
    emulator.seed.role({
      accountId: "222222222222",
      name: "okta-aws-lifecycle-discovery",
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
        ],
      },
    });
    server = await startAwsQueryServer(emulator.services);
  });
  afterAll(() => server.close());

  it("reuses a session until five minutes before it expires, then assumes the role again", async () => {
    const sessions = new MemberAccountSessions({
      sts: new STSClient(localClientConfig(server.endpoint)),
      now: () => clock,
    });
    const request = { accountId: "222222222222", roleName: "okta-aws-lifecycle-discovery", runId: "run-1" };
    emulator.resetCallCounts();

    const [first, concurrent] = await Promise.all([
      sessions.credentials(request),
      sessions.credentials(request),
    ]);
    clock += 54 * 60_000;
    const reused = await sessions.credentials(request);
    clock += 2 * 60_000;
    const renewed = await sessions.credentials(request);
    const otherRun = await sessions.credentials({ ...request, runId: "run-2" });

    expect(concurrent.accessKeyId).toBe(first.accessKeyId);
    expect(reused.accessKeyId).toBe(first.accessKeyId);
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(otherRun.accessKeyId).not.toBe(renewed.accessKeyId);
    expect(emulator.callCounts()["sts:AssumeRole"]).toBe(3);
  });

  it("does not keep a refusal: the next ask tries again", async () => {
    const sessions = new MemberAccountSessions({ sts: new STSClient(localClientConfig(server.endpoint)) });
    const request = { accountId: "333333333333", roleName: "okta-aws-lifecycle-discovery", runId: "run-1" };
    emulator.resetCallCounts();

    await expect(sessions.credentials(request)).rejects.toThrow(AssumeMemberRoleError);
    await expect(sessions.credentials(request)).rejects.toThrow(
      /cannot assume arn:aws:iam::333333333333:role/,
    );

    expect(emulator.callCounts()["sts:AssumeRole"]).toBe(2);
  });
});
