import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  EstateInvalidError,
  type EstateProblem,
  EstateReadError,
  EstateSyntaxError,
  formatEstatePath,
} from "../../../local/estate/estate-error.ts";
import { loadEstateFile } from "../../../local/estate/load-estate-file.ts";
import { withOktaIds } from "../../../local/estate/okta-ids.ts";
import { parseEstate, validateEstate } from "../../../local/estate/parse-estate.ts";

/** A small valid estate; tests change one thing in it. */
// biome-ignore lint/suspicious/noExplicitAny: tests reshape the fixture into invalid estates on purpose
function estate(): Record<string, any> {
  return {
    organization: {
      managementAccountId: "111111111111",
      rootId: "r-ab12",
      units: [
        { id: "ou-ab12-work0001", name: "Workloads", parentId: "r-ab12" },
        { id: "ou-ab12-prod0001", name: "Prod", parentId: "ou-ab12-work0001" },
      ],
      accounts: [
        { id: "111111111111", name: "management", parentId: "r-ab12" },
        { id: "222222222222", name: "app-prod", parentId: "ou-ab12-prod0001", tags: { env: "prod" } },
      ],
    },
    okta: {
      users: [
        { login: "jane.doe@example.com", firstName: "Jane", lastName: "Doe", status: "ACTIVE" },
        { login: "john.smith@example.com", firstName: "John", lastName: "Smith", status: "SUSPENDED" },
      ],
      groups: [{ name: "aws-developers" }, { name: "aws-admins" }],
      memberships: [
        { group: "aws-developers", user: "jane.doe@example.com" },
        { group: "aws-admins", user: "john.smith@example.com" },
      ],
    },
    identityCenter: {
      permissionSets: [{ name: "DeveloperAccess", sessionDuration: "PT4H" }, { name: "Admin" }],
      assignments: [
        { group: "aws-developers", permissionSet: "DeveloperAccess", ous: ["ou-ab12-work0001"] },
        { group: "aws-admins", permissionSet: "Admin", accounts: ["111111111111"], ous: ["r-ab12"] },
      ],
    },
  };
}

function problemsOf(value: unknown): EstateProblem[] {
  const result = validateEstate(value, "estate.json");
  if (result.ok) throw new Error("expected the estate to be rejected");
  expect(result.error).toBeInstanceOf(EstateInvalidError);
  return [...result.error.problems];
}

/** The only problem an estate has, without line and column. */
function onlyProblem(value: unknown): Omit<EstateProblem, "line" | "column"> {
  const problems = problemsOf(value);
  expect(problems).toHaveLength(1);
  return problems[0] as EstateProblem;
}

describe("parseEstate / validateEstate: a valid estate", () => {
  it("accepts it and fills every default", () => {
    // Act
    const result = parseEstate(JSON.stringify(estate()), "estate.json");

    // Assess
    if (!result.ok) throw result.error;
    const { organization, okta, identityCenter } = result.estate;
    expect(organization.accounts[0]).toEqual({
      id: "111111111111",
      name: "management",
      parentId: "r-ab12",
      tags: {},
      status: "ACTIVE",
    });
    expect(okta.apps).toEqual([]);
    expect(okta.appGroups).toEqual([]);
    expect(identityCenter.permissionSets[1]).toEqual({
      name: "Admin",
      sessionDuration: "PT1H",
      managedPolicies: [],
    });
    expect(identityCenter.assignments[0]?.accounts).toEqual([]);
    expect(identityCenter.scim).toEqual({ provisionedGroups: "all" });
  });

  it("accepts a byte order mark, explicit Okta ids and an inline policy", () => {
    // Prepare
    const value = estate();
    value.okta.users[0].id = "00u1a2b3c4d5e6f7g8h9";
    value.okta.groups[0].id = "00g1a2b3c4d5e6f7g8h9";
    value.identityCenter.permissionSets[0].inlinePolicy = {
      Version: "2012-10-17",
      Statement: { Effect: "Deny", Action: "iam:*", Resource: "*" },
    };

    // Act
    const result = parseEstate(`\uFEFF${JSON.stringify(value)}`, "estate.json");

    // Assess
    expect(result.ok).toBe(true);
  });
});

