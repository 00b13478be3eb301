/**
 * The mapping's promises, over estates built from a small pool of names so that collisions (two people
 * a name fits, tags naming someone else) are frequent: an IAM user is never mapped to two people nor
 * to someone another tag or rule names; the result ignores case and input order; and no revocation
 * plan ever touches a break-glass user.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IamUser, OktaPerson } from "../../../core/credentials/iam-user.ts";
import { type MappingPolicy, mapIamUsers } from "../../../core/credentials/map-iam-users.ts";
import { nameByRule } from "../../../core/credentials/naming-rules.ts";
import { planCredentialRevocation } from "../../../core/credentials/plan-credential-revocation.ts";
import { sweepLongLivedCredentials } from "../../../core/credentials/sweep.ts";
import { NAMING_RULES } from "../../../core/policy/credentials-policy.ts";
import { credentialsPolicy } from "./credential-builders.ts";

const ACCOUNTS = ["111111111111", "222222222222"];
const LOCALS = ["jane.doe", "jdoe", "john.roe", "ops"];
const DOMAINS = ["corp.example", "acquired.example"];
const FIRST = ["Jane", "John", null];
const LAST = ["Doe", "Roe", null];

const personArb: fc.Arbitrary<OktaPerson> = fc
  .record({
    n: fc.integer({ min: 0, max: 99 }),
    local: fc.constantFrom(...LOCALS),
    domain: fc.constantFrom(...DOMAINS),
    emailLocal: fc.constantFrom(...LOCALS),
    emailDomain: fc.constantFrom(...DOMAINS),
    firstName: fc.constantFrom(...FIRST),
    lastName: fc.constantFrom(...LAST),
    status: fc.constantFrom("ACTIVE" as const, "SUSPENDED" as const, "DEPROVISIONED" as const),
  })
  .map((p) => ({
    id: `00u${String(p.n).padStart(17, "0")}`,
    login: `${p.local}@${p.domain}`,
    email: `${p.emailLocal}@${p.emailDomain}`,
    status: p.status,
    profile: { firstName: p.firstName, lastName: p.lastName },
  }));

/** People with unique ids and logins, as Okta has them. */
const peopleArb = fc
  .uniqueArray(personArb, {
    maxLength: 6,
    selector: (p) => p.id,
  })
  .map((people) =>
    people.filter((p, i) => people.findIndex((q) => q.login.toLowerCase() === p.login.toLowerCase()) === i),
  );

const userArb: fc.Arbitrary<IamUser> = fc
  .record({
    accountId: fc.constantFrom(...ACCOUNTS),
    userName: fc.constantFrom(...LOCALS, "jane.doe@corp.example", "jdoe@acquired.example", "jdoe.x"),
    loginTag: fc.option(fc.constantFrom(...LOCALS.map((l) => `${l}@corp.example`), "gone@corp.example"), {
      nil: undefined,
    }),
    emailTag: fc.option(fc.constantFrom(...LOCALS.map((l) => `${l}@acquired.example`)), { nil: undefined }),
    hasConsolePassword: fc.boolean(),
    keys: fc.integer({ min: 0, max: 2 }),
  })
  .map((u) => ({
    accountId: u.accountId,
    userName: u.userName,
    arn: `arn:aws:iam::${u.accountId}:user/${u.userName}`,
    tags: {
      ...(u.loginTag === undefined ? {} : { "okta:login": u.loginTag }),
      ...(u.emailTag === undefined ? {} : { "okta:email": u.emailTag }),
    },
    hasConsolePassword: u.hasConsolePassword,
    accessKeys: Array.from({ length: u.keys }, (_, i) => ({
      id: `AKIA${u.accountId}${u.userName.length}${i}`.padEnd(20, "0"),
      status: "Active" as const,
      createDate: "2025-01-01T00:00:00Z",
    })),
    mfaDevices: [],
  }));

