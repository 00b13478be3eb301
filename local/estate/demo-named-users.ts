import type { DemoTeamName } from "./demo-teams.ts";
import type { EstateOktaUserData } from "./schema.ts";

/** A person the demo and its README name, with the groups they are in beyond their team's defaults. */
export interface DemoNamedUser {
  firstName: string;
  lastName: string;
  team: DemoTeamName;
  status: EstateOktaUserData["status"];
  /** Okta groups on top of the ones everyone on the team is in. */
  extraGroups: readonly string[];
  /** Owns a personal account in the Sandbox OU. */
  sandbox: boolean;
  /** Why the demo has this person (shown in the README notes). */
  role: string;
}

/**
 * The users a demo script or a person exploring the local stack reaches for. The 8 sandbox owners
 * each own a personal sandbox account.
 */
export const DEMO_NAMED_USERS: readonly DemoNamedUser[] = [
  {
    firstName: "Jane",
    lastName: "Doe",
    team: "payments",
    status: "ACTIVE",
    extraGroups: ["aws-sre-oncall", "aws-sandbox-users"],
    sandbox: true,
    role: "the demo leaver: payments engineer and SRE on call, with access in 28 accounts through 4 groups",
  },
  {
    firstName: "John",
    lastName: "Smith",
    team: "search",
    status: "ACTIVE",
    extraGroups: ["aws-sandbox-users"],
    sandbox: true,
    role: "an ACTIVE search engineer: an event about him must revoke nothing",
  },
  {
    firstName: "Priya",
    lastName: "Patel",
    team: "platform",
    status: "ACTIVE",
    extraGroups: ["aws-platform-admins", "aws-sre-oncall", "aws-break-glass", "aws-sandbox-users"],
    sandbox: true,
    role: "platform lead: PlatformAdmin in every account, the management account included",
  },
  {
    firstName: "Wei",
    lastName: "Chen",
    team: "security",
    status: "ACTIVE",
    extraGroups: ["aws-readonly"],
    sandbox: false,
    role: "security auditor: SecurityAudit and ReadOnly everywhere",
  },
  {
    firstName: "Maria",
    lastName: "Garcia",
    team: "finance",
    status: "ACTIVE",
    extraGroups: ["aws-billing"],
    sandbox: false,
    role: "finance: BillingViewer in the management account only, where SCPs do not apply",
  },
  {
    firstName: "Alex",
    lastName: "Morgan",
    team: "payments",
    status: "SUSPENDED",
    extraGroups: [],
    sandbox: false,
    role: "already SUSPENDED in Okta, still in his groups: not provisioned to Identity Center",
  },
  {
    firstName: "Sam",
    lastName: "Taylor",
    team: "data",
    status: "DEPROVISIONED",
    extraGroups: [],
    sandbox: false,
    role: "a past leaver, DEPROVISIONED and in no group",
  },
  {
    firstName: "Omar",
    lastName: "Haddad",
    team: "search",
    status: "STAGED",
    extraGroups: [],
    sandbox: false,
    role: "a STAGED new hire already in his team's groups: activating him is a joiner",
  },
  {
    firstName: "Lucas",
    lastName: "Martin",
    team: "data",
    status: "ACTIVE",
    extraGroups: ["aws-sandbox-users"],
    sandbox: true,
    role: "data engineer with a sandbox",
  },
  {
    firstName: "Emma",
    lastName: "Wilson",
    team: "mobile",
    status: "ACTIVE",
    extraGroups: ["aws-sandbox-users"],
    sandbox: true,
    role: "mobile engineer with a sandbox",
  },
  {
    firstName: "Noah",
    lastName: "Kim",
    team: "checkout",
    status: "ACTIVE",
    extraGroups: ["aws-sandbox-users"],
    sandbox: true,
    role: "checkout engineer with a sandbox",
  },
  {
    firstName: "Olivia",
    lastName: "Brown",
    team: "catalog",
    status: "ACTIVE",
    extraGroups: ["aws-sandbox-users"],
    sandbox: true,
    role: "catalog engineer with a sandbox",
  },
  {
    firstName: "Ethan",
    lastName: "Nguyen",
    team: "platform",
    status: "ACTIVE",
    extraGroups: ["aws-platform-admins", "aws-break-glass", "aws-sandbox-users"],
    sandbox: true,
    role: "platform engineer, second break-glass holder",
  },
];

/** `first.last@example.com`, lowercase. */
export function demoLogin(firstName: string, lastName: string): string {
  return `${firstName}.${lastName}@example.com`.toLowerCase();
}