describe("parseEstate: APP_GROUPs imported from AD or LDAP", () => {
  const adGroup = (change: Record<string, unknown> = {}) => ({
    name: "aws-developers",
    sourceAppId: "0oa1ad0c0rp0d1r3ct0y",
    members: ["jane.doe@example.com"],
    ...change,
  });

  it("accepts names an OKTA_GROUP or another APP_GROUP has, and derives distinct ids", () => {
    // Prepare
    const value = estate();
    value.okta.appGroups = [adGroup(), adGroup({ sourceAppId: "0oa1ldap0c0rp0d1r3ct", members: undefined })];

    // Act
    const result = parseEstate(JSON.stringify(value), "estate.json");

    // Assess
    if (!result.ok) throw result.error;
    expect(result.estate.okta.appGroups.map((g) => g.members)).toEqual([["jane.doe@example.com"], []]);
    const { okta } = withOktaIds(result.estate);
    const ids = [...okta.groups.map((g) => g.id), ...okta.appGroups.map((g) => g.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names an unknown member, an id an OKTA_GROUP has, a repeated id, and a missing source app", () => {
    // Prepare
    const value = estate();
    value.okta.groups[0].id = "00g1a2b3c4d5e6f7g8h9";
    value.okta.appGroups = [
      adGroup({ members: ["nobody@example.com"] }),
      adGroup({ id: "00g1a2b3c4d5e6f7g8h9" }),
      adGroup({ id: "00g9z8y7x6w5v4u3t2s1" }),
      adGroup({ id: "00g9z8y7x6w5v4u3t2s1" }),
    ];

    // Act
    const paths = problemsOf(value).map((problem) => problem.path);

    // Assess
    expect(paths.sort()).toEqual(
      ["okta.appGroups[0].members[0]", "okta.appGroups[1].id", "okta.appGroups[3].id"].sort(),
    );
    const missing = estate();
    missing.okta.appGroups = [{ name: "vpn-users" }];
    expect(onlyProblem(missing).path).toBe("okta.appGroups[0].sourceAppId");
  });
});

describe("parseEstate: broken references, each named by path with a fix", () => {
  it("an unknown group in a membership, with the closest name", () => {
    // Prepare
    const value = estate();
    value.okta.memberships[0].group = "aws-developer";

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem).toEqual({
      path: "okta.memberships[0].group",
      message: "unknown group 'aws-developer'",
      fix: "declare it under okta.groups or fix the name (did you mean 'aws-developers'?)",
    });
  });

  it("an unknown user in a membership", () => {
    // Prepare
    const value = estate();
    value.okta.memberships[1].user = "nobody@example.com";

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem.path).toBe("okta.memberships[1].user");
    expect(problem.message).toBe("unknown user 'nobody@example.com'");
    expect(problem.fix).toContain("okta.users (by login)");
  });

  it("the same membership twice", () => {
    // Prepare
    const value = estate();
    value.okta.memberships.push({ group: "aws-admins", user: "john.smith@example.com" });

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem.path).toBe("okta.memberships[2].user");
    expect(problem.message).toContain("already a member of 'aws-admins' (okta.memberships[1])");
  });

  it("a duplicate login, compared as Okta does: case-insensitively", () => {
    // Prepare
    const value = estate();
    value.okta.users.push({ login: "Jane.Doe@example.com", firstName: "J", lastName: "D", status: "ACTIVE" });

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem).toEqual({
      path: "okta.users[2].login",
      message: "login 'Jane.Doe@example.com' is used twice (first at okta.users[0])",
      fix: "give each one its own login, or remove the duplicate",
    });
  });

  it("duplicate group names, user ids, group ids, app ids, OU ids, account ids and account emails", () => {
    // Prepare
    const value = estate();
    value.okta.groups.push({ name: "AWS-Admins" });
    value.okta.users[0].id = "00u1a2b3c4d5e6f7g8h9";
    value.okta.users[1].id = "00u1a2b3c4d5e6f7g8h9";
    value.okta.groups[0].id = "00g1a2b3c4d5e6f7g8h9";
    value.okta.groups[1].id = "00g1a2b3c4d5e6f7g8h9";
    value.okta.apps = [
      { id: "0oa1a2b3c4d5e6f7g8h9", label: "AWS" },
      { id: "0oa1a2b3c4d5e6f7g8h9", label: "AWS again" },
    ];
    value.organization.units.push({ id: "ou-ab12-prod0001", name: "Prod again", parentId: "r-ab12" });
    value.organization.accounts.push({ id: "222222222222", name: "copy", parentId: "r-ab12" });
    value.organization.accounts[0].email = "aws@example.com";
    value.organization.accounts[1].email = "AWS@example.com";

    // Act
    const paths = problemsOf(value).map((problem) => problem.path);

    // Assess
    expect(paths.sort()).toEqual(
      [
        "okta.groups[2].name",
        "okta.users[1].id",
        "okta.groups[1].id",
        "okta.apps[1].id",
        "organization.units[2].id",
        "organization.accounts[2].id",
        "organization.accounts[1].email",
      ].sort(),
    );
  });

  it("an unknown OU parent, for an OU and for an account", () => {
    // Prepare
    const value = estate();
    value.organization.units[1].parentId = "ou-ab12-work0002";
    value.organization.accounts[1].parentId = "ou-ab12-prod0002";

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems).toEqual([
      {
        path: "organization.units[1].parentId",
        message: "unknown parent 'ou-ab12-work0002' for OU 'Prod'",
        fix: "use the root id (r-ab12) or the id of an OU declared under organization.units (did you mean 'ou-ab12-work0001'?)",
      },
      {
        path: "organization.accounts[1].parentId",
        message: "unknown parent 'ou-ab12-prod0002' for account 'app-prod'",
        fix: "use the root id (r-ab12) or the id of an OU declared under organization.units (did you mean 'ou-ab12-prod0001'?)",
      },
    ]);
  });

  it("an OU tree with a loop, for every OU on the loop", () => {
    // Prepare
    const value = estate();
    value.organization.units[0].parentId = "ou-ab12-prod0001";
    value.organization.units.push({ id: "ou-ab12-deep0001", name: "Deep", parentId: "ou-ab12-prod0001" });

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems.map((problem) => problem.message)).toEqual([
      "OU 'Workloads' is its own ancestor: ou-ab12-work0001 -> ou-ab12-prod0001 -> ou-ab12-work0001",
      "OU 'Prod' is its own ancestor: ou-ab12-prod0001 -> ou-ab12-work0001 -> ou-ab12-prod0001",
    ]);
  });

  it("an OU that is its own parent", () => {
    // Prepare
    const value = estate();
    value.organization.units[0].parentId = "ou-ab12-work0001";

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem.message).toBe("OU 'Workloads' is its own ancestor: ou-ab12-work0001 -> ou-ab12-work0001");
  });

  it("a management account that is not listed, or not ACTIVE", () => {
    // Prepare
    const missing = estate();
    missing.organization.managementAccountId = "999999999999";
    const suspended = estate();
    suspended.organization.accounts[0].status = "SUSPENDED";

    // Act
    const missingProblem = onlyProblem(missing);
    const suspendedProblem = onlyProblem(suspended);

    // Assess
    expect(missingProblem.path).toBe("organization.managementAccountId");
    expect(missingProblem.message).toBe(
      "the management account 999999999999 is not listed under organization.accounts",
    );
    expect(suspendedProblem.message).toBe("the management account 111111111111 is SUSPENDED");
  });

  it("a permission set an assignment uses but nobody declared", () => {
    // Prepare
    const value = estate();
    value.identityCenter.assignments[0].permissionSet = "DeveloperAcess";

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem).toEqual({
      path: "identityCenter.assignments[0].permissionSet",
      message: "unknown permission set 'DeveloperAcess'",
      fix: "declare it under identityCenter.permissionSets or fix the name (did you mean 'DeveloperAccess'?)",
    });
  });

  it("an assignment to an unknown group, to unknown accounts and OUs, or to nothing", () => {
    // Prepare
    const value = estate();
    value.identityCenter.assignments.push(
      { group: "aws-nobody", permissionSet: "Admin", accounts: ["333333333333"], ous: ["ou-ab12-gone0001"] },
      { group: "aws-admins", permissionSet: "Admin" },
    );

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      ["identityCenter.assignments[2].group", "unknown group 'aws-nobody'"],
      ["identityCenter.assignments[2].accounts[0]", "unknown account '333333333333'"],
      ["identityCenter.assignments[2].ous[0]", "unknown OU 'ou-ab12-gone0001'"],
      ["identityCenter.assignments[3]", "the assignment of 'Admin' to 'aws-admins' targets nothing"],
    ]);
    expect(problems[3]?.fix).toContain("the root id r-ab12 for every account");
  });

  it("an assignment to a group SCIM does not provision, and an unknown provisioned group", () => {
    // Prepare
    const value = estate();
    value.identityCenter.scim = { provisionedGroups: ["aws-developers", "aws-admin"] };

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems).toEqual([
      {
        path: "identityCenter.scim.provisionedGroups[1]",
        message: "unknown group 'aws-admin'",
        fix: "declare it under okta.groups or fix the name (did you mean 'aws-admins'?)",
      },
      {
        path: "identityCenter.assignments[1].group",
        message: "group 'aws-admins' is not provisioned to Identity Center, so nothing can be assigned to it",
        fix: 'add "aws-admins" to identityCenter.scim.provisionedGroups',
      },
    ]);
  });

  it("duplicate permission sets and an inline policy over Identity Center's 10,240 characters", () => {
    // Prepare
    const value = estate();
    value.identityCenter.permissionSets.push({ name: "Admin" });
    value.identityCenter.permissionSets[0].inlinePolicy = {
      Statement: [
        { Effect: "Deny", Action: Array.from({ length: 800 }, (_, i) => `s3:Action${i}`), Resource: "*" },
      ],
    };

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems.map((problem) => problem.path)).toEqual([
      "identityCenter.permissionSets[2].name",
      "identityCenter.permissionSets[0].inlinePolicy",
    ]);
    expect(problems[1]?.message).toMatch(/has \d+ non-whitespace characters; Identity Center allows 10240/);
  });
});

