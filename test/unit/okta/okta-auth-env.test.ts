import { describe, expect, it } from "vitest";
import { ALL_OKTA_SCOPES, OKTA_SCOPES } from "../../../adapters/okta/scopes.ts";
import { oktaAdapterSource, oktaAuthEnvSchema } from "../../../functions/shared/okta-auth.ts";
import { ConfigError, readConfig } from "../../../functions/shared/read-config.ts";

describe("a function's Okta credentials (OKTA_* environment)", () => {
  it("an SSWS token's secret, or a service app's client id and private key secret", () => {
    expect(readConfig(oktaAuthEnvSchema, { OKTA_API_TOKEN_SECRET_ID: "arn:token" })).toEqual({
      kind: "ssws",
      tokenSecretId: "arn:token",
    });
    expect(
      readConfig(oktaAuthEnvSchema, { OKTA_CLIENT_ID: "0oa1abc", OKTA_PRIVATE_KEY_SECRET_ID: "arn:key" }),
    ).toEqual({ kind: "oauth", clientId: "0oa1abc", privateKeySecretId: "arn:key" });
  });

  it.each([
    [
      {},
      /OKTA_API_TOKEN_SECRET_ID: set OKTA_API_TOKEN_SECRET_ID .* or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_SECRET_ID/,
    ],
    [{ OKTA_API_TOKEN_SECRET_ID: "a", OKTA_CLIENT_ID: "0oa1", OKTA_PRIVATE_KEY_SECRET_ID: "k" }, /not both/],
    [
      { OKTA_CLIENT_ID: "0oa1" },
      /OKTA_PRIVATE_KEY_SECRET_ID: the Secrets Manager id of the service app's private key/,
    ],
    [{ OKTA_PRIVATE_KEY_SECRET_ID: "k" }, /OKTA_CLIENT_ID: the service app's client id/],
  ])("refuses %j naming what to set", (env, message) => {
    expect(() => readConfig(oktaAuthEnvSchema, env)).toThrow(ConfigError);
    expect(() => readConfig(oktaAuthEnvSchema, env)).toThrow(message);
  });

  it("an empty private key secret is a clear error, and a rotated secret builds a new adapter", async () => {
    let secret = "";
    const source = oktaAdapterSource({
      auth: { kind: "oauth", clientId: "0oa1", privateKeySecretId: "arn:key" },
      orgUrl: "https://acme.okta.com",
      scopes: OKTA_SCOPES.systemLog,
      readSecret: async () => secret,
    });
    await expect(source()).rejects.toThrow(/private key secret arn:key is empty/);
    secret = '{"kty":"RSA"}';
    const first = await source();
    expect(await source()).toBe(first);
    secret = '{"kty":"EC"}';
    expect(await source()).not.toBe(first);
  });

  it("the scopes to grant the service app are the union of what each part asks for", () => {
    expect(ALL_OKTA_SCOPES).toEqual([
      "okta.eventHooks.manage",
      "okta.eventHooks.read",
      "okta.groups.read",
      "okta.logs.read",
      "okta.users.manage",
      "okta.users.read",
    ]);
  });
});
