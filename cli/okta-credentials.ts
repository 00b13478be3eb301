import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { OktaHttpOptions } from "../adapters/okta/http-client.ts";

/** Okta credentials for an adapter: an SSWS token, or a service app asking for `scopes`. */
export type OktaCredentials = Pick<OktaHttpOptions, "token" | "serviceApp">;

/** Thrown when the environment names no usable Okta credentials; the message says what to set. */
export class OktaCredentialsMissingError extends Error {
  override name = "OktaCredentialsMissingError";
}

/** The `okta` part of `.local/endpoints.json` (`npm start`; the service app only with --okta-auth oauth). */
export const LocalOktaEndpoint = z.object({
  orgUrl: z.url(),
  apiToken: z.string().min(1),
  auth: z.enum(["ssws", "oauth"]).optional(),
  serviceApp: z
    .object({ clientId: z.string().min(1), privateKeyJwk: z.record(z.string(), z.unknown()) })
    .optional(),
});

/** The local stack's credentials: its service app when it runs on OAuth, else its API token. */
export function localOktaCredentials(
  okta: z.output<typeof LocalOktaEndpoint>,
  scopes: readonly string[],
): OktaCredentials {
  if (okta.auth === "oauth" && okta.serviceApp)
    return {
      serviceApp: { clientId: okta.serviceApp.clientId, privateKey: okta.serviceApp.privateKeyJwk, scopes },
    };
  return { token: okta.apiToken };
}

const CliOktaEnv = z.object({
  OKTA_CLIENT_ID: z.string().min(1).optional(),
  OKTA_PRIVATE_KEY: z.string().min(1).optional(),
  OKTA_PRIVATE_KEY_FILE: z.string().min(1).optional(),
});

/**
 * A real org's credentials from the environment: the SSWS token in `tokenEnv` (OKTA_API_TOKEN), or a
 * service app: OKTA_CLIENT_ID with its private key (JWK or PKCS#8 PEM) in OKTA_PRIVATE_KEY or the file
 * OKTA_PRIVATE_KEY_FILE. `needs` says which admin role the command needs (in the error message).
 */
export async function envOktaCredentials(
  env: Record<string, string | undefined>,
  scopes: readonly string[],
  tokenEnv: string,
  needs: string,
): Promise<OktaCredentials> {
  const parsed = CliOktaEnv.parse(env);
  const token = env[tokenEnv];
  const oauth = parsed.OKTA_CLIENT_ID !== undefined;
  const what =
    `set ${tokenEnv} to an Okta API token (${needs}), or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE (or OKTA_PRIVATE_KEY) ` +
    `for an API Services app granted ${scopes.join(", ")} and ${needs}`;
  if (token && oauth)
    throw new OktaCredentialsMissingError(`both ${tokenEnv} and OKTA_CLIENT_ID are set: ${what}, not both`);
  if (token) return { token };
  if (!oauth) throw new OktaCredentialsMissingError(what);
  const key =
    parsed.OKTA_PRIVATE_KEY ??
    (parsed.OKTA_PRIVATE_KEY_FILE === undefined
      ? undefined
      : await readFile(parsed.OKTA_PRIVATE_KEY_FILE, "utf8"));
  if (key === undefined || key.trim() === "")
    throw new OktaCredentialsMissingError(
      "OKTA_CLIENT_ID is set: also set OKTA_PRIVATE_KEY_FILE (a file holding the app's private JWK or PKCS#8 PEM) or OKTA_PRIVATE_KEY",
    );
  return { serviceApp: { clientId: parsed.OKTA_CLIENT_ID ?? "", privateKey: key, scopes } };
}
