import { z } from "zod";
import type { LongLivedCredentialHolder } from "../credentials/sweep.ts";
import type { EstateRunRecord, UserRunRecord } from "./record.ts";

/*
 * What the export reads about credentials outside Identity Center (issue 16, "For auditors"):
 * - the latest estate sweep of the period: its record (`<run>.credentials`, an estate-run record) keeps
 *   every holder of a long-lived credential under `truth.organization.credentials`
 *   (usecases/reconcile-estate/credential-sweep-evidence.ts);
 * - per leaver, every credential their run ended: the run's SUCCEEDED actions whose target names a
 *   credential (`accountId`, `credential`, `credentialId`, as core/credentials CredentialEvidence), or,
 *   read defensively, a credential action kind whose target names the key, device, policy or user.
 * Both are read leniently: a record that does not carry them contributes nothing rather than failing.
 */

const holderSchema = z.looseObject({
  accountId: z.string(),
  userName: z.string(),
  arn: z.string(),
  ownership: z.enum(["mapped", "ambiguous", "unmapped", "breakGlass"]),
  owner: z
    .looseObject({ id: z.string(), login: z.string(), status: z.string(), active: z.boolean() })
    .nullable(),
  human: z.boolean(),
  consolePassword: z.boolean(),
  passwordLastUsed: z.string().nullable(),
  activeKeys: z.array(
    z.looseObject({
      id: z.string(),
      createDate: z.string(),
      ageDays: z.number(),
      lastUsedDate: z.string().nullable(),
      lastUsedService: z.string().nullable(),
    }),
  ),
  revoke: z.boolean(),
});

const sweepTruthSchema = z.looseObject({
  credentials: z.looseObject({
    humansHoldingLongLivedCredentials: z.number().int().nonnegative(),
    holders: z.array(holderSchema),
  }),
});

/** The latest sweep of the period, as the report's "humans holding long-lived credentials" figure. */
export interface LongLivedCredentialsFigure {
  /** Humans holding a console password or an active access key (target 0). */
  humans: number;
  /** Every IAM user holding one, break-glass users and workloads included. */
  holders: number;
  sweptAt: string;
  evidenceKey: string;
}

/** The holders the latest sweep among `estateRuns` read (sorted by createdAt), or `null` when none swept. */
export function latestCredentialSweep(
  estateRuns: readonly { key: string; record: EstateRunRecord }[],
): { holders: LongLivedCredentialHolder[]; figure: LongLivedCredentialsFigure } | null {
  for (const { key, record } of [...estateRuns].reverse()) {
    const parsed = sweepTruthSchema.safeParse(record.body.truth.organization);
    if (!parsed.success) continue;
    const { credentials } = parsed.data;
    return {
      holders: credentials.holders as LongLivedCredentialHolder[],
      figure: {
        humans: credentials.humansHoldingLongLivedCredentials,
        holders: credentials.holders.length,
        sweptAt: record.createdAt,
        evidenceKey: key,
      },
    };
  }
  return null;
}

/** The credentials ended in one account, as `<credential> <id>` (e.g. `access-key AKIA...`). */
export interface CredentialsEndedInAccount {
  accountId: string;
  credentials: string[];
}

/** What each credential action ends, for a record that names only the action kind. */
const CREDENTIAL_OF_KIND: Readonly<Record<string, string>> = {
  "iam-user.deny": "iam-user",
  "access-key.deactivate": "access-key",
  "login-profile.delete": "console-password",
  "mfa-device.deactivate": "mfa-device",
  "federated-deny.scp": "federated-sessions",
  "federated-deny.role": "federated-sessions",
};

/** Every credential a user run ended, per account (accounts and credentials sorted). */
export function credentialsEnded(record: Pick<UserRunRecord, "body">): CredentialsEndedInAccount[] {
  const byAccount = new Map<string, Set<string>>();
  for (const action of record.body.actions) {
    if (action.status !== "SUCCEEDED") continue;
    const t = action.target;
    const credential = t.credential ?? CREDENTIAL_OF_KIND[action.kind];
    const accountId = t.accountId;
    if (credential === undefined || accountId === undefined) continue;
    const id =
      t.credentialId ??
      t.accessKeyId ??
      t.serialNumber ??
      t.roleName ??
      t.policyName ??
      t.userName ??
      t.principal;
    const ended = byAccount.get(accountId) ?? new Set<string>();
    ended.add(id === undefined ? credential : `${credential} ${id}`);
    byAccount.set(accountId, ended);
  }
  return [...byAccount]
    .sort(([a], [b]) => Number(a > b) - Number(a < b))
    .map(([accountId, ended]) => ({ accountId, credentials: [...ended].sort() }));
}

/** `account: a, b; account: c`, as the CSV and the report show it. */
export function formatCredentialsEnded(ended: readonly CredentialsEndedInAccount[]): string {
  return ended.map((a) => `${a.accountId}: ${a.credentials.join(", ")}`).join("; ");
}
