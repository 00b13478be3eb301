import { type IdentitystoreClient, paginateListUsers } from "@aws-sdk/client-identitystore";
import type { OktaAdapter } from "../../adapters/okta.ts";
import type { OktaUser } from "../../core/estate.ts";

/** An identity store user as the probe compares it with Okta. */
export interface SampledIdentityStoreUser {
  userId: string;
  /** Optional in the identitystore model. */
  userName?: string;
  externalIds: { issuer: string; id: string }[];
  /** identitystore `UserStatus` (ENABLED / DISABLED), when the service states it. */
  status?: string;
}

/** The first `size` identity store users and every Okta user (DEPROVISIONED included). */
export interface DirectorySample {
  identityStoreUsers: SampledIdentityStoreUser[];
  /** Whether the identity store holds more users than were read. */
  truncated: boolean;
  oktaUsers: OktaUser[];
}

/** Reads both directories once; the username and SCIM observations work on this in memory. */
export async function sampleDirectories(
  identityStore: IdentitystoreClient,
  identityStoreId: string,
  okta: OktaAdapter,
  size: number,
): Promise<DirectorySample> {
  const identityStoreUsers: SampledIdentityStoreUser[] = [];
  let truncated = false;
  for await (const page of paginateListUsers(
    { client: identityStore, pageSize: Math.min(size, 100) },
    { IdentityStoreId: identityStoreId },
  )) {
    for (const u of page.Users ?? []) {
      if (identityStoreUsers.length >= size) {
        truncated = true;
        break;
      }
      if (!u.UserId) continue;
      identityStoreUsers.push({
        userId: u.UserId,
        ...(u.UserName ? { userName: u.UserName } : {}),
        externalIds: (u.ExternalIds ?? []).flatMap((e) =>
          e.Issuer && e.Id ? [{ issuer: e.Issuer, id: e.Id }] : [],
        ),
        ...(u.UserStatus ? { status: u.UserStatus } : {}),
      });
    }
    if (truncated) break;
  }
  return { identityStoreUsers, truncated, oktaUsers: await okta.listUsers() };
}
