import { Metrics } from "@aws-lambda-powertools/metrics";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { STSClient } from "@aws-sdk/client-sts";
import { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { EstateWindows } from "../../adapters/estate-windows.ts";
import { EvidenceStore } from "../../adapters/evidence-store.ts";
import { IamCustomerManagedPolicyLookup } from "../../adapters/iam/customer-managed-policy-lookup.ts";
import { IamCredentialDiscovery } from "../../adapters/iam/iam-credential-discovery.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import { IamCredentialRevocation, revocationClients } from "../../adapters/iam/revoke-credentials.ts";
import { iamPolicyGrammar } from "../../adapters/iam-policy-grammar.ts";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { IdentityLinks } from "../../adapters/identity-links.ts";
import { IdentityStorePrincipals } from "../../adapters/identity-store-principals.ts";
import { LeaseLock } from "../../adapters/lease-lock.ts";
import {
  LIFECYCLE_DETAIL_TYPE,
  LIFECYCLE_SOURCE,
  LifecycleBus,
  type LifecycleBusDetail,
} from "../../adapters/lifecycle-bus.ts";
import { LocalEvidenceSigner } from "../../adapters/local-evidence-signer.ts";
import { ALL_OKTA_SCOPES, OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import { OktaAdapter } from "../../adapters/okta.ts";
import { CredentialsGuardrail } from "../../adapters/organizations/credentials-guardrail.ts";
import { OrganizationsAdapter } from "../../adapters/organizations.ts";
import { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import { SessionTagStore } from "../../adapters/session-tag-store.ts";
import { WorkStore } from "../../adapters/work-store.ts";
import { durationMs } from "../../core/duration.ts";
import { identityCenterUserName, userNameMappingOf } from "../../core/identity/user-name-format.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type { Topology } from "../../core/topology.ts";
import { createDispatchHandler } from "../../functions/dispatch/create-handler.ts";
import { createOktaHookHandler } from "../../functions/okta-hook/create-handler.ts";
import { managementAccountAccess } from "../../functions/shared/management-account-access.ts";
import { credentialPorts } from "../../functions/user-reconcile/credential-ports.ts";
import type { EstateReconcileDeps } from "../../usecases/reconcile-estate/reconcile-estate.ts";
import { estateReconcileTasks } from "../../usecases/reconcile-estate/tasks.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";
import {
  USER_RUN_SIGNAL_METRICS,
  type UserRunSignal,
  userRunSignals,
} from "../../usecases/reconcile-user/run-signals.ts";
import type { UserRunState } from "../../usecases/reconcile-user/run-state.ts";
import { type UserReconcileDeps, userReconcileTasks } from "../../usecases/reconcile-user/tasks.ts";
import type { State } from "../../workflows/asl.ts";
import {
  ESTATE_RECONCILE_TASKS,
  type EstateReconcileResources,
  estateReconcileDefinition,
} from "../../workflows/estate-reconcile.ts";
import {
  USER_RECONCILE_DENY_PATH,
  USER_RECONCILE_TASKS,
  type UserReconcileResources,
  userReconcileDefinition,
} from "../../workflows/user-reconcile.ts";
import { type AwsBehaviourSwitches, DEFAULT_AWS_BEHAVIOUR } from "../emulators/aws-behaviour-switches.ts";
import { localClientConfig } from "../emulators/aws-json-server.ts";
import { callerAccountOf } from "../emulators/iam/caller-account.ts";
import { createIamEmulator, type IamEmulator } from "../emulators/iam/index.ts";
import {
  createIdentityCenterEmulator,
  type IdentityCenterEmulator,
} from "../emulators/identity-center/index.ts";
import { createOktaEmulator, type OktaEmulator } from "../emulators/okta/index.ts";
import { createOrganizationsEmulator, type OrganizationsEmulator } from "../emulators/organizations/index.ts";
import { demoEstate, demoPolicyYaml } from "../estate/demo-estate.ts";
import { withOktaIds } from "../estate/okta-ids.ts";
import type { EstateFile } from "../estate/schema.ts";
import { SCIM_EXTERNAL_ID_ISSUER } from "../estate/scim-projection.ts";
import { createAbacCanaryProver } from "../runtime/abac-canary-prover.ts";
import { createCredentialProver } from "../runtime/credential-prover.ts";
import { createDenyProver } from "../runtime/deny-prover.ts";
import { createEventBusEmulator, type EventBusEmulator } from "../runtime/event-bus-emulator.ts";
import { underFunctionName } from "../runtime/function-environment.ts";
import { lambdaContext } from "../runtime/lambda-context.ts";
import { createSdkTaskInvoker } from "../runtime/sdk-task-invoker.ts";
import { type LogSink, localLogger } from "../runtime/sink-logger.ts";
import { createStepFunctionsEmulator } from "../runtime/step-functions-emulator.ts";
import { type StorageServers, startStorageServers } from "../runtime/storage-servers.ts";
import { cloudTrailCaller } from "./cloudtrail-caller.ts";
import {
  estateTriggerRules,
  identityCenterEventsBus,
  LOCAL_ROLE_PATH,
  managementAccountEventsBus,
  organizationsEventsBus,
} from "./estate-trigger-rules.ts";
import { startGateway } from "./gateway.ts";
import {
  IngressLedger,
  LOCAL_FUNCTION_NAMES,
  recordDispatch,
  recordHook,
  recordPublishes,
  startIngressChannels,
} from "./ingress-channels.ts";
import { LOCAL_MANAGEMENT_KEY, type LocalTopology, setUpLocalTopology } from "./local-topology.ts";
import { type LocalOktaAuthMode, localOktaAuth } from "./okta-auth.ts";
import { parsePolicyUpdate } from "./policy-update.ts";
import { registerEventHook } from "./register-hook.ts";
import { startScimSync } from "./scim-sync.ts";
import { seedAwsEmulators } from "./seed-estate.ts";
import { seedIamEstate } from "./seed-iam-estate.ts";
import { createStackFaults } from "./stack-faults.ts";

/** Emulator speed: `fast` for tests and the demo, `aws` for AWS-like latency and limits (benchmarks). */
export type LatencyProfile = "fast" | "aws";

export interface LocalStackOptions {
  /** The gateway port; S3 and DynamoDB take the next two. 0 picks free ports (tests). @default 8787 */
  port?: number;
  /** @default the built-in demo estate */
  estate?: EstateFile;
  /** The access policy YAML. @default the demo estate's policy */
  policyYaml?: string;
  /** The Authorization header value Okta sends and the hook expects. */
  hookSecret: string;
  /** Local shortening of the user-reconcile `Hold` wait (seconds); AWS waits the policy's hold. @default 60 */
  holdSeconds?: number;
  /** Local shortening of the status-poll waits (ms); AWS waits 1 s. @default 200 */
  pollMs?: number;
  /** Local shortening of every Task retry interval (ms); AWS backs off with full jitter. @default the definition's */
  retryIntervalMs?: number;
  /** @default "fast" */
  latency?: LatencyProfile;
  /** Delay before an Okta change reaches Identity Center through SCIM (ms). @default 0 */
  scimLagMs?: number;
  /**
   * Whether the SCIM model stores the Okta user id as each Identity Center user's external id (issuer
   * SCIM_EXTERNAL_ID_ISSUER). AWS does not document what Okta's SCIM stores: `false` models a SCIM that
   * stores none, and the pipeline must be right under both. @default true
   */
  scimExternalIds?: boolean;
  /**
   * How long an Okta deactivation takes to complete (the user reads ACTIVE with transitioningToStatus
   * DEPROVISIONED meanwhile). Okta documents no duration. @default 300
   */
  oktaDeactivationMs?: number;
  /**
   * Answers AWS does not document, one switch each (local/emulators/aws-behaviour-switches.ts,
   * docs/aws-behaviour.md); `npx okta-aws-lifecycle probe` says which your org gives.
   * @default DEFAULT_AWS_BEHAVIOUR
   */
  awsBehaviour?: Partial<AwsBehaviourSwitches>;
  /**
   * The organization's SCP quotas (characters per SCP, SCPs per target), given to the Organizations
   * emulator and, as a deployed stage's OAL_SCP_MAX_CHARS / OAL_SCP_MAX_PER_TARGET, to the adapter.
   * Small ones play a layoff that overflows the revocation SCPs. @default 5,120 and 5 (the quota page)
   */
  scpLimits?: { maxPolicyChars?: number; maxPoliciesPerTarget?: number };
  /** Where the stack reports what it does. */
  log?: (line: string) => void;
  /** The System Log poller's interval (ms); 0: only `pollNow()` polls. @default 300000 (5 minutes, as deployed) */
  pollIntervalMs?: number;
  /** Forward each System Log event to the Log Streaming handler after this many ms. @default off */
  logStreamingLagMs?: number;
  /** Per-user coalescing window of joiner/mover runs (ms). @default 10000 */
  coalesceWindowMs?: number;
  /**
   * Lambda Task invocations the local Step Functions runs at once; the rest wait their turn
   * (local/runtime/task-concurrency.ts). @default DEFAULT_MAX_CONCURRENT_TASKS (2 per core, at least 4)
   */
  maxConcurrentTasks?: number;
  /**
   * Local shortening of the estate coalescing window (ms): event-driven estate runs of one window fold
   * into one (core/dispatch/estate-window.ts). AWS uses ESTATE_COALESCE_WINDOW_SECONDS. @default 1000
   */
  estateCoalesceWindowMs?: number;
  /**
   * How the stack's functions authenticate to the Okta emulator: `ssws` (the API token) or `oauth` (an
   * API Services app with a generated key pair, DPoP-bound tokens, per-function scopes). @default "ssws"
   */
  oktaAuth?: LocalOktaAuthMode;
  /** Receives every Powertools log line of the stack's functions (at DEBUG). @default quiet (WARN, stdout) */
  logSink?: LogSink;
  /**
   * Where the stack runs (core/topology.ts, local/stack/local-topology.ts): `management`, or `delegated-admin`
   * (Identity Center's delegated administrator: its changes in the management account are refused, and the
   * Deny tasks go through the management component). @default "management"
   */
  topology?: Topology;
  /** delegated-admin: the account the stack runs in. @default the estate's first active member account */
  delegatedAdminAccountId?: string;
  /**
   * delegated-admin: whether the management component is installed in the management account; without it
   * the management-account Deny is skipped with a finding and the DenyPlacementsSkipped signal. @default true
   */
  managementComponent?: boolean;
}

const LAMBDA_ARN = (task: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:okta-aws-lifecycle-${task}`;
export const USER_RECONCILE_ARN =
  "arn:aws:states:us-east-1:000000000000:stateMachine:okta-aws-lifecycle-user-reconcile";
const BUS = "okta-aws-lifecycle-lifecycle";
const BUCKET = "okta-aws-lifecycle-evidence";
/** The local run scratch bucket (infra/work-bucket.ts deploys its AWS counterpart). */
export const WORK_BUCKET = "okta-aws-lifecycle-work";
export const ESTATE_RECONCILE_ARN =
  "arn:aws:states:us-east-1:000000000000:stateMachine:okta-aws-lifecycle-estate-reconcile";
const TABLES = { idempotency: "okta-aws-lifecycle-idempotency", state: "okta-aws-lifecycle-state" };

/** Wait states of a definition (Map processors included), for local shortening. */
function waitStates(states: Record<string, State>): string[] {
  return Object.entries(states).flatMap(([name, s]) =>
    s.Type === "Wait" ? [name] : s.Type === "Map" ? waitStates(s.ItemProcessor.States) : [],
  );
}

export class LocalStackConfigError extends Error {
  override name = "LocalStackConfigError";
}

/**
 * The whole pipeline on loopback, with no AWS or Okta account: emulators that speak the real
 * protocols, the very Lambda handlers and Step Functions definition that deploy to AWS, an in-process
 * bus with the deployed rule pattern, s3rver and dynalite. Used by `npm start`, the demo, the
 * end-to-end tests and the benchmarks.
 */
export async function startLocalStack(options: LocalStackOptions) {
  const log = options.log ?? (() => {});
  const estate = withOktaIds(options.estate ?? demoEstate());
  const loaded = loadPolicy(
    options.policyYaml ?? demoPolicyYaml({ identityCenterApp: estate.okta.identityCenterApp }),
    "policy.yaml",
    { grammar: iamPolicyGrammar },
  );
  if (!loaded.ok) {
    throw new LocalStackConfigError(
      `the access policy is invalid:\n${loaded.errors.map((e) => `  ${e.file}:${e.line}:${e.column} ${e.path} ${e.message}`).join("\n")}`,
    );
  }
  const policy: Policy = loaded.policy;
  // What every run reads; `setPolicy` swaps it. Deployment settings (management account, provisioning
  // app ids) stay those of the start policy, as AWS reads them from the stack's configuration.
  let livePolicy: Policy = policy;
  // CloudWatch EMF has nowhere to go on a laptop: metrics stay off unless asked for.
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  const port = options.port ?? 8787;
  const latencyMs = options.latency === "aws" ? 1_000 : 5;
  // AWS allows about 20 sso-admin calls a second; the fast profile lifts the limit.
  const ssoAdminTps = options.latency === "aws" ? 20 : 1_000;

  const storage: StorageServers = await startStorageServers({
    s3Port: port === 0 ? 0 : port + 1,
    dynamoPort: port === 0 ? 0 : port + 2,
    bucket: BUCKET,
    extraBuckets: [WORK_BUCKET],
    tables: TABLES,
  });

  const awsBehaviour: AwsBehaviourSwitches = { ...DEFAULT_AWS_BEHAVIOUR, ...options.awsBehaviour };
  const topology = options.topology ?? "management";
  const managementAccountId = estate.organization.managementAccountId;
  // Who signed a call (the IAM and STS emulator's keys and sessions), bound once that emulator exists.
  let callerAccount: (accessKeyId: string | undefined) => string | undefined = () => undefined;
  // Identity Center's CloudTrail events reach the default bus of the stack's region (bound below), with
  // the caller as CloudTrail names it (cloudtrail-caller.ts, bound once the IAM emulator exists).
  let identityCenterEvents: EventBusEmulator | undefined;
  // Delegated administrator: the management account's default bus, for changes made from there.
  let managementAccountEvents: EventBusEmulator | undefined;
  let ssoCaller: (accessKeyId: string | undefined) => Record<string, unknown> = () => ({});
  let ssoAccountId = managementAccountId;
  const identityCenterEmulator: IdentityCenterEmulator = createIdentityCenterEmulator({
    behaviour: awsBehaviour,
    cloudTrail: {
      get accountId() {
        return ssoAccountId;
      },
      region: "us-east-1",
      callerIdentity: (key) => ssoCaller(key),
      accountOf: (key) => callerAccount(key) ?? ssoAccountId,
      listener: (event) =>
        (topology === "delegated-admin" && event.account === managementAccountId
          ? managementAccountEvents
          : identityCenterEvents
        )?.publish(event),
    },
    ...(topology === "delegated-admin"
      ? { delegatedAdministration: { managementAccountId, accountOf: (key) => callerAccount(key) } }
      : {}),
    limits: {
      latencyMs,
      ssoAdminTps,
      ...(options.latency === "aws" ? {} : { identityStoreTps: 1_000 }),
    },
  });
  // Organizations events reach the default bus of us-east-1 (bound below, before any call can arrive).
  let organizationsEvents: EventBusEmulator | undefined;
  const organizationsEmulator: OrganizationsEmulator = createOrganizationsEmulator({
    behaviour: awsBehaviour,
    onCloudTrailEvent: (event) => organizationsEvents?.publish(event),
    rootId: estate.organization.rootId,
    ...(options.scpLimits ? { limits: options.scpLimits } : {}),
    managementAccount: {
      id: estate.organization.managementAccountId,
      name: "management",
      email: "aws-management@example.com",
    },
  });
  // IAM and STS of every account; the stack's own key ("local") is the management account's root.
  // Seeded member accounts join as INVITED: the stack treats them as having the access role their
  // administrators create (organization-access-role.ts), so every member account has it, as in a real estate.
  const iamEmulator: IamEmulator = createIamEmulator({
    managementAccountId: estate.organization.managementAccountId,
    organization: {
      joinedMethod: (accountId) => organizationsEmulator.state.accounts.get(accountId)?.joinedMethod,
      invitedAccounts: true,
    },
  });
  callerAccount = callerAccountOf(iamEmulator.state, {
    managementAccountId,
    managementAccessKeyIds: [LOCAL_MANAGEMENT_KEY.accessKeyId],
  });
  const localTopology: LocalTopology = setUpLocalTopology(iamEmulator, {
    topology,
    managementAccountId,
    delegatedAdminAccountId:
      options.delegatedAdminAccountId ??
      estate.organization.accounts.find((a) => a.id !== managementAccountId && a.status === "ACTIVE")?.id ??
      managementAccountId,
    managementComponent: options.managementComponent ?? true,
  });
  // The estate's IAM users, SAML federation and, in every account, the member roles (issue 16).
  seedIamEstate(iamEmulator, estate, {
    toolAccountId: localTopology.accountId,
    credentials: policy.credentials,
  });
  ssoAccountId = localTopology.accountId;
  ssoCaller = cloudTrailCaller(iamEmulator.state, {
    toolKeys: [LOCAL_MANAGEMENT_KEY.accessKeyId, localTopology.credentials.accessKeyId],
    toolRoleArn: `arn:aws:iam::${localTopology.accountId}:role${LOCAL_ROLE_PATH}okta-aws-lifecycle-local-tasks`,
    defaultAccountId: managementAccountId,
  });
  const okta: OktaEmulator = createOktaEmulator({
    estate: {
      users: estate.okta.users.map((u) => ({
        id: u.id,
        status: u.status,
        profile: {
          login: u.login,
          email: u.login,
          firstName: u.firstName,
          lastName: u.lastName,
          ...(u.profile ?? {}),
        },
      })),
      groups: [
        ...estate.okta.groups.map((g) => ({
          id: g.id,
          name: g.name,
          description: g.description ?? null,
          members: estate.okta.memberships.filter((m) => m.group === g.name).map((m) => m.user),
        })),
        // APP_GROUPs imported from AD or LDAP, which may share an OKTA_GROUP's name (management spec, GroupType).
        ...estate.okta.appGroups.map((g) => ({
          id: g.id,
          type: "APP_GROUP" as const,
          sourceAppId: g.sourceAppId,
          name: g.name,
          description: g.description ?? null,
          members: g.members,
        })),
      ],
    },
    deactivationMs: options.oktaDeactivationMs ?? 300,
    onUnexpectedError: (error) => log(`okta emulator error: ${(error as Error).message}`),
  });
  // Okta calls hooks over HTTPS only; the laptop's gateway is plain http on 127.0.0.1 (the named exception).
  okta.hookRegistry.allowLoopbackHttp = true;
  const scimExternalIds = options.scimExternalIds ?? true;
  const { scpSlots } = seedAwsEmulators(
    estate,
    { organizations: organizationsEmulator, identityCenter: identityCenterEmulator },
    undefined,
    { scimExternalIds, scimDeactivation: awsBehaviour.scimDeactivation },
  );
  // ABAC enabled with the keys the start policy lists, as an administrator following docs/policy.md
  // would have; the demo's values arrive in the SAML assertion (AccessControl:<key>), so no source path.
  if (policy.abac) {
    identityCenterEmulator.seed.accessControlAttributes(
      policy.abac.attributes.map((a) => ({ key: a.key, source: "" })),
    );
  }

  // The gateway must exist before clients point at it; services are bound below.
  const services: import("../emulators/aws-json-protocol.ts").AwsJsonService[] = [];
  let onHook: Parameters<typeof startGateway>[1]["oktaHook"] = async () => ({
    statusCode: 503,
    body: "starting",
  });
  let stateProvider: () => Promise<unknown> = async () => ({});
  let pageProvider: () => Promise<string> = async () => "starting";
  const gateway = await startGateway(port, {
    oktaHook: (event, context) => onHook(event, context),
    okta: (req, res) => okta.handle(req, res),
    aws: services,
    awsQuery: iamEmulator.services,
    state: () => stateProvider(),
    page: () => pageProvider(),
  });
  // The stack's functions and tasks sign as the account they run in (local-topology.ts). Adaptive
  // retries: each client slows down on ThrottlingException instead of spending the 20 TPS on retries.
  const aws = {
    ...localClientConfig(gateway.url),
    credentials: localTopology.credentials,
    maxAttempts: 3,
    retryMode: "adaptive",
  };
  const ssoAdmin = new SSOAdminClient(aws);
  const identityStore = new IdentitystoreClient(aws);
  const identityCenter = new IdentityCenterAdapter({
    ssoAdmin,
    identityStore,
    instanceArn: identityCenterEmulator.instanceArn,
    identityStoreId: identityCenterEmulator.identityStoreId,
  });
  // The user runs' Deny path calls through its own clients: each SDK client's adaptive retry mode keeps
  // its own rate limiter, so a burst's read-backs and deletions never queue ahead of a leaver's Deny
  // (in AWS each task runs in its own Lambda instance with its own clients).
  const denyPathIdentityCenter = new IdentityCenterAdapter({
    ssoAdmin: new SSOAdminClient(aws),
    identityStore: new IdentitystoreClient(aws),
    instanceArn: identityCenterEmulator.instanceArn,
    identityStoreId: identityCenterEmulator.identityStoreId,
  });
  const organizations = new OrganizationsAdapter({
    client: new OrganizationsClient(aws),
    ...options.scpLimits,
  });
  // The slots the seed created, as a deployed function is told them (REVOCATION_SCP_IDS).
  const revocationScps = organizations.revocationScpPort({
    targetId: estate.organization.rootId,
    slots: scpSlots,
  });
  // SSWS, or an OAuth service app (DPoP) whose adapters each ask for their own scopes: okta-auth.ts.
  const oktaAuth = await localOktaAuth(okta, options.oktaAuth ?? "ssws");
  const oktaFor = (scopes: readonly string[]) =>
    new OktaAdapter({ orgUrl: gateway.url, ...oktaAuth.credentials(scopes) });
  const oktaAdapter = oktaFor(ALL_OKTA_SCOPES);
  const oktaUserRead = oktaFor(OKTA_SCOPES.userRead);
  const oktaSessions = oktaFor(OKTA_SCOPES.clearSessions);
  const table = { doc: storage.doc, tableName: TABLES.state };
  const ledger = new DenyLedger(table);
  const lock = new LeaseLock(table);
  const marker = new RevocationWriteMarker(table);
  // The manifests' signing key: a fresh key pair per start (in AWS, a KMS asymmetric key).
  const evidenceSigner = LocalEvidenceSigner.generate();
  const evidence = new EvidenceStore({ s3: storage.s3, bucket: BUCKET, table, signer: evidenceSigner });
  const now = () => new Date().toISOString();
  // The user-reconcile settings the policy decides; the tasks are rebuilt with them on `setPolicy`.
  const policySettings = (current: Policy) => ({
    holdMs: Math.max(
      durationMs(current.revocation.hold),
      ...estate.identityCenter.permissionSets.map((p) => durationMs(p.sessionDuration)),
    ),
    membershipSync: current.ownership.membershipSync,
    policy: current,
    sessionTagAttributes: current.sessionTagAttributes,
    externalIdIssuer: current.okta.identityCenterApp.externalIdIssuer,
    userNames: userNameMappingOf(current.okta.identityCenterApp),
  });
  // The Deny tasks reach the management account as deployed: directly, or by assuming the component.
  const managementAccess = managementAccountAccess(
    {
      TOPOLOGY: topology,
      MANAGEMENT_ROLE_ARN: localTopology.component?.roleArn,
      MANAGEMENT_EXTERNAL_ID: localTopology.component?.externalId,
    },
    {
      instanceArn: identityCenterEmulator.instanceArn,
      identityStoreId: identityCenterEmulator.identityStoreId,
    },
    { endpoint: gateway.url, region: "us-east-1", credentials: localTopology.credentials },
  );
  const userTaskDeps: Omit<UserReconcileDeps, keyof ReturnType<typeof policySettings>> = {
    // As deployed: reads with okta.users.read, the session clear alone with okta.users.manage.
    okta: {
      getUser: (id) => oktaUserRead.getUser(id),
      listUserGroups: (id) => oktaUserRead.listUserGroups(id),
      findGroupsByName: (name) => oktaUserRead.findGroupsByName(name),
      findGroupById: (id) => oktaUserRead.findGroupById(id),
      clearUserSessions: (id) => oktaSessions.clearUserSessions(id),
    },
    identityCenter,
    denyPathIdentityCenter,
    lock,
    marker,
    scps: revocationScps,
    ledger,
    evidence,
    scratch: new WorkStore({ s3: storage.s3, bucket: WORK_BUCKET }),
    instanceArn: identityCenterEmulator.instanceArn,
    identityStoreId: identityCenterEmulator.identityStoreId,
    managementAccountId: policy.managementAccountId ?? estate.organization.managementAccountId,
    managementAccess,
    sessionTags: new SessionTagStore(table),
    links: new IdentityLinks(table),
    coalesced: new CoalescedEvents(table),
    prover: createDenyProver(estate.organization.rootId),
    // A leaver's IAM users and federated sessions (issue 16), through the gateway's STS and IAM, as deployed.
    credentialPorts: credentialPorts({
      sts: new STSClient(aws),
      organization: organizations,
      listUsers: () => oktaUserRead.listUsers(),
      assignedApps: (userId) => oktaUserRead.listAppLinks(userId),
      connection: { endpoint: gateway.url, region: "us-east-1", maxAttempts: 3 },
      prover: createCredentialProver(estate.organization.rootId),
    }),
    now,
  };
  const userTasksFor = (current: Policy) =>
    userReconcileTasks({ ...userTaskDeps, ...policySettings(current) });
  let tasks = userTasksFor(policy);
  /** Counts of the alarmed signals user runs emitted (usecases/reconcile-user/run-signals.ts). */
  const signals: Partial<Record<UserRunSignal, number>> = {};
  // Say on the console when a run records its evidence: the moment a leaver's access is gone.
  const logEvidence =
    (task: string, handler: (input: unknown) => Promise<unknown>) =>
    async (input: unknown): Promise<unknown> => {
      const result = await handler(input);
      if (task === "writeUserEvidence") {
        const state = input as UserRunState;
        log(`evidence ${(result as { key: string }).key} (${state.plan?.decision}: ${state.plan?.reason})`);
        // What the deployed evidence task emits as metrics, and CloudWatch alarms on.
        for (const signal of userRunSignals(state)) {
          signals[signal] = (signals[signal] ?? 0) + 1;
          if (signal !== USER_RUN_SIGNAL_METRICS.revocations) log(`ALARM ${signal}: ${state.plan?.reason}`);
        }
      }
      return result;
    };
  const resources = Object.fromEntries(
    USER_RECONCILE_TASKS.map((t) => [t, LAMBDA_ARN(t)]),
  ) as UserReconcileResources;
  const definition = userReconcileDefinition(resources);
  const pollMs = options.pollMs ?? 200;
  const waitOverridesMs = Object.fromEntries(
    waitStates(definition.States)
      // A coalesced run must really wait for its window to close (core/dispatch/coalesce.ts).
      .filter((name) => name !== "AwaitWindowEnd")
      .map((name) => [name, name === "Hold" ? (options.holdSeconds ?? 60) * 1000 : pollMs]),
  );
  const machines: Parameters<typeof createStepFunctionsEmulator>[0] = [];
  const stepFunctions = createStepFunctionsEmulator(
    machines,
    createSdkTaskInvoker(
      { ...localClientConfig(gateway.url), credentials: localTopology.credentials },
      { identityStoreErrorPrefix: () => awsBehaviour.identityStoreErrorPrefix },
    ),
    (run) => {
      const seconds = ((run.stopDate?.getTime() ?? Date.now()) - run.startDate.getTime()) / 1000;
      log(
        `${run.stateMachineArn.split(":").pop()} ${run.name}: ${run.status}${run.error ? ` (${run.error}: ${run.cause})` : ""} after ${seconds.toFixed(1)} s`,
      );
    },
    options.maxConcurrentTasks === undefined ? {} : { maxConcurrentTasks: options.maxConcurrentTasks },
  );
  machines.push({
    arn: USER_RECONCILE_ARN,
    definition,
    lambdas: Object.fromEntries(
      USER_RECONCILE_TASKS.map((t) => [
        resources[t],
        // Through `tasks` at call time: a policy swap reaches the next task that runs.
        logEvidence(t, (input) => (tasks[t] as (input: unknown) => Promise<unknown>)(input)),
      ]),
    ),
    waitOverridesMs,
    ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    // A leaver's path to the Deny goes first when the machine's task slots are all taken.
    urgentStates: USER_RECONCILE_DENY_PATH,
  });

  const ingress = new IngressLedger();
  const dispatch = createDispatchHandler({
    logger: localLogger("dispatch", options.logSink),
    sfn: new SFNClient(aws),
    userReconcileArn: USER_RECONCILE_ARN,
    coalesced: new CoalescedEvents(table),
    ...(options.coalesceWindowMs === undefined ? {} : { coalescing: { windowMs: options.coalesceWindowMs } }),
  });
  const bus = createEventBusEmulator(BUS, [
    {
      name: "lifecycle-to-dispatch",
      pattern: { source: [LIFECYCLE_SOURCE], "detail-type": [LIFECYCLE_DETAIL_TYPE] },
      target: async (event) => {
        const result = await dispatch(event as never, lambdaContext("dispatch"));
        const detail = event.detail as LifecycleBusDetail;
        recordDispatch(ingress, detail, result);
        log(`dispatch: ${detail.event.kind} ${detail.event.eventType} -> ${JSON.stringify(result)}`);
        return result;
      },
    },
    // The estate triggers (workflows/estate-triggers.ts) as deployed: each starts an estate run.
    ...estateTriggerRules({ sfn: new SFNClient(aws), estateReconcileArn: ESTATE_RECONCILE_ARN, log }),
  ]);
  organizationsEvents = organizationsEventsBus(bus);
  managementAccountEvents = managementAccountEventsBus(localTopology.component?.installed ? bus : undefined);
  identityCenterEvents = identityCenterEventsBus({
    sfn: new SFNClient(aws),
    estateReconcileArn: ESTATE_RECONCILE_ARN,
    log,
  });
  services.push(
    ...identityCenterEmulator.services,
    organizationsEmulator.service,
    bus.service,
    stepFunctions.service,
  );

  // The three ingress functions share the idempotency table, as deployed, and each builds its own
  // publisher under its own AWS_LAMBDA_FUNCTION_NAME, as in AWS: de-duplication across channels must
  // hold with three function names (adapters/idempotent-publisher.ts, OKTA_EVENT_KEY_PREFIX).
  const ingest = (functionName: string) => ({
    normalizeOptions: {
      provisioningAppIds: policy.okta.provisioningAppIds,
      // The pipeline's own session clears (a leaver run's) start no run: the local token's admin is its actor.
      // On OAuth the pipeline's own calls are logged with the service app (its client id) as actor.
      pipelineActorIds: [
        ...policy.compromiseSignals.pipelineActorIds,
        okta.admin.id,
        ...(oktaAuth.endpoint.serviceApp ? [oktaAuth.endpoint.serviceApp.clientId] : []),
      ],
    },
    publish: recordPublishes(
      ingress,
      underFunctionName(functionName, () =>
        createIdempotentPublisher({
          bus: new LifecycleBus({ client: new EventBridgeClient(aws), busName: BUS }),
          client: storage.dynamo,
          tableName: TABLES.idempotency,
        }),
      ),
    ),
    now,
  });
  onHook = recordHook(
    ingress,
    createOktaHookHandler({
      ...ingest(LOCAL_FUNCTION_NAMES.hook),
      logger: localLogger("okta-hook", options.logSink),
      metrics: new Metrics({ namespace: "OktaAwsLifecycle", serviceName: "okta-hook" }),
      hookSecrets: async () => [options.hookSecret],
    }) as never,
  );
  const channels = startIngressChannels({
    okta,
    oktaAdapter: oktaFor(OKTA_SCOPES.systemLog),
    table,
    ingest,
    ledger: ingress,
    pollIntervalMs: options.pollIntervalMs ?? 300_000,
    logStreamingLagMs: options.logStreamingLagMs ?? null,
    logSink: options.logSink,
    log,
  });

  const scim = startScimSync({
    okta,
    identityStore,
    identityStoreId: identityCenterEmulator.identityStoreId,
    identityCenter,
    pushedGroups: estate.identityCenter.scim.provisionedGroups,
    lagMs: options.scimLagMs ?? 0,
    userNameOf: (user: { login: string; profile: Record<string, unknown> }) =>
      identityCenterUserName(
        { login: user.login, profile: user.profile as Record<string, string | null> },
        userNameMappingOf(estate.okta.identityCenterApp),
      ),
    ...(scimExternalIds
      ? {
          stampExternalId: (userId: string, oktaUserId: string) =>
            identityCenterEmulator.seed.externalIds(userId, [
              { issuer: SCIM_EXTERNAL_ID_ISSUER, id: oktaUserId },
            ]),
        }
      : {}),
    deactivation: () => awsBehaviour.scimDeactivation,
    setUserStatus: (userId, status) => identityCenterEmulator.seed.userStatus(userId, status),
    onError: (error) => log(`scim sync error: ${(error as Error).message}`),
  });
  const hook = await registerEventHook({
    orgUrl: gateway.url,
    credentials: oktaAuth.credentials(OKTA_SCOPES.registerHook),
    hookUrl: `${gateway.url}/okta/events`,
    secret: options.hookSecret,
  });
  log(`event hook ${hook.id} ${hook.verificationStatus}`);

  const enforceDeps = {
    ledger,
    lock,
    marker,
    scps: revocationScps,
    identityCenter,
    instanceArn: identityCenterEmulator.instanceArn,
    managementAccountId: policy.managementAccountId ?? estate.organization.managementAccountId,
    managementAccess,
    massFallback: async () => livePolicy.revocation.massFallback,
    provisionPollMs: pollMs,
    now,
  };
  // estate-reconcile: the same definition, its Lambda tasks in-process.
  const budgetedIdentityCenter = (budget: ThrottleBudget) =>
    new IdentityCenterAdapter({
      ssoAdmin: budget.pace(new SSOAdminClient(aws)),
      identityStore,
      instanceArn: identityCenterEmulator.instanceArn,
      identityStoreId: identityCenterEmulator.identityStoreId,
    });
  const estateResources = Object.fromEntries(
    ESTATE_RECONCILE_TASKS.map((t) => [t, LAMBDA_ARN(t)]),
  ) as EstateReconcileResources;
  // Estate runs record identity links and confirm orphans by id (usecases/reconcile-estate/).
  const estateLinks = new IdentityLinks(table);
  const estatePrincipals = new IdentityStorePrincipals({
    client: identityStore,
    identityStoreId: identityCenterEmulator.identityStoreId,
  });
  // The estate sweep's member-account sessions, through the gateway's STS and IAM (issue 16).
  const credentialSessions = new MemberAccountSessions({ sts: new STSClient(aws) });
  const iamConnection = { endpoint: gateway.url, region: aws.region, maxAttempts: 3 };
  const estateCredentialPorts = {
    okta: oktaAdapter,
    discovery: new IamCredentialDiscovery({ sessions: credentialSessions, connection: iamConnection }),
    revocation: new IamCredentialRevocation(revocationClients(credentialSessions, iamConnection)),
    guardrail: new CredentialsGuardrail({ client: new OrganizationsClient(aws) }),
  };
  const estateTasks = estateReconcileTasks({
    policy: async () => livePolicy,
    okta: oktaAdapter,
    organizations,
    identityCenter: budgetedIdentityCenter(new ThrottleBudget({ callsPerSecond: ssoAdminTps })),
    ledger,
    links: estateLinks,
    principals: estatePrincipals,
    abacCanary: createAbacCanaryProver(),
    enforce: enforceDeps,
    evidence,
    pollMs,
    now,
    work: new WorkStore({ s3: storage.s3, bucket: WORK_BUCKET }),
    callsPerSecond: ssoAdminTps,
    batchBudget: budgetedIdentityCenter,
    coalescing: {
      windows: new EstateWindows(table),
      coalescing: { windowMs: options.estateCoalesceWindowMs ?? 1_000, settleMs: 100 },
    },
    credentials: estateCredentialPorts,
    // Customer managed policies of declared sets, looked up in each account they reach (GetPolicy).
    customerManagedPolicies: new IamCustomerManagedPolicyLookup({
      sessions: credentialSessions,
      connection: iamConnection,
    }),
    // Declared permission-set content is judged and repaired by every estate run (issue 18).
    permissionSetContent: new PermissionSetContentAdapter({
      ssoAdmin: new SSOAdminClient(aws),
      instanceArn: identityCenterEmulator.instanceArn,
    }),
  });
  machines.push({
    arn: ESTATE_RECONCILE_ARN,
    definition: estateReconcileDefinition(estateResources),
    lambdas: Object.fromEntries(ESTATE_RECONCILE_TASKS.map((t) => [estateResources[t], estateTasks[t]])),
  });
  const sfn = new SFNClient(aws);
  let policyChanges = 0;

  const stack = {
    url: gateway.url,
    /** Where the stack runs, the account it acts from and the management component (local-topology.ts). */
    topology: localTopology,
    /** Starts an estate-reconcile run (as the schedule does) and resolves with its execution record. */
    async runEstateReconcile(runId = `estate-${Date.now()}`) {
      const started = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: ESTATE_RECONCILE_ARN,
          name: runId,
          input: JSON.stringify({ runId, trigger: { type: "manual", requestedBy: "local" } }),
        }),
      );
      const execution = stepFunctions.executions().find((e) => e.executionArn === started.executionArn);
      await execution?.done;
      return execution;
    },
    /**
     * Swaps the access policy (estate runs and user-reconcile tasks read the new one from their next
     * step) and starts a `policy-change` estate run with `revision` = the first 12 hex digits of the
     * YAML's SHA-256, as a new version of the policy object does in AWS. Resolves once the run has
     * started (`execution.done` resolves when it ends). Invalid YAML throws InvalidPolicyError listing
     * `file:line:column path message`, and changes nothing.
     */
    async setPolicy(yaml: string, file = "policy.yaml") {
      const update = parsePolicyUpdate(yaml, file);
      livePolicy = update.policy;
      tasks = userTasksFor(update.policy);
      const runId = `policy-change-${update.revision}-${++policyChanges}`;
      const started = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: ESTATE_RECONCILE_ARN,
          name: runId,
          input: JSON.stringify({ runId, trigger: { type: "policy-change", revision: update.revision } }),
        }),
      );
      const execution = stepFunctions.executions().find((e) => e.executionArn === started.executionArn);
      if (!execution) throw new Error(`the policy-change run ${runId} did not start`);
      return { runId, revision: update.revision, execution };
    },
    /** What an estate reconcile needs on this stack (the CLI and the estate workflow build the same). */
    estateDeps(runId: string, overrides: { policy?: Policy; pollMs?: number } = {}): EstateReconcileDeps {
      const budget = new ThrottleBudget({ callsPerSecond: ssoAdminTps });
      const paced = budgetedIdentityCenter(budget);
      return {
        policy: overrides.policy ?? livePolicy,
        okta: oktaAdapter,
        organizations,
        identityCenter: paced,
        ledger,
        links: estateLinks,
        principals: estatePrincipals,
        abacCanary: createAbacCanaryProver(),
        enforce: { ...enforceDeps, identityCenter: paced },
        budget,
        evidence,
        pollMs: overrides.pollMs ?? pollMs,
        now,
        runId,
      };
    },
    endpoints: {
      hook: { url: `${gateway.url}/okta/events`, secret: options.hookSecret },
      // reportAdminToken: a Report Administrator's SSWS token, which may read the System Log only.
      okta: {
        orgUrl: gateway.url,
        apiToken: okta.apiToken,
        reportAdminToken: okta.reportAdminToken,
        ...oktaAuth.endpoint,
      },
      aws: { endpoint: gateway.url, region: "us-east-1" },
      /** Where the stack runs, the credentials it signs with, and its management component (local-topology.ts). */
      topology: {
        topology: localTopology.topology,
        accountId: localTopology.accountId,
        credentials: localTopology.credentials,
        ...(localTopology.component
          ? {
              managementComponent: {
                roleArn: localTopology.component.roleArn,
                externalId: localTopology.component.externalId,
              },
            }
          : {}),
      },
      /** The revocation SCP slots (what a deployed function gets as REVOCATION_SCP_IDS). */
      revocationScpIds: scpSlots,
      evidence: {
        bucket: BUCKET,
        endpoint: storage.s3Endpoint,
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        signing: { keyId: evidenceSigner.keyId, publicKeyPem: await evidenceSigner.publicKeyPem() },
        /** The throwaway local signing key, so CLI runs (reconcile) sign manifests like the stack does. */
        signingPrivateKeyPem: evidenceSigner.privateKeyPem(),
      },
      dynamodb: { endpoint: storage.dynamoEndpoint, tables: TABLES },
      state: { url: `${gateway.url}/local/state` },
      stepFunctions: { userReconcileArn: USER_RECONCILE_ARN },
    },
    estate,
    /** The access policy runs read now (the start policy until `setPolicy` swaps it). */
    get policy() {
      return livePolicy;
    },
    emulators: {
      okta,
      identityCenter: identityCenterEmulator,
      organizations: organizationsEmulator,
      iam: iamEmulator,
    },
    /** The undocumented AWS answers this stack's emulators give (shared by them; change at runtime). */
    awsBehaviour,
    /** Fault switches beyond `emulators.*.faults` (hook chaos, task crashes, evidence outage) and `clear()` of all. */
    faults: createStackFaults({
      okta,
      identityCenter: identityCenterEmulator,
      organizations: organizationsEmulator,
      tasks: stepFunctions.faults,
      evidence: storage.bucketOutage(BUCKET),
    }),
    adapters: { identityCenter, organizations, okta: oktaAdapter, ledger, evidence, links: estateLinks },
    /** How often each alarmed signal fired (what CloudWatch alarms on in AWS: infra/alarms.ts). */
    signals: signals as Readonly<Partial<Record<UserRunSignal, number>>>,
    storage,
    scim,
    stepFunctions,
    bus,
    /** What became of each Okta event at ingress (per channel) and at dispatch. */
    ingress,
    /** Runs the System Log poller now (the same handler the schedule runs), after any poll under way. */
    pollNow: channels.pollNow,
    /** Hands one LogEvent to the Log Streaming handler, wrapped as Okta's partner event source does. */
    streamLogEvent: channels.streamEvent,
    /**
     * Resolves once the workflow run for `runNamePart` has written the record of `phase` (a run
     * holding its Deny is still RUNNING, so waiting for runs to end would wait out the hold).
     */
    async waitForEvidence(runNamePart: string, phase: "run" | "lift" = "run", timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const key = (await evidence.list("v1/runs/")).find(
          (k) => k.includes(runNamePart) && k.endsWith(`.${phase}.json`),
        );
        if (key) return key;
        const failed = stepFunctions
          .executions()
          .find((e) => e.name.includes(runNamePart) && e.status === "FAILED");
        if (failed) throw new Error(`run ${failed.name} failed: ${failed.error}: ${failed.cause}`);
        if (Date.now() > deadline)
          throw new Error(`no ${phase} evidence for ${runNamePart} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    /** Resolves when deliveries, SCIM pushes and bus targets started so far are done (not workflow runs). */
    async settle() {
      for (let round = 0; round < 3; round++) {
        await okta.hooks.idle();
        await channels.idle();
        await scim.idle();
        await identityCenterEvents?.idle();
        await managementAccountEvents?.idle();
        await bus.idle();
      }
    },
    /** Resolves when deliveries, SCIM pushes, bus targets and workflow runs started so far are done. */
    async idle() {
      for (let round = 0; round < 3; round++) {
        await okta.hooks.idle();
        await channels.idle();
        await scim.idle();
        await identityCenterEvents?.idle();
        await managementAccountEvents?.idle();
        await bus.idle();
        await stepFunctions.idle();
      }
    },
    async stop() {
      channels.stop();
      stepFunctions.abortAll();
      scim.stop();
      okta.close();
      await gateway.close();
      await storage.close();
    },
    setPages(state: () => Promise<unknown>, page: () => Promise<string>) {
      stateProvider = state;
      pageProvider = page;
    },
  };
  return stack;
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
