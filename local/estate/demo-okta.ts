import { type RandomSource, seededRandom } from "../emulators/identity-center/seeded-random.ts";
import { DEMO_NAMED_USERS, demoLogin } from "./demo-named-users.ts";
import { DEMO_TEAMS, type DemoTeam, demoTeam } from "./demo-teams.ts";
import type { EstateOktaData, EstateOktaUserData } from "./schema.ts";

type Status = EstateOktaUserData["status"];

const FIRST_NAMES = (
  "Aisha Alex Ben Carlos Chloe Daniel Elena Emma Ethan Fatima Grace Hiro Isabel Jamal Jane John " +
  "Julia Kenji Laura Leo Lucas Maria Mei Mohammed Nina Noah Olivia Omar Oscar Paula Priya Rahul " +
  "Sam Sara Sofia Tom Wei Yusuf Zoe Lena"
).split(" ");

const LAST_NAMES = (
  "Andersson Brown Chen Costa Doe Dubois Garcia Haas Haddad Johnson Kim Kowalski Lopez Martin " +
  "Morgan Mueller Murphy Nguyen Novak Okafor Patel Rossi Sato Schmidt Silva Singh Smith Taylor " +
  "Wilson Yilmaz"
).split(" ");

/** The demo's Okta groups (all pushed to Identity Center), the security auditors' id as in examples/policy.yaml. */
const GROUPS: readonly { name: string; description: string; id?: string }[] = [
  { name: "aws-platform-admins", description: "Platform team: PlatformAdmin in every account" },
  { name: "aws-developers", description: "Every engineer: DeveloperAccess in NonProd, ReadOnly in Prod" },
  { name: "aws-payments-devs", description: "Payments engineers: DeveloperAccess in payments-prod" },
  {
    name: "aws-search-devs",
    description: "Search and catalog engineers: DeveloperAccess in their prod accounts",
  },
  { name: "aws-data-engineers", description: "Data engineers: DataEngineer in the data accounts" },
  { name: "aws-readonly", description: "Engineering managers and security: ReadOnly everywhere" },
  { name: "aws-billing", description: "Finance: BillingViewer in the management account" },
  {
    name: "aws-security-auditors",
    description: "Security: SecurityAudit everywhere",
    id: "00g4s3c8aud1t0r5x2q7",
  },
  { name: "aws-break-glass", description: "Emergency access: PlatformAdmin in the management account" },
  { name: "aws-sre-oncall", description: "On-call rotation: DeveloperAccess in Prod" },
  { name: "aws-support-readonly", description: "Tier-2 support: ReadOnly in Prod" },
  {
    name: "aws-sandbox-users",
    description: "Owners of a personal sandbox: DeveloperAccess in the Sandbox OU",
  },
];

/** The directory integrations the demo's APP_GROUPs are imported from (Okta apps, not provisioning). */
export const DEMO_DIRECTORY_APPS = {
  activeDirectory: "0oa1ad0c0rp0d1r3ct0y",
  ldap: "0oa1ldap0c0rp0d1r3ct",
} as const;

/**
 * The demo's imported groups (`APP_GROUP`s). Okta lets them share a name with an `OKTA_GROUP` or with
 * each other (management spec, `GroupType`; its list-groups examples list one of each): Active
 * Directory's "aws-security-auditors" collides with the Okta group the policy names by id, and the two
 * "vpn-users" collide with each other and are in no rule. Ids are pinned (the seeded stream stays as it
 * was), members are picked by team.
 */
