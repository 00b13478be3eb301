import { describe, expect, it } from "vitest";
import { demoEstate } from "../../../local/estate/demo-estate.ts";
import { expandAssignments } from "../../../local/estate/expand-assignments.ts";
import { escapeHtml, objectLink } from "../../../local/estate/html.ts";
import type { LocalHookDelivery, LocalState } from "../../../local/estate/local-state.ts";
import { withOktaIds } from "../../../local/estate/okta-ids.ts";
import { scimProjection } from "../../../local/estate/scim-projection.ts";
import { RECENT_DELIVERIES, renderStatePage } from "../../../local/estate/state-page.ts";

const EVIDENCE_BASE = "http://127.0.0.1:4569/evidence";
const JANE = "jane.doe@example.com";
const INSTANCE = "arn:aws:sso:::instance/ssoins-0000000000000001";

function delivery(index: number, overrides: Partial<LocalHookDelivery> = {}): LocalHookDelivery {
  return {
    at: `2025-01-01T00:00:${String(index).padStart(2, "0")}.000Z`,
    method: "POST",
    url: "http://127.0.0.1:8787/okta/hook",
    attempt: 1,
    eventTypes: ["user.lifecycle.deactivate"],
    eventIds: [`uuid-${index}`],
    status: 200,
    durationMs: 12,
    ...overrides,
  };
}

/** What the local stack would report right after Jane's deactivation, from the demo estate. */
function sampleState(): LocalState {
  const estate = withOktaIds(demoEstate());
  const scim = scimProjection(estate);
  const userIds = new Map(scim.users.map((user, i) => [user.userName, `user-${i}`]));
  const groupIds = new Map(scim.groups.map((group, i) => [group.displayName, `group-${i}`]));
  const setArns = new Map(
    estate.identityCenter.permissionSets.map((set, i) => [
      set.name,
      `${INSTANCE.replace("instance", "permissionSet")}/ps-${i}`,
    ]),
  );
  const janeId = userIds.get(JANE) as string;
  const scpContent = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "RevokeLeaver0",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "identitystore:userId": [janeId] } },
      },
    ],
  });
  return {
    generatedAt: "2025-01-01T00:01:00.000Z",
    organization: {
      rootId: estate.organization.rootId,
      managementAccountId: estate.organization.managementAccountId,
      units: estate.organization.units,
      accounts: estate.organization.accounts.map(({ id, name, parentId, status, tags }) => ({
        id,
        name,
        parentId,
        status,
        tags,
      })),
    },
    okta: {
      users: [
        ...estate.okta.users.map((user) => ({
          id: user.id,
          login: user.login,
          firstName: user.firstName,
          lastName: user.lastName,
          status: user.login === JANE ? "DEPROVISIONED" : user.status,
          profile: { ...user.profile },
        })),
        {
          id: "00uEVILEVILEVILEVIL1",
          login: "mallory@example.com",
          firstName: "<script>alert(1)</script>",
          lastName: `"><img src=x onerror=alert(2)>`,
          status: "ACTIVE",
          profile: { team: "<b>red</b>" },
        },
      ],
      groups: [
        ...estate.okta.groups.map((group) => ({
          id: group.id,
          name: group.name,
          ...(group.description === undefined ? {} : { description: group.description }),
          type: "OKTA_GROUP" as const,
          memberIds: estate.okta.memberships
            .filter((membership) => membership.group === group.name)
            .map(
              (membership) => estate.okta.users.find((user) => user.login === membership.user)?.id as string,
            ),
        })),
        ...estate.okta.appGroups.map((group, index) => ({
          id: group.id ?? `00gAPPGROUP${index}`,
          name: group.name,
          type: "APP_GROUP" as const,
          sourceAppId: group.sourceAppId,
          memberIds: group.members.map(
            (login) => estate.okta.users.find((user) => user.login === login)?.id as string,
          ),
        })),
      ],
    },
    identityCenter: {
      instanceArn: INSTANCE,
      identityStoreId: "d-0000000001",
      users: scim.users.map((user) => ({
        userId: userIds.get(user.userName) as string,
        userName: user.userName,
        displayName: user.displayName,
      })),
      groups: scim.groups.map((group) => ({
        groupId: groupIds.get(group.displayName) as string,
        displayName: group.displayName,
      })),
      memberships: scim.memberships
        .filter((membership) => membership.userName !== JANE)
        .map((membership, i) => ({
          membershipId: `m-${i}`,
          groupId: groupIds.get(membership.group) as string,
          userId: userIds.get(membership.userName) as string,
        })),
      permissionSets: estate.identityCenter.permissionSets.map((set) => ({
        arn: setArns.get(set.name) as string,
        name: set.name,
        sessionDuration: set.sessionDuration,
        managedPolicyArns: set.managedPolicies,
        inlinePolicy: set.inlinePolicy === undefined ? null : JSON.stringify(set.inlinePolicy),
        provisionedAccountIds: [
          ...new Set(
            expandAssignments(estate)
              .filter((a) => a.permissionSet === set.name)
              .map((a) => a.accountId),
          ),
        ],
      })),
      assignments: [
        ...expandAssignments(estate).map((a) => ({
          accountId: a.accountId,
          permissionSetArn: setArns.get(a.permissionSet) as string,
          principalType: "GROUP" as const,
          principalId: groupIds.get(a.group) as string,
        })),
        {
          accountId: "100000000001",
          permissionSetArn: setArns.get("ReadOnly") as string,
          principalType: "USER" as const,
          principalId: userIds.get("john.smith@example.com") as string,
        },
      ],
      pendingOperations: 3,
    },
    scps: [
      {
        id: "p-revoke0001",
        name: "okta-aws-lifecycle-revocation-1",
        content: scpContent,
        targetIds: ["r-ab12"],
      },
    ],
    denies: [
      {
        userId: janeId,
        userName: JANE,
        where: "scp",
        policyName: "okta-aws-lifecycle-revocation-1",
        sid: "RevokeLeaver0",
        principalArnPatterns: [],
      },
      {
        userId: janeId,
        userName: JANE,
        where: "inline",
        policyName: "ReadOnly",
        principalArnPatterns: [
          "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_ReadOnly_*",
        ],
      },
    ],
    evidence: {
      bucket: "evidence",
      baseUrl: EVIDENCE_BASE,
      keys: ["runs/2025-01-01/leaver jane.doe@example.com.json", "odd/a&b<c>.json"],
    },
    hookDeliveries: [
      delivery(0, { method: "GET", eventTypes: [], eventIds: [] }),
      delivery(1, { status: null, error: "timeout after 3000 ms" }),
      delivery(2, { attempt: 2 }),
    ],
  };
}

