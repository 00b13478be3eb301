import fc from "fast-check";
import type {
  Assignment,
  DenyEntry,
  IdentityCenterState,
  OktaTruth,
  OktaUserStatus,
  Organization,
} from "../../core/estate.ts";
import { type Policy, PolicyDocument } from "../../core/policy/schema.ts";

/** A small, fully random estate: few enough ids that collisions (the interesting cases) are common. */
export interface RandomEstate {
  policy: Policy;
  okta: OktaTruth;
  organization: Organization;
  identityCenter: IdentityCenterState;
  now: string;
}

export const NOW = "2026-06-01T12:00:00.000Z";
const ROOT = "r-root";
const OUS = ["ou-root-prod0001", "ou-root-dev00001", "ou-root-sand0001"];
export const ACCOUNTS = ["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"];
const PERMISSION_SETS = ["ReadOnly", "Developer", "Admin"];
export const psArn = (name: string) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${name.toLowerCase()}`;
const GROUPS = ["aws-admins", "aws-devs", "aws-readonly", "not-in-policy"];
const USERS = ["ana", "ben", "cleo", "dev", "eli", "fay"];
const STATUSES: OktaUserStatus[] = [
  "ACTIVE",
  "ACTIVE",
  "ACTIVE",
  "SUSPENDED",
  "DEPROVISIONED",
  "LOCKED_OUT",
  "STAGED",
];

const subset = <T>(items: readonly T[]) => fc.subarray([...items]);

const organizationArb: fc.Arbitrary<Organization> = fc
  .tuple(
    fc.array(fc.constantFrom(ROOT, ...OUS), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
    fc.array(fc.constantFrom("prod", "dev"), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
    fc.array(fc.constantFrom<"ACTIVE" | "SUSPENDED">("ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED"), {
      minLength: ACCOUNTS.length,
      maxLength: ACCOUNTS.length,
    }),
  )
  .map(([parents, envs, statuses]) => ({
    rootId: ROOT,
    units: [
      { id: ROOT, name: "Root", parentId: null },
      { id: OUS[0] as string, name: "Prod", parentId: ROOT },
      { id: OUS[1] as string, name: "Dev", parentId: ROOT },
      { id: OUS[2] as string, name: "Sandbox", parentId: OUS[1] as string },
    ],
    accounts: ACCOUNTS.map((id, i) => ({
      id,
      name: `acct-${i}`,
      parentId: parents[i] as string,
      tags: { env: envs[i] as string },
      status: statuses[i] as "ACTIVE" | "SUSPENDED",
    })),
  }));

const targetsArb = fc.record({
  accounts: subset(ACCOUNTS),
  ous: subset([ROOT, ...OUS]),
  tags: fc.option(fc.constantFrom({ env: "prod" }, { env: ["dev", "prod"] }), { nil: undefined }),
});

const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    rules: fc.array(
      fc.record({
        group: fc.constantFrom(...GROUPS.slice(0, 3)),
        permissionSet: fc.constantFrom(...PERMISSION_SETS),
        targets: targetsArb,
        exclude: fc.option(fc.record({ accounts: subset(ACCOUNTS) }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    scope: fc.constantFrom("declared", "permission-sets", "all"),
    directUserAssignments: fc.constantFrom("report", "delete"),
    membershipSync: fc.boolean(),
    method: fc.constantFrom("scp", "inline"),
    managementAccountId: fc.option(fc.constantFrom(...ACCOUNTS), { nil: undefined }),
    maxDeletes: fc.integer({ min: 0, max: 30 }),
    maxDeletePercent: fc.integer({ min: 0, max: 100 }),
    abortOnEmptyGroup: fc.boolean(),
  })
  .map((p) =>
    PolicyDocument.parse({
      version: 1,
      managementAccountId: p.managementAccountId,
      permissionSets: Object.fromEntries(PERMISSION_SETS.map((n) => [n, {}])),
      rules: p.rules.map((r, i) => ({ name: `rule-${i}`, ...r })),
      ownership: {
        scope: p.scope,
        directUserAssignments: p.directUserAssignments,
        membershipSync: p.membershipSync,
      },
      revocation: { method: p.method, hold: "PT12H" },
      guards: {
        maxDeletes: p.maxDeletes,
        maxDeletePercent: p.maxDeletePercent,
        abortOnEmptyGroup: p.abortOnEmptyGroup,
      },
    }),
  );

const oktaArb: fc.Arbitrary<OktaTruth> = fc
  .record({
    statuses: fc.array(fc.constantFrom(...STATUSES), { minLength: USERS.length, maxLength: USERS.length }),
    groups: fc.array(
      fc.record({
        read: fc.constantFrom("ok", "ok", "ok", "ok", "failed", "absent"),
        members: subset(USERS),
      }),
      { minLength: GROUPS.length, maxLength: GROUPS.length },
    ),
  })
  .map(({ statuses, groups }) => ({
    users: USERS.map((u, i) => ({
      id: `00u${u}`,
      login: `${u}@example.com`,
      status: statuses[i] as OktaUserStatus,
    })),
    groups: GROUPS.flatMap((name, i) => {
      const g = groups[i] as { read: string; members: string[] };
      if (g.read === "absent") return [];
      return [
        { id: `00g${name}`, name, memberIds: g.read === "failed" ? null : g.members.map((m) => `00u${m}`) },
      ];
    }),
  }));

const denyArb: fc.Arbitrary<DenyEntry> = fc
  .record({
    user: fc.constantFrom(...USERS),
    scoped: fc.option(fc.record({ ps: fc.constantFrom(...PERMISSION_SETS), accounts: subset(ACCOUNTS) }), {
      nil: undefined,
    }),
    reason: fc.constantFrom<DenyEntry["reason"]>("leaver", "mover", "attribute-change"),
    ageHours: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ user, scoped, reason, ageHours }) => {
    const createdAt = new Date(Date.parse(NOW) - ageHours * 3_600_000).toISOString();
    return {
      userId: `ic-${user}`,
      scope:
        scoped && reason === "mover"
          ? { permissionSetName: scoped.ps, accountIds: [...scoped.accounts].sort() }
          : "all",
      ...(reason === "attribute-change" ? { issuedBefore: createdAt } : {}),
      reason,
      createdAt,
      expiresAt: new Date(Date.parse(createdAt) + 12 * 3_600_000).toISOString(),
    };
  });

const assignmentArb: fc.Arbitrary<Assignment> = fc
  .record({
    accountId: fc.constantFrom(...ACCOUNTS),
    ps: fc.constantFrom(...PERMISSION_SETS),
    principal: fc.oneof(
      fc.constantFrom(...GROUPS).map((g) => ({ principalType: "GROUP" as const, principalId: `icg-${g}` })),
      fc.constantFrom(...USERS).map((u) => ({ principalType: "USER" as const, principalId: `ic-${u}` })),
    ),
  })
  .map(({ accountId, ps, principal }) => ({ accountId, permissionSetArn: psArn(ps), ...principal }));

const identityCenterArb: fc.Arbitrary<IdentityCenterState> = fc
  .record({
    users: subset([...USERS, "ghost"]),
    groups: subset(GROUPS),
    memberships: subset(
      USERS.flatMap((u) => GROUPS.map((g) => ({ groupId: `icg-${g}`, userId: `ic-${u}` }))),
    ),
    assignments: fc.uniqueArray(assignmentArb, {
      maxLength: 14,
      selector: (a) => `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`,
    }),
    outdated: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    sessionHours: fc.integer({ min: 1, max: 12 }),
    denies: fc.array(denyArb, { maxLength: 3 }),
    ghostMember: fc.boolean(),
  })
  .map((s) => {
    const groupIds = new Set(s.groups.map((g) => `icg-${g}`));
    const userIds = new Set(s.users.map((u) => `ic-${u}`));
    const assignments = s.assignments.filter((a) =>
      (a.principalType === "GROUP" ? groupIds : userIds).has(a.principalId),
    );
    const pairs = [...new Set(assignments.map((a) => `${a.permissionSetArn}|${a.accountId}`))].sort();
    return {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1234567890",
      permissionSets: PERMISSION_SETS.map((name) => ({
        arn: psArn(name),
        name,
        sessionDuration: `PT${s.sessionHours}H`,
      })),
      users: s.users.map((u) => ({ userId: `ic-${u}`, userName: `${u}@example.com` })),
      groups: s.groups.map((g) => ({ groupId: `icg-${g}`, displayName: g })),
      memberships: [
        ...s.memberships.filter((m) => groupIds.has(m.groupId) && userIds.has(m.userId)),
        ...(s.ghostMember && userIds.has("ic-ghost") && groupIds.has("icg-aws-devs")
          ? [{ groupId: "icg-aws-devs", userId: "ic-ghost" }]
          : []),
      ],
      provisioned: pairs.map((p, i) => {
        const [permissionSetArn = "", accountId = ""] = p.split("|");
        return { permissionSetArn, accountId, outdated: s.outdated[i % 16] === true };
      }),
      assignments,
      denies: s.denies.filter((d) => userIds.has(d.userId)),
    };
  });

export const estateArb: fc.Arbitrary<RandomEstate> = fc
  .record({
    policy: policyArb,
    okta: oktaArb,
    organization: organizationArb,
    identityCenter: identityCenterArb,
  })
  .map((e) => ({ ...e, now: NOW }));