describe("parseEstate: schema problems", () => {
  it("an account id written as a number: quote it", () => {
    // Prepare
    const value = estate();
    value.organization.accounts[1].id = 222222222222;

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem).toEqual({
      path: "organization.accounts[1].id",
      message: "expected a string, found the number 222222222222",
      fix: 'put it in quotes: "222222222222" (a JSON number drops an account id\'s leading zeros)',
    });
  });

  it("a malformed account id, OU id and login", () => {
    // Prepare
    const value = estate();
    value.organization.accounts[1].id = "2222-2222-2222";
    value.organization.units[0].id = "ou-x";
    value.okta.users[0].login = "jane";

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems.map((problem) => [problem.path, problem.message, problem.fix])).toEqual([
      ["organization.units[0].id", "malformed id 'ou-x'", "an OU id looks like ou-ab12-cd34ef56"],
      [
        "organization.accounts[1].id",
        "malformed id '2222-2222-2222'",
        'an AWS account id is exactly 12 digits, as a string: "123456789012"',
      ],
      [
        "okta.users[0].login",
        "malformed login 'jane'",
        "an Okta login is an email address, e.g. jane.doe@example.com",
      ],
    ]);
  });

  it("a missing key, a wrong type, a bad status and an empty name", () => {
    // Prepare
    const value = estate();
    delete value.organization.rootId;
    value.okta.groups = {};
    value.okta.users[0].status = "ACTIVATED";
    value.okta.users[1].firstName = "";

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems).toEqual([
      {
        path: "organization.rootId",
        message: "missing required key 'rootId'",
        fix: 'add "rootId": a string',
      },
      {
        path: "okta.users[0].status",
        message:
          'expected one of "ACTIVE", "SUSPENDED", "DEPROVISIONED", "STAGED", "PROVISIONED", found \'ACTIVATED\'',
        fix: 'use one of "ACTIVE", "SUSPENDED", "DEPROVISIONED", "STAGED", "PROVISIONED"',
      },
      { path: "okta.users[1].firstName", message: "firstName is empty", fix: "write the user's first name" },
      {
        path: "okta.groups",
        message: "expected an array ([ ... ]), found an empty object",
        fix: "write an array ([ ... ]) here",
      },
    ]);
  });

  it("names what it found instead: a number, an object's keys, a clipped long string", () => {
    // Prepare
    const value = estate();
    value.okta.apps = 5;
    value.identityCenter.permissionSets = { ReadOnly: {} };
    value.okta.users[0].login = `${"x".repeat(70)}\n`;

    // Act
    const messages = problemsOf(value).map((problem) => problem.message);

    // Assess
    expect(messages).toEqual([
      `malformed login '${"x".repeat(57)}...'`,
      "expected an array ([ ... ]), found the number 5",
      "expected an array ([ ... ]), found an object with keys 'ReadOnly'",
    ]);
  });

  it("an unknown key, with the key it most likely means", () => {
    // Prepare
    const value = estate();
    value.identityCenter.assignments[0].acounts = ["222222222222"];

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem).toEqual({
      path: "identityCenter.assignments[0].acounts",
      message: "unknown key 'acounts'",
      fix: "did you mean 'accounts'? keys allowed here: accounts, group, ous, permissionSet",
    });
  });

  it("a session longer than 12 hours, too long a name, and a bad provisionedGroups value", () => {
    // Prepare
    const value = estate();
    value.identityCenter.permissionSets[0].sessionDuration = "PT24H";
    value.organization.accounts[1].name = "x".repeat(51);
    value.identityCenter.scim = { provisionedGroups: "some" };

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems.map((problem) => [problem.path, problem.message, problem.fix])).toEqual([
      [
        "organization.accounts[1].name",
        "name has 51 characters; the maximum is 50",
        "an account name is at most 50 characters",
      ],
      [
        "identityCenter.permissionSets[0].sessionDuration",
        "malformed sessionDuration 'PT24H'",
        "sessionDuration is PT1H to PT12H",
      ],
      [
        "identityCenter.scim.provisionedGroups",
        "invalid provisionedGroups: found 'some'",
        'write "all" or a list of Okta group names',
      ],
    ]);
  });

  it("an empty accounts list and a statement with no effect", () => {
    // Prepare
    const value = estate();
    value.organization.accounts = [];
    value.identityCenter.permissionSets[0].inlinePolicy = { Statement: [{ Action: "*" }] };

    // Act
    const problems = problemsOf(value);

    // Assess
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      ["organization.accounts", "accounts is empty"],
      ["identityCenter.permissionSets[0].inlinePolicy.Statement", "invalid Statement: found an array"],
    ]);
  });

  it("an invalid tag key, named at the key", () => {
    // Prepare
    const value = estate();
    value.organization.accounts[1].tags = { ["k".repeat(129)]: "v" };

    // Act
    const problem = onlyProblem(value);

    // Assess
    expect(problem.path).toBe(`organization.accounts[1].tags.${"k".repeat(129)}`);
    expect(problem.fix).toBe("a tag key is at most 128 characters");
  });

  it("a document that is not an object, and null where an object belongs", () => {
    // Act
    const top = onlyProblem([]);
    const nested = problemsOf({ ...estate(), okta: null });

    // Assess
    expect(top).toEqual({
      path: "(root)",
      message: "expected an object ({ ... }), found an array",
      fix: "write an object ({ ... }) here",
    });
    expect(nested[0]?.message).toBe("expected an object ({ ... }), found null");
  });
});

