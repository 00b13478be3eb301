import type { NamingRule } from "../policy/credentials-policy.ts";
import { breakGlassKeys, isBreakGlass } from "./break-glass.ts";
import { compareText } from "./compare-text.ts";
import { type CredentialFinding, sortFindings } from "./credential-finding.ts";
import { type IamUser, iamUserKey, looksHuman, type OktaPerson } from "./iam-user.ts";
import { nameByRule } from "./naming-rules.ts";

/** What mapping needs from the policy's `credentials` section. */
export interface MappingPolicy {
  ownerTags: readonly string[];
  namingRules: readonly NamingRule[];
  breakGlass: readonly string[];
}

/** How an owner was found: the first owner tag or naming rule that named them. */
export type MappedBy = { source: "tag"; tagKey: string } | { source: "namingRule"; rule: NamingRule };

/** The owner (or not) of one IAM user. */
export type IamUserOwnership =
  | { outcome: "mapped"; user: IamUser; owner: OktaPerson; by: MappedBy }
  /** More than one Okta user could own it, or a tag names someone else than a name does: never a guess. */
  | { outcome: "ambiguous"; user: IamUser; candidateIds: string[] }
  | { outcome: "unmapped"; user: IamUser }
  | { outcome: "breakGlass"; user: IamUser };

export interface IamUserMapping {
  /** One per IAM user, sorted by account then user name. */
  ownerships: IamUserOwnership[];
  findings: CredentialFinding[];
}

/**
 * Maps IAM users to Okta users by the owner tags, then the naming rules, case-insensitively. Every tag
 * and every rule is evaluated: the user is mapped only when they all point at one person (a rule that
 * matches nobody does not disagree). Two people, a tag and a name naming different people, or a tag
 * naming nobody in Okta is a finding and no mapping. Break-glass users are never mapped.
 * Deterministic: the result does not depend on the order of either input.
 */
export function mapIamUsers(
  users: readonly IamUser[],
  people: readonly OktaPerson[],
  policy: MappingPolicy,
): IamUserMapping {
  const breakGlass = breakGlassKeys(policy.breakGlass);
  const directory = indexPeople(people, policy.namingRules);
  const findings: CredentialFinding[] = [];
  const ownerships = [...users].sort(compareUsers).map((user): IamUserOwnership => {
    if (isBreakGlass(user, breakGlass)) {
      findings.push(breakGlassFinding(user));
      return { outcome: "breakGlass", user };
    }
    const ownership = ownerOf(user, directory, policy);
    findings.push(...ownershipFindings(ownership, directory.unknownTags(user, policy.ownerTags)));
    return ownership;
  });
  return { ownerships, findings: sortFindings(findings) };
}

/** Accounts then lower-cased names then ARNs: one order whatever the input's. */
function compareUsers(a: IamUser, b: IamUser): number {
  return compareText(`${iamUserKey(a)}\u0000${a.arn}`, `${iamUserKey(b)}\u0000${b.arn}`);
}

interface Directory {
  byId: ReadonlyMap<string, OktaPerson>;
  /** Lower-cased login or email -> ids. */
  byAddress(value: string): string[];
  /** Lower-cased derived name -> ids, for one rule. */
  byName(rule: NamingRule, name: string): string[];
  /** Owner tag values that name nobody in Okta. */
  unknownTags(user: IamUser, ownerTags: readonly string[]): { key: string; value: string }[];
}

function indexPeople(people: readonly OktaPerson[], rules: readonly NamingRule[]): Directory {
  const byId = new Map<string, OktaPerson>();
  for (const person of people) if (!byId.has(person.id)) byId.set(person.id, person);
  const addresses = new Map<string, Set<string>>();
  const names = new Map<string, Set<string>>();
  const add = (index: Map<string, Set<string>>, key: string, id: string) => {
    const ids = index.get(key) ?? new Set<string>();
    ids.add(id);
    index.set(key, ids);
  };
  for (const person of byId.values()) {
    add(addresses, person.login.toLowerCase(), person.id);
    if (person.email) add(addresses, person.email.toLowerCase(), person.id);
    for (const rule of rules) {
      const name = nameByRule(person, rule);
      if (name !== undefined) add(names, `${rule}\u0000${name}`, person.id);
    }
  }
  const sorted = (ids: Set<string> | undefined) => [...(ids ?? [])].sort();
  const directory: Directory = {
    byId,
    byAddress: (value) => sorted(addresses.get(value.toLowerCase())),
    byName: (rule, name) => sorted(names.get(`${rule}\u0000${name.toLowerCase()}`)),
    unknownTags: (user, ownerTags) =>
      tagValues(user, ownerTags).filter(({ value }) => directory.byAddress(value).length === 0),
  };
  return directory;
}