const APP_GROUPS: readonly {
  id: string;
  name: string;
  description: string;
  sourceAppId: string;
  team: string;
  count: number;
}[] = [
  {
    id: "00g1ad5ecaud1t0rs7k2",
    name: "aws-security-auditors",
    description: "Active Directory: CN=aws-security-auditors,OU=Groups,DC=corp,DC=example",
    sourceAppId: DEMO_DIRECTORY_APPS.activeDirectory,
    team: "security",
    count: 18, // every ACTIVE one (15)
  },
  {
    id: "00g1ad0vpn0u5er5x9m4",
    name: "vpn-users",
    description: "Active Directory: CN=vpn-users,OU=Groups,DC=corp,DC=example",
    sourceAppId: DEMO_DIRECTORY_APPS.activeDirectory,
    team: "support",
    count: 4,
  },
  {
    id: "00g1ldapvpn0u5er5w3p",
    name: "vpn-users",
    description: "LDAP: cn=vpn-users,ou=groups,dc=corp,dc=example",
    sourceAppId: DEMO_DIRECTORY_APPS.ldap,
    team: "platform",
    count: 3,
  },
];

/** Okta groups the demo policy names by id (an APP_GROUP shares the name), as examples/policy.yaml. */
export const DEMO_GROUP_IDS: Readonly<Record<string, string>> = {
  "aws-security-auditors": "00g4s3c8aud1t0r5x2q7",
};

/**
 * Data engineers whose Okta profile lacks `team`, the attribute the ABAC-scoped DataEngineer uses: the
 * first two ACTIVE generated members of aws-data-engineers. Estate runs report them
 * (abac-attribute-missing). Chosen after every pick by team, so the rest of the demo is unchanged.
 */
function demoUsersWithoutTeam(people: readonly Person[]): Set<string> {
  return new Set(
    people
      .slice(DEMO_NAMED_USERS.length)
      .filter((person) => person.groups.has("aws-data-engineers") && person.user.status === "ACTIVE")
      .slice(0, DEMO_USERS_WITHOUT_TEAM)
      .map((person) => person.user.login),
  );
}

/** How many demo users lack the `team` attribute. */
export const DEMO_USERS_WITHOUT_TEAM = 2;

function profileWithoutTeam(user: EstateOktaUserData): EstateOktaUserData["profile"] {
  const { team: _team, ...rest } = user.profile ?? {};
  return rest;
}

/** Groups everyone on a team is in. */
function teamGroups(team: DemoTeam): string[] {
  const groups = team.engineering ? ["aws-developers"] : [];
  if (team.name === "payments") groups.push("aws-payments-devs");
  if (team.name === "search" || team.name === "catalog") groups.push("aws-search-devs");
  if (team.name === "data") groups.push("aws-data-engineers");
  if (team.name === "security") groups.push("aws-security-auditors");
  return groups;
}

/** Groups a few ACTIVE people of a team are picked for: [group, team, how many]. */
const PICKS: readonly (readonly [string, string, number])[] = [
  ["aws-platform-admins", "platform", 6],
  ["aws-sre-oncall", "platform", 5],
  ["aws-sre-oncall", "payments", 2],
  ["aws-sre-oncall", "search", 2],
  ["aws-sre-oncall", "data", 1],
  ...DEMO_TEAMS.filter((team) => team.engineering).map((team) => ["aws-readonly", team.name, 2] as const),
  ["aws-readonly", "support", 2],
  ["aws-billing", "finance", 8],
  ["aws-support-readonly", "support", 25],
];

/** How many generated (unnamed) people start in each non-ACTIVE status. */
const OTHER_STATUSES: readonly (readonly [Status, number])[] = [
  ["SUSPENDED", 5],
  ["DEPROVISIONED", 6],
  ["STAGED", 3],
  ["PROVISIONED", 2],
];

/** The Okta app that provisions Identity Center by SCIM (the same id as examples/policy.yaml). */
export const DEMO_OKTA_APP = { id: "0oa7k2m9x4q1w8e5r3t6", label: "AWS IAM Identity Center" } as const;

interface Person {
  user: EstateOktaUserData & { id: string };
  groups: Set<string>;
}

/**
 * The demo company's Okta org: 400 people (the named demo users first, then generated ones), a dozen
 * groups, memberships by team, and the AWS IAM Identity Center app. Deterministic: every random
 * choice comes from a seeded generator.
 */
