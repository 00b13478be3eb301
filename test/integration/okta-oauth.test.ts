import { randomUUID } from "node:crypto";
import { exportPKCS8, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { OktaCredentialsError } from "../../adapters/okta/authorizer.ts";
import { OktaKeyError, OktaTokenRequestError } from "../../adapters/okta/service-app-auth.ts";
import { OktaAdapter, OktaAuthenticationError, OktaRequestRejectedError } from "../../adapters/okta.ts";
import type { OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { generateServiceAppKey } from "../../local/emulators/okta/oauth/app-key.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

const ALL_SCOPES = ["okta.users.read", "okta.users.manage", "okta.groups.read", "okta.logs.read"];

async function startOkta(options: OktaEmulatorOptions = {}) {
  const okta = await startOktaEmulatorServer({
    estate: {
      users: [
        {
          id: "00ujane",
          profile: { login: "jane@example.com", email: "jane@example.com", firstName: "J", lastName: "D" },
        },
      ],
      groups: [{ id: "00gaws", name: "aws-admins", members: ["00ujane"] }],
    },
    ...options,
  });
  running.push(okta);
  return okta;
}

/** Real fetch, recording each call's method, URL and headers (the calls reach the emulator). */
function recordingFetch() {
  const calls: { method: string; url: string; headers: Record<string, string>; status: number }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    calls.push({
      method: init?.method ?? "GET",
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
      status: response.status,
    });
    return response;
  };
  return { fetch, calls };
}

async function withApp(
  options: OktaEmulatorOptions = {},
  app: { grantedScopes?: string[]; dpop?: boolean } = {},
) {
  const okta = await startOkta(options);
  const key = await generateServiceAppKey();
  const registered = okta.emulator.serviceApps.register({
    publicKeys: [key.publicJwk],
    grantedScopes: app.grantedScopes ?? ALL_SCOPES,
    roles: [{ type: "SUPER_ADMIN" }],
    ...(app.dpop === undefined ? {} : { dpop: app.dpop }),
  });
  const adapter = (scopes: string[], extra: { fetch?: typeof globalThis.fetch; now?: () => number } = {}) =>
    new OktaAdapter({
      orgUrl: okta.orgUrl,
      serviceApp: { clientId: registered.clientId, privateKey: key.privateJwk, scopes },
      maxRetries: 0,
      ...extra,
    });
  return { okta, key, clientId: registered.clientId, adapter };
}

const bodyOf = async (response: Response) => (await response.json()) as Record<string, string>;
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString());
const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString());

