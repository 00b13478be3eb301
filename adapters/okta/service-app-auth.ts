/**
 * OAuth 2.0 for Okta with an API Services app: the client credentials grant with `private_key_jwt`
 * client authentication and DPoP-bound access tokens.
 *
 * Sources (developer.okta.com): "Implement OAuth for Okta with a service app" (client assertion:
 * `iss` = `sub` = client id, `aud` = the org's `/oauth2/v1/token`, `exp`, signed with the app's private
 * key; the scopes the app was granted; tokens live one hour) and "Configure OAuth 2.0
 * Demonstrating Proof-of-Possession" (a `DPoP` proof header, typ `dpop+jwt`, with the public JWK in its
 * header; Okta answers the first token request 400 `use_dpop_nonce` with a `DPoP-Nonce` header and the
 * next proof must carry that nonce; resource requests send `Authorization: DPoP <token>` and a new
 * proof with `htm`, `htu`, `iat`, `jti` and `ath` = base64url(SHA-256(access token))). RFC 9449 for
 * what the guides leave to it: `htu` without query and fragment, a resource server's nonce challenge
 * (401, `WWW-Authenticate: DPoP error="use_dpop_nonce"`).
 */
import { createHash, randomUUID } from "node:crypto";
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWK,
  type KeyObject,
  SignJWT,
} from "jose";
import { z } from "zod";
import type { OktaAuthorizer } from "./authorizer.ts";
import {
  OktaAuthenticationError,
  type OktaErrorContext,
  OktaNetworkError,
  OktaRateLimitError,
  OktaServerError,
} from "./errors.ts";

/** An API Services app's credentials. */
export interface ServiceAppCredentials {
  /** The app's client id (`0oa...`). */
  clientId: string;
  /** The private key registered with the app: a private JWK (object or JSON text) or a PKCS#8 PEM. */
  privateKey: string | JWK;
  /** The key's id (`kid`) in Okta; taken from the JWK when it has one. */
  keyId?: string;
  /** The scopes to ask for: only what the caller uses (each must be granted to the app in Okta). */
  scopes: readonly string[];
  /** DPoP-bound tokens (Okta's default for new API Services apps). @default true */
  dpop?: boolean;
}

export interface ServiceAppAuthOptions {
  /** `https://{yourOktaDomain}` */
  orgUrl: string;
  credentials: ServiceAppCredentials;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /** A token is replaced this long before Okta says it expires. @default 300000 (5 minutes) */
  refreshMarginMs?: number;
  /** Timeout of a token request. @default 30000 */
  timeoutMs?: number;
}

/** Okta refused the token request: a bad client id, key, assertion or scope (an OAuth error). */
export class OktaTokenRequestError extends OktaAuthenticationError {
  override name = "OktaTokenRequestError";
  /** The OAuth `error` (`invalid_client`, `invalid_scope`, `invalid_dpop_proof`...). */
  readonly oauthError: string | undefined;

  constructor(message: string, context: OktaErrorContext & { oauthError?: string }) {
    super(message, context);
    this.oauthError = context.oauthError;
  }
}

const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Okta accepts a client assertion for at most one hour; a short one limits a leaked request's use. */
const ASSERTION_LIFETIME_S = 300;
const DEFAULT_REFRESH_MARGIN_MS = 300_000;

const tokenAnswer = z.object({
  token_type: z.string(),
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  scope: z.string().optional(),
});
const oauthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });

/** What a failed token request means to the operator, by OAuth error. */
const HINTS: Record<string, string> = {
  invalid_client:
    "check the client id and that the app's public key (Client Credentials > Public keys) matches the private key",
  invalid_scope:
    "grant the scopes to the app in Okta (Applications > the app > Okta API Scopes) or ask for fewer",
  unauthorized_client: "the app must be an API Services app allowed the client_credentials grant",
  invalid_dpop_proof:
    "the app requires DPoP (General Settings > Require DPoP header): keep dpop on, and the system clock in sync",
};

interface CachedToken {
  value: string;
  /** `DPoP` or `Bearer`: the scheme the token is presented with. */
  type: "DPoP" | "Bearer";
  refreshAt: number;
}

interface SigningKey {
  key: CryptoKey | KeyObject | Uint8Array;
  alg: string;
  kid: string | undefined;
}

interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Access tokens for one service app: requested on first use, cached until shortly before they expire,
 * replaced after a 401; every request gets a fresh DPoP proof. Safe for concurrent requests (one token
 * request in flight at a time).
 */
