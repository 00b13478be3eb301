/**
 * How a request to Okta's Management API is authorized: an SSWS API token, or an OAuth 2.0 access
 * token of an API Services app (adapters/okta/service-app-auth.ts). The HTTP client asks the
 * authorizer for the headers of every attempt, and tells it when Okta refused them.
 */
import { OktaServiceAppAuth, type ServiceAppCredentials } from "./service-app-auth.ts";

export interface OktaAuthorizer {
  /** The headers that authorize one attempt of `method url` (`Authorization`, and `DPoP` for DPoP). */
  headers(method: string, url: string): Promise<Record<string, string>>;
  /**
   * Okta answered 401 (or a DPoP nonce challenge): returns `true` when another attempt with new headers
   * can succeed (a fresh access token, a server nonce), `false` when the credentials themselves are bad.
   */
  rejected(response: Response): boolean;
  /** Every answer passes here (a DPoP server may hand out a new nonce on any response). @default no-op */
  observe?(response: Response): void;
}

/** `Authorization: SSWS <token>`: nothing to refresh, a 401 is final. */
export function sswsAuthorizer(token: string): OktaAuthorizer {
  const headers = { Authorization: `SSWS ${token}` };
  return {
    headers: async () => headers,
    rejected: () => false,
  };
}

/** Thrown when the Okta credentials are missing, doubled or unusable; names what to set. */
export class OktaCredentialsError extends Error {
  override name = "OktaCredentialsError";
}

/** The authorizer for the configured credentials: exactly one of `token` and `serviceApp`. */
export function oktaAuthorizer(options: {
  orgUrl: string;
  token?: string | undefined;
  serviceApp?: ServiceAppCredentials | undefined;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  timeoutMs?: number;
}): OktaAuthorizer {
  const { token, serviceApp } = options;
  if (token !== undefined && serviceApp !== undefined)
    throw new OktaCredentialsError(
      "set either an SSWS token or a service app (client id and private key), not both",
    );
  if (serviceApp !== undefined)
    return new OktaServiceAppAuth({
      orgUrl: options.orgUrl,
      credentials: serviceApp,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  if (token === undefined || token === "")
    throw new OktaCredentialsError(
      "no Okta credentials: set an SSWS API token, or a service app's client id and private key",
    );
  return sswsAuthorizer(token);
}