describe("parseEstate: positions, syntax and the error", () => {
  it("gives every problem the line and column of its value, sorted by position", () => {
    // Prepare
    const value = estate();
    value.identityCenter.assignments[0].permissionSet = "Nope";
    value.okta.memberships[1].group = "aws-nobody";
    const text = JSON.stringify(value, null, 2);

    // Act
    const result = parseEstate(text, "estate.json");

    // Assess
    if (result.ok) throw new Error("expected problems");
    const lines = text.split("\n");
    const [first, second] = result.error.problems as [EstateProblem, EstateProblem];
    expect(first.path).toBe("okta.memberships[1].group");
    expect(lines[(first.line as number) - 1]?.slice((first.column as number) - 1)).toBe('"aws-nobody",');
    expect(second.path).toBe("identityCenter.assignments[0].permissionSet");
    expect(lines[(second.line as number) - 1]?.slice((second.column as number) - 1)).toBe('"Nope",');
  });

  it("points an unknown key at the key itself", () => {
    // Prepare
    const text = JSON.stringify({ ...estate(), polcy: "p.yaml" }, null, 2);

    // Act
    const result = parseEstate(text, "estate.json");

    // Assess
    if (result.ok) throw new Error("expected problems");
    const problem = result.error.problems[0] as EstateProblem;
    expect(problem.fix).toContain("did you mean 'policy'?");
    expect(text.split("\n")[(problem.line as number) - 1]?.slice((problem.column as number) - 1)).toBe(
      '"polcy": "p.yaml"',
    );
  });

  it("reports a JSON syntax error with its line and column", () => {
    // Prepare
    const text = '{\n  "organization": {,\n}';

    // Act
    const result = parseEstate(text, "estate.json");

    // Assess
    if (result.ok) throw new Error("expected a syntax error");
    expect(result.error).toBeInstanceOf(EstateSyntaxError);
    expect(result.error.name).toBe("EstateSyntaxError");
    expect(result.error.cause).toBeInstanceOf(SyntaxError);
    expect(result.error.problems).toEqual([
      expect.objectContaining({ path: "(syntax)", line: 2, column: 20 }),
    ]);
  });

  it("reports a truncated file at its end", () => {
    // Act
    const result = parseEstate('{\n  "okta": [', "estate.json");

    // Assess
    if (result.ok) throw new Error("expected a syntax error");
    expect(result.error.problems[0]).toEqual(expect.objectContaining({ line: 2, column: 12 }));
  });

  it("reports a key written twice, which JSON.parse would silently drop", () => {
    // Prepare
    const value = estate();
    const text = JSON.stringify(value, null, 2).replace(
      '"rootId": "r-ab12",',
      '"rootId": "r-ab12",\n    "rootId": "r-ab12",',
    );

    // Act
    const result = parseEstate(text, "estate.json");

    // Assess
    if (result.ok) throw new Error("expected a problem");
    expect(result.error.problems).toEqual([
      expect.objectContaining({ path: "(duplicate key)", line: 5, column: 5 }),
    ]);
  });

  it("prints every problem as file:line:column path: message, with its fix", () => {
    // Prepare
    const value = estate();
    value.okta.memberships[0].group = "aws-nobody";
    value.okta.memberships[1].user = "nobody@example.com";

    // Act
    const result = parseEstate(JSON.stringify(value, null, 2), "estate.json");

    // Assess
    if (result.ok) throw new Error("expected problems");
    expect(result.error.name).toBe("EstateInvalidError");
    expect(result.error.message).toMatch(
      /^estate\.json: 2 problems\nestate\.json:\d+:\d+ okta\.memberships\[0\]\.group: unknown group 'aws-nobody'\n {4}fix: declare it under okta\.groups/,
    );
    expect(result.error.message.split("\n")).toHaveLength(5);
  });
});