export class OktaServiceAppAuth implements OktaAuthorizer {
  readonly tokenUrl: string;
  private readonly credentials: ServiceAppCredentials;
  private readonly fetch: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly timeoutMs: number;
  private readonly dpop: boolean;
  private signingKey: Promise<SigningKey> | undefined;
  private dpopKey: Promise<DpopKey> | undefined;
  private token: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  /** The authorization server's last `DPoP-Nonce`. */
  private tokenNonce: string | undefined;
  /** The resource server's last `DPoP-Nonce`. */
  private resourceNonce: string | undefined;
  /** How many tokens were requested (tests, diagnostics). */
  tokensRequested = 0;

  constructor(options: ServiceAppAuthOptions) {
    this.tokenUrl = new URL("/oauth2/v1/token", new URL(options.orgUrl).origin).href;
    this.credentials = options.credentials;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.dpop = options.credentials.dpop ?? true;
  }

  async headers(method: string, url: string): Promise<Record<string, string>> {
    const token = await this.accessToken();
    if (token.type === "Bearer") return { Authorization: `Bearer ${token.value}` };
    const ath = createHash("sha256").update(token.value).digest("base64url");
    return {
      Authorization: `DPoP ${token.value}`,
      DPoP: await this.proof(method, url, { ath, nonce: this.resourceNonce }),
    };
  }

  rejected(response: Response): boolean {
    const challenge = response.headers.get("www-authenticate") ?? "";
    const nonce = response.headers.get("dpop-nonce");
    if (/error="use_dpop_nonce"/.test(challenge) && nonce !== null) {
      this.resourceNonce = nonce;
      return true;
    }
    if (response.status !== 401) return false;
    // Expired, revoked, or bound to a key this instance no longer has: a new token may succeed.
    this.token = undefined;
    return true;
  }

  observe(response: Response): void {
    const nonce = response.headers.get("dpop-nonce");
    if (nonce !== null && response.ok) this.resourceNonce = nonce;
  }

  /** The cached token, or a new one (one request in flight for all callers). */
  private async accessToken(): Promise<CachedToken> {
    if (this.token !== undefined && this.now() < this.token.refreshAt) return this.token;
    this.pending ??= this.requestToken().finally(() => {
      this.pending = undefined;
    });
    this.token = await this.pending;
    return this.token;
  }

  private async requestToken(): Promise<CachedToken> {
    const context = { method: "POST", url: this.tokenUrl };
    // A nonce challenge is answered once; each attempt gets a new assertion (a jti is used once).
    for (let attempt = 1; ; attempt += 1) {
      this.tokensRequested += attempt === 1 ? 1 : 0;
      const headers: Record<string, string> = {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
      };
      if (this.dpop) headers.DPoP = await this.proof("POST", this.tokenUrl, { nonce: this.tokenNonce });
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        scope: this.credentials.scopes.join(" "),
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await this.clientAssertion(),
      });
      let response: Response;
      let text: string;
      try {
        response = await this.fetch(this.tokenUrl, {
          method: "POST",
          headers,
          body: body.toString(),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await response.text();
      } catch (cause) {
        throw new OktaNetworkError(`POST ${this.tokenUrl} got no answer from Okta`, {
          ...context,
          attempts: attempt,
          cause,
        });
      }
      const nonce = response.headers.get("dpop-nonce");
      if (nonce !== null) this.tokenNonce = nonce;
      const json = safeJson(text);
      if (response.ok) {
        const parsed = tokenAnswer.safeParse(json);
        if (!parsed.success)
          throw new OktaTokenRequestError(`Okta answered POST ${this.tokenUrl} without an access token`, {
            ...context,
            status: response.status,
          });
        const type = parsed.data.token_type.toLowerCase() === "dpop" ? "DPoP" : "Bearer";
        const lifetimeMs = parsed.data.expires_in * 1000;
        // The margin never eats more than half a (short) token's life.
        const margin = Math.min(this.refreshMarginMs, lifetimeMs / 2);
        return { value: parsed.data.access_token, type, refreshAt: this.now() + lifetimeMs - margin };
      }
      const error = oauthErrorBody.safeParse(json);
      const code = error.success ? error.data.error : undefined;
      if (response.status === 400 && code === "use_dpop_nonce" && nonce !== null && attempt === 1) continue;
      const status = { ...context, status: response.status, attempts: attempt };
      if (response.status === 429)
        throw new OktaRateLimitError(`POST ${this.tokenUrl} is rate limited`, { ...status, resetAt: null });
      if (response.status >= 500)
        throw new OktaServerError(`POST ${this.tokenUrl} failed with HTTP ${response.status}`, status);
      const description =
        error.success && error.data.error_description ? `: ${error.data.error_description}` : "";
      const hint = code === undefined ? undefined : HINTS[code];
      throw new OktaTokenRequestError(
        `Okta refused an access token for client ${this.credentials.clientId} (HTTP ${response.status}${code ? ` ${code}` : ""}${description})${hint ? `; ${hint}` : ""}`,
        { ...status, ...(code === undefined ? {} : { oauthError: code, errorCode: code }) },
      );
    }
  }

