import type { JWK } from "jose";
import type { OktaHttpOptions } from "../../adapters/okta/http-client.ts";
import { ALL_OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import type { OktaEmulator } from "../emulators/okta/index.ts";
import { generateServiceAppKey } from "../emulators/okta/oauth/app-key.ts";

/** How the local stack's functions and the CLI authenticate to the Okta emulator. */
export type LocalOktaAuthMode = "ssws" | "oauth";

/** The Okta credentials of the local stack, per purpose (scopes). */
export interface LocalOktaAuth {
  mode: LocalOktaAuthMode;
  /** Adapter credentials for `scopes` (a service app asks for those only; SSWS ignores them). */
  credentials(scopes: readonly string[]): Pick<OktaHttpOptions, "token" | "serviceApp">;
  /** What `.local/endpoints.json` says about it (the private key only in `oauth` mode). */
  endpoint: {
    auth: LocalOktaAuthMode;
    serviceApp?: { clientId: string; privateKeyJwk: JWK; scopes: string[] };
  };
}

/**
 * `ssws`: the emulator's API token, as before. `oauth`: registers an API Services app with a key pair
 * made now (never stored in the repository), granted every scope the tool uses and the Org
 * Administrator role (it registers the event hook too), DPoP required as Okta's default for new
 * service apps; each part of the stack then asks for only its own scopes (adapters/okta/scopes.ts).
 */
export async function localOktaAuth(okta: OktaEmulator, mode: LocalOktaAuthMode): Promise<LocalOktaAuth> {
  if (mode === "ssws")
    return { mode, credentials: () => ({ token: okta.apiToken }), endpoint: { auth: "ssws" } };
  const key = await generateServiceAppKey();
  const app = okta.serviceApps.register({
    name: "okta-aws-lifecycle (local)",
    publicKeys: [key.publicJwk],
    grantedScopes: [...ALL_OKTA_SCOPES],
    roles: [{ type: "ORG_ADMIN" }],
  });
  return {
    mode,
    credentials: (scopes) => ({
      serviceApp: { clientId: app.clientId, privateKey: key.privateJwk, scopes },
    }),
    endpoint: {
      auth: "oauth",
      serviceApp: { clientId: app.clientId, privateKeyJwk: key.privateJwk, scopes: [...ALL_OKTA_SCOPES] },
    },
  };
}