describe("Okta API Services app (private_key_jwt, DPoP)", () => {
  it("gets a DPoP-bound token after the use_dpop_nonce retry and signs a fresh proof per request", async () => {
    const { okta, adapter } = await withApp();
    const { fetch, calls } = recordingFetch();
    const client = adapter(["okta.users.read"], { fetch });

    expect((await client.getUser("00ujane"))?.login).toBe("jane@example.com");
    expect((await client.listUserGroups("00ujane")).map((g) => g.name)).toEqual(["aws-admins"]);

    const tokenCalls = calls.filter((c) => c.url.endsWith("/oauth2/v1/token"));
    expect(tokenCalls.map((c) => c.status)).toEqual([400, 200]);
    expect(payloadOf(tokenCalls[0]?.headers.DPoP ?? "").nonce).toBeUndefined();
    expect(typeof payloadOf(tokenCalls[1]?.headers.DPoP ?? "").nonce).toBe("string");
    const apiCalls = calls.filter((c) => c.url.includes("/api/v1/"));
    expect(apiCalls).toHaveLength(2);
    const proofs = apiCalls.map((c) => c.headers.DPoP ?? "");
    for (const [i, call] of apiCalls.entries()) {
      expect(call.headers.Authorization).toMatch(/^DPoP \S+$/);
      const proof = payloadOf(proofs[i] ?? "");
      expect(headerOf(proofs[i] ?? "").typ).toBe("dpop+jwt");
      expect(proof.htm).toBe("GET");
      expect(proof.htu).toBe(call.url.split("?")[0]);
      expect(typeof proof.ath).toBe("string");
      expect(typeof proof.iat).toBe("number");
    }
    expect(payloadOf(proofs[0] ?? "").jti).not.toBe(payloadOf(proofs[1] ?? "").jti);
    expect(okta.emulator.serviceApps.tokensIssued).toBe(1);
  });

  it("sends htu without the query string (System Log polling with since and limit)", async () => {
    const { adapter } = await withApp();
    const { fetch, calls } = recordingFetch();
    await adapter(["okta.logs.read"], { fetch }).systemLogPage({ since: new Date(Date.now() - 60_000) });
    const call = calls.find((c) => c.url.includes("/api/v1/logs"));
    expect(call?.url).toContain("?");
    expect(call?.status).toBe(200);
    expect(payloadOf(call?.headers.DPoP ?? "").htu).toBe(call?.url.split("?")[0]);
  });

  it("refuses a call whose scope the token lacks: 403 with Okta's insufficient_scope challenge", async () => {
    const { okta, adapter, key, clientId } = await withApp();
    const error = await adapter(["okta.users.read"])
      .systemLogPage({ since: new Date() })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OktaRequestRejectedError);
    expect(error.status).toBe(403);
    expect(error.errorCode).toBe("E0000006");
    expect(error.message).toContain("okta.logs.read");
    const users = await adapter(["okta.groups.read"])
      .getUser("00ujane")
      .catch((e) => e);
    expect(users).toBeInstanceOf(OktaRequestRejectedError);
    expect(users.message).toContain("okta.users.read");

    // The raw answer, as Okta's support article shows it.
    const token = await rawToken(okta, clientId, key.privateJwk, "okta.users.read");
    const response = await fetch(`${okta.orgUrl}/api/v1/groups`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer authorization_uri="${okta.orgUrl}/oauth2/v1/authorize", realm="${okta.orgUrl}", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups"`,
    );
  });

  it("a .manage scope allows the .read operations of the same resource", async () => {
    // Mid-window on one clock: at a window's start the clear, low priority, yields to the read's pace
    const now = Date.UTC(2026, 11, 7, 21, 0, 30);
    const { adapter } = await withApp({ clock: () => now });
    const client = adapter(["okta.users.manage"], { now: () => now });
    expect((await client.getUser("00ujane"))?.login).toBe("jane@example.com");
    await expect(client.clearUserSessions("00ujane")).resolves.toBeUndefined();
  });

  it("a scope not granted to the app is refused at the token endpoint with a hint", async () => {
    const { adapter } = await withApp({}, { grantedScopes: ["okta.users.read"] });
    const error = await adapter(["okta.users.read", "okta.logs.read"])
      .getUser("00ujane")
      .catch((e) => e);
    expect(error).toBeInstanceOf(OktaTokenRequestError);
    expect(error.oauthError).toBe("invalid_scope");
    expect(error.message).toContain("okta.logs.read");
    expect(error.message).toContain("Okta API Scopes");
  });

  it("a key the app does not know is invalid_client (401)", async () => {
    const { okta, clientId } = await withApp();
    const stranger = await generateServiceAppKey();
    const client = new OktaAdapter({
      orgUrl: okta.orgUrl,
      serviceApp: { clientId, privateKey: stranger.privateJwk, scopes: ["okta.users.read"] },
    });
    const error = await client.getUser("00ujane").catch((e) => e);
    expect(error).toBeInstanceOf(OktaTokenRequestError);
    expect(error.status).toBe(401);
    expect(error.oauthError).toBe("invalid_client");
  });

  it("caches the token for its life minus a margin, then gets a new one", async () => {
    let now = Date.now();
    const { okta, adapter } = await withApp({ clock: () => now });
    const client = adapter(["okta.users.read"], { now: () => now });
    await client.getUser("00ujane");
    now += 54 * 60_000;
    await client.getUser("00ujane");
    expect(okta.emulator.serviceApps.tokensIssued).toBe(1);
    now += 2 * 60_000; // 56 minutes: inside the 5-minute margin before the hour
    await client.getUser("00ujane");
    expect(okta.emulator.serviceApps.tokensIssued).toBe(2);
  });

  it("gets a new token after a 401 and carries on", async () => {
    const { okta, adapter } = await withApp();
    const client = adapter(["okta.users.read"]);
    await client.getUser("00ujane");
    okta.emulator.serviceApps.revokeAllTokens();
    expect((await client.getUser("00ujane"))?.login).toBe("jane@example.com");
    expect(okta.emulator.serviceApps.tokensIssued).toBe(2);
  });

  it("answers a resource server's use_dpop_nonce challenge (emulator switch resourceNonce: required)", async () => {
    const { okta, adapter } = await withApp({ oauth: { resourceNonce: "required" } });
    const { fetch, calls } = recordingFetch();
    const client = adapter(["okta.users.read"], { fetch });
    expect((await client.getUser("00ujane"))?.login).toBe("jane@example.com");
    expect((await client.getUser("00ujane"))?.login).toBe("jane@example.com");
    const api = calls.filter((c) => c.url.includes("/api/v1/"));
    // First call: challenged once, then accepted; the second reuses the nonce it was given.
    expect(api.map((c) => c.status)).toEqual([401, 200, 200]);
    expect(okta.emulator.serviceApps.tokensIssued).toBe(1);
  });

  it("uses a Bearer token when the app does not require DPoP (emulator app switch dpop: false)", async () => {
    const { adapter } = await withApp({}, { dpop: false });
    const { fetch, calls } = recordingFetch();
    await adapter(["okta.users.read"], { fetch }).getUser("00ujane");
    const api = calls.find((c) => c.url.includes("/api/v1/"));
    expect(api?.headers.Authorization).toMatch(/^Bearer /);
    expect(api?.headers.DPoP).toBeUndefined();
  });

  it("takes the private key as a PKCS#8 PEM too", async () => {
    const okta = await startOkta();
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const { exportJWK } = await import("jose");
    const app = okta.emulator.serviceApps.register({
      publicKeys: [await exportJWK(publicKey)],
      grantedScopes: ["okta.users.read"],
      roles: [{ type: "READ_ONLY_ADMIN" }],
    });
    const client = new OktaAdapter({
      orgUrl: okta.orgUrl,
      serviceApp: {
        clientId: app.clientId,
        privateKey: await exportPKCS8(privateKey),
        scopes: ["okta.users.read"],
      },
    });
    expect((await client.getUser("00ujane"))?.login).toBe("jane@example.com");
  });

  it("the service app's admin roles still apply (a Report Administrator app may not read users)", async () => {
    const okta = await startOkta();
    const key = await generateServiceAppKey();
    const app = okta.emulator.serviceApps.register({
      publicKeys: [key.publicJwk],
      grantedScopes: ["okta.users.read"],
      roles: [{ type: "REPORT_ADMIN" }],
    });
    const client = new OktaAdapter({
      orgUrl: okta.orgUrl,
      serviceApp: { clientId: app.clientId, privateKey: key.privateJwk, scopes: ["okta.users.read"] },
    });
    const error = await client.getUser("00ujane").catch((e) => e);
    expect(error).toBeInstanceOf(OktaRequestRejectedError);
    expect(error.status).toBe(403);
  });

  it("SSWS keeps working; both or neither credentials are refused with what to set", async () => {
    const okta = await startOkta();
    const ssws = new OktaAdapter({ orgUrl: okta.orgUrl, token: okta.emulator.apiToken });
    expect((await ssws.getUser("00ujane"))?.login).toBe("jane@example.com");
    const key = await generateServiceAppKey();
    expect(
      () =>
        new OktaAdapter({
          orgUrl: okta.orgUrl,
          token: "x",
          serviceApp: { clientId: "0oa1", privateKey: key.privateJwk, scopes: [] },
        }),
    ).toThrow(OktaCredentialsError);
    expect(() => new OktaAdapter({ orgUrl: okta.orgUrl })).toThrow(/SSWS API token, or a service app/);
  });

  it("a public JWK in place of the private key is refused with the fix", async () => {
    const { okta, clientId, key } = await withApp();
    const client = new OktaAdapter({
      orgUrl: okta.orgUrl,
      serviceApp: { clientId, privateKey: JSON.stringify(key.publicJwk), scopes: ["okta.users.read"] },
    });
    await expect(client.getUser("00ujane")).rejects.toThrow(OktaKeyError);
    await expect(client.getUser("00ujane")).rejects.toThrow(/private JWK, not the public one/);
  });
});