  /** The `private_key_jwt` client assertion. */
  private async clientAssertion(): Promise<string> {
    this.signingKey ??= loadSigningKey(this.credentials);
    const key = await this.signingKey;
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: key.alg, ...(key.kid === undefined ? {} : { kid: key.kid }) })
      .setIssuer(this.credentials.clientId)
      .setSubject(this.credentials.clientId)
      .setAudience(this.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_S)
      .setJti(randomUUID())
      .sign(key.key);
  }

  /** A DPoP proof for one request (RFC 9449 section 4.2): `htu` without query and fragment. */
  private async proof(
    method: string,
    url: string,
    extra: { ath?: string; nonce?: string | undefined },
  ): Promise<string> {
    this.dpopKey ??= newDpopKey();
    const { privateKey, publicJwk } = await this.dpopKey;
    const htu = new URL(url);
    htu.search = "";
    htu.hash = "";
    return new SignJWT({
      htm: method,
      htu: htu.href,
      ...(extra.ath === undefined ? {} : { ath: extra.ath }),
      ...(extra.nonce === undefined ? {} : { nonce: extra.nonce }),
    })
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: publicJwk })
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setJti(randomUUID())
      .sign(privateKey);
  }
}

/**
 * The DPoP key pair: separate from the client-authentication key (Okta's DPoP guide), made per
 * instance and never leaves memory; a token is bound to it, so a new instance gets a new token.
 */
async function newDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return { privateKey, publicJwk: { kty, crv, x, y } };
}

/** Okta's supported client-assertion algorithms per key type (RS256 for RSA, ESxxx by curve). */
function algorithmOf(jwk: JWK): string {
  if (typeof jwk.alg === "string") return jwk.alg;
  if (jwk.kty === "RSA") return "RS256";
  if (jwk.kty === "EC")
    return { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" }[jwk.crv ?? ""] ?? "ES256";
  throw new OktaKeyError(`the private key is a ${jwk.kty} key; Okta service apps use RSA or EC keys`);
}

/** The configured private key cannot be used. */
export class OktaKeyError extends Error {
  override name = "OktaKeyError";
}

async function loadSigningKey(credentials: ServiceAppCredentials): Promise<SigningKey> {
  const raw = credentials.privateKey;
  const text = typeof raw === "string" ? raw.trim() : undefined;
  if (text?.startsWith("-----BEGIN")) {
    if (!text.startsWith("-----BEGIN PRIVATE KEY-----"))
      throw new OktaKeyError(
        "the private key PEM must be PKCS#8 (-----BEGIN PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem",
      );
    // The algorithm follows from the key: try RSA first (what Okta's console generates), then EC.
    for (const alg of ["RS256", "ES256", "ES384", "ES512"]) {
      try {
        return { key: await importPKCS8(text, alg), alg, kid: credentials.keyId };
      } catch {}
    }
    throw new OktaKeyError("the private key PEM is neither an RSA nor an EC (P-256/384/521) key");
  }
  let jwk: JWK;
  try {
    jwk = typeof raw === "string" ? (JSON.parse(raw) as JWK) : raw;
  } catch (cause) {
    throw new OktaKeyError("the private key is neither a JWK (JSON) nor a PKCS#8 PEM", { cause });
  }
  if (typeof jwk !== "object" || jwk === null || typeof jwk.d !== "string")
    throw new OktaKeyError(
      "the private key JWK has no private part (d): use the private JWK, not the public one",
    );
  const alg = algorithmOf(jwk);
  return { key: await importJWK(jwk, alg), alg, kid: credentials.keyId ?? jwk.kid };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
