import type { CredentialAction } from "../../core/credentials/credential-action.ts";
import type { OktaPerson } from "../../core/credentials/iam-user.ts";
import type { OktaTrustingRole } from "../../core/credentials/plan-credential-revocation.ts";
import type { ActionOutcome } from "../../core/evidence/record.ts";
import type { CredentialsPolicySection } from "../../core/policy/credentials-policy.ts";
import type { CredentialAccount, RevocationScpPort } from "../../core/ports.ts";
import { policyAtoms } from "../../core/revocation/deny-atoms.ts";
import { federatedDenyEntry, federatedEntryAtoms } from "../../core/revocation/federated-denies.ts";
import { federatedFallbackCovers } from "../../core/revocation/federated-mass-fallback.ts";

/** Someone who is not the leaver: their sessions must stay allowed (the Denies name only the leaver). */
export const CONTROL_SESSION_NAME = "control.session@example.invalid";

/**
 * Proves by policy evaluation whether a principal may still act in an account, given the tool's
 * policies (the local stack evaluates them with iam-simulate over an Allow `*`). Absent in AWS.
 */
export interface CredentialProver {
  isDenied(request: {
    accountId: string;
    principal:
      | { type: "iam-user"; arn: string }
      | {
          type: "federated-session";
          roleArn: string;
          sessionName: string;
          sourceIdentity?: string;
          /** `aws:TokenIssueTime` of the session. @default the time of the request */
          tokenIssuedAt?: string;
        };
    /** Revocation SCPs in force over the account (none outside the Organization or in the management account). */
    scps: string[];
    /** The tool's inline policies on the principal (the user's Deny, the role's Deny). */
    identityPolicies: string[];
  }): Promise<boolean>;
}

/** `skipped`: a check left out by design (SCPs disabled on the root): not passed, and not failing the run. */
export type CredentialChecks = { check: string; passed: boolean; detail?: string; skipped?: string }[];

export interface CheckCredentialsInput {
  leaver: OktaPerson;
  accounts: readonly CredentialAccount[];
  roles: readonly OktaTrustingRole[];
  actions: readonly CredentialAction[];
  outcomes: readonly ActionOutcome[];
  /** Why the SCP placement was left out (SCPs disabled on the root): the checks that need it are skipped. */
  scpSkipped?: string;
  /**
   * When the leaver's Deny was recorded: the leaver's session is proven as one issued a second before
   * (live when they left). @default the time of the request
   */
  sessionIssuedBefore?: string;
  /**
   * The federated mass fallback's T: another person's session is proven as one issued at T (signed in
   * again), since every session before it is denied. @default the time of the request
   */
  fallbackIssuedBefore?: string;
}

/**
 * The credential step's verification: every change read back (the writer reads each one back before
 * it reports SUCCEEDED), the federated Deny found in the revocation SCPs, and, with a prover, the
 * leaver's IAM users and federated sessions denied in every account while another person's are not.
 */
export async function checkCredentials(
  deps: {
    credentials: CredentialsPolicySection | undefined;
    enforce: { scps: Pick<RevocationScpPort, "listRevocationScps"> };
    prover?: CredentialProver;
    managementAccountId: string | undefined;
  },
  input: CheckCredentialsInput,
): Promise<CredentialChecks> {
  const checks: CredentialChecks = [];
  const byAccount = new Map<string, ActionOutcome[]>();
  for (const o of input.outcomes) {
    const id = o.target.accountId ?? "";
    byAccount.set(id, [...(byAccount.get(id) ?? []), o]);
  }
  for (const [accountId, outcomes] of [...byAccount].sort(([a], [b]) => Number(a > b) - Number(a < b))) {
    const failed = outcomes.filter((o) => o.status === "FAILED");
    checks.push({
      check: `credentials ended and read back in ${accountId}`,
      passed: failed.length === 0,
      detail: `${outcomes.length - failed.length} of ${outcomes.length}`,
    });
  }
  const scpAction = input.actions.find((a) => a.kind === "federated-deny.scp");
  const scps = scpAction ? (await deps.enforce.scps.listRevocationScps()).map((s) => s.content) : [];
  if (scpAction?.kind === "federated-deny.scp") {
    const wanted = federatedEntryAtoms(
      federatedDenyEntry({
        oktaUserId: input.leaver.id,
        statements: scpAction.statements,
        createdAt: "",
        liftAt: "",
      }),
    );
    const held = new Set(scps.flatMap((text) => [...policyAtoms(text)]));
    const check = "federated sessions Deny in the revocation SCPs";
    if (input.scpSkipped) checks.push({ check, passed: false, skipped: input.scpSkipped });
    else {
      // Or the federated mass fallback (massFallback: auto) holds every role the Deny reaches, T after the Deny.
      const byFallback =
        input.sessionIssuedBefore !== undefined &&
        scps.some((text) =>
          federatedFallbackCovers(text, scpAction.roleArns, input.sessionIssuedBefore as string),
        );
      checks.push({
        check,
        passed: wanted.every((atom) => held.has(atom)) || byFallback,
        ...(byFallback ? { detail: "by the federated mass fallback" } : {}),
      });
    }
  }
  if (deps.prover && deps.credentials) await prove(deps.prover, deps, input, scps, checks);
  return checks;
}

