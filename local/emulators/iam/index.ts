/**
 * The IAM and STS emulator over the AWS Query protocol (aws-query-protocol.ts), so the real
 * `@aws-sdk/client-iam` and `@aws-sdk/client-sts` talk to it through an endpoint override. IAM is
 * per account, and the account is the caller's (caller.ts): the management identity's key acts in the
 * management account, `AssumeRole` into `arn:aws:iam::<account>:role/<name>` returns credentials that
 * act in that account. Member accounts of the organization hold OrganizationAccountAccessRole
 * (organization-access-role.ts). docs/aws-behaviour.md, "IAM and STS emulator", lists what is modelled.
 *
 * ```ts
 * const iam = createIamEmulator({ managementAccountId: "111111111111" });
 * const server = await startAwsQueryServer(iam.services);
 * const sts = new STSClient(localClientConfig(server.endpoint)); // key "local": the management account
 * ```
 */
import type { AwsQueryOperation, AwsQueryService } from "../aws-query-protocol.ts";
import { type RandomSource, seededRandom } from "../identity-center/seeded-random.ts";
import { accessKeyOperations } from "./access-key-operations.ts";
import { createCallerResolver } from "./caller.ts";
import type { IamContext } from "./context.ts";
import { credentialReportOperations } from "./credential-report-operations.ts";
import { IAM_ERROR_STATUSES, STS_ERROR_STATUSES } from "./errors.ts";
import { IamIds } from "./ids.ts";
import { inlinePolicyOperations } from "./inline-policy-operations.ts";
import { managedPolicyOperations } from "./managed-policy-operations.ts";
import { type OrganizationMembership, provisionOrganizationAccessRole } from "./organization-access-role.ts";
import { addRole, roleOperations } from "./role-operations.ts";
import { samlProviderOperations } from "./saml-provider-operations.ts";
import { createIamSeedHelpers, type IamSeedHelpers } from "./seed.ts";
import { signInOperations } from "./sign-in-operations.ts";
import { simulateCustomPolicyOperations } from "./simulate-custom-policy-operations.ts";
import { IamState } from "./state.ts";
import { stsOperations } from "./sts-operations.ts";
import { userOperations } from "./user-operations.ts";

export type { Caller } from "./caller.ts";
export { ORGANIZATION_ACCESS_ROLE, type OrganizationMembership } from "./organization-access-role.ts";
export type {
  IamSeedHelpers,
  SeedAccessKey,
  SeedManagedPolicy,
  SeedRole,
  SeedSamlProvider,
  SeedUser,
} from "./seed.ts";
export { IamState } from "./state.ts";

export const IAM_VERSION = "2010-05-08";
export const STS_VERSION = "2011-06-15";

export interface IamEmulatorOptions {
  managementAccountId: string;
  /**
   * Access key ids that sign as the management account's root (the local stack's own identity).
   * @default ["local"] (localClientConfig's key)
   */
  managementAccessKeyIds?: readonly string[];
  /** The organization whose member accounts get OrganizationAccountAccessRole; none without it. */
  organization?: Omit<OrganizationMembership, "managementAccountId">;
  /** @default us-east-1 */
  region?: string;
  /**
   * How long credential report generation takes (GetCredentialReport answers ReportInProgress until then).
   * @default 0
   */
  credentialReportMs?: number;
  seed?: number;
  random?: RandomSource;
  now?: () => number;
}

export interface IamEmulator {
  /** IAM and STS, for startAwsQueryServer / the local gateway. */
  services: readonly AwsQueryService[];
  state: IamState;
  seed: IamSeedHelpers;
  /** Settings changeable at runtime. */
  limits: { credentialReportMs: number };
  /** Calls received per `iam:<Operation>` / `sts:<Operation>`. */
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
}

const counted = (state: IamState, prefix: string, operations: Record<string, AwsQueryOperation>) =>
  Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [
      name,
      ((input, request) => {
        const key = `${prefix}:${name}`;
        state.calls.set(key, (state.calls.get(key) ?? 0) + 1);
        return operation(input, request);
      }) satisfies AwsQueryOperation,
    ]),
  );

export function createIamEmulator(options: IamEmulatorOptions): IamEmulator {
  const ids = new IamIds(options.random ?? seededRandom(options.seed ?? 7));
  const now = options.now ?? Date.now;
  const { organization } = options;
  const state = new IamState((account) => {
    if (organization === undefined) return;
    provisionOrganizationAccessRole(
      { ...organization, managementAccountId: options.managementAccountId },
      account,
      (name, trustPolicy) => addRole({ ids, now }, account, { name, trustPolicy }),
    );
  });
  const caller = createCallerResolver(
    state,
    {
      managementAccountId: options.managementAccountId,
      managementAccessKeyIds: options.managementAccessKeyIds ?? ["local"],
      region: options.region ?? "us-east-1",
    },
    now,
  );
  const ctx: IamContext = { state, ids, now, caller };
  const limits = { credentialReportMs: options.credentialReportMs ?? 0 };
  const iam: AwsQueryService = {
    version: IAM_VERSION,
    xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
    operations: counted(state, "iam", {
      ...userOperations(ctx),
      ...accessKeyOperations(ctx),
      ...signInOperations(ctx),
      ...inlinePolicyOperations(ctx),
      ...managedPolicyOperations(ctx),
      ...roleOperations(ctx),
      ...samlProviderOperations(ctx),
      ...credentialReportOperations(ctx, () => limits.credentialReportMs),
      ...simulateCustomPolicyOperations(ctx),
    }),
    errorStatuses: IAM_ERROR_STATUSES,
  };
  const sts: AwsQueryService = {
    version: STS_VERSION,
    xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
    operations: counted(state, "sts", stsOperations(ctx)),
    errorStatuses: STS_ERROR_STATUSES,
  };
  return {
    services: [iam, sts],
    state,
    seed: createIamSeedHelpers(state, ids, now),
    limits,
    callCounts: () => Object.fromEntries(state.calls),
    resetCallCounts: () => state.calls.clear(),
  };
}
