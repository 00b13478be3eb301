import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envOktaCredentials, localOktaCredentials } from "../../../cli/okta-credentials.ts";

const SCOPES = ["okta.eventHooks.read", "okta.eventHooks.manage"];

describe("the CLI's Okta credentials", () => {
  it("an SSWS token from the token variable", async () => {
    expect(
      await envOktaCredentials({ OKTA_API_TOKEN: "00abc" }, SCOPES, "OKTA_API_TOKEN", "a Super Admin"),
    ).toEqual({
      token: "00abc",
    });
  });

  it("a service app: client id and the private key from a file, asking for the command's scopes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oal-okta-key-"));
    try {
      const file = join(dir, "key.json");
      await writeFile(file, '{"kty":"RSA","d":"x"}\n');
      const credentials = await envOktaCredentials(
        { OKTA_CLIENT_ID: "0oa123", OKTA_PRIVATE_KEY_FILE: file },
        SCOPES,
        "OKTA_API_TOKEN",
        "a Super Admin",
      );
      expect(credentials.serviceApp).toEqual({
        clientId: "0oa123",
        privateKey: '{"kty":"RSA","d":"x"}\n',
        scopes: SCOPES,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      {},
      /set OKTA_API_TOKEN to an Okta API token \(a Super Admin\), or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE/,
    ],
    [{ OKTA_API_TOKEN: "t", OKTA_CLIENT_ID: "0oa1" }, /not both/],
    [{ OKTA_CLIENT_ID: "0oa1" }, /also set OKTA_PRIVATE_KEY_FILE/],
  ])("refuses %j naming what to set", async (env, message) => {
    await expect(envOktaCredentials(env, SCOPES, "OKTA_API_TOKEN", "a Super Admin")).rejects.toThrow(message);
  });

  it("the local stack's service app when it runs on OAuth, its token otherwise", () => {
    const local = { orgUrl: "http://127.0.0.1:8787", apiToken: "00local" };
    expect(localOktaCredentials(local, SCOPES)).toEqual({ token: "00local" });
    const jwk = { kty: "RSA", d: "x" };
    expect(
      localOktaCredentials(
        { ...local, auth: "oauth", serviceApp: { clientId: "0oa1", privateKeyJwk: jwk } },
        SCOPES,
      ),
    ).toEqual({ serviceApp: { clientId: "0oa1", privateKey: jwk, scopes: SCOPES } });
  });
});