describe("formatEstatePath", () => {
  it("writes keys, indexes, and odd keys in brackets", () => {
    // Act / Assess
    expect(formatEstatePath([])).toBe("(root)");
    expect(formatEstatePath(["okta", "users", 3, "login"])).toBe("okta.users[3].login");
    expect(formatEstatePath(["organization", "accounts", 0, "tags", "cost center"])).toBe(
      'organization.accounts[0].tags["cost center"]',
    );
  });
});

describe("loadEstateFile", () => {
  async function tempDir(): Promise<string> {
    return mkdtemp(join(tmpdir(), "estate-"));
  }

  it("loads a file and resolves its policy against the file's folder", async () => {
    // Prepare
    const dir = await tempDir();
    await mkdir(join(dir, "policies"));
    await writeFile(join(dir, "policies", "access.yaml"), "version: 1\n");
    await writeFile(
      join(dir, "estate.json"),
      JSON.stringify({ ...estate(), policy: "policies/access.yaml" }),
    );

    // Act
    const result = await loadEstateFile(join(dir, "estate.json"));

    // Assess
    if (!result.ok) throw result.error;
    expect(result.file).toBe(join(dir, "estate.json"));
    expect(result.policyPath).toBe(join(dir, "policies", "access.yaml"));
    expect(result.estate.okta.users).toHaveLength(2);
  });

  it("loads a file without a policy", async () => {
    // Prepare
    const dir = await tempDir();
    await writeFile(join(dir, "estate.json"), JSON.stringify(estate()));

    // Act
    const result = await loadEstateFile(join(dir, "estate.json"));

    // Assess
    if (!result.ok) throw result.error;
    expect(result.policyPath).toBeUndefined();
  });

  it("rejects a policy path that is missing or a folder", async () => {
    // Prepare
    const dir = await tempDir();
    await mkdir(join(dir, "policies"));
    await writeFile(join(dir, "missing.json"), JSON.stringify({ ...estate(), policy: "nope.yaml" }));
    await writeFile(join(dir, "folder.json"), JSON.stringify({ ...estate(), policy: "policies" }));

    // Act
    const missing = await loadEstateFile(join(dir, "missing.json"));
    const folder = await loadEstateFile(join(dir, "folder.json"));

    // Assess
    for (const result of [missing, folder]) {
      if (result.ok) throw new Error("expected the policy to be rejected");
      expect(result.error).toBeInstanceOf(EstateInvalidError);
      expect(result.error.problems[0]?.path).toBe("policy");
      expect(result.error.problems[0]?.fix).toContain(dir);
    }
  });

  it("says which file it cannot read", async () => {
    // Prepare
    const dir = await tempDir();

    // Act
    const result = await loadEstateFile(join(dir, "absent.json"));

    // Assess
    if (result.ok) throw new Error("expected a read error");
    expect(result.error).toBeInstanceOf(EstateReadError);
    expect(result.error.problems[0]?.message).toBe(`cannot read ${join(dir, "absent.json")} (ENOENT)`);
  });

  it("passes on parse errors", async () => {
    // Prepare
    const dir = await tempDir();
    await writeFile(join(dir, "estate.json"), "{");

    // Act
    const result = await loadEstateFile(join(dir, "estate.json"));

    // Assess
    if (result.ok) throw new Error("expected a syntax error");
    expect(result.error).toBeInstanceOf(EstateSyntaxError);
    expect(result.error.source).toBe(join(dir, "estate.json"));
  });
});
