/**
 * Deployment parameters, read once from the environment of `sst deploy` and validated (design.md: no
 * placeholder defaults for anything that identifies the customer's Okta or AWS). Pure: the infra
 * passes `process.env`, tests pass a plain object. Secrets are not parameters: they are `sst secret`s
 * (infra/secrets.ts). docs/deploy.md lists every variable.
 */

import { TOPOLOGIES, type Topology } from "../core/topology.ts";
import { type MemberRolesParameters, readMemberRolesParameters } from "./member-roles-parameters.ts";

/** Where the access policy comes from: bundled with the functions, or an S3 object read at run time. */
export type PolicyLocation = { kind: "bundled"; path: string } | { kind: "s3"; bucket: string; key: string };

/**
 * How Organizations account events (created, moved, tagged) reach the lifecycle bus, where the estate
 * triggers match them. Organizations sends them to EventBridge only in us-east-1 of the management
 * account (docs/deploy.md, "What starts an estate run").
 */
export const ORGANIZATIONS_EVENTS_MODES = [
  /** The stack is in the management account: it creates the us-east-1 forwarding rule itself. */
  "forward",
  /** The stack is in a delegated administrator account: the lifecycle bus accepts the management
   * account's Organizations events, and an administrator creates the forwarding rule there. */
  "external",
  /** No account events: new or moved accounts wait for the scheduled run. */
  "off",
] as const;
export type OrganizationsEventsMode = (typeof ORGANIZATIONS_EVENTS_MODES)[number];

export interface DeploymentParameters {
  /** `https://<org>.okta.com` */
  oktaOrgUrl: string;
  /**
   * The Okta API Services app's client id: the functions authenticate with OAuth (`private_key_jwt`,
   * DPoP) and the `OktaPrivateKey` secret. Unset: the `OktaApiToken` secret (SSWS).
   */
  oktaClientId?: string;
  /** Identity Center's home region; the stack deploys there. Unset: the AWS profile's region. */
  homeRegion?: string;
  /** Unset: discovered with organizations:DescribeOrganization at deploy. */
  managementAccountId?: string;
  /** Unset: discovered with organizations:DescribeOrganization at deploy. */
  organizationId?: string;
  /** Both or neither. Unset: discovered with sso:ListInstances at deploy (exactly one instance). */
  identityCenter?: { instanceArn: string; identityStoreId: string };
  /** @default bundled `policy.yaml` */
  policy: PolicyLocation;
  /** Time-to-revoke SLA (Okta published -> Deny in force); the alarm fires above it. @default 300 */
  slaSeconds: number;
  /** How long a leaver's Deny is held: at least the longest session duration. @default 43200 (12 h) */
  holdSeconds: number;
  /** Minutes between System Log polls. @default 5 */
  pollMinutes: number;
  /**
   * The full estate read's schedule expression: a daily safety net, as Identity Center changes made
   * outside the tool start scoped runs within seconds (workflows/identity-center-triggers.ts).
   * @default "rate(1 day)"
   */
  estateSchedule: string;
  /**
   * Where the stack runs (core/topology.ts). Unset: decided from the deploying account
   * (infra/topology.ts: the management account's own id -> `management`, any other -> `delegated-admin`).
   */
  topology?: Topology;
  /**
   * How Organizations account events reach the estate triggers. Unset: from the topology
   * (`management` -> `forward`, `delegated-admin` -> `external`; infra/topology.ts).
   */
  organizationsEvents?: OrganizationsEventsMode;
  /**
   * The external id the pipeline presents when it assumes the management component's role
   * (delegated-admin only). Unset: `<app>-<stage>-<stack account>` (infra/topology.ts).
   */
  managementExternalId?: string;
  /** Okta Log Streaming partner event source; the partner bus rule exists only when set. */
  logStreamingSource?: string;
  /** Subscribed to the alarm topic when set. */
  alarmEmail?: string;
  /** API Gateway steady-state requests per second for the hook route. @default 50 */
  hookRateLimit: number;
  /** API Gateway burst for the hook route. @default 100 */
  hookBurstLimit: number;
  /**
   * Reserved concurrency of okta-hook: the most instances a flood can take from the account's pool,
   * and a floor no other function can take from the hook. @default 10
   */
  hookReservedConcurrency: number;
  /** Okta app instance ids that provision Identity Center (application.* events count only for them). */
  provisioningAppIds: string[];
  /**
   * System Log actor ids of the pipeline's own Okta calls: the OAuth app's client id (automatic) and
   * `OAL_OKTA_PIPELINE_ACTOR_IDS` (the SSWS token creator's user id). Their `user.session.clear` of a
   * leaver is the pipeline's own, not a compromise signal, and starts no second run.
   */
  pipelineActorIds: string[];
  /**
   * How many revocation SCP slots the deploy creates and attaches to the root
   * (infra/revocation-scp-slots.ts); each keeps one of the root's SCP places. @default 2
   */
  revocationScpSlots: number;
  /**
   * `OAL_CREDENTIALS_GUARDRAIL=on`: the deploy creates the credentials guardrail SCP slot and attaches it
   * to the root (infra/credentials-guardrail-slot.ts); the estate run writes the guardrail into it or
   * lifts it, per the policy's `credentials.guardrail`. It takes one more of the root's SCP places. @default false
   */
  credentialsGuardrail: boolean;
  /**
   * Characters one SCP may hold, whitespace included: the organization's quota (5,120 on AWS's quota
   * page; reported raised to 10,240 in 2026). A refusal (POLICY_CONTENT_LIMIT_EXCEEDED) still makes the
   * functions write at half the size, with a finding. @default 5120
   */
  scpMaxChars: number;
  /** SCPs one target may have attached, FullAWSAccess included (5 on the quota page, reported 10). @default 5 */
  scpMaxPerTarget: number;
  /** The organization's root id (`r-...`). Unset: discovered with organizations:ListRoots at deploy. */
  rootId?: string;
  /**
   * Whether the workflows may add Identity Center group memberships: grants
   * identitystore:CreateGroupMembership. Must equal the policy's `ownership.membershipSync` (a bundled
   * policy is checked at deploy). @default false
   */
  membershipSync: boolean;
  /** The member-roles StackSet (infra/member-roles-parameters.ts): unset unless `OAL_MEMBER_ROLES=stackset`. */
  memberRoles?: MemberRolesParameters;
}

