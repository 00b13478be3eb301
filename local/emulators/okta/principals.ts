import type { OktaUserStatus } from "../../../core/estate.ts";
import type { AdminRole } from "./admin-roles.ts";
import { invalidToken } from "./errors.ts";
import type { OktaAdmin } from "./log-event-factory.ts";

/**
 * Who is calling: an API token (SSWS) today, an OAuth service app later. The router resolves one per
 * request from the `Authorization` header (`resolvePrincipal`), checks its roles against the endpoint
 * (admin-roles.ts) and meters it (rate-limits.ts). Another scheme plugs in by adding a resolver.
 */
export interface Principal {
  kind: "api-token" | "oauth-service-app";
  /** The token id (`transaction.detail.requestApiTokenId`) or the app's client id: the rate-limit key. */
  id: string;
  /** The admin the calls act as (the LogEvent `actor`). */
  actor: OktaAdmin;
  /** The admin roles the calls carry (an SSWS token: its creator's, as they are now). */
  roles: readonly AdminRole[];
}

/** An SSWS token as the emulator keeps it. */
export interface ApiToken {
  /** The secret clients send as `Authorization: SSWS <token>`. */
  token: string;
  id: string;
  /** Its creator, whose roles and status the token follows. */
  creator: OktaAdmin;
  roles: AdminRole[];
}

/**
 * What happens to a token whose creator is SUSPENDED. Okta: "Tokens are valid only if the user who
 * created them is active. Tokens issued by deactivated users are rejected" ("Manage Okta API tokens",
 * help.okta.com topics/security/api.htm); a suspended creator is not spelled out.
 * @default "rejected"
 */
export type SuspendedCreatorTokens = "rejected" | "accepted";

/** The org's API tokens. */
export class ApiTokens {
  private readonly byToken = new Map<string, ApiToken>();
  suspendedCreatorTokens: SuspendedCreatorTokens = "rejected";

  /** @param creatorStatus a creator's status when the directory holds them (`undefined`: not a directory user, treated as active). */
  private readonly creatorStatus: (adminId: string) => OktaUserStatus | undefined;

  constructor(creatorStatus: (adminId: string) => OktaUserStatus | undefined) {
    this.creatorStatus = creatorStatus;
  }

  add(token: ApiToken): ApiToken {
    if (this.byToken.has(token.token)) throw new Error(`API token ${token.id}: the secret is already in use`);
    this.byToken.set(token.token, token);
    return token;
  }

  /**
   * Changes the roles of every token `adminId` created: "if the admin's privileges are modified, the
   * privilege level of the API token changes to match" (developer.okta.com, "Create an API token").
   */
  setCreatorRoles(adminId: string, roles: AdminRole[]): void {
    for (const token of this.byToken.values()) if (token.creator.id === adminId) token.roles = roles;
  }

  get(secret: string): ApiToken | undefined {
    return this.byToken.get(secret);
  }

  /** The principal of a token, or 401 E0000011 when it is unknown or its creator is not active. */
  principal(secret: string): Principal {
    const token = this.byToken.get(secret);
    if (token === undefined || !this.creatorActive(token.creator.id)) throw invalidToken();
    return { kind: "api-token", id: token.id, actor: token.creator, roles: token.roles };
  }

  private creatorActive(adminId: string): boolean {
    const status = this.creatorStatus(adminId);
    if (status === undefined) return true;
    if (status === "SUSPENDED") return this.suspendedCreatorTokens === "accepted";
    return status !== "DEPROVISIONED";
  }
}

/**
 * The one place the `Authorization` header becomes a principal: `SSWS <token>` today. An unknown
 * scheme or token is 401 E0000011, as Okta answers.
 */
export function resolvePrincipal(authorization: string | undefined, tokens: ApiTokens): Principal {
  const match = /^SSWS\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (match?.[1] === undefined) throw invalidToken();
  return tokens.principal(match[1]);
}
