/**
 * Reads the organization's structure with as few calls as the API allows: ListRoots, then for the root
 * and each OU (breadth first) ListOrganizationalUnitsForParent and ListAccountsForParent, then
 * ListTagsForResource per account. That is 1 + 2 x (OUs + 1) + accounts calls, plus extra pages.
 */
import {
  type Account,
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
} from "@aws-sdk/client-organizations";
import type { OrgAccount, Organization, OrgUnit } from "../../core/estate.ts";
import { required } from "./errors.ts";

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/**
 * The account's status in the read model. `State` replaces the deprecated `Status`; CLOSED and
 * PENDING_ACTIVATION accounts cannot be used either, so they read as SUSPENDED.
 */
export function accountStatus(account: Pick<Account, "State" | "Status">): OrgAccount["status"] {
  const status = account.State ?? account.Status;
  return status === "ACTIVE" || status === "PENDING_CLOSURE" ? status : "SUSPENDED";
}

async function listRoot(client: OrganizationsClient): Promise<{ id: string; name: string }> {
  const [root] = await collect(paginateListRoots({ client }, {}), (p) => p.Roots);
  return { id: required("ListRoots", "Roots[0].Id", root?.Id), name: root?.Name ?? "Root" };
}

/** The organization's root id (one ListRoots call). */
export async function findRootId(client: OrganizationsClient): Promise<string> {
  return (await listRoot(client)).id;
}

/**
 * `tagsOf`: read the tags of these accounts only (a scoped estate run, which judges a few accounts,
 * saves one ListTagsForResource per other account); the others read with no tags.
 * @default every account's tags
 */
export async function readOrganization(
  client: OrganizationsClient,
  options: { tagsOf?: readonly string[] } = {},
): Promise<Organization> {
  const root = await listRoot(client);
  const rootId = root.id;
  const units: OrgUnit[] = [{ id: rootId, name: root.name, parentId: null }];
  const accounts: OrgAccount[] = [];

  for (let next = 0; next < units.length; next++) {
    const parentId = (units[next] as OrgUnit).id;
    const children = await collect(
      paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId }),
      (p) => p.OrganizationalUnits,
    );
    for (const ou of children) {
      const op = "ListOrganizationalUnitsForParent";
      units.push({ id: required(op, "OrganizationalUnits[].Id", ou.Id), name: ou.Name ?? "", parentId });
    }
    const inParent = await collect(
      paginateListAccountsForParent({ client }, { ParentId: parentId }),
      (p) => p.Accounts,
    );
    for (const a of inParent) {
      const id = required("ListAccountsForParent", "Accounts[].Id", a.Id);
      accounts.push({ id, name: a.Name ?? "", parentId, tags: {}, status: accountStatus(a) });
    }
  }

  const tagged = options.tagsOf === undefined ? undefined : new Set(options.tagsOf);
  for (const account of accounts) {
    if (tagged && !tagged.has(account.id)) continue;
    const tags = await collect(
      paginateListTagsForResource({ client }, { ResourceId: account.id }),
      (p) => p.Tags,
    );
    for (const tag of tags)
      account.tags[required("ListTagsForResource", "Tags[].Key", tag.Key)] = tag.Value ?? "";
  }
  accounts.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { rootId, units, accounts };
}
