import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OktaUserStatus } from "../../../core/estate.ts";
import { randomOktaApiToken } from "../../local-secrets.ts";
import type { AdminRole } from "./admin-roles.ts";
import { DEFAULT_ANSWER_SWITCHES, type OktaAnswerSwitches } from "./answer-switches.ts";
import { ChangeFeed, type ChangeListener } from "./changes.ts";
import { ID_PREFIX, IdFactory } from "./deterministic.ts";
import { OktaDirectory, type OktaProfile } from "./directory.ts";
import { EventHookRegistry } from "./event-hooks.ts";
import { OktaFaults } from "./faults.ts";
import { HookDelivery, type HookDeliveryOptions } from "./hook-delivery.ts";
import { baseUrlOf } from "./http.ts";
import type { OktaAdmin, RequestContext } from "./log-event-factory.ts";
import { oauthPrincipal, presentsAccessToken } from "./oauth/resource-auth.ts";
import { type OAuthSettings, ServiceApps } from "./oauth/service-apps.ts";
import { handleTokenRequest } from "./oauth/token-endpoint.ts";
import { OktaOperations } from "./operations.ts";
import { type ApiToken, ApiTokens, resolvePrincipal } from "./principals.ts";
import { RateLimiter, type RateLimitFamily, type RateLimitSettings } from "./rate-limits.ts";
import { routeRequest } from "./router.ts";
import { eventHookRoutes } from "./routes/event-hooks.ts";
import { groupRoutes } from "./routes/groups.ts";
import { logRoutes } from "./routes/logs.ts";
import type { OktaServices } from "./routes/route.ts";
import { userRoutes } from "./routes/users.ts";
import { SystemLog } from "./system-log.ts";

export type { AdminRole, OktaPermission, RoleType } from "./admin-roles.ts";
export type { OktaAnswerSwitches } from "./answer-switches.ts";
export type { OktaChange } from "./changes.ts";
export type { DirectoryGroup, DirectorySnapshot, DirectoryUser, OktaProfile } from "./directory.ts";
export type { BatchFate, DelayRange, DeliveryChaos, HookChaos } from "./hook-chaos.ts";
export type { DeliveryRecord, HookAttempt, VerificationRecord } from "./hook-delivery.ts";
export type { LifecycleOperation } from "./lifecycle-rules.ts";
export type {
  IssuedToken,
  OAuthSettings,
  ResourceNonceMode,
  ServiceApp,
  ServiceApps,
} from "./oauth/service-apps.ts";
export type { SessionClear } from "./operations.ts";
export type { ApiToken, Principal, SuspendedCreatorTokens } from "./principals.ts";
export type { RateLimitFamily, RateLimitSettings } from "./rate-limits.ts";

/** A user of the initial estate (no System Log events are written for it). */
export interface EstateUser {
  id?: string;
  /** @default "ACTIVE" */
  status?: OktaUserStatus;
  profile: OktaProfile;
}

/** A group of the initial estate; `members` are user ids or logins. */
export interface EstateGroup {
  id?: string;
  /** @default "OKTA_GROUP" */
  type?: "OKTA_GROUP" | "APP_GROUP";
  /** An `APP_GROUP`'s source app (directory.ts `addGroup`). */
  sourceAppId?: string;
  name: string;
  description?: string | null;
  members?: string[];
}

/** An app of the initial estate and its directly assigned users (ids or logins): app-assignments.ts. */
export interface EstateApp {
  /** `0oa...` */
  id: string;
  /** Okta's catalog name, e.g. `amazon_aws`. */
  name: string;
  label: string;
  users: string[];
}