/** The user's owner tags present, in the policy's order; tag keys compared case-insensitively. */
function tagValues(user: IamUser, ownerTags: readonly string[]): { key: string; value: string }[] {
  const tags = Object.entries(user.tags).sort(([a], [b]) => compareText(a, b));
  return ownerTags.flatMap((wanted) =>
    tags
      .filter(([key, value]) => key.toLowerCase() === wanted.toLowerCase() && value.trim() !== "")
      .map(([key, value]) => ({ key, value: value.trim() })),
  );
}

function ownerOf(user: IamUser, directory: Directory, policy: MappingPolicy): IamUserOwnership {
  const tagged = tagValues(user, policy.ownerTags);
  const tagIds = new Set(tagged.flatMap(({ value }) => directory.byAddress(value)));
  const ruleMatches = policy.namingRules.map((rule) => ({
    rule,
    ids: directory.byName(rule, user.userName),
  }));
  const nameIds = new Set(ruleMatches.flatMap(({ ids }) => ids));
  const taggedNobody = tagged.some(({ value }) => directory.byAddress(value).length === 0);

  if (tagged.length > 0) {
    if (tagIds.size === 0 && nameIds.size === 0) return { outcome: "unmapped", user };
    const [owner] = tagIds;
    const nameDisagrees = nameIds.size > 0 && (owner === undefined || !nameIds.has(owner));
    if (tagIds.size !== 1 || taggedNobody || nameDisagrees) {
      return { outcome: "ambiguous", user, candidateIds: [...new Set([...tagIds, ...nameIds])].sort() };
    }
    const tagKey = tagged.find(({ value }) => directory.byAddress(value).includes(owner as string))?.key;
    return mapped(user, directory, owner as string, { source: "tag", tagKey: tagKey as string });
  }
  if (nameIds.size === 0) return { outcome: "unmapped", user };
  if (nameIds.size > 1) return { outcome: "ambiguous", user, candidateIds: [...nameIds].sort() };
  const [owner] = nameIds as Set<string>;
  const rule = ruleMatches.find(({ ids }) => ids.length > 0)?.rule as NamingRule;
  return mapped(user, directory, owner as string, { source: "namingRule", rule });
}

function mapped(user: IamUser, directory: Directory, ownerId: string, by: MappedBy): IamUserOwnership {
  return { outcome: "mapped", user, owner: directory.byId.get(ownerId) as OktaPerson, by };
}

function ownershipFindings(
  ownership: IamUserOwnership,
  unknownTags: { key: string; value: string }[],
): CredentialFinding[] {
  const { user } = ownership;
  const subject = { accountId: user.accountId, userName: user.userName };
  const findings: CredentialFinding[] = unknownTags.map(({ key, value }) => ({
    kind: "iam-user-owner-tag-unknown",
    message: `IAM user ${user.userName} in ${user.accountId} is tagged ${key}=${value}, which no Okta user's login or email is: it is mapped to nobody.`,
    subject: { ...subject, tagKey: key },
  }));
  if (ownership.outcome === "ambiguous") {
    findings.push({
      kind: "iam-user-owner-ambiguous",
      message: `IAM user ${user.userName} in ${user.accountId} could belong to Okta users ${ownership.candidateIds.join(", ")}: tag it with its owner's login, or fix the tag that disagrees.`,
      subject,
    });
  }
  if (ownership.outcome === "unmapped" && looksHuman(user)) {
    findings.push({
      kind: "iam-user-unmapped-human",
      message: `IAM user ${user.userName} in ${user.accountId} looks like a person's (${user.hasConsolePassword ? "console password" : "keys used from outside AWS"}) but maps to no Okta user: tag it with its owner's login or remove it.`,
      subject,
    });
  }
  return findings;
}

function breakGlassFinding(user: IamUser): CredentialFinding {
  const uses = [user.passwordLastUsed, ...user.accessKeys.map((key) => key.lastUsed?.date)].filter(
    (date): date is string => date !== undefined,
  );
  const lastUse = uses.sort().at(-1);
  const mfa = user.mfaDevices.length > 0 ? `MFA on (${user.mfaDevices.length} device(s))` : "no MFA device";
  return {
    kind: "break-glass-user",
    message: `Break-glass user ${user.userName} in ${user.accountId}: last used ${lastUse ?? "never"}, ${mfa}; never touched by the tool. Test it quarterly.`,
    subject: {
      accountId: user.accountId,
      userName: user.userName,
      lastUsed: lastUse ?? "never",
      mfa: user.mfaDevices.length > 0 ? "enabled" : "none",
    },
  };
}