export function demoOkta(): EstateOktaData {
  const random = seededRandom(20_240_401);
  const people = [...namedPeople(random), ...generatedPeople(random)];
  const groups = GROUPS.map((group) => ({
    id: group.id ?? oktaId("00g", random),
    name: group.name,
    description: group.description,
  }));
  const memberships = GROUPS.flatMap((group) =>
    people
      .filter((person) => person.groups.has(group.name))
      .map((person) => ({ group: group.name, user: person.user.login })),
  );
  // Imported groups hold ACTIVE people of a team, in the order the org lists them.
  const appGroups = APP_GROUPS.map(({ team, count, ...group }) => ({
    ...group,
    members: people
      .filter((person) => person.user.profile?.team === team && person.user.status === "ACTIVE")
      .slice(0, count)
      .map((person) => person.user.login),
  }));
  const withoutTeam = demoUsersWithoutTeam(people);
  return {
    users: people.map((person) =>
      withoutTeam.has(person.user.login)
        ? { ...person.user, profile: profileWithoutTeam(person.user) }
        : person.user,
    ),
    groups,
    appGroups,
    memberships,
    apps: [{ ...DEMO_OKTA_APP }],
    // The demo's AWS IAM Identity Center app names users by their Okta username (the login).
    identityCenterApp: { userNameFormat: "oktaUsername" },
  };
}

function namedPeople(random: RandomSource): Person[] {
  return DEMO_NAMED_USERS.map((named) => {
    const team = demoTeam(named.team);
    const user = oktaUser(random, named.firstName, named.lastName, team, named.status);
    const groups = named.status === "DEPROVISIONED" ? [] : [...teamGroups(team), ...named.extraGroups];
    return { user, groups: new Set(groups) };
  });
}

function generatedPeople(random: RandomSource): Person[] {
  const taken = new Set(DEMO_NAMED_USERS.map((named) => demoLogin(named.firstName, named.lastName)));
  const names = shuffle(
    FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => [first, last] as const)),
    random,
  ).filter(([first, last]) => !taken.has(demoLogin(first, last)));
  const slots = shuffle(
    DEMO_TEAMS.flatMap((team) => {
      const named = DEMO_NAMED_USERS.filter((user) => user.team === team.name).length;
      return Array.from({ length: team.headcount - named }, () => team);
    }),
    random,
  );
  const statuses: Status[] = slots.map(() => "ACTIVE");
  const order = shuffle(
    slots.map((_, index) => index),
    random,
  );
  for (const [status, count] of OTHER_STATUSES) {
    for (const index of order.splice(0, count)) statuses[index] = status;
  }
  const people = slots.map((team, index): Person => {
    const [first, last] = names[index] as readonly [string, string];
    const status = statuses[index] as Status;
    const groups = status === "DEPROVISIONED" ? [] : teamGroups(team);
    return { user: oktaUser(random, first, last, team, status), groups: new Set(groups) };
  });
  for (const [group, team, count] of PICKS) {
    const candidates = people.filter(
      (person) => person.user.profile?.team === team && person.user.status === "ACTIVE",
    );
    for (const person of candidates.slice(0, count)) person.groups.add(group);
  }
  return people;
}

function oktaUser(
  random: RandomSource,
  firstName: string,
  lastName: string,
  team: DemoTeam,
  status: Status,
): EstateOktaUserData & { id: string } {
  return {
    id: oktaId("00u", random),
    login: demoLogin(firstName, lastName),
    firstName,
    lastName,
    status,
    profile: { team: team.name, department: team.department, costCenter: team.costCenter },
  };
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An Okta-shaped id: the prefix and 17 letters or digits. */
function oktaId(prefix: string, random: RandomSource): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
  return id;
}

/** A Fisher-Yates shuffle into a new array. */
function shuffle<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
