import { type IdentitystoreClient, ListGroupsCommand } from "@aws-sdk/client-identitystore";
import {
  paginateListInstances,
  paginateListPermissionSets,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { allItems, firstItem } from "../aws-pages.ts";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

export interface IdentityCenterTarget {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  instanceArn: string;
  identityStoreId: string;
}

const CHECK = "IAM Identity Center";

/** The instance is visible from these credentials and region, and its permission sets and groups can be read. */
export function checkIdentityCenter(target: IdentityCenterTarget): Promise<CheckResult> {
  return guarded(
    CHECK,
    "run in the Identity Center administration account (management or delegated admin) and its home region",
    async () => {
      const instances = await allItems(
        paginateListInstances({ client: target.ssoAdmin }, {}),
        (p) => p.Instances,
      );
      const instance = instances.find((i) => i.InstanceArn === target.instanceArn);
      if (instance === undefined) {
        return problem(
          CHECK,
          `instance ${target.instanceArn} is not among the ${instances.length} instance(s) these credentials see`,
          "use the Identity Center home region (OAL_HOME_REGION) and the administration account",
        );
      }
      if (instance.IdentityStoreId !== target.identityStoreId) {
        return problem(
          CHECK,
          `the instance's identity store is ${instance.IdentityStoreId}, not ${target.identityStoreId}`,
          "unset OAL_IDENTITY_STORE_ID (it is discovered) or correct it, and redeploy",
        );
      }
      const firstSet = await firstItem(
        paginateListPermissionSets(
          { client: target.ssoAdmin, pageSize: 1 },
          { InstanceArn: target.instanceArn },
        ),
        (p) => p.PermissionSets,
      );
      await target.identityStore.send(
        new ListGroupsCommand({ IdentityStoreId: target.identityStoreId, MaxResults: 1 }),
      );
      return ok(
        CHECK,
        `${target.instanceArn} (identity store ${target.identityStoreId}) is reachable${firstSet === undefined ? "; it has no permission set yet" : ""}`,
      );
    },
  );
}
