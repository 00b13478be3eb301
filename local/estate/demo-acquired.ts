import { DEMO_ACCOUNT } from "./demo-organization.ts";
import type { EstateIamData } from "./schema.ts";

/*
 * The demo's acquisition (issue 16): a company bought years ago whose AWS accounts still hold IAM users
 * of people who now sign in through Okta. One of its accounts was folded into the Organization
 * (analytics-prod, where its SAML federation to Okta also lives); two are still outside it.
 */

/** The acquisition's accounts: two outside the Organization, one folded into it. */
export const DEMO_ACQUIRED = {
  prod: { id: "800000000001", name: "acquired-prod", externalId: "acq-demo-2026" },
  dev: { id: "800000000002", name: "acquired-dev" },
  /** Folded into the Organization (Workloads/Prod), with the acquisition's Okta federation. */
  inOrganization: DEMO_ACCOUNT.analyticsProd,
} as const;

/** The break-glass user the demo policy declares (`account:userName`). */
export const DEMO_BREAK_GLASS = `${DEMO_ACQUIRED.prod.id}:break-glass`;

const OLD = "2023-02-14T09:00:00Z";
const FRESH = "2026-11-20T09:00:00Z";
const RECENT_USE = { date: "2026-12-05T17:42:00Z", service: "s3", region: "us-east-1" };

/**
 * Who holds what, and what each demonstrates:
 * - jane.doe (the demo leaver): a tagged user in acquired-prod (console password, an old and a fresh
 *   key) and `jdoe` in acquired-dev (naming rule firstInitialLast): her run ends both;
 * - sam.taylor (DEPROVISIONED in Okta) in analytics-prod and amorgan (Alex Morgan, SUSPENDED) in
 *   acquired-dev: the estate sweep revokes their keys, owners Okta no longer has ACTIVE;
 * - john.smith (ACTIVE): a fresh key, kept and counted as a human holding one (target 0);
 * - priya.patel tagged with Wei Chen's login: the tag and the name disagree, a finding, never a guess;
 * - contractor-ops: a console password nobody in Okta owns, an unmapped human;
 * - break-glass: never touched, reported with its last use and MFA;
 * - ci-deployer: a workload's key, no owner, not human.
 */
export function demoAcquiredIam(): EstateIamData {
  const prod = DEMO_ACQUIRED.prod.id;
  const dev = DEMO_ACQUIRED.dev.id;
  const folded = DEMO_ACQUIRED.inOrganization;
  return {
    outsideAccounts: [
      { id: prod, name: DEMO_ACQUIRED.prod.name },
      { id: dev, name: DEMO_ACQUIRED.dev.name },
    ],
    users: [
      {
        account: prod,
        name: "jane.doe",
        tags: { "okta:login": "jane.doe@example.com" },
        consolePassword: true,
        passwordLastUsed: "2026-12-01T08:15:00Z",
        mfaDevices: 1,
        accessKeys: [
          { status: "Active", created: OLD, lastUsed: RECENT_USE },
          { status: "Active", created: FRESH },
        ],
      },
      {
        account: dev,
        name: "jdoe",
        tags: {},
        consolePassword: false,
        mfaDevices: 0,
        accessKeys: [{ status: "Active", created: OLD, lastUsed: { ...RECENT_USE, service: "dynamodb" } }],
      },
      {
        account: folded,
        name: "sam.taylor",
        tags: {},
        consolePassword: false,
        mfaDevices: 0,
        accessKeys: [
          { status: "Active", created: OLD, lastUsed: { ...RECENT_USE, date: "2025-08-30T11:00:00Z" } },
        ],
      },
      {
        account: dev,
        name: "amorgan",
        tags: {},
        consolePassword: true,
        mfaDevices: 0,
        accessKeys: [{ status: "Active", created: OLD }],
      },
      {
        account: prod,
        name: "john.smith",
        tags: {},
        consolePassword: false,
        mfaDevices: 0,
        accessKeys: [{ status: "Active", created: FRESH, lastUsed: RECENT_USE }],
      },
      {
        account: prod,
        name: "priya.patel",
        tags: { "okta:login": "wei.chen@example.com" },
        consolePassword: true,
        mfaDevices: 0,
        accessKeys: [],
      },
      {
        account: prod,
        name: "contractor-ops",
        tags: {},
        consolePassword: true,
        mfaDevices: 0,
        accessKeys: [],
      },
      {
        account: prod,
        name: "break-glass",
        tags: { purpose: "break-glass" },
        consolePassword: true,
        passwordLastUsed: "2026-09-01T10:00:00Z",
        mfaDevices: 1,
        accessKeys: [],
      },
      {
        account: dev,
        name: "ci-deployer",
        tags: { purpose: "deploys the acquired app" },
        consolePassword: false,
        mfaDevices: 0,
        accessKeys: [
          { status: "Active", created: OLD, lastUsed: { ...RECENT_USE, service: "cloudformation" } },
        ],
      },
    ],
    samlProviders: [
      { account: folded, name: "Okta" },
      { account: prod, name: "Okta" },
    ],
    federatedRoles: [
      { account: folded, name: "Okta-Analytics-Admin", samlProvider: "Okta" },
      { account: folded, name: "Okta-Analytics-ReadOnly", samlProvider: "Okta" },
      { account: prod, name: "Okta-Acquired-Admin", samlProvider: "Okta" },
    ],
  };
}
