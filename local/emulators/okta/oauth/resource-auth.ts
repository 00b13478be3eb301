/**
 * The Management API's side of OAuth: turns `Authorization: DPoP <token>` (with its `DPoP` proof) or
 * `Authorization: Bearer <token>` into the service app's principal, and enforces the token's scopes on
 * the operation (scopes.ts). The admin roles of the principal are checked by the router afterwards, as
 * for an SSWS token: Okta requires both ("Implement OAuth for Okta with a service app": grant the
 * scopes and assign the app an admin role).
 *
 * DPoP on resource requests ("Configure OAuth 2.0 Demonstrating Proof-of-Possession", Okta resource
 * server): `Authorization: DPoP <token>` and a new proof per request with `htm`, `htu`, `iat`, `jti` and
 * `ath`; the proof's key must be the one the token is bound to (`cnf.jkt`, RFC 9449 section 7).
 */
import type { IncomingMessage } from "node:http";
import type { Principal } from "../principals.ts";
import { DpopProofError, NonceRequired, verifyDpopProof } from "./dpop-proof.ts";
import {
  insufficientScope,
  invalidAccessToken,
  invalidDpopProof,
  requiredScope,
  scopeAllows,
  useDpopNonce,
} from "./scopes.ts";
import type { ServiceApps } from "./service-apps.ts";

const SCHEME = /^(DPoP|Bearer)\s+(\S+)\s*$/i;

/** Whether the request presents an OAuth access token (anything else goes to the SSWS resolver). */
export function presentsAccessToken(req: IncomingMessage): boolean {
  return SCHEME.test(req.headers.authorization ?? "");
}

/** The service app behind an access token; throws Okta's 401 / 403 answers. */
export async function oauthPrincipal(
  apps: ServiceApps,
  req: IncomingMessage,
  url: URL,
  baseUrl: string,
): Promise<Principal> {
  const [, rawScheme = "", value = ""] = SCHEME.exec(req.headers.authorization ?? "") ?? [];
  const scheme = rawScheme.toLowerCase() === "dpop" ? "DPoP" : "Bearer";
  const token = apps.token(value);
  const app = token === undefined ? undefined : apps.app(token.clientId);
  if (token === undefined || app === undefined)
    throw invalidAccessToken(scheme, baseUrl, "The access token is invalid or expired.");
  if (token.jkt !== null) {
    if (scheme !== "DPoP")
      throw invalidAccessToken(
        "DPoP",
        baseUrl,
        "A DPoP-bound access token must be sent with the DPoP scheme.",
      );
    const settings = apps.settings;
    try {
      const { jkt } = await verifyDpopProof(req.headers.dpop, {
        method: req.method ?? "GET",
        htu: `${baseUrl}${url.pathname}`,
        now: apps.now(),
        maxSkewSeconds: settings.proofMaxSkewSeconds,
        replayed: (jti) => apps.replayed(`dpop:${jti}`, apps.now() + 2 * settings.proofMaxSkewSeconds * 1000),
        accessToken: value,
        ...(settings.resourceNonce === "required"
          ? { nonceValid: (n: string | undefined) => apps.nonceValid(n) }
          : {}),
      });
      if (jkt !== token.jkt)
        throw new DpopProofError("The DPoP proof key is not the key the access token is bound to.");
    } catch (error) {
      if (error instanceof NonceRequired) throw useDpopNonce(baseUrl, apps.issueNonce());
      if (error instanceof DpopProofError) throw invalidDpopProof(baseUrl, error.message);
      throw error;
    }
  }
  const scope = requiredScope(req.method ?? "GET", url.pathname);
  if (scope !== null && !scopeAllows(token.scopes, scope))
    throw insufficientScope(scheme, baseUrl, scope, url.pathname);
  return { kind: "oauth-service-app", id: app.clientId, actor: apps.actor(app), roles: app.roles };
}