/** Every src and href value in the page. */
function linkTargets(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((match) => match[1] as string);
}

describe("renderStatePage", () => {
  it("shows the counts, users, groups, assignments, denies, evidence and deliveries of the demo estate", () => {
    // Prepare
    const state = sampleState();

    // Act
    const html = renderStatePage(state);

    // Assess
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`<div class="value">401</div><div>Okta users</div>`);
    expect(html).toContain(
      `<div class="value">35</div><div>Accounts</div><div class="muted small">34 active</div>`,
    );
    expect(html).toContain(`<div class="value">2</div><div>Denies in force</div>`);
    expect(html).toContain("381 ACTIVE, 8 DEPROVISIONED, 6 SUSPENDED, 4 STAGED, 2 PROVISIONED");
    expect(html).toContain("3 operations pending");
    expect(html).toContain(`<td>${JANE}</td>`);
    expect(html).toMatch(
      /<td>aws-developers<\/td><td>OKTA_GROUP<\/td><td>[^<]*<\/td><td class="num">231<\/td><td class="num">\d+<\/td>/,
    );
    // An APP_GROUP that shares an Okta group's name is its own row, never counted as the pushed group.
    expect(html).toMatch(
      /<td>aws-security-auditors<\/td><td>APP_GROUP \(from [^)]+\)<\/td><td><\/td><td class="num">\d+<\/td><td class="num">not pushed<\/td>/,
    );
    expect(html).toContain("management (management)<br><code>123456789012</code>");
    expect(html).toContain("aws-billing &rarr; BillingViewer");
    expect(html).toContain(
      `<span class="badge bad" title="direct user assignment">user</span> john.smith@example.com &rarr; ReadOnly`,
    );
    expect(html).toContain("Workloads / Prod");
    expect(html).toContain("<td>SCP</td><td>okta-aws-lifecycle-revocation-1</td><td>RevokeLeaver0</td>");
    expect(html).toContain("AWSReservedSSO_ReadOnly_*");
    expect(html).toContain("identitystore:userId");
    expect(html).toContain(`/ 5120`);
    expect(html).toContain("Event hook deliveries (3)");
    expect(html).toContain("failed: timeout after 3000 ms");
    expect(html).toContain(`id="user-filter"`);
    expect(html).toContain("location.reload()");
  });

  it("links evidence objects under the given base URL, each key segment encoded", () => {
    // Act
    const html = renderStatePage(sampleState());

    // Assess
    expect(html).toContain(
      `<a href="${EVIDENCE_BASE}/runs/2025-01-01/leaver%20jane.doe%40example.com.json"><code>runs/2025-01-01/leaver jane.doe@example.com.json</code></a>`,
    );
    expect(html).toContain(
      `href="${EVIDENCE_BASE}/odd/a%26b%3Cc%3E.json"><code>odd/a&amp;b&lt;c&gt;.json</code>`,
    );
  });

  it("requests nothing from elsewhere: every http(s) link is an evidence link", () => {
    // Act
    const html = renderStatePage(sampleState());

    // Assess
    const targets = linkTargets(html);
    expect(targets.length).toBeGreaterThan(2);
    for (const target of targets.filter((t) => /^\s*(https?:)?\/\//i.test(t))) {
      expect(target.startsWith(`${EVIDENCE_BASE}/`)).toBe(true);
    }
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/<script[^>]+src/i);
  });

  it("escapes every value: a hostile name stays text", () => {
    // Act
    const html = renderStatePage(sampleState());

    // Assess
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>red</b>");
    expect(html).toContain(
      "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
    );
    expect(html).toContain('data-search="mallory@example.com &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it("lists the latest deliveries first, and says how many it left out", () => {
    // Prepare
    const state = sampleState();
    state.hookDeliveries = Array.from({ length: RECENT_DELIVERIES + 5 }, (_, i) => delivery(i));

    // Act
    const html = renderStatePage(state);

    // Assess
    expect(html).toContain(`Event hook deliveries (latest ${RECENT_DELIVERIES} of ${RECENT_DELIVERIES + 5})`);
    const latest = html.indexOf(delivery(RECENT_DELIVERIES + 4).at);
    expect(latest).toBeGreaterThan(0);
    expect(latest).toBeLessThan(html.indexOf(delivery(RECENT_DELIVERIES).at));
    expect(html).not.toContain(delivery(0).at);
  });

  it("renders an empty world with a note for every empty list", () => {
    // Prepare
    const empty: LocalState = {
      generatedAt: "2025-01-01T00:00:00.000Z",
      organization: { rootId: "r-ab12", managementAccountId: "111111111111", units: [], accounts: [] },
      okta: { users: [], groups: [] },
      identityCenter: {
        instanceArn: INSTANCE,
        identityStoreId: "d-0000000001",
        users: [],
        groups: [],
        memberships: [],
        permissionSets: [],
        assignments: [],
        pendingOperations: 0,
      },
      scps: [],
      denies: [],
      evidence: { bucket: "evidence", baseUrl: EVIDENCE_BASE, keys: [] },
      hookDeliveries: [],
    };

    // Act
    const html = renderStatePage(empty);

    // Assess
    for (const note of [
      "No Deny in force.",
      "Okta has delivered nothing yet.",
      "No evidence yet.",
      "No users.",
      "No SCPs.",
    ]) {
      expect(html).toContain(note);
    }
  });
});

describe("html helpers", () => {
  it("escapeHtml escapes the five characters that matter", () => {
    // Act / Assess
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(escapeHtml(42)).toBe("42");
  });

  it("objectLink never links a base URL that is not http(s)", () => {
    // Act
    const link = objectLink("javascript:alert(1)//", "a.json");

    // Assess
    expect(link).toBe("<code>a.json</code>");
    expect(objectLink("http://127.0.0.1:1/b/", "k")).toBe(
      '<a href="http://127.0.0.1:1/b/k"><code>k</code></a>',
    );
  });
});
