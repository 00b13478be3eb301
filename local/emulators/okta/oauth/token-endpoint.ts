/**
 * The org authorization server's token endpoint, `POST /oauth2/v1/token`, for the client credentials
 * grant of API Services apps (the only grant that mints tokens with Okta scopes).
 *
 * Sources (developer.okta.com):
 * - "Implement OAuth for Okta with a service app": form parameters `grant_type=client_credentials`,
 *   `scope`, `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`,
 *   `client_assertion`; the assertion's `iss` and `sub` are the client id, `aud` is the token endpoint
 *   URL, `exp` is required and at most one hour ahead; it is signed with a key registered with the app.
 * - "Build a JWT for client authentication": `jti`, when present, may be used once.
 * - "Configure OAuth 2.0 Demonstrating Proof-of-Possession": a DPoP app's token request without a proof
 *   is 400 `invalid_dpop_proof` ("The DPoP proof JWT header is missing.", Okta support article of that
 *   title); the first proof is answered 400 `use_dpop_nonce` ("Authorization server requires nonce in
 *   DPoP proof.") with a `DPoP-Nonce` header; the token that follows has `token_type: DPoP`.
 * - OAuth errors are `{error, error_description}` (RFC 6749 section 5.2): `invalid_client` is 401.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import { importJWK, type JWK, jwtVerify } from "jose";
import { baseUrlOf } from "../http.ts";
import { DpopProofError, NonceRequired, verifyDpopProof } from "./dpop-proof.ts";
import type { ServiceApps } from "./service-apps.ts";

export const TOKEN_PATH = "/oauth2/v1/token";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const MAX_ASSERTION_LIFETIME_S = 3600;

class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;

  constructor(status: number, error: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

/** Answers `POST /oauth2/v1/token`; resolves `false` for any other path. */
export async function handleTokenRequest(
  apps: ServiceApps,
  orgUrl: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  if (url.pathname !== TOKEN_PATH) return false;
  const tokenUrl = `${baseUrlOf(req, orgUrl)}${TOKEN_PATH}`;
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, { ...headers, "Content-Type": "application/json", "Cache-Control": "no-store" })
      .end(JSON.stringify(body));
  try {
    if (req.method !== "POST")
      throw new OAuthError(405, "invalid_request", "The token endpoint accepts POST only.");
    const answer = await issue(apps, tokenUrl, req, new URLSearchParams(await text(req)));
    send(200, answer);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    send(error.status, { error: error.error, error_description: error.message }, error.headers);
  }
  return true;
}

async function issue(apps: ServiceApps, tokenUrl: string, req: IncomingMessage, form: URLSearchParams) {
  if (form.get("grant_type") !== "client_credentials")
    throw new OAuthError(400, "unsupported_grant_type", "The authorization grant type is not supported.");
  if (form.get("client_assertion_type") !== ASSERTION_TYPE || !form.get("client_assertion"))
    throw new OAuthError(401, "invalid_client", "Client authentication failed: use private_key_jwt.");
  const app = await authenticateClient(apps, tokenUrl, form.get("client_assertion") ?? "");
  const requested = (form.get("scope") ?? "").split(" ").filter(Boolean);
  if (requested.length === 0)
    throw new OAuthError(
      400,
      "invalid_scope",
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    );
  const ungranted = requested.filter((scope) => !app.grantedScopes.includes(scope));
  if (ungranted.length > 0)
    throw new OAuthError(
      400,
      "invalid_scope",
      `The following scopes are not granted to the app: ${ungranted.join(" ")}.`,
    );
  let jkt: string | null = null;
  if (app.dpop) {
    try {
      ({ jkt } = await verifyDpopProof(req.headers.dpop, {
        method: "POST",
        htu: tokenUrl,
        now: apps.now(),
        maxSkewSeconds: apps.settings.proofMaxSkewSeconds,
        replayed: (jti) =>
          apps.replayed(`dpop:${jti}`, apps.now() + 2 * apps.settings.proofMaxSkewSeconds * 1000),
        nonceValid: (nonce) => apps.nonceValid(nonce),
      }));
    } catch (error) {
      if (error instanceof NonceRequired)
        throw new OAuthError(400, "use_dpop_nonce", error.message, { "DPoP-Nonce": apps.issueNonce() });
      if (error instanceof DpopProofError) throw new OAuthError(400, "invalid_dpop_proof", error.message);
      throw error;
    }
  }
  const { value } = apps.issueToken(app, requested, jkt);
  return {
    token_type: jkt === null ? "Bearer" : "DPoP",
    expires_in: apps.settings.tokenLifetimeSeconds,
    access_token: value,
    scope: requested.join(" "),
  };
}

/** Verifies the `private_key_jwt` assertion against the app's registered keys. */
async function authenticateClient(apps: ServiceApps, tokenUrl: string, assertion: string) {
  const [, payloadPart] = assertion.split(".");
  let claims: { iss?: unknown; sub?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payloadPart ?? "", "base64url").toString("utf8"));
  } catch {
    throw new OAuthError(401, "invalid_client", "The client_assertion is not a JWT.");
  }
  const app = typeof claims.iss === "string" ? apps.app(claims.iss) : undefined;
  if (app === undefined)
    throw new OAuthError(401, "invalid_client", "The client_assertion iss is not a known client id.");
  let verified: Awaited<ReturnType<typeof jwtVerify>> | undefined;
  let lastError: unknown;
  for (const key of app.publicKeys) {
    try {
      verified = await jwtVerify(assertion, await importJWK(key as JWK, key.alg ?? algorithmOf(key)), {
        issuer: app.clientId,
        subject: app.clientId,
        audience: tokenUrl,
        requiredClaims: ["exp"],
        currentDate: new Date(apps.now()),
      });
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (verified === undefined)
    throw new OAuthError(
      401,
      "invalid_client",
      `The client_assertion is invalid: ${(lastError as Error | undefined)?.message ?? "no key"}.`,
    );
  const { exp, jti } = verified.payload;
  if ((exp ?? 0) * 1000 > apps.now() + MAX_ASSERTION_LIFETIME_S * 1000 + 1000)
    throw new OAuthError(
      401,
      "invalid_client",
      "The client_assertion exp is more than one hour in the future.",
    );
  if (jti !== undefined && apps.replayed(`assertion:${jti}`, (exp ?? 0) * 1000))
    throw new OAuthError(401, "invalid_client", "The client_assertion jti was already used.");
  return app;
}

function algorithmOf(key: JWK): string {
  if (key.kty === "RSA") return "RS256";
  return { "P-384": "ES384", "P-521": "ES512" }[key.crv ?? ""] ?? "ES256";
}
