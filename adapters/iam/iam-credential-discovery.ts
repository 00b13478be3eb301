/**
 * Reads every account's IAM users and Okta-trusting roles through its discovery role
 * (CredentialDiscoveryPort). Per account: ListUsers (which carries `PasswordLastUsed`: model,
 * User.PasswordLastUsed, "returned only in the GetUser and ListUsers operations"), then per user
 * ListUserTags, GetLoginProfile (NoSuchEntity: no console password), ListAccessKeys with
 * GetAccessKeyLastUsed per key, ListMFADevices; then ListSAMLProviders and ListRoles, keeping the roles
 * whose trust admits one of the account's SAML providers (saml-trust.ts). One user's reads run in
 * sequence and `userConcurrency` users at once, so an account sees at most that many calls in flight
 * (IAM throttles per account); `accountConcurrency` accounts are read at once. An account that fails
 * is a problem for that account (account-problem.ts); the others are still read.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  type IAMClient,
  ListSAMLProvidersCommand,
  NoSuchEntityException,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListRoles,
  paginateListUsers,
  paginateListUserTags,
} from "@aws-sdk/client-iam";
import type { AccessKey, IamUser } from "../../core/credentials/iam-user.ts";
import type { OktaTrustingRole } from "../../core/credentials/plan-credential-revocation.ts";
import type {
  AccountCredentials,
  CredentialAccount,
  CredentialAccountProblem,
  CredentialDiscoveryPort,
} from "../../core/ports.ts";
import { accountProblem } from "./account-problem.ts";
import { mapLimited } from "./map-limited.ts";
import type { MemberAccountSessions } from "./member-account-sessions.ts";
import { type IamConnection, memberIamClient } from "./member-iam-client.ts";
import {
  getAccessKeyLastUsed,
  listAccessKeysPage,
  listMfaDevicesPage,
  listRolesPage,
  listSamlProviders,
  listUsersPage,
  listUserTagsPage,
} from "./response-schemas.ts";
import { decodeTrustPolicy, trustsSamlProvider } from "./saml-trust.ts";
import { parseIamResponse } from "./unexpected-response-error.ts";

export interface IamCredentialDiscoveryOptions {
  sessions: MemberAccountSessions;
  /**
   * Where the IAM clients connect (the local stack: its gateway), and their retries.
   * @default AWS's IAM endpoint in us-east-1, the SDK's standard retries
   */
  connection?: IamConnection;
  /** @default 8 */
  accountConcurrency?: number;
  /** @default 4 */
  userConcurrency?: number;
}

/** The model's NoSuchEntity (404): the SDK names it NoSuchEntityException. */
const isNoSuchEntity = (error: unknown) => error instanceof NoSuchEntityException;

export class IamCredentialDiscovery implements CredentialDiscoveryPort {
  private readonly options: IamCredentialDiscoveryOptions;

  constructor(options: IamCredentialDiscoveryOptions) {
    this.options = options;
  }

  async discover(
    accounts: readonly CredentialAccount[],
    context: { runId: string },
  ): Promise<{ accounts: AccountCredentials[]; problems: CredentialAccountProblem[] }> {
    const outcomes = await mapLimited(accounts, this.options.accountConcurrency ?? 8, async (account) => {
      try {
        return { read: await this.readAccount(account, context.runId) };
      } catch (error) {
        return { problem: accountProblem(account, account.roles.discovery, error) };
      }
    });
    return {
      accounts: outcomes.flatMap((outcome) => (outcome.read ? [outcome.read] : [])),
      problems: outcomes.flatMap((outcome) => (outcome.problem ? [outcome.problem] : [])),
    };
  }

