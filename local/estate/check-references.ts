import { closestName } from "../../core/policy/closest-name.ts";
import { checkIamReferences } from "./check-iam-references.ts";
import type { EstatePath, EstateProblemAt } from "./estate-error.ts";
import type {
  EstateFile,
  EstateIdentityCenterData,
  EstateOktaData,
  EstateOrganizationData,
} from "./schema.ts";

/** Identity Center's limit on an inline policy, counted without whitespace. */
export const INLINE_POLICY_MAX_CHARS = 10_240;

/**
 * Checks what the schema cannot: ids and names are unique, every parent, group, user, permission set,
 * account and OU that something refers to is declared, the OU tree has no loops, and assignments only
 * name groups that SCIM provisions to Identity Center. Returns every problem, section by section.
 */
export function checkReferences(estate: EstateFile): EstateProblemAt[] {
  return [
    ...checkOrganization(estate.organization),
    ...checkOkta(estate.okta),
    ...checkIdentityCenter(estate),
    ...checkIamReferences(estate),
  ];
}

function checkOrganization(org: EstateOrganizationData): EstateProblemAt[] {
  const problems: EstateProblemAt[] = [];
  const parents = [org.rootId, ...org.units.map((unit) => unit.id)];
  const unknownParent = (path: EstatePath, parentId: string, what: string): EstateProblemAt => ({
    path,
    message: `unknown parent '${parentId}' for ${what}`,
    fix: `use the root id (${org.rootId}) or the id of an OU declared under organization.units${didYouMean(parentId, parents)}`,
  });

  problems.push(
    ...duplicates(org.units, (unit) => unit.id, ["organization", "units"], "id", "OU id"),
    ...duplicates(org.accounts, (account) => account.id, ["organization", "accounts"], "id", "account id"),
    ...duplicates(
      org.accounts,
      (account) => account.email?.toLowerCase(),
      ["organization", "accounts"],
      "email",
      "account email",
    ),
  );
  for (const [index, unit] of org.units.entries()) {
    if (!parents.includes(unit.parentId)) {
      problems.push(
        unknownParent(["organization", "units", index, "parentId"], unit.parentId, `OU '${unit.name}'`),
      );
    }
    const loop = ancestorLoop(unit.id, org);
    if (loop !== undefined) {
      problems.push({
        path: ["organization", "units", index, "parentId"],
        message: `OU '${unit.name}' is its own ancestor: ${loop.join(" -> ")}`,
        fix: "point one parentId in this loop at the root or at an OU outside it",
      });
    }
  }
  for (const [index, account] of org.accounts.entries()) {
    if (!parents.includes(account.parentId)) {
      problems.push(
        unknownParent(
          ["organization", "accounts", index, "parentId"],
          account.parentId,
          `account '${account.name}'`,
        ),
      );
    }
  }
  const management = org.accounts.find((account) => account.id === org.managementAccountId);
  if (management === undefined) {
    problems.push({
      path: ["organization", "managementAccountId"],
      message: `the management account ${org.managementAccountId} is not listed under organization.accounts`,
      fix: "add it to organization.accounts (usually directly under the root) or fix the id",
    });
  } else if (management.status !== "ACTIVE") {
    problems.push({
      path: ["organization", "managementAccountId"],
      message: `the management account ${org.managementAccountId} is ${management.status}`,
      fix: "a management account is always ACTIVE: remove its status or set it to ACTIVE",
    });
  }
  return problems;
}

/** The loop of OU ids that leads from `unitId` back to itself, if its parents do. */
function ancestorLoop(unitId: string, org: EstateOrganizationData): string[] | undefined {
  const chain = [unitId];
  let current = org.units.find((unit) => unit.id === unitId);
  while (current !== undefined) {
    const parentId = current.parentId;
    if (parentId === unitId) return [...chain, parentId];
    if (chain.includes(parentId)) return undefined; // a loop further up, reported for its own members
    chain.push(parentId);
    current = org.units.find((unit) => unit.id === parentId);
  }
  return undefined;
}