/** Options of `createOktaEmulator`; every one has a default suited to the local stack. */
export interface OktaEmulatorOptions {
  /** The SSWS API token clients must send. @default made per emulator (local/local-secrets.ts) */
  apiToken?: string;
  /** The admin the token belongs to (the LogEvent `actor`). @default id from the seed, admin@example.com, "Okta Admin" */
  admin?: Partial<OktaAdmin>;
  /** The admin roles of `apiToken` (its creator's). @default [{ type: "SUPER_ADMIN" }] */
  apiTokenRoles?: AdminRole[];
  /**
   * A second SSWS token, created by a Report Administrator (report-admin@example.com): it may read the
   * System Log and nothing else. @default made per emulator
   */
  reportAdminToken?: string;
  /** How long a deactivation takes to complete (operations.ts `deactivationMs`). @default 0 */
  deactivationMs?: number;
  /** The org authorization server (`/oauth2/v1/token`, DPoP, token lifetime): oauth/service-apps.ts. */
  oauth?: Partial<OAuthSettings>;
  /** Per-principal share, concurrency limit and the header switches (see `RateLimitSettings`). */
  rateLimitSettings?: Partial<RateLimitSettings>;
  /** The org URL used in links and the delivery `source`. @default the scheme and host the client used */
  orgUrl?: string;
  /** Seed of the id and fault streams. @default 1 */
  seed?: number;
  /** Epoch milliseconds: LogEvent `published`, rate-limit windows, timestamps. @default Date.now */
  clock?: () => number;
  /** Monotonic milliseconds for delivery durations. @default performance.now */
  monotonic?: () => number;
  /** Requests per minute per endpoint family (see `DEFAULT_RATE_LIMITS`). */
  rateLimits?: Partial<Record<RateLimitFamily, number>>;
  /** Event hook delivery timing. @default timeoutMs 3000, batchWindowMs 75, maxBatchSize 50, retryDelayMs 0 */
  hookDelivery?: Partial<
    Pick<HookDeliveryOptions, "timeoutMs" | "batchWindowMs" | "maxBatchSize" | "retryDelayMs">
  >;
  /** The fetch used to call hook endpoints. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** The org's users and groups at start. */
  estate?: { users?: EstateUser[]; groups?: EstateGroup[]; apps?: EstateApp[] };
  /** Where unexpected exceptions go (they are answered 500 E0000009). @default console.error */
  onUnexpectedError?: (error: unknown) => void;
  /** What the spec leaves open in answers (answer-switches.ts). @default DEFAULT_ANSWER_SWITCHES */
  answerSwitches?: Partial<OktaAnswerSwitches>;
}

/** A running Okta emulator, to mount on an HTTP server. */
export interface OktaEmulator {
  /** Answers the request when its path is under `/api/v1`; resolves `false` (untouched) otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Users, groups and memberships; its `add*` methods seed without writing events. */
  state: OktaDirectory;
  /** Every state change, with Okta's rules, events and notifications (what the routes call). */
  operations: OktaOperations;
  /** The System Log. */
  systemLog: SystemLog;
  /** Runtime fault switches. */
  faults: OktaFaults;
  /** What the spec leaves open in answers; mutable (`answerSwitches.logEventNulls = "omitted"`). */
  answerSwitches: OktaAnswerSwitches;
  /**
   * Per-family limits (mutable: `rateLimits.limits["/api/v1/logs"] = 2`), `settings` (per-principal
   * share, concurrency limit, header switches) and window reset.
   */
  rateLimits: RateLimiter;
  /** Event hook delivery: records, the drop switch, the seeded `chaos` settings, `idle()`. */
  hooks: HookDelivery;
  /** Registered event hooks. */
  hookRegistry: EventHookRegistry;
  /** The token clients must present and the admin it acts as. */
  apiToken: string;
  admin: OktaAdmin;
  /** The Report Administrator's token (System Log only). */
  reportAdminToken: string;
  /** Every API token: `setCreatorRoles` (a creator's roles changed), the suspended-creator switch. */
  tokens: ApiTokens;
  /** API Services apps (`register` one with its public key, scopes and roles) and their tokens. */
  serviceApps: ServiceApps;
  /** Creates another SSWS token for `creator` (by default a new admin outside the directory) with `roles`. */
  issueApiToken(roles: AdminRole[], creator?: OktaAdmin): ApiToken;
  /** A request context for changes made without HTTP (demo scripts), acting as the admin. */
  internalContext(): RequestContext;
  /** Subscribes to changes (user status, memberships...); returns the unsubscribe function. */
  on(event: "change", listener: ChangeListener): () => void;
  /** Stops pending deliveries. */
  close(): void;
}

