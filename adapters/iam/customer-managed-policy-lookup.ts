/**
 * Whether an account holds the customer managed policies a permission set references: `iam:GetPolicy`
 * on `arn:<partition>:iam::<account>:policy<path><name>` (IAM API Reference, GetPolicy; IAM User Guide,
 * "IAM identifiers") through the account's discovery role, the read-only member role the credential sweep
 * assumes (one session per account and run, member-account-sessions.ts). NoSuchEntity (404) is a missing
 * policy; any other failure (the role not assumable, IAM refusing GetPolicy, IAM unreachable) makes the
 * account unchecked with the problem and its fix (account-problem.ts), never a crash and never "missing".
 * An account's lookups run one at a time (IAM throttles per account).
 */
import { GetPolicyCommand, NoSuchEntityException } from "@aws-sdk/client-iam";
import type { AccountPolicyAnswer } from "../../core/plan/customer-managed-policy-checks.ts";
import type { PolicyReference } from "../../core/plan/permission-set-content.ts";
import type { CredentialAccount } from "../../core/ports.ts";
import { accountProblem } from "./account-problem.ts";
import type { MemberAccountSessions } from "./member-account-sessions.ts";
import { type IamConnection, memberIamClient } from "./member-iam-client.ts";
import { getPolicy } from "./response-schemas.ts";
import { parseIamResponse } from "./unexpected-response-error.ts";

export interface IamCustomerManagedPolicyLookupOptions {
  sessions: MemberAccountSessions;
  /**
   * Where the IAM clients connect (the local stack: its gateway), and their retries.
   * @default AWS's IAM endpoint in us-east-1, the SDK's standard retries
   */
  connection?: IamConnection;
  /** The ARN partition of the accounts (`aws-us-gov`, `aws-cn`). @default "aws" */
  partition?: string;
}

/** The ARN IAM gives a customer managed policy of this path and name in `accountId`. */
export const customerManagedPolicyArn = (partition: string, accountId: string, policy: PolicyReference) =>
  `arn:${partition}:iam::${accountId}:policy${policy.path}${policy.name}`;

export class IamCustomerManagedPolicyLookup {
  private readonly options: IamCustomerManagedPolicyLookupOptions;

  constructor(options: IamCustomerManagedPolicyLookupOptions) {
    this.options = options;
  }

  /** The policies of `policies` that `account` does not hold, or why it could not be asked. */
  async missingIn(
    account: CredentialAccount,
    policies: readonly PolicyReference[],
    context: { runId: string },
  ): Promise<AccountPolicyAnswer> {
    try {
      const iam = await memberIamClient(
        this.options.sessions,
        this.options.connection ?? {},
        account,
        "discovery",
        context.runId,
      );
      try {
        const missing: PolicyReference[] = [];
        for (const policy of policies) {
          const PolicyArn = customerManagedPolicyArn(
            this.options.partition ?? "aws",
            account.accountId,
            policy,
          );
          try {
            parseIamResponse("GetPolicy", getPolicy, await iam.send(new GetPolicyCommand({ PolicyArn })));
          } catch (error) {
            if (!(error instanceof NoSuchEntityException)) throw error;
            missing.push(policy);
          }
        }
        return { accountId: account.accountId, missing };
      } finally {
        iam.destroy();
      }
    } catch (error) {
      return {
        accountId: account.accountId,
        problem: accountProblem(account, account.roles.discovery, error),
      };
    }
  }
}