  private async readAccount(account: CredentialAccount, runId: string): Promise<AccountCredentials> {
    const iam = await memberIamClient(
      this.options.sessions,
      this.options.connection ?? {},
      account,
      "discovery",
      runId,
    );
    try {
      const listed = [];
      for await (const page of paginateListUsers({ client: iam }, {})) {
        listed.push(...parseIamResponse("ListUsers", listUsersPage, page).Users);
      }
      const users = await mapLimited(listed, this.options.userConcurrency ?? 4, (user) =>
        readUser(iam, account.accountId, user),
      );
      return {
        accountId: account.accountId,
        users: users
          .filter((user): user is IamUser => user !== undefined)
          .sort((a, b) => a.userName.localeCompare(b.userName)),
        oktaTrustingRoles: await readOktaTrustingRoles(iam, account.accountId),
      };
    } finally {
      iam.destroy();
    }
  }
}

/** One user's credentials; `undefined` when the user was deleted between ListUsers and its reads. */
async function readUser(
  iam: IAMClient,
  accountId: string,
  listed: { UserName: string; Arn: string; PasswordLastUsed?: string | undefined },
): Promise<IamUser | undefined> {
  const UserName = listed.UserName;
  try {
    const tags: Record<string, string> = {};
    for await (const page of paginateListUserTags({ client: iam }, { UserName })) {
      for (const tag of parseIamResponse("ListUserTags", listUserTagsPage, page).Tags)
        tags[tag.Key] = tag.Value;
    }
    const hasConsolePassword = await iam.send(new GetLoginProfileCommand({ UserName })).then(
      () => true,
      (error: unknown) => {
        if (isNoSuchEntity(error)) return false;
        throw error;
      },
    );
    const accessKeys: AccessKey[] = [];
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName })) {
      for (const key of parseIamResponse("ListAccessKeys", listAccessKeysPage, page).AccessKeyMetadata) {
        const used = parseIamResponse(
          "GetAccessKeyLastUsed",
          getAccessKeyLastUsed,
          await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId })),
        ).AccessKeyLastUsed;
        const lastUsed = {
          ...(used?.LastUsedDate === undefined ? {} : { date: used.LastUsedDate }),
          ...(used?.ServiceName === undefined ? {} : { serviceName: used.ServiceName }),
          ...(used?.Region === undefined ? {} : { region: used.Region }),
        };
        accessKeys.push({ id: key.AccessKeyId, status: key.Status, createDate: key.CreateDate, lastUsed });
      }
    }
    const mfaDevices = [];
    for await (const page of paginateListMFADevices({ client: iam }, { UserName })) {
      for (const device of parseIamResponse("ListMFADevices", listMfaDevicesPage, page).MFADevices) {
        mfaDevices.push({
          serialNumber: device.SerialNumber,
          ...(device.EnableDate === undefined ? {} : { enableDate: device.EnableDate }),
        });
      }
    }
    return {
      accountId,
      userName: UserName,
      arn: listed.Arn,
      tags,
      hasConsolePassword,
      ...(listed.PasswordLastUsed === undefined ? {} : { passwordLastUsed: listed.PasswordLastUsed }),
      accessKeys,
      mfaDevices,
    };
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** The account's roles whose trust policy admits one of its SAML providers, sorted by name. */
async function readOktaTrustingRoles(iam: IAMClient, accountId: string): Promise<OktaTrustingRole[]> {
  const providers = parseIamResponse(
    "ListSAMLProviders",
    listSamlProviders,
    await iam.send(new ListSAMLProvidersCommand({})),
  ).SAMLProviderList;
  if (providers.length === 0) return [];
  const providerArns = new Set(providers.map((provider) => provider.Arn));
  const trusting: OktaTrustingRole[] = [];
  for await (const page of paginateListRoles({ client: iam }, {})) {
    for (const role of parseIamResponse("ListRoles", listRolesPage, page).Roles) {
      const document = role.AssumeRolePolicyDocument;
      if (document === undefined) continue;
      if (trustsSamlProvider(decodeTrustPolicy(document, role.RoleName), providerArns)) {
        trusting.push({ accountId, roleName: role.RoleName, arn: role.Arn });
      }
    }
  }
  return trusting.sort((a, b) => a.roleName.localeCompare(b.roleName));
}