/** Builds an Okta emulator (no server: mount `handle` on one, or use `startOktaEmulatorServer`). */
export function createOktaEmulator(options: OktaEmulatorOptions = {}): OktaEmulator {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? Date.now;
  const nowIso = () => new Date(clock()).toISOString();
  const ids = new IdFactory(seed);
  const onUnexpectedError = options.onUnexpectedError ?? ((error: unknown) => console.error(error));
  const admin: OktaAdmin = {
    id: options.admin?.id ?? ids.objectId(ID_PREFIX.user),
    login: options.admin?.login ?? "admin@example.com",
    displayName: options.admin?.displayName ?? "Okta Admin",
  };
  const apiToken = options.apiToken ?? randomOktaApiToken();
  const tokenId = ids.objectId(ID_PREFIX.apiToken);
  const reportAdminToken = options.reportAdminToken ?? randomOktaApiToken();
  const directory = new OktaDirectory(ids, nowIso);
  const log = new SystemLog(`okta-emulator-${seed}-${ids.token(16)}`);
  const changes = new ChangeFeed(onUnexpectedError);
  const operations = new OktaOperations({ directory, log, ids, clock, changes });
  operations.deactivationMs = options.deactivationMs ?? 0;
  const hookRegistry = new EventHookRegistry(ids, nowIso);
  const hooks = new HookDelivery(hookRegistry, ids, {
    timeoutMs: 3000,
    batchWindowMs: 75,
    maxBatchSize: 50,
    retryDelayMs: 0,
    ...options.hookDelivery,
    fetch: options.fetch ?? globalThis.fetch,
    clock,
    monotonic: options.monotonic ?? (() => performance.now()),
    // Its own stream: switching chaos on changes no id and no other fault draw.
    chaosSeed: seed + 2,
  });
  log.onAppend((event) => hooks.enqueue(event));
  const faults = new OktaFaults(seed + 1);
  const limiter = new RateLimiter(options.rateLimits, options.rateLimitSettings);
  // A token follows its creator: a deactivated creator's tokens answer 401 (principals.ts).
  const tokens = new ApiTokens((adminId) => directory.user(adminId)?.status);
  const issueApiToken = (roles: AdminRole[], creator?: OktaAdmin, secret?: string): ApiToken =>
    tokens.add({
      token: secret ?? `00${ids.token(40)}`,
      id: ids.objectId(ID_PREFIX.apiToken),
      creator: creator ?? {
        id: ids.objectId(ID_PREFIX.user),
        login: "api-admin@example.com",
        displayName: "API Admin",
      },
      roles,
    });
  tokens.add({
    token: apiToken,
    id: tokenId,
    creator: admin,
    roles: options.apiTokenRoles ?? [{ type: "SUPER_ADMIN" }],
  });
  // Fixed ids (not drawn from the seeded stream, so every other id stays as it was).
  tokens.add({
    token: reportAdminToken,
    id: "00Tlocalreportadmin0",
    creator: { id: "00ulocalreportadmin0", login: "report-admin@example.com", displayName: "Report Admin" },
    roles: [{ type: "REPORT_ADMIN" }],
  });
  // Client ids are random, not drawn from the seeded stream: registering an app changes no other id.
  const serviceApps = new ServiceApps(
    clock,
    () => `0oa${randomUUID().replaceAll("-", "").slice(0, 17)}`,
    options.oauth,
  );
  seedEstate(directory, options.estate);

  const services: OktaServices = {
    directory,
    operations,
    log,
    hooks: hookRegistry,
    delivery: hooks,
    faults,
    ids,
    clock,
    answerSwitches: { ...DEFAULT_ANSWER_SWITCHES, ...options.answerSwitches },
  };
  const routes = [
    ...userRoutes(services),
    ...groupRoutes(services),
    ...logRoutes(services),
    ...eventHookRoutes(services),
  ];
  const config = {
    routes,
    services,
    limiter,
    resolvePrincipal: (authorization: string | undefined, req: IncomingMessage, url: URL) =>
      presentsAccessToken(req)
        ? oauthPrincipal(serviceApps, req, url, baseUrlOf(req, options.orgUrl))
        : resolvePrincipal(authorization, tokens),
    orgUrl: options.orgUrl,
    onUnexpectedError,
  };

  return {
    handle: async (req, res) =>
      (await handleTokenRequest(serviceApps, options.orgUrl, req, res)) || routeRequest(config, req, res),
    state: directory,
    operations,
    systemLog: log,
    faults,
    answerSwitches: services.answerSwitches,
    rateLimits: limiter,
    hooks,
    hookRegistry,
    apiToken,
    admin,
    reportAdminToken,
    tokens,
    serviceApps,
    issueApiToken: (roles, creator) => issueApiToken(roles, creator),
    internalContext: () => ({
      requestId: ids.requestId(),
      requestUri: "/admin",
      url: "/admin?",
      ipAddress: "127.0.0.1",
      userAgent: "okta-emulator",
      apiTokenId: null,
      actor: admin,
    }),
    on: (_event, listener) => changes.subscribe(listener),
    close: () => {
      hooks.close();
      operations.close();
    },
  };
}

function seedEstate(directory: OktaDirectory, estate: OktaEmulatorOptions["estate"]): void {
  for (const user of estate?.users ?? []) {
    directory.addUser({
      ...(user.id === undefined ? {} : { id: user.id }),
      status: user.status ?? "ACTIVE",
      profile: user.profile,
    });
  }
  for (const input of estate?.groups ?? []) {
    const group = directory.addGroup({
      ...(input.id === undefined ? {} : { id: input.id }),
      ...(input.type === undefined ? {} : { type: input.type }),
      ...(input.sourceAppId === undefined ? {} : { sourceAppId: input.sourceAppId }),
      name: input.name,
      description: input.description ?? null,
    });
    for (const member of input.members ?? []) {
      const user = directory.user(member);
      if (user === undefined) throw new Error(`estate group ${input.name}: no user ${member}`);
      directory.addMember(group, user);
    }
  }
  for (const { users, ...app } of estate?.apps ?? []) {
    for (const member of users) {
      const user = directory.user(member);
      if (user === undefined) throw new Error(`estate app ${app.name}: no user ${member}`);
      directory.apps.assign(app, user.id, `0ua${user.id.slice(3)}`);
    }
  }
}