/** IAM users unique per account and case-insensitive name, as IAM has them. */
const usersArb = fc.uniqueArray(userArb, {
  maxLength: 8,
  selector: (u) => `${u.accountId}:${u.userName.toLowerCase()}`,
});

const policyArb: fc.Arbitrary<MappingPolicy> = fc.record({
  ownerTags: fc.constantFrom(["okta:login", "okta:email"], ["okta:login"], []),
  namingRules: fc.shuffledSubarray([...NAMING_RULES]),
  breakGlass: fc.subarray([
    "111111111111:ops",
    "arn:aws:iam::222222222222:user/JDOE",
    "111111111111:jane.doe",
  ]),
});

const flipCase = (text: string, mask: number) =>
  [...text].map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c.toLowerCase())).join("");

/** Who each IAM user maps to: its outcome and owner id, by account and lower-cased name. */
const summary = (users: readonly IamUser[], people: readonly OktaPerson[], policy: MappingPolicy) =>
  mapIamUsers(users, people, policy).ownerships.map((o) => [
    `${o.user.accountId}:${o.user.userName.toLowerCase()}`,
    o.outcome,
    o.outcome === "mapped" ? o.owner.id : o.outcome === "ambiguous" ? o.candidateIds.join(",") : "",
  ]);

describe("mapIamUsers properties", () => {
  it("maps a user to one person at most, whom every tag names and no tag or fitting name contradicts", () => {
    fc.assert(
      fc.property(usersArb, peopleArb, policyArb, (users, people, policy) => {
        const { ownerships } = mapIamUsers(users, people, policy);
        expect(ownerships).toHaveLength(users.length);
        for (const o of ownerships) {
          if (o.outcome !== "mapped") continue;
          const tags = Object.entries(o.user.tags)
            .filter(([k]) => policy.ownerTags.some((t) => t.toLowerCase() === k.toLowerCase()))
            .map(([, v]) => v.toLowerCase());
          const tagNames = (p: OktaPerson) =>
            tags.length > 0 && tags.every((v) => v === p.login.toLowerCase() || v === p.email?.toLowerCase());
          const tagMentions = (p: OktaPerson) =>
            tags.some((v) => v === p.login.toLowerCase() || v === p.email?.toLowerCase());
          const nameFits = (p: OktaPerson) =>
            policy.namingRules.some((r) => nameByRule(p, r) === o.user.userName.toLowerCase());
          const others = people.filter((p) => p.id !== o.owner.id);
          // A tag, when present, decides: it names the owner only; a name that fits someone must fit the owner too.
          expect(others.some(tagMentions)).toBe(false);
          if (o.by.source === "tag") {
            expect(tagNames(o.owner)).toBe(true);
            if (others.some(nameFits)) expect(nameFits(o.owner)).toBe(true);
          } else {
            expect(tags).toEqual([]);
            expect(nameFits(o.owner)).toBe(true);
            expect(others.some(nameFits)).toBe(false);
          }
        }
      }),
    );
  });

  it("ignores the case of user names, tag values, logins and emails", () => {
    fc.assert(
      fc.property(
        usersArb,
        peopleArb,
        policyArb,
        fc.integer({ min: 0, max: 2 ** 30 }),
        (users, people, policy, mask) => {
          const shouted = users.map((u) => ({
            ...u,
            userName: flipCase(u.userName, mask),
            tags: Object.fromEntries(
              Object.entries(u.tags).map(([k, v]) => [flipCase(k, ~mask), flipCase(v, mask)]),
            ),
          }));
          const shoutedPeople = people.map((p) => ({
            ...p,
            login: flipCase(p.login, ~mask),
            email: p.email === null ? null : flipCase(p.email, mask >> 3),
            profile: {
              firstName: p.profile.firstName && flipCase(p.profile.firstName, mask),
              lastName: p.profile.lastName && flipCase(p.profile.lastName, ~mask),
            },
          }));
          expect(summary(shouted, shoutedPeople, policy)).toEqual(summary(users, people, policy));
        },
      ),
    );
  });

  it("gives the same result whatever the order of users and people", () => {
    fc.assert(
      fc.property(
        usersArb.chain((u) => fc.tuple(fc.constant(u), fc.shuffledSubarray(u, { minLength: u.length }))),
        peopleArb.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length }))),
        policyArb,
        ([users, usersShuffled], [people, peopleShuffled], policy) => {
          expect(mapIamUsers(usersShuffled, peopleShuffled, policy)).toEqual(
            mapIamUsers(users, people, policy),
          );
        },
      ),
    );
  });

  it("never puts a break-glass user in a revocation plan, whoever leaves", () => {
    fc.assert(
      fc.property(usersArb, peopleArb, policyArb, fc.boolean(), (users, people, policy, removeMfaDevices) => {
        const credentials = credentialsPolicy({
          iamUsers: { ownerTags: policy.ownerTags, namingRules: policy.namingRules, removeMfaDevices },
          breakGlass: policy.breakGlass,
        });
        const breakGlass = new Set(
          users
            .filter((u) =>
              policy.breakGlass.some(
                (entry) =>
                  entry.toLowerCase().endsWith(`${u.accountId}:${u.userName.toLowerCase()}`) ||
                  entry.toLowerCase() === `arn:aws:iam::${u.accountId}:user/${u.userName.toLowerCase()}`,
              ),
            )
            .map((u) => `${u.accountId}:${u.userName.toLowerCase()}`),
        );
        // Even given a mapping that claims break-glass users for the leaver, the plan leaves them alone.
        const { ownerships } = mapIamUsers(users, people, { ...policy, breakGlass: [] });
        for (const leaver of people) {
          const { actions } = planCredentialRevocation({
            leaver,
            ownerships,
            oktaTrustingRoles: [],
            credentials,
            hold: "PT12H",
            now: "2026-06-01T12:00:00Z",
          });
          for (const action of actions) {
            if (!("userName" in action)) continue;
            expect(breakGlass.has(`${action.accountId}:${action.userName.toLowerCase()}`)).toBe(false);
          }
        }
      }),
    );
  });

  it("sweeps only keys whose one mapped owner is a leaver, in one order whatever the input's, within the guard", () => {
    fc.assert(
      fc.property(
        usersArb.chain((u) => fc.tuple(fc.constant(u), fc.shuffledSubarray(u, { minLength: u.length }))),
        peopleArb,
        policyArb,
        fc.integer({ min: 0, max: 6 }),
        ([users, shuffled], people, policy, maxKeyDeactivations) => {
          const credentials = credentialsPolicy({
            iamUsers: { ownerTags: policy.ownerTags, namingRules: policy.namingRules, maxKeyDeactivations },
            breakGlass: policy.breakGlass,
          });
          const input = { users, people, credentials, hold: "PT12H", now: "2026-06-01T12:00:00Z" };
          const sweep = sweepLongLivedCredentials(input);
          expect(sweepLongLivedCredentials({ ...input, users: shuffled })).toEqual(sweep);

          const revoked = new Set(
            sweep.holders.filter((h) => h.revoke).map((h) => `${h.accountId}:${h.userName}`),
          );
          for (const holder of sweep.holders) {
            if (holder.revoke) expect(holder.ownership).toBe("mapped");
            if (holder.revoke) expect(["SUSPENDED", "DEPROVISIONED"]).toContain(holder.owner?.status);
          }
          for (const action of sweep.actions) {
            if ("userName" in action)
              expect(revoked.has(`${action.accountId}:${action.userName}`)).toBe(true);
          }
          const keys = sweep.actions.filter((a) => a.kind === "access-key.deactivate").length;
          expect(sweep.status).toBe(keys > maxKeyDeactivations ? "blocked" : "ready");
          expect(keys).toBe(
            sweep.holders.filter((h) => h.revoke).reduce((n, h) => n + h.activeKeys.length, 0),
          );
        },
      ),
    );
  });
});
