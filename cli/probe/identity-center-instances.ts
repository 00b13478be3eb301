import { paginateListInstances } from "@aws-sdk/client-sso-admin";
import type { RegionClients } from "./probe-clients.ts";

/** One IAM Identity Center instance the credentials see. */
export interface InstanceFound {
  region: string;
  instanceArn: string;
  identityStoreId: string;
  ownerAccountId?: string;
  status?: string;
}

/** What a region answered: its instances, or the error that stopped the listing. */
export interface RegionScan {
  region: string;
  instances: InstanceFound[];
  error?: string;
}

/**
 * ListInstances in each region. An organization instance lives in one region; account instances
 * may sit elsewhere, so `--regions` scans several. A region that refuses is reported, not fatal.
 */
export async function scanInstances(regions: readonly RegionClients[]): Promise<RegionScan[]> {
  return Promise.all(
    regions.map(async (clients) => {
      const region = clients.region ?? (await clients.ssoAdmin.config.region());
      try {
        const instances: InstanceFound[] = [];
        for await (const page of paginateListInstances({ client: clients.ssoAdmin }, {})) {
          for (const i of page.Instances ?? []) {
            if (!i.InstanceArn || !i.IdentityStoreId) continue;
            instances.push({
              region,
              instanceArn: i.InstanceArn,
              identityStoreId: i.IdentityStoreId,
              ...(i.OwnerAccountId ? { ownerAccountId: i.OwnerAccountId } : {}),
              ...(i.Status ? { status: i.Status } : {}),
            });
          }
        }
        return { region, instances };
      } catch (error) {
        const e = error as Error;
        return { region, instances: [], error: `${e.name}: ${e.message}` };
      }
    }),
  );
}
