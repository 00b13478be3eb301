import { escapeHtml as e, objectLink } from "./html.ts";
import type { LocalDeny, LocalHookDelivery, LocalState } from "./local-state.ts";

/** How many of the latest hook deliveries the page lists. @default 30 */
export const RECENT_DELIVERIES = 30;

/** An SCP document is at most this many characters (AWS Organizations quota). */
const SCP_MAX_CHARS = 5_120;

/**
 * The human-readable page at `/` of the local stack: one self-contained HTML document (inline CSS, no
 * external requests, a few lines of inline script for the user filter and a 2-second auto-refresh that
 * pauses while you type or read an opened detail). Every value from the state is escaped.
 */
export function renderStatePage(state: LocalState): string {
  const names = nameIndex(state);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>okta-aws-lifecycle local stack</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>okta-aws-lifecycle <span class="muted">local stack</span></h1>
<p class="muted">Snapshot at <time>${e(state.generatedAt)}</time> &middot;
<label><input type="checkbox" id="auto-refresh" checked> refresh every 2 s</label> &middot;
<a href="/local/state">as JSON</a></p>
</header>
<main>
${summary(state)}
${deniesSection(state.denies)}
${deliveriesSection(state.hookDeliveries)}
${evidenceSection(state)}
${oktaUsersSection(state)}
${groupsSection(state)}
${assignmentsSection(state, names)}
${permissionSetsSection(state)}
${scpsSection(state)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Names for the ids the page shows: Identity Center principals and permission sets. */
interface NameIndex {
  principal(type: "USER" | "GROUP", id: string): string;
  permissionSet(arn: string): string;
}

function nameIndex(state: LocalState): NameIndex {
  const ic = state.identityCenter;
  const users = new Map(ic.users.map((user) => [user.userId, user.userName]));
  const groups = new Map(ic.groups.map((group) => [group.groupId, group.displayName]));
  const sets = new Map(ic.permissionSets.map((set) => [set.arn, set.name]));
  return {
    principal: (type, id) => (type === "USER" ? users.get(id) : groups.get(id)) ?? id,
    permissionSet: (arn) => sets.get(arn) ?? arn,
  };
}

function summary(state: LocalState): string {
  const ic = state.identityCenter;
  const activeAccounts = state.organization.accounts.filter((account) => account.status === "ACTIVE").length;
  const byStatus = countBy(state.okta.users.map((user) => user.status));
  const statusLine = [...byStatus.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
  const cards: [string, string | number, string?][] = [
    ["Accounts", state.organization.accounts.length, `${activeAccounts} active`],
    ["OUs", state.organization.units.length],
    ["Okta users", state.okta.users.length, statusLine],
    ["Okta groups", state.okta.groups.length],
    ["IC users", ic.users.length],
    ["IC groups", ic.groups.length],
    ["IC memberships", ic.memberships.length],
    ["Permission sets", ic.permissionSets.length],
    ["Assignments", ic.assignments.length, `${ic.pendingOperations} operations pending`],
    ["SCPs", state.scps.length],
    ["Denies in force", state.denies.length],
    ["Evidence objects", state.evidence.keys.length],
    ["Hook deliveries", state.hookDeliveries.length],
  ];
  const items = cards
    .map(
      ([label, value, note]) =>
        `<div class="card"><div class="value">${e(value)}</div><div>${e(label)}</div>${
          note === undefined ? "" : `<div class="muted small">${e(note)}</div>`
        }</div>`,
    )
    .join("\n");
  return `<section id="summary" class="cards">\n${items}\n</section>`;
}

function deniesSection(denies: LocalDeny[]): string {
  const rows = denies.map(
    (deny) => `<tr><td>${e(deny.userName ?? "(deleted user)")}</td><td><code>${e(deny.userId)}</code></td>
<td>${deny.where === "scp" ? "SCP" : "inline"}</td><td>${e(deny.policyName)}</td><td>${e(deny.sid ?? "")}</td>
<td>${deny.principalArnPatterns.length === 0 ? "every session" : deny.principalArnPatterns.map((p) => `<code>${e(p)}</code>`).join("<br>")}</td></tr>`,
  );
  return section(
    "denies",
    `Denies in force (${denies.length})`,
    table(["User", "identitystore:userId", "Where", "Policy", "Sid", "Scope"], rows, "No Deny in force."),
  );
}

function deliveriesSection(deliveries: LocalHookDelivery[]): string {
  const recent = deliveries.slice(-RECENT_DELIVERIES).reverse();
  const rows = recent.map((delivery) => {
    const ok = delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
    const status =
      delivery.status === null ? `failed: ${delivery.error ?? "no answer"}` : String(delivery.status);
    return `<tr><td><time>${e(delivery.at)}</time></td><td>${e(delivery.method)}</td><td>${e(delivery.attempt)}</td>
<td><span class="badge ${ok ? "ok" : "bad"}">${e(status)}</span></td><td>${e(delivery.durationMs)} ms</td>
<td>${delivery.eventTypes.map((type) => `<code>${e(type)}</code>`).join(" ")}</td><td>${e(delivery.eventIds.length)}</td></tr>`;
  });
  const shown =
    deliveries.length > recent.length ? `latest ${recent.length} of ${deliveries.length}` : deliveries.length;
  return section(
    "hook-deliveries",
    `Event hook deliveries (${shown})`,
    table(
      ["At", "Method", "Attempt", "Status", "Took", "Event types", "Events"],
      rows,
      "Okta has delivered nothing yet.",
    ),
  );
}

function evidenceSection(state: LocalState): string {
  const { bucket, baseUrl, keys, signing } = state.evidence;
  const items = keys.map((key) => `<li>${objectLink(baseUrl, key)}</li>`).join("\n");
  const signer =
    signing === undefined
      ? ""
      : `<p>Daily manifests (v1/chain/) are signed by <code>${e(signing.keyId)}</code>; verify offline with this public key:</p>\n<pre>${e(signing.publicKeyPem)}</pre>\n`;
  const body =
    signer +
    (keys.length === 0 ? `<p class="muted">No evidence yet.</p>` : `<ul class="keys">\n${items}\n</ul>`);
  return section("evidence", `Evidence in s3://${e(bucket)} (${keys.length})`, body);
}

function oktaUsersSection(state: LocalState): string {
  const groupsOf = new Map<string, string[]>();
  for (const group of state.okta.groups) {
    for (const id of group.memberIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), group.name]);
  }
  const inIdentityCenter = new Set(state.identityCenter.users.map((user) => user.userName));
  const rows = state.okta.users.map((user) => {
    const groups = groupsOf.get(user.id) ?? [];
    const search = [
      user.login,
      user.firstName,
      user.lastName,
      user.status,
      user.profile.team ?? "",
      ...groups,
    ]
      .join(" ")
      .toLowerCase();
    return `<tr data-search="${e(search)}"><td>${e(user.login)}</td><td>${e(`${user.firstName} ${user.lastName}`)}</td>
<td><span class="badge ${user.status === "ACTIVE" ? "ok" : "bad"}">${e(user.status)}</span></td><td>${e(user.profile.team ?? "")}</td>
<td>${e(groups.join(", "))}</td><td>${inIdentityCenter.has(user.login) ? "yes" : "no"}</td></tr>`;
  });
  const filter = `<p><input type="search" id="user-filter" placeholder="Filter users: login, name, status, team, group" size="48"></p>`;
  return section(
    "okta-users",
    `Okta users (${state.okta.users.length})`,
    filter +
      table(
        ["Login", "Name", "Status", "Team", "Okta groups", "In Identity Center"],
        rows,
        "No users.",
        "user-rows",
      ),
  );
}

function groupsSection(state: LocalState): string {
  const ic = state.identityCenter;
  const icGroups = new Map(ic.groups.map((group) => [group.displayName, group.groupId]));
  const icMembers = countBy(ic.memberships.map((membership) => membership.groupId));
  const rows = state.okta.groups.map((group) => {
    // Push Groups pushes chosen OKTA_GROUPs by id; the local SCIM model never pushes an APP_GROUP, whose
    // name may be an OKTA_GROUP's too (docs/estate.md), so only an OKTA_GROUP is matched by name here.
    const icGroupId = group.type === "OKTA_GROUP" ? icGroups.get(group.name) : undefined;
    const icCount =
      group.type === "APP_GROUP"
        ? "not pushed"
        : icGroupId === undefined
          ? "not provisioned"
          : String(icMembers.get(icGroupId) ?? 0);
    const type =
      group.type === "APP_GROUP" ? `APP_GROUP (from ${group.sourceAppId ?? "a directory"})` : "OKTA_GROUP";
    return `<tr><td>${e(group.name)}</td><td>${e(type)}</td><td>${e(group.description ?? "")}</td><td class="num">${e(group.memberIds.length)}</td><td class="num">${e(icCount)}</td></tr>`;
  });
  return section(
    "groups",
    `Groups (${state.okta.groups.length} in Okta, ${ic.groups.length} in Identity Center)`,
    table(["Name", "Type", "Description", "Okta members", "Identity Center members"], rows, "No groups."),
  );
}

function assignmentsSection(state: LocalState, names: NameIndex): string {
  const { organization } = state;
  const units = new Map(organization.units.map((unit) => [unit.id, unit]));
  const ouPath = (parentId: string): string => {
    const path: string[] = [];
    for (
      let unit = units.get(parentId);
      unit !== undefined && path.length < 10;
      unit = units.get(unit.parentId)
    ) {
      path.unshift(unit.name);
    }
    return path.length === 0 ? "Root" : path.join(" / ");
  };
  const byAccount = new Map<string, string[]>();
  for (const assignment of state.identityCenter.assignments) {
    const principal = names.principal(assignment.principalType, assignment.principalId);
    const label =
      assignment.principalType === "USER"
        ? `<span class="badge bad" title="direct user assignment">user</span> ${e(principal)}`
        : e(principal);
    const entry = `<li>${label} &rarr; ${e(names.permissionSet(assignment.permissionSetArn))}</li>`;
    byAccount.set(assignment.accountId, [...(byAccount.get(assignment.accountId) ?? []), entry]);
  }
  const accounts = [...organization.accounts].sort(
    (a, b) => ouPath(a.parentId).localeCompare(ouPath(b.parentId)) || a.name.localeCompare(b.name),
  );
  const rows = accounts.map((account) => {
    const entries = (byAccount.get(account.id) ?? []).sort();
    const management = account.id === organization.managementAccountId ? " (management)" : "";
    return `<tr><td>${e(account.name)}${management}<br><code>${e(account.id)}</code></td><td>${e(ouPath(account.parentId))}</td>
<td>${e(account.status)}</td><td class="num">${entries.length}</td><td><ul class="compact">${entries.join("")}</ul></td></tr>`;
  });
  return section(
    "assignments",
    `Identity Center assignments by account (${state.identityCenter.assignments.length})`,
    table(["Account", "OU", "Status", "Count", "Principal &rarr; permission set"], rows, "No accounts."),
  );
}

function permissionSetsSection(state: LocalState): string {
  const rows = state.identityCenter.permissionSets.map((set) => {
    const policies = set.managedPolicyArns.map((arn) => `<code>${e(arn)}</code>`).join("<br>");
    const inline =
      set.inlinePolicy === null
        ? `<span class="muted">none</span>`
        : `<details><summary>${e(set.inlinePolicy.length)} characters</summary><pre>${e(prettyJson(set.inlinePolicy))}</pre></details>`;
    return `<tr><td>${e(set.name)}</td><td>${e(set.sessionDuration)}</td><td>${policies}</td><td>${inline}</td><td class="num">${e(set.provisionedAccountIds.length)}</td></tr>`;
  });
  return section(
    "permission-sets",
    `Permission sets (${state.identityCenter.permissionSets.length})`,
    table(
      ["Name", "Session", "Managed policies", "Inline policy", "Provisioned to"],
      rows,
      "No permission sets.",
    ),
  );
}

function scpsSection(state: LocalState): string {
  const rows = state.scps.map(
    (
      scp,
    ) => `<tr><td>${e(scp.name)}<br><code>${e(scp.id)}</code></td><td>${scp.targetIds.map((id) => `<code>${e(id)}</code>`).join(" ")}</td>
<td class="num">${e(scp.content.length)} / ${SCP_MAX_CHARS}</td>
<td><details><summary>document</summary><pre>${e(prettyJson(scp.content))}</pre></details></td></tr>`,
  );
  return section(
    "scps",
    `Service control policies (${state.scps.length})`,
    table(["Name", "Attached to", "Size", "Content"], rows, "No SCPs."),
  );
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${title}</h2>\n${body}\n</section>`;
}

/** A table, or the `empty` note when there are no rows. Headers are trusted markup. */
function table(headers: string[], rows: string[], empty: string, bodyId?: string): string {
  if (rows.length === 0) return `<p class="muted">${e(empty)}</p>`;
  const head = headers.map((header) => `<th>${header}</th>`).join("");
  const id = bodyId === undefined ? "" : ` id="${bodyId}"`;
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody${id}>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

/** A stored policy document, indented for reading; kept as stored when it is not JSON. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

const STYLE = `
:root { color-scheme: light dark; --line: #8884; --ok: #1a7f37; --bad: #cf222e; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 1.5rem 3rem; }
h1 { font-size: 1.4rem; margin: 1.2rem 0 0.2rem; } h2 { font-size: 1.1rem; margin: 2rem 0 0.6rem; }
.muted { opacity: 0.65; } .small { font-size: 0.85em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 0.6rem; margin-top: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; }
.card .value { font-size: 1.5rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: Canvas; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12px/1.4 ui-monospace, monospace; } pre { max-height: 30rem; overflow: auto; margin: 0.3rem 0; }
.badge { border-radius: 4px; padding: 0 0.4rem; font-size: 0.85em; color: #fff; background: var(--bad); }
.badge.ok { background: var(--ok); }
ul.compact { margin: 0; padding-left: 1rem; columns: 2; } ul.keys { padding-left: 1.2rem; }
input[type="search"] { font: inherit; padding: 0.3rem 0.5rem; }
`;

/** Filters the user table (the filter survives the refresh) and reloads every 2 s unless paused. */
const SCRIPT = `
(() => {
  const filter = document.getElementById("user-filter");
  const auto = document.getElementById("auto-refresh");
  const apply = () => {
    const words = (filter ? filter.value : "").toLowerCase().split(/\\s+/).filter(Boolean);
    for (const row of document.querySelectorAll("#user-rows tr")) {
      const text = row.getAttribute("data-search") || "";
      row.hidden = !words.every((word) => text.includes(word));
    }
    sessionStorage.setItem("user-filter", filter ? filter.value : "");
  };
  if (filter) { filter.value = sessionStorage.getItem("user-filter") || ""; filter.addEventListener("input", apply); apply(); }
  auto.checked = sessionStorage.getItem("auto-refresh") !== "off";
  auto.addEventListener("change", () => sessionStorage.setItem("auto-refresh", auto.checked ? "on" : "off"));
  setInterval(() => {
    const busy = document.activeElement === filter || document.querySelector("details[open]");
    if (auto.checked && !busy) location.reload();
  }, 2000);
})();
`;
