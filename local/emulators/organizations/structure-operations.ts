/**
 * The organization's structure: the organization, its root, OUs and accounts, and moving or
 * creating accounts (asynchronously: IN_PROGRESS, then SUCCEEDED after `limits.createAccountMs`).
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import { epochSeconds, type OperationContext } from "./context.ts";
import {
  accountNotFound,
  childNotFound,
  createAccountStatusNotFound,
  destinationParentNotFound,
  duplicateAccount,
  duplicateOrganizationalUnit,
  invalidInput,
  organizationalUnitNotFound,
  parentNotFound,
  sourceParentNotFound,
} from "./errors.ts";
import { paginate } from "./pagination.ts";
import { requiredString, tagList } from "./request.ts";
import { rootPolicyTypes } from "./scp-policy-type.ts";
import type { AccountRecord, CreateAccountStatusRecord, UnitRecord } from "./state.ts";

export function structureOperations(ctx: OperationContext): Record<string, AwsOperation> {
  const { state, limits, ids, now } = ctx;

  const accountJson = (a: AccountRecord) => ({
    Id: a.id,
    Arn: state.accountArn(a.id),
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: epochSeconds(a.joinedAt),
  });
  const unitJson = (u: UnitRecord) => ({ Id: u.id, Arn: state.unitArn(u.id), Name: u.name });
  const parentOf = (input: unknown, name: string, notFound: () => Error) => {
    const id = requiredString(input, name, 100);
    if (!state.isParent(id)) throw notFound();
    return id;
  };
  const accountsIn = (parentId: string) =>
    [...state.accounts.values()].filter((a) => a.parentId === parentId);
  const unitsIn = (parentId: string) => [...state.units.values()].filter((u) => u.parentId === parentId);
  const account = (input: unknown) => {
    const found = state.accounts.get(requiredString(input, "AccountId", 12));
    if (!found) throw accountNotFound();
    return found;
  };

  return {
    DescribeOrganization: () => ({
      Organization: {
        Id: state.organizationId,
        Arn: state.organizationArn(),
        FeatureSet: "ALL",
        MasterAccountArn: state.accountArn(state.managementAccountId),
        MasterAccountId: state.managementAccountId,
        MasterAccountEmail: state.managementAccountEmail,
        // Deprecated in the model ("use the ListRoots operation instead"); kept in step with the root.
        AvailablePolicyTypes: rootPolicyTypes(ctx),
      },
    }),

    ListRoots: (input) => {
      const page = paginate([state.rootId], input, "roots", limits);
      return {
        Roots: page.items.map((id) => ({
          Id: id,
          Arn: state.rootArn(),
          Name: "Root",
          PolicyTypes: rootPolicyTypes(ctx),
        })),
        NextToken: page.nextToken,
      };
    },

    ListOrganizationalUnitsForParent: (input) => {
      const parentId = parentOf(input, "ParentId", parentNotFound);
      const page = paginate(unitsIn(parentId), input, `ous:${parentId}`, limits);
      return { OrganizationalUnits: page.items.map(unitJson), NextToken: page.nextToken };
    },

    DescribeOrganizationalUnit: (input) => {
      const unit = state.units.get(requiredString(input, "OrganizationalUnitId", 68));
      if (!unit) throw organizationalUnitNotFound();
      return { OrganizationalUnit: unitJson(unit) };
    },

    CreateOrganizationalUnit: (input) => {
      const parentId = parentOf(input, "ParentId", parentNotFound);
      const name = requiredString(input, "Name", 128);
      const tags = tagList(input);
      if (unitsIn(parentId).some((u) => u.name === name)) throw duplicateOrganizationalUnit();
      const unit = { id: ids.organizationalUnitId(state.rootId), name, parentId };
      state.addUnit(unit);
      for (const t of tags) state.tagsOf(unit.id).set(t.Key, t.Value);
      return { OrganizationalUnit: unitJson(unit) };
    },

    ListAccounts: (input) => {
      const page = paginate([...state.accounts.values()], input, "accounts", limits);
      return { Accounts: page.items.map(accountJson), NextToken: page.nextToken };
    },

    ListAccountsForParent: (input) => {
      const parentId = parentOf(input, "ParentId", parentNotFound);
      const page = paginate(accountsIn(parentId), input, `accounts:${parentId}`, limits);
      return { Accounts: page.items.map(accountJson), NextToken: page.nextToken };
    },

    ListChildren: (input) => {
      const parentId = parentOf(input, "ParentId", parentNotFound);
      const childType = requiredString(input, "ChildType", 30);
      if (childType !== "ACCOUNT" && childType !== "ORGANIZATIONAL_UNIT") {
        throw invalidInput("INVALID_ENUM", "ChildType must be ACCOUNT or ORGANIZATIONAL_UNIT.");
      }
      const children = childType === "ACCOUNT" ? accountsIn(parentId) : unitsIn(parentId);
      const page = paginate(children, input, `children:${parentId}:${childType}`, limits);
      return { Children: page.items.map((c) => ({ Id: c.id, Type: childType })), NextToken: page.nextToken };
    },

    ListParents: (input) => {
      const childId = requiredString(input, "ChildId", 100);
      const parentId = state.accounts.get(childId)?.parentId ?? state.units.get(childId)?.parentId;
      if (parentId === undefined) throw childNotFound();
      const type = parentId === state.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT";
      const page = paginate([{ Id: parentId, Type: type }], input, `parents:${childId}`, limits);
      return { Parents: page.items, NextToken: page.nextToken };
    },

    DescribeAccount: (input) => ({ Account: accountJson(account(input)) }),

    MoveAccount: (input) => {
      const moved = account(input);
      const source = parentOf(input, "SourceParentId", sourceParentNotFound);
      const destination = parentOf(input, "DestinationParentId", destinationParentNotFound);
      if (moved.parentId !== source) throw accountNotFound();
      if (source === destination) throw duplicateAccount();
      moved.parentId = destination;
      return {};
    },

    CreateAccount: (input) => {
      const email = requiredString(input, "Email", 64);
      const accountName = requiredString(input, "AccountName", 50);
      const tags = tagList(input);
      const status: CreateAccountStatusRecord = {
        id: ids.createAccountRequestId(),
        accountName,
        accountId: ids.accountId(),
        requestedAt: now(),
        state: "IN_PROGRESS",
      };
      state.createAccountStatuses.set(status.id, status);
      // Asynchronous, as in AWS: the first answer is IN_PROGRESS; the account exists once SUCCEEDED.
      const complete = () => {
        const at = now();
        const created: AccountRecord = {
          id: status.accountId,
          name: accountName,
          email,
          parentId: state.rootId,
          status: "ACTIVE",
          joinedMethod: "CREATED",
          joinedAt: at,
        };
        state.addAccount(created);
        for (const t of tags) state.tagsOf(created.id).set(t.Key, t.Value);
        Object.assign(status, { state: "SUCCEEDED", completedAt: at });
        ctx.onCreateAccountCompleted?.(createAccountStatusJson(status));
      };
      setTimeout(complete, limits.createAccountMs).unref();
      return { CreateAccountStatus: createAccountStatusJson(status) };
    },

    DescribeCreateAccountStatus: (input) => {
      const status = state.createAccountStatuses.get(requiredString(input, "CreateAccountRequestId", 36));
      if (!status) throw createAccountStatusNotFound();
      return { CreateAccountStatus: createAccountStatusJson(status) };
    },
  };
}

function createAccountStatusJson(s: CreateAccountStatusRecord): Record<string, unknown> {
  return {
    Id: s.id,
    AccountName: s.accountName,
    State: s.state,
    RequestedTimestamp: epochSeconds(s.requestedAt),
    ...(s.completedAt === undefined
      ? {}
      : { CompletedTimestamp: epochSeconds(s.completedAt), AccountId: s.accountId }),
  };
}