async function prove(
  prover: CredentialProver,
  deps: { credentials: CredentialsPolicySection | undefined; managementAccountId: string | undefined },
  input: CheckCredentialsInput,
  scps: string[],
  checks: CredentialChecks,
): Promise<void> {
  const credentials = deps.credentials as CredentialsPolicySection;
  const inOrganization = new Map(input.accounts.map((a) => [a.accountId, a.inOrganization]));
  const scpsOver = (accountId: string) =>
    inOrganization.get(accountId) === true && accountId !== deps.managementAccountId ? scps : [];
  for (const action of input.actions) {
    if (action.kind !== "iam-user.deny") continue;
    const arn = action.evidence.principal;
    const denied = await prover.isDenied({
      accountId: action.accountId,
      principal: { type: "iam-user", arn },
      scps: scpsOver(action.accountId),
      identityPolicies: [action.policyDocument],
    });
    checks.push({ check: `IAM user ${arn} denied (policy evaluation)`, passed: denied });
  }
  const attribute = credentials.federation.sessionNameAttribute;
  const sessionName = attribute === "login" ? input.leaver.login : (input.leaver.email ?? input.leaver.login);
  const sourceIdentity = credentials.federation.sourceIdentity ? input.leaver.login : undefined;
  for (const role of input.roles) {
    const inline = input.actions.flatMap((a) =>
      a.kind === "federated-deny.role" && a.accountId === role.accountId && a.roleName === role.roleName
        ? [a.policyDocument]
        : [],
    );
    const ask = (name: string, source: string | undefined, tokenIssuedAt: string | undefined) =>
      prover.isDenied({
        accountId: role.accountId,
        principal: {
          type: "federated-session",
          roleArn: role.arn,
          sessionName: name,
          ...(source === undefined ? {} : { sourceIdentity: source }),
          ...(tokenIssuedAt === undefined ? {} : { tokenIssuedAt }),
        },
        scps: scpsOver(role.accountId),
        identityPolicies: inline,
      });
    const check = `federated session of the leaver denied through ${role.arn} (policy evaluation)`;
    const byScp = inOrganization.get(role.accountId) === true && role.accountId !== deps.managementAccountId;
    if (byScp && input.scpSkipped) {
      checks.push({ check, passed: false, skipped: input.scpSkipped });
      continue;
    }
    const leaverIssuedAt =
      input.sessionIssuedBefore === undefined
        ? undefined
        : new Date(Date.parse(input.sessionIssuedBefore) - 1000).toISOString();
    const leaverDenied = await ask(sessionName, sourceIdentity, leaverIssuedAt);
    const otherAllowed = !(await ask(
      CONTROL_SESSION_NAME,
      sourceIdentity === undefined ? undefined : CONTROL_SESSION_NAME,
      input.fallbackIssuedBefore,
    ));
    checks.push({ check, passed: leaverDenied });
    checks.push({
      check: `another person's session allowed through ${role.arn} (policy evaluation)`,
      passed: otherAllowed,
    });
  }
}
