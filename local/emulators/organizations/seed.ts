/**
 * Puts an organization in directly: no API calls, no limits, no call counts. Ids may be given (to
 * load a known estate) or are generated.
 */
import type { Organization } from "../../../core/estate.ts";
import type { IdFactory } from "./ids.ts";
import type { AccountStatus, OrganizationsState } from "./state.ts";

/** A seed that contradicts the organization (unknown parent, duplicate id, foreign root). */
export class SeedError extends Error {
  override name = "SeedError";
}

export interface SeedAccount {
  id?: string;
  name: string;
  /** @default `<name>@example.com` */
  email?: string;
  /** @default the root */
  parentId?: string;
  /** @default "ACTIVE" */
  status?: AccountStatus;
  tags?: Record<string, string>;
}

export interface SeedPolicy {
  name: string;
  content: string;
  /** @default "" */
  description?: string;
  tags?: Record<string, string>;
  /** Roots, OUs or accounts to attach it to (the per-target limit is not checked). */
  targetIds?: string[];
}

export interface SeedHelpers {
  /** Adds an OU and returns its id. */
  organizationalUnit(unit: {
    id?: string;
    name: string;
    parentId?: string;
    tags?: Record<string, string>;
  }): string;
  /** Adds an account and returns its id. */
  account(account: SeedAccount): string;
  /** Sets tags on a resource (account, OU, root or policy). */
  tags(resourceId: string, tags: Record<string, string>): void;
  /** Adds an SCP and returns its id. */
  policy(policy: SeedPolicy): string;
  /** Attaches a policy to a target (the per-target limit is not checked). */
  attach(policyId: string, targetId: string): void;
  /**
   * Loads an organization in the core read model (`units` may include the root). Its `rootId` must be
   * the emulator's: create the emulator with `{ rootId: organization.rootId }`.
   */
  organization(organization: Organization): void;
}

export function createSeedHelpers(state: OrganizationsState, ids: IdFactory, now: () => number): SeedHelpers {
  const parent = (id: string | undefined) => {
    const parentId = id ?? state.rootId;
    if (!state.isParent(parentId)) throw new SeedError(`no root or OU ${parentId}`);
    return parentId;
  };
  const setTags = (resourceId: string, tags: Record<string, string> = {}) => {
    for (const [key, value] of Object.entries(tags)) state.tagsOf(resourceId).set(key, value);
  };

  const helpers: SeedHelpers = {
    organizationalUnit({ id, name, parentId, tags }) {
      const unitId = id ?? ids.organizationalUnitId(state.rootId);
      if (state.targetType(unitId) !== undefined) throw new SeedError(`${unitId} already exists`);
      state.addUnit({ id: unitId, name, parentId: parent(parentId) });
      setTags(unitId, tags);
      return unitId;
    },
    account({ id, name, email, parentId, status, tags }) {
      const accountId = id ?? ids.accountId();
      const existing = state.accounts.get(accountId);
      if (existing && accountId !== state.managementAccountId)
        throw new SeedError(`${accountId} already exists`);
      state.addAccount({
        id: accountId,
        name,
        email: email ?? existing?.email ?? `${name}@example.com`,
        parentId: parent(parentId),
        status: status ?? "ACTIVE",
        joinedMethod: existing?.joinedMethod ?? "INVITED",
        joinedAt: existing?.joinedAt ?? now(),
      });
      setTags(accountId, tags);
      return accountId;
    },
    tags: setTags,
    policy({ name, content, description, tags, targetIds }) {
      const id = ids.policyId();
      state.policies.set(id, {
        id,
        name,
        description: description ?? "",
        type: "SERVICE_CONTROL_POLICY",
        content,
        awsManaged: false,
      });
      setTags(id, tags);
      for (const targetId of targetIds ?? []) helpers.attach(id, targetId);
      return id;
    },
    attach(policyId, targetId) {
      if (!state.policies.has(policyId)) throw new SeedError(`no policy ${policyId}`);
      if (state.targetType(targetId) === undefined) throw new SeedError(`no target ${targetId}`);
      const current = state.policiesOn(targetId);
      if (!current.includes(policyId)) state.attachments.set(targetId, [...current, policyId]);
    },
    organization(organization) {
      if (organization.rootId !== state.rootId) {
        throw new SeedError(
          `the organization's root ${organization.rootId} is not the emulator's ${state.rootId}`,
        );
      }
      // Parents before children, whatever the order of `units`.
      const pending = organization.units.filter((u) => u.id !== organization.rootId);
      while (pending.length > 0) {
        const ready = pending.findIndex((u) => u.parentId === null || state.isParent(u.parentId));
        if (ready < 0)
          throw new SeedError(`OUs with unknown parents: ${pending.map((u) => u.id).join(", ")}`);
        const [unit] = pending.splice(ready, 1);
        if (unit)
          helpers.organizationalUnit({ id: unit.id, name: unit.name, parentId: unit.parentId ?? undefined });
      }
      for (const a of organization.accounts) {
        helpers.account({ id: a.id, name: a.name, parentId: a.parentId, status: a.status, tags: a.tags });
      }
    },
  };
  return helpers;
}