function checkOkta(okta: EstateOktaData): EstateProblemAt[] {
  const problems: EstateProblemAt[] = [
    ...duplicates(okta.users, (user) => user.login.toLowerCase(), ["okta", "users"], "login", "login"),
    ...duplicates(okta.users, (user) => user.id, ["okta", "users"], "id", "user id"),
    ...duplicates(okta.groups, (group) => group.name.toLowerCase(), ["okta", "groups"], "name", "group name"),
    ...duplicates(okta.groups, (group) => group.id, ["okta", "groups"], "id", "group id"),
    ...duplicates(okta.appGroups, (group) => group.id, ["okta", "appGroups"], "id", "group id"),
    ...duplicates(okta.apps, (app) => app.id, ["okta", "apps"], "id", "app id"),
  ];
  const groupNames = okta.groups.map((group) => group.name);
  const logins = okta.users.map((user) => user.login);
  // An APP_GROUP may share any name (Okta's GroupType); its id may not be an OKTA_GROUP's.
  const oktaGroupIds = new Set(okta.groups.flatMap((group) => (group.id ? [group.id] : [])));
  for (const [index, group] of okta.appGroups.entries()) {
    const path = ["okta", "appGroups", index];
    if (group.id !== undefined && oktaGroupIds.has(group.id))
      problems.push({
        path: [...path, "id"],
        message: `group id ${group.id} is already an okta.groups[] id`,
        fix: "give the imported group its own id, or leave it out to derive one",
      });
    for (const [i, login] of group.members.entries()) {
      if (!logins.includes(login))
        problems.push(unknownName([...path, "members", i], "user", login, logins, "okta.users (by login)"));
    }
  }
  const seen = new Map<string, number>();
  for (const [index, membership] of okta.memberships.entries()) {
    const path = ["okta", "memberships", index];
    if (!groupNames.includes(membership.group)) {
      problems.push(unknownName([...path, "group"], "group", membership.group, groupNames, "okta.groups"));
    }
    if (!logins.includes(membership.user)) {
      problems.push(unknownName([...path, "user"], "user", membership.user, logins, "okta.users (by login)"));
    }
    const key = `${membership.group}\n${membership.user}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else
      problems.push({
        path: [...path, "user"],
        message: `'${membership.user}' is already a member of '${membership.group}' (okta.memberships[${first}])`,
        fix: "remove this duplicate membership",
      });
  }
  return problems;
}

function checkIdentityCenter(estate: EstateFile): EstateProblemAt[] {
  const ic: EstateIdentityCenterData = estate.identityCenter;
  const problems: EstateProblemAt[] = [
    ...duplicates(
      ic.permissionSets,
      (set) => set.name,
      ["identityCenter", "permissionSets"],
      "name",
      "permission set name",
    ),
  ];
  for (const [index, set] of ic.permissionSets.entries()) {
    if (set.inlinePolicy === undefined) continue;
    const size = JSON.stringify(set.inlinePolicy).replace(/\s/g, "").length;
    if (size > INLINE_POLICY_MAX_CHARS) {
      problems.push({
        path: ["identityCenter", "permissionSets", index, "inlinePolicy"],
        message: `the inline policy of '${set.name}' has ${size} non-whitespace characters; Identity Center allows ${INLINE_POLICY_MAX_CHARS}`,
        fix: "shorten it, or move statements into managed policies",
      });
    }
  }

  const groupNames = estate.okta.groups.map((group) => group.name);
  const provisioned = ic.scim.provisionedGroups;
  if (provisioned !== "all") {
    for (const [index, name] of provisioned.entries()) {
      if (!groupNames.includes(name)) {
        problems.push(
          unknownName(
            ["identityCenter", "scim", "provisionedGroups", index],
            "group",
            name,
            groupNames,
            "okta.groups",
          ),
        );
      }
    }
  }

  const setNames = ic.permissionSets.map((set) => set.name);
  const accountIds = estate.organization.accounts.map((account) => account.id);
  const ouIds = [estate.organization.rootId, ...estate.organization.units.map((unit) => unit.id)];
  for (const [index, assignment] of ic.assignments.entries()) {
    const path = ["identityCenter", "assignments", index];
    if (!groupNames.includes(assignment.group)) {
      problems.push(unknownName([...path, "group"], "group", assignment.group, groupNames, "okta.groups"));
    } else if (provisioned !== "all" && !provisioned.includes(assignment.group)) {
      problems.push({
        path: [...path, "group"],
        message: `group '${assignment.group}' is not provisioned to Identity Center, so nothing can be assigned to it`,
        fix: `add "${assignment.group}" to identityCenter.scim.provisionedGroups`,
      });
    }
    if (!setNames.includes(assignment.permissionSet)) {
      problems.push(
        unknownName(
          [...path, "permissionSet"],
          "permission set",
          assignment.permissionSet,
          setNames,
          "identityCenter.permissionSets",
        ),
      );
    }
    if (assignment.accounts.length === 0 && assignment.ous.length === 0) {
      problems.push({
        path,
        message: `the assignment of '${assignment.permissionSet}' to '${assignment.group}' targets nothing`,
        fix: `list account ids under "accounts" or OU ids under "ous" (the root id ${estate.organization.rootId} for every account)`,
      });
    }
    for (const [i, accountId] of assignment.accounts.entries()) {
      if (!accountIds.includes(accountId)) {
        problems.push(
          unknownName([...path, "accounts", i], "account", accountId, accountIds, "organization.accounts"),
        );
      }
    }
    for (const [i, ouId] of assignment.ous.entries()) {
      if (!ouIds.includes(ouId)) {
        problems.push(
          unknownName([...path, "ous", i], "OU", ouId, ouIds, "organization.units (or the root id)"),
        );
      }
    }
  }
  return problems;
}

/** A reference to something not declared, with the closest declared name as a suggestion. */
function unknownName(
  path: EstatePath,
  noun: string,
  name: string,
  declared: readonly string[],
  where: string,
): EstateProblemAt {
  return {
    path,
    message: `unknown ${noun} '${name}'`,
    fix: `declare it under ${where} or fix the name${didYouMean(name, declared)}`,
  };
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const guess = closestName(name, candidates);
  return guess === undefined ? "" : ` (did you mean '${guess}'?)`;
}

/** A problem for every item whose key repeats an earlier item's; items without a key (`undefined`) are skipped. */
function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  listPath: EstatePath,
  field: string,
  noun: string,
): EstateProblemAt[] {
  const firstIndex = new Map<string, number>();
  const problems: EstateProblemAt[] = [];
  for (const [index, item] of items.entries()) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      continue;
    }
    const value = String((item as Record<string, unknown>)[field]);
    problems.push({
      path: [...listPath, index, field],
      message: `${noun} '${value}' is used twice (first at ${listPath.join(".")}[${first}])`,
      fix: `give each one its own ${noun}, or remove the duplicate`,
    });
  }
  return problems;
}
