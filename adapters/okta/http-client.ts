import type { z } from "zod";
import { formatPath } from "../../core/field-error.ts";
import { type OktaAuthorizer, oktaAuthorizer } from "./authorizer.ts";
import {
  OktaAuthenticationError,
  type OktaErrorContext,
  OktaNetworkError,
  OktaNotFoundError,
  OktaPermissionError,
  OktaRateLimitError,
  OktaRequestRejectedError,
  OktaResponseValidationError,
  OktaServerError,
  OktaUntrustedLinkError,
} from "./errors.ts";
import { linkTarget } from "./link-header.ts";
import { describeMissingPermission } from "./permissions.ts";
import { RateLimitHeadroom } from "./rate-limit-headroom.ts";
import { oktaErrorBodySchema } from "./schemas.ts";
import type { ServiceAppCredentials } from "./service-app-auth.ts";

/** How the client talks to Okta. */
export interface OktaHttpOptions {
  /** `https://{yourOktaDomain}` (no trailing path). */
  orgUrl: string;
  /** An SSWS API token (`Authorization: SSWS`). Set this or `serviceApp`, not both. */
  token?: string;
  /** An API Services app (OAuth 2.0 `private_key_jwt`, DPoP-bound tokens): okta/service-app-auth.ts. */
  serviceApp?: ServiceAppCredentials;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Retries after a 429, and after a 5xx or connection failure on a call that is safe to repeat. @default 3 */
  maxRetries?: number;
  /** Waits between attempts (injectable so tests never sleep). @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Epoch milliseconds, to turn `X-Rate-Limit-Reset` into a wait when a 429 has no usable `Date` header
   * (with one, the wait is reset minus Okta's `Date`: our clock's skew does not matter). @default Date.now
   */
  now?: () => number;
  /**
   * Milliseconds the caller has left (a Lambda passes `context.getRemainingTimeInMillis()` minus a
   * safety margin). A rate-limit wait that would not fit throws OktaRateLimitError at once, so the
   * workflow retries the task later instead of the function timing out mid-wait. @default no limit
   */
  remainingTimeMs?: () => number;
  /** Never wait longer than this for a rate-limit window, whatever the reset header says. @default 60000 */
  maxRateLimitWaitMs?: number;
  /** First backoff after a 5xx / connection failure; doubles per attempt, full jitter. @default 200 */
  retryBaseDelayMs?: number;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** Per-attempt timeout. @default 30000 (the System Log's own query timeout) */
  timeoutMs?: number;
}

/** A successful answer, its body parsed and validated. */
export interface OktaAnswer<T> {
  status: number;
  body: T;
  /** The `rel="next"` link, absolute, or `null`. */
  next: string | null;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

const USER_AGENT = "okta-aws-lifecycle/0.1";
/** Added to the wait until `X-Rate-Limit-Reset`, so a slightly fast local clock does not retry early. */
export const RATE_LIMIT_RESET_MARGIN_MS = 100;
/** Waiting when a 429 carries no usable reset header. */
const FALLBACK_RATE_LIMIT_WAIT_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** Checks a low-priority request makes for room in its bucket before it goes anyway. */
const MAX_HEADROOM_CHECKS = 20;

/**
 * One Okta org over HTTPS with SSWS or OAuth (service app, DPoP) auth, a 401 retried with a new token
 * (okta/authorizer.ts): retries a 429 after the window resets (bounded), retries a 5xx
 * or a connection failure with exponential backoff on GET / PUT / DELETE only (a lifecycle POST is not
 * idempotent: repeating one that Okta applied before failing would come back as a misleading 400/403),
 * validates bodies with zod, and refuses to follow links that leave the org.
 */
export class OktaHttpClient {
  readonly orgUrl: string;
  private readonly origin: string;
  private readonly auth: OktaAuthorizer;
  private readonly fetch: typeof globalThis.fetch;
  private readonly maxRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly remainingTimeMs: () => number;
  private readonly maxRateLimitWaitMs: number;
  private readonly retryBaseDelayMs: number;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  constructor(options: OktaHttpOptions) {
    const org = new URL(options.orgUrl);
    this.origin = org.origin;
    this.orgUrl = org.origin;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.auth = oktaAuthorizer({ ...options, fetch: this.fetch });
    this.maxRetries = options.maxRetries ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.remainingTimeMs = options.remainingTimeMs ?? (() => Number.POSITIVE_INFINITY);
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * A request whose answer carries no body the caller needs (204 or `{}`). A `low` priority request
   * (a session clear) first waits until the rate-limit bucket has room beyond what the other calls
   * may need (okta/rate-limit-headroom.ts).
   */
  async send(
    method: Method,
    pathOrUrl: string,
    body?: unknown,
    options: {
      priority?: "normal" | "low";
      /** The longest a low-priority request waits here for room; a longer wait is the caller's. */
      maxHeadroomWaitMs?: number;
    } = {},
  ): Promise<void> {
    if (options.priority === "low")
      await this.awaitHeadroom(method, pathOrUrl, options.maxHeadroomWaitMs ?? Number.POSITIVE_INFINITY);
    await this.exchange(method, pathOrUrl, body);
  }

  /** What this client heard of Okta's rate-limit buckets (every answer's headers). */
  private readonly headroom = new RateLimitHeadroom();

  /**
   * Waits while the bucket of `pathOrUrl` is needed by other calls (a few checks: the waits are
   * computed from the headers, so each check is one sleep). A wait longer than `maxWaitMs`, or than
   * the time the caller has left, throws OktaRateLimitError at once: the workflow retries the task later.
   */
  private async awaitHeadroom(method: Method, pathOrUrl: string, maxWaitMs: number): Promise<void> {
    const url = this.trusted(pathOrUrl, method);
    const path = new URL(url).pathname;
    for (let check = 0; check < MAX_HEADROOM_CHECKS; check++) {
      const wait = this.headroom.lowPriorityWait(path, this.now());
      if (wait === 0) return;
      const left = Math.min(this.remainingTimeMs(), maxWaitMs);
      if (wait > left)
        throw new OktaRateLimitError(
          `${method} ${url} yields to the calls that revoke access: room in its rate limit comes in ${wait} ms, longer than the ${Math.max(0, Math.floor(left))} ms it may wait here: retry later`,
          { method, url, attempts: 0, resetAt: null, waitMs: wait },
        );
      await this.sleep(wait);
    }
  }

  /** A request whose JSON body must match `schema`. */
  async read<S extends z.ZodType>(
    method: Method,
    pathOrUrl: string,
    schema: S,
    /** A JSON request body (POST / PUT). */
    requestBody?: unknown,
  ): Promise<OktaAnswer<z.output<S>>> {
    const { response, text, url } = await this.exchange(method, pathOrUrl, requestBody);
    const body = parseJson(text, { method, url, status: response.status });
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      }));
      const [first] = problems;
      throw new OktaResponseValidationError(
        `Okta answered ${method} ${url} with an unexpected body: ${first?.path ?? "(body)"}: ${first?.message ?? "invalid"}`,
        { method, url, status: response.status, problems },
      );
    }
    const next = linkTarget(response.headers.get("link"), "next");
    return {
      status: response.status,
      body: parsed.data,
      next: next === null ? null : this.trusted(next, method),
    };
  }

  /** Resolves a path or a link to an absolute URL on the org; any other origin is refused. */
  trusted(pathOrUrl: string, method: string): string {
    const url = new URL(pathOrUrl, this.origin);
    if (url.origin !== this.origin) {
      throw new OktaUntrustedLinkError(
        `Refusing to send the Okta token to ${url.origin} (the org is ${this.origin})`,
        {
          method,
          url: url.href,
        },
      );
    }
    return url.href;
  }

  private async exchange(
    method: Method,
    pathOrUrl: string,
    body?: unknown,
  ): Promise<{ response: Response; text: string; url: string }> {
    const url = this.trusted(pathOrUrl, method);
    const idempotent = method !== "POST";
    // A 401 (expired token) or a DPoP nonce challenge gets new credentials: Okta applied nothing.
    let authRetries = 0;
    for (let attempt = 1; ; attempt += 1) {
      const context: OktaErrorContext = { method, url, attempts: attempt };
      const retriesLeft = attempt <= this.maxRetries;
      let response: Response;
      let text: string;
      const authorization = await this.auth.headers(method, url);
      try {
        response = await this.fetch(url, {
          method,
          headers: {
            Accept: "application/json",
            ...authorization,
            "User-Agent": USER_AGENT,
            ...(method === "POST" || method === "PUT" ? { "Content-Type": "application/json" } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await response.text();
      } catch (cause) {
        if (idempotent && retriesLeft) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw new OktaNetworkError(`${method} ${url} got no answer from Okta after ${attempt} attempt(s)`, {
          ...context,
          cause,
        });
      }
      this.auth.observe?.(response);
      const oktaDate = Date.parse(response.headers.get("date") ?? "");
      this.headroom.observe(
        new URL(url).pathname,
        response.headers,
        this.now(),
        Number.isFinite(oktaDate) ? oktaDate : undefined,
      );
      if (response.ok) return { response, text, url };
      if (response.status === 401 && authRetries < 2 && this.auth.rejected(response)) {
        authRetries += 1;
        continue;
      }
      const error = { ...context, status: response.status, ...errorFields(text) };
      if (response.status === 429) {
        const resetAt = resetTime(response.headers.get("x-rate-limit-reset"));
        const wait = this.rateLimitWait(resetAt, attempt, response.headers.get("date"));
        const left = this.remainingTimeMs();
        if (retriesLeft && wait <= left) {
          await this.sleep(wait);
          continue;
        }
        const why =
          wait > left
            ? `is rate limited and waiting ${wait} ms for the reset would not fit in the ${Math.max(0, Math.floor(left))} ms left: retry later`
            : `is still rate limited after ${attempt} attempt(s)`;
        throw new OktaRateLimitError(`${method} ${url} ${why}`, {
          ...error,
          resetAt: resetAt === null ? null : new Date(resetAt).toISOString(),
          waitMs: wait,
        });
      }
      if (response.status >= 500) {
        if (idempotent && retriesLeft) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw new OktaServerError(
          `${method} ${url} failed with HTTP ${response.status}${summary(error)}`,
          error,
        );
      }
      throw clientError(method, url, response.status, error, missingScope(response));
    }
  }

  /**
   * Until the window resets, measured on Okta's clock: `X-Rate-Limit-Reset` minus the response's `Date`
   * (both Okta's, so a skewed local clock neither retries early nor waits too long; `Date` has whole
   * seconds, so the wait errs long by under a second), plus a little margin; our clock only without a
   * usable `Date`. Never more than the configured bound.
   */
  private rateLimitWait(resetAtMs: number | null, attempt: number, date: string | null): number {
    if (resetAtMs === null)
      return Math.min(FALLBACK_RATE_LIMIT_WAIT_MS * 2 ** (attempt - 1), this.maxRateLimitWaitMs);
    const oktaNow = date === null ? Number.NaN : Date.parse(date);
    const now = Number.isFinite(oktaNow) ? oktaNow : this.now();
    return Math.min(Math.max(0, resetAtMs - now) + RATE_LIMIT_RESET_MARGIN_MS, this.maxRateLimitWaitMs);
  }

  private backoff(attempt: number): number {
    return Math.floor(this.random() * Math.min(MAX_BACKOFF_MS, this.retryBaseDelayMs * 2 ** (attempt - 1)));
  }
}

function clientError(
  method: string,
  url: string,
  status: number,
  error: OktaErrorContext & { causes: string[] },
  scope: string | null = null,
): Error {
  const hint =
    scope === null
      ? ""
      : `; the access token lacks the scope ${scope}: grant it to the service app (Okta API Scopes) and request it`;
  const message = `${method} ${url} failed with HTTP ${status}${summary(error)}${hint}`;
  if (status === 401) return new OktaAuthenticationError(message, error);
  if (status === 404) return new OktaNotFoundError(message, error);
  // E0000006 is Okta's "no permission"; other 403s (E0000016, E0000038) are about the user's status.
  if (status === 403 && (error.errorCode === "E0000006" || scope !== null)) {
    const lacks = describeMissingPermission(method, url, scope);
    return new OktaPermissionError(`${method} ${url} was refused (HTTP 403${summary(error)}): ${lacks}`, {
      ...error,
      lacks,
    });
  }
  return new OktaRequestRejectedError(message, error);
}

function summary(error: { errorCode?: string; errorSummary?: string }): string {
  if (error.errorCode === undefined && error.errorSummary === undefined) return "";
  return ` (${[error.errorCode, error.errorSummary].filter(Boolean).join(": ")})`;
}

/** The Okta error object's fields, when the body is one. */
function errorFields(text: string): {
  errorCode?: string;
  errorSummary?: string;
  errorId?: string;
  causes: string[];
} {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { causes: [] };
  }
  const parsed = oktaErrorBodySchema.safeParse(body);
  if (!parsed.success) return { causes: [] };
  const { errorCode, errorSummary, errorId, errorCauses } = parsed.data;
  return {
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorSummary === undefined ? {} : { errorSummary }),
    ...(errorId === undefined ? {} : { errorId }),
    causes: (errorCauses ?? []).flatMap((cause) =>
      cause.errorSummary === undefined ? [] : [cause.errorSummary],
    ),
  };
}

/** The scope an OAuth `insufficient_scope` challenge names (Okta's `WWW-Authenticate` on a 403). */
function missingScope(response: Response): string | null {
  const challenge = response.headers.get("www-authenticate") ?? "";
  if (!/error="insufficient_scope"/.test(challenge)) return null;
  return /scope="([^"]*)"/.exec(challenge)?.[1] ?? null;
}

/** `X-Rate-Limit-Reset` is UTC epoch seconds; returns epoch milliseconds. */
function resetTime(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

function parseJson(text: string, context: OktaErrorContext): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch (cause) {
    throw new OktaResponseValidationError(
      `Okta answered ${context.method} ${context.url} with a body that is not JSON`,
      {
        ...context,
        cause,
        problems: [{ path: "(body)", message: "not JSON" }],
      },
    );
  }
}