/** A token obtained by hand, as a curl user would (DPoP off for this app: a Bearer token). */
async function rawToken(okta: RunningOktaEmulator, _clientId: string, _key: JWK, scope: string) {
  const key = await generateServiceAppKey();
  const app = okta.emulator.serviceApps.register({
    publicKeys: [key.publicJwk],
    grantedScopes: [scope],
    roles: [{ type: "SUPER_ADMIN" }],
    dpop: false,
  });
  const response = await fetch(`${okta.orgUrl}/oauth2/v1/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await assertion(okta, app.clientId, key.privateJwk),
    }).toString(),
  });
  const body = (await bodyOf(response)) as { access_token: string; token_type: string };
  expect(body.token_type).toBe("Bearer");
  return body.access_token;
}

async function assertion(okta: RunningOktaEmulator, clientId: string, privateJwk: JWK, jti = randomUUID()) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`${okta.orgUrl}/oauth2/v1/token`)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(jti)
    .sign(await importJWK(privateJwk, "RS256"));
}

describe("the emulator's token endpoint and resource checks", () => {
  const form = async (
    okta: RunningOktaEmulator,
    body: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${okta.orgUrl}/oauth2/v1/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body).toString(),
    });
  const grant = (assertionJwt: string, scope = "okta.users.read") => ({
    grant_type: "client_credentials",
    scope,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertionJwt,
  });

  it("a DPoP app's token request without a proof is invalid_dpop_proof", async () => {
    const { okta, clientId, key } = await withApp();
    const response = await form(okta, grant(await assertion(okta, clientId, key.privateJwk)));
    expect(response.status).toBe(400);
    expect(await bodyOf(response)).toEqual({
      error: "invalid_dpop_proof",
      error_description: "The DPoP proof JWT header is missing.",
    });
  });

  it("answers the first proof 400 use_dpop_nonce with a DPoP-Nonce header", async () => {
    const { okta, clientId, key } = await withApp();
    const dpop = await generateKeyPair("ES256");
    const { exportJWK } = await import("jose");
    const jwk = await exportJWK(dpop.publicKey);
    const proof = (nonce?: string) =>
      new SignJWT({ htm: "POST", htu: `${okta.orgUrl}/oauth2/v1/token`, ...(nonce ? { nonce } : {}) })
        .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk })
        .setIssuedAt()
        .setJti(randomUUID())
        .sign(dpop.privateKey);
    const first = await form(okta, grant(await assertion(okta, clientId, key.privateJwk)), {
      DPoP: await proof(),
    });
    expect(first.status).toBe(400);
    expect((await bodyOf(first)).error).toBe("use_dpop_nonce");
    const nonce = first.headers.get("dpop-nonce") ?? "";
    expect(nonce).not.toBe("");
    const reused = randomUUID();
    const second = await form(okta, grant(await assertion(okta, clientId, key.privateJwk, reused)), {
      DPoP: await proof(nonce),
    });
    expect(second.status).toBe(200);
    expect((await bodyOf(second)).token_type).toBe("DPoP");
    // The same assertion jti again: refused.
    const replay = await form(okta, grant(await assertion(okta, clientId, key.privateJwk, reused)), {
      DPoP: await proof(nonce),
    });
    expect(replay.status).toBe(401);
    expect((await bodyOf(replay)).error_description).toContain("jti was already used");
  });

  it("rejects an assertion with the wrong audience or an exp beyond one hour", async () => {
    const { okta, clientId, key } = await withApp({}, { dpop: false });
    const sign = async (aud: string, expIn: number) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "RS256" })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(aud)
        .setExpirationTime(now + expIn)
        .setJti(randomUUID())
        .sign(await importJWK(key.privateJwk, "RS256"));
    };
    const wrongAud = await form(okta, grant(await sign(`${okta.orgUrl}/oauth2/default/v1/token`, 300)));
    expect(wrongAud.status).toBe(401);
    const tooLong = await form(okta, grant(await sign(`${okta.orgUrl}/oauth2/v1/token`, 7200)));
    expect(tooLong.status).toBe(401);
    expect((await bodyOf(tooLong)).error_description).toContain("one hour");
  });

  it("a DPoP-bound token is refused as Bearer, and with a proof from another key", async () => {
    const { okta, adapter } = await withApp();
    const { fetch, calls } = recordingFetch();
    await adapter(["okta.users.read"], { fetch }).getUser("00ujane");
    const token = (calls.find((c) => c.url.includes("/api/v1/"))?.headers.Authorization ?? "").slice(
      "DPoP ".length,
    );
    const asBearer = await globalThis.fetch(`${okta.orgUrl}/api/v1/users/00ujane`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const other = await generateKeyPair("ES256");
    const { exportJWK } = await import("jose");
    const { createHash } = await import("node:crypto");
    const proof = await new SignJWT({
      htm: "GET",
      htu: `${okta.orgUrl}/api/v1/users/00ujane`,
      ath: createHash("sha256").update(token).digest("base64url"),
    })
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: await exportJWK(other.publicKey) })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(other.privateKey);
    const stolen = await globalThis.fetch(`${okta.orgUrl}/api/v1/users/00ujane`, {
      headers: { Authorization: `DPoP ${token}`, DPoP: proof },
    });
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get("www-authenticate")).toContain('error="invalid_dpop_proof"');
  });

  it("a replayed resource proof is refused", async () => {
    const { adapter } = await withApp();
    const { fetch, calls } = recordingFetch();
    await adapter(["okta.users.read"], { fetch }).getUser("00ujane");
    const call = calls.find((c) => c.url.includes("/api/v1/"));
    const replay = await globalThis.fetch(call?.url ?? "", { headers: call?.headers ?? {} });
    expect(replay.status).toBe(401);
    expect(replay.headers.get("www-authenticate")).toContain("jti was already used");
  });

  it("an unknown token is 401 E0000011 with an invalid_token challenge", async () => {
    const okta = await startOkta();
    const response = await globalThis.fetch(`${okta.orgUrl}/api/v1/users`, {
      headers: { Authorization: "Bearer not-a-token" },
    });
    expect(response.status).toBe(401);
    expect((await bodyOf(response)).errorCode).toBe("E0000011");
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

describe("errors", () => {
  it("OktaTokenRequestError is an OktaAuthenticationError (callers that catch 401s catch it)", () => {
    expect(new OktaTokenRequestError("x", { method: "POST", url: "u" })).toBeInstanceOf(
      OktaAuthenticationError,
    );
  });
});
