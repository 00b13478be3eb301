import { type CsvCell, toCsv } from "../evidence/csv.ts";
import { isLeaver } from "../plan/plan-users.ts";
import type { CredentialsPolicySection } from "../policy/credentials-policy.ts";
import { compareText } from "./compare-text.ts";
import { type CredentialAction, orderCredentialActions } from "./credential-action.ts";
import type { CredentialFinding } from "./credential-finding.ts";
import { type CredentialGuardViolation, checkKeyDeactivations } from "./credential-guards.ts";
import { holdsLongLivedCredential, type IamUser, looksHuman, type OktaPerson } from "./iam-user.ts";
import { type IamUserOwnership, mapIamUsers } from "./map-iam-users.ts";
import { planCredentialRevocation } from "./plan-credential-revocation.ts";

const DAY_MS = 86_400_000;

export interface SweepInput {
  users: readonly IamUser[];
  people: readonly OktaPerson[];
  credentials: CredentialsPolicySection;
  /** Policy revocation.hold. */
  hold: string;
  now: string;
}

/** An active access key as the sweep reports it. */
export interface SweptKey {
  id: string;
  createDate: string;
  /** Whole days since creation. */
  ageDays: number;
  lastUsedDate: string | null;
  lastUsedService: string | null;
}

/** An IAM user holding a console password or an active access key. */
export interface LongLivedCredentialHolder {
  accountId: string;
  userName: string;
  arn: string;
  ownership: IamUserOwnership["outcome"];
  owner: { id: string; login: string; status: string; active: boolean } | null;
  /** Mapped or ambiguous (someone's), or unmapped but human-looking; break-glass users are not counted. */
  human: boolean;
  consolePassword: boolean;
  passwordLastUsed: string | null;
  activeKeys: SweptKey[];
  /** The owner is a leaver in Okta (SUSPENDED, DEPROVISIONED, or moving there): revoked like a leaver's. */
  revoke: boolean;
}

export interface Sweep {
  holders: LongLivedCredentialHolder[];
  /** The report's "humans holding long-lived credentials: N (target 0)". */
  humansHoldingLongLivedCredentials: number;
  /** `blocked` plans are not applied: the violations say why. */
  status: "ready" | "blocked";
  violations: CredentialGuardViolation[];
  actions: CredentialAction[];
  findings: CredentialFinding[];
}

/**
 * The estate sweep: every IAM user holding a long-lived credential, its owner and whether the owner
 * is still ACTIVE in Okta, and the revocation of the users whose owner Okta has as a leaver, guarded
 * by `maxKeyDeactivations`. Statuses that keep a person employed (RECOVERY, LOCKED_OUT,
 * PASSWORD_EXPIRED, STAGED, PROVISIONED) read as not ACTIVE but revoke nothing, as for Identity Center.
 */
export function sweepLongLivedCredentials(input: SweepInput): Sweep {
  const { credentials } = input;
  const mapping = mapIamUsers(input.users, input.people, {
    ownerTags: credentials.iamUsers.ownerTags,
    namingRules: credentials.iamUsers.namingRules,
    breakGlass: credentials.breakGlass,
  });
  const held = mapping.ownerships.filter((o) => holdsLongLivedCredential(o.user));
  const holders = held.map((o) => holderOf(o, input.now));

  const leavers = new Map<string, OktaPerson>();
  for (const o of held) if (o.outcome === "mapped" && isLeaver(o.owner)) leavers.set(o.owner.id, o.owner);
  const plans = [...leavers.values()].map((leaver) =>
    planCredentialRevocation({
      leaver,
      ownerships: held,
      oktaTrustingRoles: [],
      credentials,
      hold: input.hold,
      now: input.now,
    }),
  );
  const actions: CredentialAction[] = orderCredentialActions(plans.flatMap((plan) => plan.actions));
  const violations = checkKeyDeactivations(actions, credentials.iamUsers.maxKeyDeactivations);
  return {
    holders,
    humansHoldingLongLivedCredentials: holders.filter((h) => h.human).length,
    status: violations.length > 0 ? "blocked" : "ready",
    violations,
    actions,
    findings: mapping.findings,
  };
}

function holderOf(ownership: IamUserOwnership, now: string): LongLivedCredentialHolder {
  const { user } = ownership;
  const owner = ownership.outcome === "mapped" ? ownership.owner : null;
  return {
    accountId: user.accountId,
    userName: user.userName,
    arn: user.arn,
    ownership: ownership.outcome,
    owner:
      owner === null
        ? null
        : { id: owner.id, login: owner.login, status: owner.status, active: owner.status === "ACTIVE" },
    human:
      ownership.outcome === "mapped" ||
      ownership.outcome === "ambiguous" ||
      (ownership.outcome === "unmapped" && looksHuman(user)),
    consolePassword: user.hasConsolePassword,
    passwordLastUsed: user.passwordLastUsed ?? null,
    activeKeys: user.accessKeys
      .filter((key) => key.status === "Active")
      .map((key) => ({
        id: key.id,
        createDate: key.createDate,
        ageDays: Math.max(0, Math.floor((Date.parse(now) - Date.parse(key.createDate)) / DAY_MS)),
        lastUsedDate: key.lastUsed?.date ?? null,
        lastUsedService: key.lastUsed?.serviceName ?? null,
      }))
      .sort((a, b) => compareText(a.id, b.id)),
    revoke: owner !== null && isLeaver(owner),
  };
}

export const LONG_LIVED_CREDENTIALS_HEADER = [
  "account_id",
  "user_name",
  "arn",
  "mapping",
  "owner_okta_user_id",
  "owner_login",
  "owner_status",
  "owner_active",
  "human",
  "console_password",
  "password_last_used",
  "access_key_id",
  "key_created",
  "key_age_days",
  "key_last_used",
  "key_last_used_service",
  "revoke",
];

const yesNo = (value: boolean): string => (value ? "yes" : "no");

/** `long-lived-credentials.csv`: one row per active key, one row for a password-only user. */
export function longLivedCredentialsCsv(holders: readonly LongLivedCredentialHolder[]): string {
  const rows = holders.flatMap((h) => {
    const user: CsvCell[] = [
      h.accountId,
      h.userName,
      h.arn,
      h.ownership,
      h.owner?.id ?? null,
      h.owner?.login ?? null,
      h.owner?.status ?? null,
      h.owner === null ? null : yesNo(h.owner.active),
      yesNo(h.human),
      yesNo(h.consolePassword),
      h.passwordLastUsed,
    ];
    const keys: CsvCell[][] =
      h.activeKeys.length === 0
        ? [[null, null, null, null, null]]
        : h.activeKeys.map((k) => [k.id, k.createDate, k.ageDays, k.lastUsedDate, k.lastUsedService]);
    return keys.map((key) => [...user, ...key, yesNo(h.revoke)]);
  });
  return toCsv(LONG_LIVED_CREDENTIALS_HEADER, rows);
}
