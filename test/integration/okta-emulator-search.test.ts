import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

/** Verbatim excerpts of Okta's management spec and error codes (see the file's `_source`). */
const SPEC = JSON.parse(
  readFileSync(new URL("../fixtures/okta/spec/list-parameters.json", import.meta.url), "utf8"),
) as {
  listGroups: { parameters: Record<"search" | "filter" | "q", string> };
  listUsers: { description: string; parameters: Record<"search" | "filter" | "q" | "limit", string> };
  listLogEvents: { parameters: Record<"since" | "after", string> };
  assignUserToGroup: { description: string };
  examples: {
    "list-groups-examples": Record<string, unknown>[];
    ListUsersResponse: { _links: Record<string, unknown> }[];
  };
  errorCodes: { errorCode: string; statusCode: number; errorSummary: string }[];
};
const errorCode = (code: string) => SPEC.errorCodes.find((entry) => entry.errorCode === code);

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

const person = (name: string, lastName = "Test") => ({
  profile: { login: `${name}@example.com`, email: `${name}@example.com`, firstName: name, lastName },
});

async function startOkta(options: OktaEmulatorOptions = {}) {
  const okta = await startOktaEmulatorServer({
    estate: {
      users: [person("ana"), person("ben", "Anders"), { ...person("gone"), status: "DEPROVISIONED" }],
      groups: [{ name: "aws-developers", members: ["ana@example.com"] }, { name: "aws-prod" }],
    },
    ...options,
  });
  running.push(okta);
  // An Active Directory group that shares the OKTA_GROUP's name, as real orgs have.
  const ad = okta.emulator.state.addGroup({
    type: "APP_GROUP",
    sourceAppId: "0oa2v0el0gP90aqjJ0g7",
    name: "aws-developers",
    description: "Imported from AD",
  });
  const get = async (path: string) => {
    const response = await fetch(`${okta.orgUrl}${path}`, {
      headers: { Authorization: `SSWS ${okta.emulator.apiToken}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: Okta's JSON, read field by field in the assertions
    const body: any = await response.json();
    return { status: response.status, link: response.headers.get("link") ?? "", body };
  };
  return { okta, get, ad };
}

const names = (groups: unknown) => (groups as { profile: { name: string } }[]).map((g) => g.profile.name);
const types = (groups: unknown) => (groups as { type: string }[]).map((g) => g.type);
const logins = (users: unknown) => (users as { profile: { login: string } }[]).map((u) => u.profile.login);
const encode = (expression: string) => encodeURIComponent(expression);

describe("Okta emulator groups: types as the spec's list-groups-examples show them", () => {
  it("serves an APP_GROUP beside an OKTA_GROUP of the same name, each in the example's shape", async () => {
    // Prepare: the spec lists one group of each type
    const [oktaExample, appExample] = SPEC.examples["list-groups-examples"];
    const { get, ad } = await startOkta();

    // Act
    const listed = await get("/api/v1/groups");
    const app = await get(`/api/v1/groups/${ad.id}`);

    // Assess
    expect(names(listed.body).filter((name) => name === "aws-developers")).toHaveLength(2);
    expect(types(listed.body).sort()).toEqual(["APP_GROUP", "OKTA_GROUP", "OKTA_GROUP"]);
    expect(app.body).toMatchObject({
      type: appExample?.type,
      objectClass: appExample?.objectClass,
      source: { id: "0oa2v0el0gP90aqjJ0g7" },
      _links: { source: { href: expect.stringMatching(/\/api\/v1\/apps\/0oa2v0el0gP90aqjJ0g7$/) } },
    });
    expect(Object.keys(app.body.profile as object).sort()).toEqual(
      Object.keys(appExample?.profile as object)
        .filter((key) => key !== "objectSid")
        .sort(),
    );
    const okta = (listed.body as Record<string, unknown>[]).find((g) => g.type === "OKTA_GROUP");
    expect(okta).toMatchObject({ objectClass: oktaExample?.objectClass });
    expect(Object.keys(okta?._links as object).sort()).toEqual(
      Object.keys(oktaExample?._links as object).sort(),
    );
  });

  it("refuses membership changes on an APP_GROUP: its source app's imports own them", async () => {
    // Prepare
    expect(SPEC.assignUserToGroup.description).toContain(
      "You only can modify memberships for groups of the `OKTA_GROUP` type",
    );
    const { okta, ad } = await startOkta();
    const ana = okta.emulator.state.user("ana@example.com")?.id ?? "";

    // Act
    const put = await fetch(`${okta.orgUrl}/api/v1/groups/${ad.id}/users/${ana}`, {
      method: "PUT",
      headers: { Authorization: `SSWS ${okta.emulator.apiToken}` },
    });

    // Assess
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ errorCode: "E0000006" });
    expect(okta.emulator.state.memberIds(ad.id)).toEqual([]);
  });
});

describe("Okta emulator groups: q is a prefix search Okta does not page", () => {
  it("answers q with one page and no next link, 300 groups by default, however many match", async () => {
    // Prepare: "You can't page a query. The default limit for a query is 300 results."
    expect(SPEC.listGroups.parameters.q).toContain("You can't page a query");
    expect(SPEC.listGroups.parameters.q).toContain("The default limit for a query is 300 results");
    const { okta, get } = await startOkta();
    for (let i = 0; i < 305; i += 1) okta.emulator.state.addGroup({ name: `aws-team-${i}` });

    // Act
    const query = await get("/api/v1/groups?q=aws-team");
    const limited = await get("/api/v1/groups?q=aws-team&limit=20");
    const searched = await get(`/api/v1/groups?search=${encode('profile.name sw "aws-team"')}&limit=200`);

    // Assess
    expect((query.body as unknown[]).length).toBe(300);
    expect(query.link).not.toContain('rel="next"');
    expect((limited.body as unknown[]).length).toBe(20);
    expect(limited.link).not.toContain('rel="next"');
    expect((searched.body as unknown[]).length).toBe(200);
    expect(searched.link).toContain('rel="next"');
  });
});

describe("Okta emulator filter and search, as the listUsers and listGroups parameters say", () => {
  it("finds every group of a name with search, case-insensitively, and by type", async () => {
    // Prepare: search "operators (`eq`, `sw`, and so on) and string values are case insensitive"
    expect(SPEC.listUsers.parameters.search).toContain("string values are case insensitive");
    const { get } = await startOkta();

    // Act
    const byName = await get(`/api/v1/groups?search=${encode('profile.name eq "AWS-Developers"')}`);
    const appGroups = await get(`/api/v1/groups?search=${encode('type eq "APP_GROUP"')}`);
    const oktaGroups = await get(`/api/v1/groups?filter=${encode('type eq "OKTA_GROUP"')}`);

    // Assess
    expect(types(byName.body).sort()).toEqual(["APP_GROUP", "OKTA_GROUP"]);
    expect(names(appGroups.body)).toEqual(["aws-developers"]);
    expect(names(oktaGroups.body).sort()).toEqual(["aws-developers", "aws-prod"]);
  });

  it("answers 400 E0000031 to a filter on a property or with an operator the operation does not document", async () => {
    // Prepare
    expect(SPEC.listGroups.parameters.filter).toContain(
      "`id`, `type`, `lastUpdated`, and `lastMembershipUpdated`",
    );
    expect(SPEC.listUsers.parameters.filter).toContain("filtering supports only the equal `eq` operator");
    expect(SPEC.listUsers.parameters.search).toContain("The `ne` (not equal) operator isn't supported");
    expect(errorCode("E0000031")).toEqual({
      errorCode: "E0000031",
      statusCode: 400,
      errorSummary: "Invalid search criteria.",
    });
    const { get } = await startOkta();

    // Act
    const refused = await Promise.all([
      get(`/api/v1/groups?filter=${encode('profile.name eq "aws-prod"')}`),
      get(`/api/v1/groups?search=${encode('objectClass eq "okta:user_group"')}`),
      get(`/api/v1/groups?search=${encode('profile.samAccountName co "aws"')}`),
      get(`/api/v1/users?filter=${encode('profile.login sw "ana"')}`),
      get(`/api/v1/users?filter=${encode('profile.department eq "x"')}`),
      get(`/api/v1/users?search=${encode('status ne "ACTIVE"')}`),
      get(`/api/v1/users?filter=${encode("status eq")}`),
    ]);
    const accepted = await Promise.all([
      get(
        `/api/v1/users?filter=${encode('lastUpdated gt "2000-01-01T00:00:00.000Z" and status eq "ACTIVE"')}`,
      ),
      get(`/api/v1/users?search=${encode('profile.email co "ANA"')}`),
      get(`/api/v1/groups?filter=${encode('lastMembershipUpdated gt "2000-01-01T00:00:00.000Z"')}`),
    ]);

    // Assess
    expect(refused.map((answer) => [answer.status, answer.body.errorCode])).toEqual(
      refused.map(() => [400, "E0000031"]),
    );
    expect(refused[0]?.body).toMatchObject({
      errorSummary: "Invalid search criteria.",
      errorCauses: [
        {
          errorSummary: expect.stringMatching(
            /^filter: 'profile\.name eq' is not supported; supported: id \(eq\)/,
          ),
        },
      ],
    });
    expect(accepted.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(logins(accepted[1]?.body)).toEqual(["ana@example.com"]);
  });

  it("compares filter values case-sensitively and search values case-insensitively; both include DEPROVISIONED users", async () => {
    // Prepare: "Filtering is case-sensitive for property names and query values"
    expect(SPEC.listUsers.parameters.filter).toContain(
      "Filtering is case-sensitive for property names and query values",
    );
    const { get } = await startOkta();

    // Act
    const filterExact = await get(`/api/v1/users?filter=${encode('profile.login eq "ana@example.com"')}`);
    const filterUpper = await get(`/api/v1/users?filter=${encode('profile.login eq "ANA@EXAMPLE.COM"')}`);
    const searchUpper = await get(`/api/v1/users?search=${encode('profile.login eq "ANA@EXAMPLE.COM"')}`);
    const gone = await get(`/api/v1/users?search=${encode('status eq "deprovisioned"')}`);
    const plain = await get("/api/v1/users");

    // Assess
    expect(logins(filterExact.body)).toEqual(["ana@example.com"]);
    expect(logins(filterUpper.body)).toEqual([]);
    expect(logins(searchUpper.body)).toEqual(["ana@example.com"]);
    expect(logins(gone.body)).toEqual(["gone@example.com"]);
    expect(logins(plain.body)).not.toContain("gone@example.com");
  });
});

describe("Okta emulator users: q and the shape of a collection", () => {
  it("matches q against firstName, lastName and email only, 10 by default, never paged, DEPROVISIONED left out", async () => {
    // Prepare
    const q = SPEC.listUsers.parameters.q;
    expect(q).toContain("The value of `q` is matched against `firstName`, `lastName`, or `email`");
    expect(q).toContain("This doesn't support pagination, but you can use `limit`");
    expect(SPEC.listUsers.parameters.limit).toContain("Defaults to 10 if `q` is provided");
    const { okta, get } = await startOkta();
    for (let i = 0; i < 12; i += 1)
      okta.emulator.state.addUser({ status: "ACTIVE", profile: person(`anna${i}`).profile });
    okta.emulator.state.addUser({
      status: "ACTIVE",
      profile: { login: "zed-login@example.com", email: "x@example.com", firstName: "X", lastName: "Y" },
    });

    // Act
    const many = await get("/api/v1/users?q=an");
    const byLastName = await get("/api/v1/users?q=anders");
    const byLogin = await get("/api/v1/users?q=zed");
    const deprovisioned = await get("/api/v1/users?q=gone");

    // Assess
    expect((many.body as unknown[]).length).toBe(10);
    expect(many.link).not.toContain('rel="next"');
    expect(logins(byLastName.body)).toEqual(["ben@example.com"]);
    expect(logins(byLogin.body)).toEqual([]);
    expect(logins(deprovisioned.body)).toEqual([]);
  });

  it("gives users in a list only their self link, as the spec's ListUsersResponse, and lists carry only self and next Link relations", async () => {
    // Prepare
    const [example] = SPEC.examples.ListUsersResponse;
    const { okta, get } = await startOkta();
    const ana = okta.emulator.state.user("ana@example.com")?.id ?? "";
    const developers = okta.emulator.state.groupNamed("aws-developers")?.id ?? "";

    // Act
    const list = await get("/api/v1/users?limit=1");
    const members = await get(`/api/v1/groups/${developers}/users`);
    const one = await get(`/api/v1/users/${ana}`);

    // Assess
    for (const user of [...(list.body as { _links: object }[]), ...(members.body as { _links: object }[])]) {
      expect(Object.keys(user._links)).toEqual(Object.keys(example?._links ?? {}));
    }
    expect(Object.keys(one.body._links as object)).toContain("suspend");
    const relations = [...list.link.matchAll(/rel="([^"]+)"/g)].map((match) => match[1]);
    expect(relations).toEqual(["self", "next"]);
  });
});

describe("Okta emulator System Log: after together with since (the spec is silent: both readings)", () => {
  it("accepts since with after by default, and under 'reject' answers 400 while its own next links still work", async () => {
    // Prepare: listLogEvents documents `after` only as what the next link carries
    expect(SPEC.listLogEvents.parameters.after).toContain(
      "Okta returns a link in the HTTP Header (`rel=next`)",
    );
    const { okta, get } = await startOkta();
    const since = new Date(Date.now() - 60_000).toISOString();
    const ana = okta.emulator.state.user("ana@example.com");
    if (ana === undefined) throw new Error("the estate has ana");
    okta.emulator.operations.lifecycle(okta.emulator.internalContext(), ana, "suspend");
    const first = await get(`/api/v1/logs?since=${encode(since)}&limit=1`);
    const next = /<([^>]+)>; rel="next"/.exec(first.link)?.[1] ?? "";
    const nextPath = next.slice(okta.orgUrl.length);

    // Act
    const accepted = await get(nextPath);
    okta.emulator.systemLog.afterWithTimeBound = "reject";
    const rejected = await get(nextPath);
    const fresh = await get(`/api/v1/logs?since=${encode(since)}&limit=1`);
    const freshNext = (/<([^>]+)>; rel="next"/.exec(fresh.link)?.[1] ?? "").slice(okta.orgUrl.length);
    const followed = await get(freshNext);
    const publishedFilter = await get(`${freshNext}&filter=${encode(`published gt "${since}"`)}`);

    // Assess
    expect(nextPath).toContain("since=");
    expect(accepted.status).toBe(200);
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({
      errorCode: "E0000001",
      errorCauses: [{ errorSummary: expect.stringContaining("after: cannot be combined with since") }],
    });
    expect(freshNext).not.toContain("since=");
    expect(followed.status).toBe(200);
    expect(publishedFilter.status).toBe(400);
  });
});
