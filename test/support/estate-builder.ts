import type { IdentityCenterState, OktaTruth, Organization } from "../../core/estate.ts";
import type { PlanInput } from "../../core/plan/plan-estate.ts";
import { PolicyDocument } from "../../core/policy/schema.ts";

export const NOW = "2026-06-01T12:00:00.000Z";
export const MGMT = "999999999999";
export const PROD = "111111111111";
export const DEV = "222222222222";
export const arn = (name: string) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${name}`;

/** A small, readable estate for example-based tests: two groups, two accounts, one user each way. */
export function baseEstate(): PlanInput {
  const organization: Organization = {
    rootId: "r-root",
    units: [
      { id: "r-root", name: "Root", parentId: null },
      { id: "ou-root-workload", name: "Workloads", parentId: "r-root" },
    ],
    accounts: [
      { id: MGMT, name: "management", parentId: "r-root", tags: {}, status: "ACTIVE" },
      { id: PROD, name: "prod", parentId: "ou-root-workload", tags: { env: "prod" }, status: "ACTIVE" },
      { id: DEV, name: "dev", parentId: "ou-root-workload", tags: { env: "dev" }, status: "ACTIVE" },
    ],
  };
  const okta: OktaTruth = {
    users: [
      { id: "00uana", login: "ana@example.com", status: "ACTIVE" },
      { id: "00uben", login: "ben@example.com", status: "ACTIVE" },
    ],
    groups: [
      { id: "00gdevs", name: "aws-devs", memberIds: ["00uana", "00uben"] },
      { id: "00gadmins", name: "aws-admins", memberIds: ["00uana"] },
    ],
  };
  const identityCenter: IdentityCenterState = {
    instanceArn: "arn:aws:sso:::instance/ssoins-1",
    identityStoreId: "d-1234567890",
    permissionSets: [
      { arn: arn("dev"), name: "Developer", sessionDuration: "PT1H" },
      { arn: arn("admin"), name: "Admin", sessionDuration: "PT4H" },
    ],
    users: [
      { userId: "ic-ana", userName: "ana@example.com" },
      { userId: "ic-ben", userName: "ben@example.com" },
    ],
    groups: [
      { groupId: "icg-devs", displayName: "aws-devs" },
      { groupId: "icg-admins", displayName: "aws-admins" },
    ],
    memberships: [
      { groupId: "icg-devs", userId: "ic-ana" },
      { groupId: "icg-devs", userId: "ic-ben" },
      { groupId: "icg-admins", userId: "ic-ana" },
    ],
    provisioned: [
      { accountId: PROD, permissionSetArn: arn("dev"), outdated: false },
      { accountId: DEV, permissionSetArn: arn("dev"), outdated: false },
      { accountId: PROD, permissionSetArn: arn("admin"), outdated: false },
    ],
    assignments: [
      { accountId: PROD, permissionSetArn: arn("dev"), principalType: "GROUP", principalId: "icg-devs" },
      { accountId: DEV, permissionSetArn: arn("dev"), principalType: "GROUP", principalId: "icg-devs" },
      { accountId: PROD, permissionSetArn: arn("admin"), principalType: "GROUP", principalId: "icg-admins" },
    ],
    denies: [],
  };
  const policy = PolicyDocument.parse({
    version: 1,
    managementAccountId: MGMT,
    permissionSets: { Developer: {}, Admin: { sessionDuration: "PT4H" } },
    rules: [
      { name: "devs", group: "aws-devs", permissionSet: "Developer", targets: { ous: ["ou-root-workload"] } },
      { name: "admins", group: "aws-admins", permissionSet: "Admin", targets: { accounts: [PROD] } },
    ],
  });
  return { policy, okta, organization, identityCenter, now: NOW };
}

/** A copy of the base estate with the given changes applied to a structured clone. */
export function estate(change: (e: PlanInput) => void = () => {}): PlanInput {
  const e = structuredClone(baseEstate());
  change(e);
  return e;
}

function found<T>(item: T | undefined, what: string): T {
  if (item === undefined) throw new Error(`test estate has no ${what}`);
  return item;
}

/** The base estate's Okta user with this short name (`ana`, `ben`). */
export const oktaUser = (e: PlanInput, name: string) =>
  found(
    e.okta.users.find((u) => u.id === `00u${name}`),
    name,
  );
/** The base estate's Okta group with this name. */
export const oktaGroup = (e: PlanInput, name: string) =>
  found(
    e.okta.groups.find((g) => g.name === name),
    name,
  );
