/** A plain, read-only copy of the emulator's state (for `/local/state` and for tests). */
import type { OrganizationsState } from "./state.ts";

export interface OrganizationsSnapshot {
  organizationId: string;
  rootId: string;
  managementAccountId: string;
  units: { id: string; name: string; parentId: string; tags: Record<string, string> }[];
  accounts: {
    id: string;
    name: string;
    email: string;
    parentId: string;
    status: string;
    tags: Record<string, string>;
  }[];
  policies: {
    id: string;
    name: string;
    description: string;
    awsManaged: boolean;
    content: string;
    targetIds: string[];
    tags: Record<string, string>;
  }[];
  /** Calls received per operation. */
  calls: Record<string, number>;
  /** Calls answered with TooManyRequestsException, per operation. */
  throttled: Record<string, number>;
}

export function takeSnapshot(state: OrganizationsState): OrganizationsSnapshot {
  const tags = (id: string) => Object.fromEntries(state.tags.get(id) ?? []);
  return {
    organizationId: state.organizationId,
    rootId: state.rootId,
    managementAccountId: state.managementAccountId,
    units: [...state.units.values()].map((u) => ({ ...u, tags: tags(u.id) })),
    accounts: [...state.accounts.values()].map(({ id, name, email, parentId, status }) => ({
      id,
      name,
      email,
      parentId,
      status,
      tags: tags(id),
    })),
    policies: [...state.policies.values()].map(({ id, name, description, awsManaged, content }) => ({
      id,
      name,
      description,
      awsManaged,
      content,
      targetIds: state.targetsOf(id),
      tags: tags(id),
    })),
    calls: Object.fromEntries(state.calls),
    throttled: Object.fromEntries(state.throttled),
  };
}
