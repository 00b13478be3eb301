/**
 * The org's API Services apps (OAuth 2.0 service apps) and what the emulated org authorization server
 * remembers about them: registered public keys, granted scopes, admin roles, issued access tokens bound
 * to DPoP keys, used assertion and proof ids, issued nonces.
 *
 * Sources: "Implement OAuth for Okta with a service app" (developer.okta.com: public key registered with
 * the app, scopes granted on its Okta API Scopes tab, admin roles assigned on its Admin roles tab; the
 * access token lives one hour) and the spec's `dpop_bound_access_tokens` ("If true, the authorization
 * server rejects token requests from this client that don't contain the DPoP header").
 */
import { randomBytes } from "node:crypto";
import type { JWK } from "jose";
import type { AdminRole } from "../admin-roles.ts";
import type { OktaAdmin } from "../log-event-factory.ts";

/** A service app as registered in the org. */
export interface ServiceApp {
  clientId: string;
  name: string;
  /** The public keys registered for `private_key_jwt` (Client Credentials > Public keys). */
  publicKeys: JWK[];
  /** The scopes granted to the app (Okta API Scopes tab). */
  grantedScopes: string[];
  /** The admin roles assigned to the app (Admin roles tab). */
  roles: AdminRole[];
  /** Require DPoP (the console's "Require DPoP header in token requests"). @default true */
  dpop: boolean;
}

/** An access token the emulator issued. */
export interface IssuedToken {
  clientId: string;
  scopes: string[];
  /** The DPoP key thumbprint the token is bound to (`cnf.jkt`); `null` for a Bearer token. */
  jkt: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Whether the Management API (the resource server) also demands a server nonce in resource proofs.
 * RFC 9449 section 9 allows it; Okta's DPoP guide shows nonces only at the token endpoint.
 * @default "token-endpoint-only"
 */
export type ResourceNonceMode = "token-endpoint-only" | "required";

export interface OAuthSettings {
  /** Access token lifetime (Okta: one hour). @default 3600 */
  tokenLifetimeSeconds: number;
  /** How long an issued `DPoP-Nonce` is accepted (not documented by Okta). @default 300 */
  nonceLifetimeSeconds: number;
  /** How far a proof's `iat` may be from the server's clock (not documented by Okta). @default 60 */
  proofMaxSkewSeconds: number;
  resourceNonce: ResourceNonceMode;
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = {
  tokenLifetimeSeconds: 3600,
  nonceLifetimeSeconds: 300,
  proofMaxSkewSeconds: 60,
  resourceNonce: "token-endpoint-only",
};

/** Registered service apps and the authorization server's memory. */
export class ServiceApps {
  readonly settings: OAuthSettings;
  private readonly apps = new Map<string, ServiceApp>();
  private readonly tokens = new Map<string, IssuedToken>();
  /** Used ids (assertion `jti`s and proof `jti`s) with when they may be forgotten. */
  private readonly usedIds = new Map<string, number>();
  private readonly nonces = new Map<string, number>();
  /** Token requests answered 200 (tests, diagnostics). */
  tokensIssued = 0;

  private readonly clock: () => number;
  private readonly newClientId: () => string;

  constructor(clock: () => number, newClientId: () => string, settings: Partial<OAuthSettings> = {}) {
    this.clock = clock;
    this.newClientId = newClientId;
    this.settings = { ...DEFAULT_OAUTH_SETTINGS, ...settings };
  }

  /** Registers an app (as an admin does in the console); returns it with its client id. */
  register(input: {
    clientId?: string;
    name?: string;
    publicKeys: JWK[];
    grantedScopes: string[];
    roles: AdminRole[];
    dpop?: boolean;
  }): ServiceApp {
    for (const key of input.publicKeys)
      if ("d" in key) throw new Error("register the app's public key, never its private key");
    const app: ServiceApp = {
      clientId: input.clientId ?? this.newClientId(),
      name: input.name ?? "okta-aws-lifecycle",
      publicKeys: input.publicKeys,
      grantedScopes: [...input.grantedScopes],
      roles: input.roles,
      dpop: input.dpop ?? true,
    };
    this.apps.set(app.clientId, app);
    return app;
  }

  /** The emulator's clock (epoch milliseconds). */
  now(): number {
    return this.clock();
  }

  app(clientId: string): ServiceApp | undefined {
    return this.apps.get(clientId);
  }

  /** The LogEvent actor of calls the app makes. */
  actor(app: ServiceApp): OktaAdmin {
    return { id: app.clientId, login: app.clientId, displayName: app.name };
  }

  /** Records a one-time id; `true` when it was already used (a replay). */
  replayed(id: string, keepUntil: number): boolean {
    const now = this.clock();
    for (const [key, until] of this.usedIds) if (until < now) this.usedIds.delete(key);
    if (this.usedIds.has(id)) return true;
    this.usedIds.set(id, keepUntil);
    return false;
  }

  /** A new server nonce (sent as `DPoP-Nonce`). */
  issueNonce(): string {
    const nonce = randomBytes(16).toString("base64url");
    this.nonces.set(nonce, this.clock() + this.settings.nonceLifetimeSeconds * 1000);
    return nonce;
  }

  nonceValid(nonce: string | undefined): boolean {
    if (nonce === undefined) return false;
    const until = this.nonces.get(nonce);
    return until !== undefined && until >= this.clock();
  }

  issueToken(app: ServiceApp, scopes: string[], jkt: string | null): { value: string; token: IssuedToken } {
    const value = randomBytes(32).toString("base64url");
    const token: IssuedToken = {
      clientId: app.clientId,
      scopes,
      jkt,
      expiresAt: this.clock() + this.settings.tokenLifetimeSeconds * 1000,
    };
    this.tokens.set(value, token);
    this.tokensIssued += 1;
    return { value, token };
  }

  /** A live token, or `undefined` when unknown or expired. */
  token(value: string): IssuedToken | undefined {
    const token = this.tokens.get(value);
    if (token === undefined) return undefined;
    if (token.expiresAt <= this.clock()) {
      this.tokens.delete(value);
      return undefined;
    }
    return token;
  }

  /** The scopes of every live token (tests: each part of the stack asks for only its own). */
  liveTokenScopes(): string[][] {
    return [...this.tokens.values()].filter((t) => t.expiresAt > this.clock()).map((t) => [...t.scopes]);
  }

  /** Revokes every token issued so far (as an admin revoking the app's tokens; tests of the 401 path). */
  revokeAllTokens(): void {
    this.tokens.clear();
  }
}