/** Thrown when the deploy environment is incomplete or malformed; names every problem and its fix. */
export class DeploymentParameterError extends Error {
  override name = "DeploymentParameterError";
}

type Env = Record<string, string | undefined>;

/** Reads the `OAL_*` variables; throws one error naming every bad variable. */
export function readDeploymentParameters(env: Env): DeploymentParameters {
  const problems: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const matching = (name: string, pattern: RegExp, what: string) => {
    const value = get(name);
    if (value !== undefined && !pattern.test(value)) problems.push(`${name}: "${value}" is not ${what}`);
    return value;
  };
  const positive = (name: string, fallback: number, max: number) => {
    const value = get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0 || n > max) {
      problems.push(`${name}: "${value}" is not a whole number between 1 and ${max}`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = get(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name}: "${value}" is not one of ${allowed.join(", ")}`);
    return fallback;
  };

  const oktaOrgUrl = matching(
    "OAL_OKTA_ORG_URL",
    /^https:\/\/[^/\s]+$/,
    "an https origin like https://acme.okta.com",
  );
  if (oktaOrgUrl === undefined)
    problems.push("OAL_OKTA_ORG_URL: required (your Okta org, https://<org>.okta.com)");
  const oktaClientId = matching(
    "OAL_OKTA_CLIENT_ID",
    /^0oa[0-9A-Za-z]{10,30}$/,
    "an Okta app client id (0oa..., the API Services app's Client ID)",
  );
  const instanceArn = matching(
    "OAL_INSTANCE_ARN",
    /^arn:aws[a-z-]*:sso:::instance\/ssoins-[0-9a-f]{16}$/,
    "an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-...)",
  );
  const identityStoreId = matching(
    "OAL_IDENTITY_STORE_ID",
    /^d-[0-9a-f]{10}$/,
    "an identity store id (d-...)",
  );
  if ((instanceArn === undefined) !== (identityStoreId === undefined)) {
    problems.push("OAL_INSTANCE_ARN and OAL_IDENTITY_STORE_ID: set both or neither (neither: discovered)");
  }
  const policy = parsePolicyLocation(get("OAL_POLICY") ?? "policy.yaml", problems);
  const hold = positive("OAL_HOLD_SECONDS", 43_200, 7 * 86_400);
  if (hold < 3_600)
    problems.push(`OAL_HOLD_SECONDS: ${hold} is below one hour, the shortest session duration`);

  const homeRegion = matching("OAL_HOME_REGION", /^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region like eu-west-1");
  const managementAccountId = matching("OAL_MANAGEMENT_ACCOUNT_ID", /^\d{12}$/, "a 12-digit account id");
  const organizationId = matching("OAL_ORGANIZATION_ID", /^o-[a-z0-9]{10,32}$/, "an organization id (o-...)");
  const logStreamingSource = matching(
    "OAL_LOG_STREAMING_SOURCE",
    /^aws\.partner\/okta\.com\/\S+$/,
    "an Okta partner event source name (aws.partner/okta.com/...)",
  );
  const alarmEmail = matching("OAL_ALARM_EMAIL", /^[^@\s]+@[^@\s]+$/, "an email address");
  const estateSchedule = matching(
    "OAL_ESTATE_SCHEDULE",
    /^(rate|cron)\(.+\)$/,
    "an EventBridge Scheduler expression like rate(1 day)",
  );
  const rootId = matching("OAL_ROOT_ID", /^r-[0-9a-z]{4,32}$/, "an organization root id (r-...)");
  const topology =
    get("OAL_TOPOLOGY") === undefined ? undefined : oneOf("OAL_TOPOLOGY", TOPOLOGIES, "management");
  const organizationsEvents =
    get("OAL_ORGANIZATIONS_EVENTS") === undefined
      ? undefined
      : oneOf("OAL_ORGANIZATIONS_EVENTS", ORGANIZATIONS_EVENTS_MODES, "off");
  // sts:AssumeRole's ExternalId: 2 to 1,224 of [\w+=,.@:/-].
  const managementExternalId = matching(
    "OAL_MANAGEMENT_EXTERNAL_ID",
    /^[\w+=,.@:/-]{2,1224}$/,
    "an external id (2 to 1,224 letters, digits and +=,.@:/-)",
  );
  const parameters: DeploymentParameters = {
    oktaOrgUrl: oktaOrgUrl ?? "",
    ...(oktaClientId ? { oktaClientId } : {}),
    ...(homeRegion ? { homeRegion } : {}),
    ...(managementAccountId ? { managementAccountId } : {}),
    ...(organizationId ? { organizationId } : {}),
    ...(instanceArn && identityStoreId ? { identityCenter: { instanceArn, identityStoreId } } : {}),
    policy,
    slaSeconds: positive("OAL_SLA_SECONDS", 300, 86_400),
    holdSeconds: hold,
    pollMinutes: positive("OAL_POLL_MINUTES", 5, 60),
    estateSchedule: estateSchedule ?? "rate(1 day)",
    ...(topology ? { topology } : {}),
    ...(organizationsEvents ? { organizationsEvents } : {}),
    ...(managementExternalId ? { managementExternalId } : {}),
    ...(logStreamingSource ? { logStreamingSource } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    hookRateLimit: positive("OAL_HOOK_RATE_LIMIT", 50, 10_000),
    hookBurstLimit: positive("OAL_HOOK_BURST_LIMIT", 100, 5_000),
    hookReservedConcurrency: positive("OAL_HOOK_RESERVED_CONCURRENCY", 10, 1_000),
    provisioningAppIds: (get("OAL_PROVISIONING_APP_IDS") ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
    pipelineActorIds: [
      ...(oktaClientId ? [oktaClientId] : []),
      ...(get("OAL_OKTA_PIPELINE_ACTOR_IDS") ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ],
    // 10 per target at most (the raised quota), FullAWSAccess takes one.
    revocationScpSlots: positive("OAL_REVOCATION_SCP_SLOTS", 2, 9),
    scpMaxChars: positive("OAL_SCP_MAX_CHARS", 5120, 10_240),
    scpMaxPerTarget: positive("OAL_SCP_MAX_PER_TARGET", 5, 10),
    ...(rootId ? { rootId } : {}),
    membershipSync: oneOf("OAL_MEMBERSHIP_SYNC", ["on", "off"] as const, "off") === "on",
    credentialsGuardrail: oneOf("OAL_CREDENTIALS_GUARDRAIL", ["on", "off"] as const, "off") === "on",
  };
  const memberRoles = readMemberRolesParameters(get, problems);
  if (memberRoles) parameters.memberRoles = memberRoles;
  // Below 1,000 characters a slot holds under 20 leavers and the mass fallback barely fits.
  if (parameters.scpMaxChars < 1000)
    problems.push(
      `OAL_SCP_MAX_CHARS: "${get("OAL_SCP_MAX_CHARS")}" is below 1000: use the organization's SCP size quota (5120 or 10240)`,
    );
  // The guardrail slot takes a place on the root too.
  const guardrailSlot = parameters.credentialsGuardrail ? 1 : 0;
  if (parameters.revocationScpSlots + guardrailSlot >= parameters.scpMaxPerTarget)
    problems.push(
      `OAL_REVOCATION_SCP_SLOTS: ${parameters.revocationScpSlots} slots${guardrailSlot ? " and the credentials guardrail slot (OAL_CREDENTIALS_GUARDRAIL=on)" : ""} leave no place for FullAWSAccess under ` +
        `OAL_SCP_MAX_PER_TARGET ${parameters.scpMaxPerTarget}: use at most ${parameters.scpMaxPerTarget - 1 - guardrailSlot} slots`,
    );
  if (problems.length > 0) {
    throw new DeploymentParameterError(
      `invalid deployment parameters (see docs/deploy.md):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
  return parameters;
}

function parsePolicyLocation(value: string, problems: string[]): PolicyLocation {
  if (value.startsWith("s3://")) {
    const [bucket = "", ...key] = value.slice("s3://".length).split("/");
    if (bucket === "" || key.join("/") === "") {
      problems.push(`OAL_POLICY: "${value}" is not s3://<bucket>/<key>`);
    }
    return { kind: "s3", bucket, key: key.join("/") };
  }
  if (value.includes("..") || value.startsWith("/")) {
    problems.push(
      `OAL_POLICY: "${value}" must be a path inside the project (bundled) or s3://<bucket>/<key>`,
    );
  }
  return { kind: "bundled", path: value };
}

/** The value of the functions' `POLICY_LOCATION` variable. */
export function policyLocationValue(policy: PolicyLocation): string {
  return policy.kind === "s3" ? `s3://${policy.bucket}/${policy.key}` : `file:${policy.path}`;
}
