/**
 * Why one account's credentials could not be read, as the finding names it, with what to do. STS
 * answers AccessDenied alike for a role that does not exist (wrong name, StackSet instance missing, an
 * account that does not exist) and for a trust policy that refuses the tool or its external id (STS API
 * Reference, AssumeRole), so the message names every cause. An answer that never came (no HTTP status:
 * a refused connection, a timeout) or a 5xx is the account being unreachable; the next run retries.
 */

import { errorText } from "../../core/error-text.ts";
import type { CredentialAccount, CredentialAccountProblem } from "../../core/ports.ts";
import { AssumeMemberRoleError } from "./member-account-sessions.ts";

/** The error names STS and IAM give a refusal (Query services' common error AccessDenied, 403). */
const DENIED = new Set(["AccessDenied", "AccessDeniedException"]);

interface SdkError {
  name?: string;
  /** Node's system error code of a failed connection (ECONNREFUSED...). */
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const unreachable = (error: unknown) => {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  return (
    (status !== undefined && status >= 500) ||
    NETWORK_CODES.has(e.code ?? "") ||
    e.name === "TimeoutError" ||
    e.name === "RegionDisabledException"
  );
};

const deployRoles = (account: CredentialAccount) =>
  account.inOrganization
    ? "deploy the member-roles StackSet to this account (infra/member-roles.ts: its stack instance for the account must be CURRENT), or set credentials.memberRoleName to the roles' actual names"
    : `deploy infra/templates/member-roles.json in ${account.accountId} by hand (aws cloudformation create-stack, docs/credentials.md "Reaching every account") with the same ExternalId as credentials.accounts[].externalId, or correct credentials.accounts[].roleName / externalId`;

/** The problem `error` makes for `account`, reading with `roleName`. */
export function accountProblem(
  account: CredentialAccount,
  roleName: string,
  error: unknown,
): CredentialAccountProblem {
  const where = `${account.name} (${account.accountId})`;
  const base = { accountId: account.accountId };
  if (error instanceof AssumeMemberRoleError) {
    const cause = error.cause as SdkError;
    if (DENIED.has(cause.name ?? "")) {
      return {
        ...base,
        code: "role-not-assumable",
        message: `${where}: role not assumable: ${error.roleArn} refused sts:AssumeRole${account.roles.externalId === undefined ? "" : " with the external id"}: wrong role name, the StackSet instance is missing in this account, the account does not exist, or its trust policy does not admit the tool${account.roles.externalId === undefined ? "" : " with this external id"}`,
        fix: deployRoles(account),
      };
    }
    if (unreachable(cause)) {
      return {
        ...base,
        code: "account-unreachable",
        message: `${where}: STS could not be reached to assume ${error.roleArn} (${errorText(cause)})`,
        fix: "check the network path from the tool to STS (VPC endpoint, proxy, the region enabled); the next run tries again",
      };
    }
    return {
      ...base,
      code: "role-not-assumable",
      message: `${where}: ${error.message}`,
      fix: deployRoles(account),
    };
  }
  if (DENIED.has((error as SdkError).name ?? "")) {
    return {
      ...base,
      code: "discovery-role-denied",
      message: `${where}: the role ${roleName} was assumed but IAM refused a read (${errorText(error)})`,
      fix: "update the role to the current infra/templates/member-roles.json (the StackSet, or the stack deployed by hand): its read-only policy lists every call discovery makes",
    };
  }
  if (unreachable(error)) {
    return {
      ...base,
      code: "account-unreachable",
      message: `${where}: IAM could not be reached (${errorText(error)})`,
      fix: "check the network path from the tool to IAM; the next run tries again",
    };
  }
  return {
    ...base,
    code: "discovery-failed",
    message: `${where}: reading IAM failed (${errorText(error)})`,
    fix: "the next run tries again; if it keeps failing, the message says which answer could not be read",
  };
}
