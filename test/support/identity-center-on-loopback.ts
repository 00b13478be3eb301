import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";
import { PlanExecutor } from "../../usecases/reconcile-estate/plan-executor.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";

/**
 * The Identity Center emulator behind its loopback server, with real SDK clients and the adapter on
 * them: what an adapter's or executor's integration test talks to. `close` stops them all.
 */
export async function identityCenterOnLoopback(
  options: Parameters<typeof createIdentityCenterEmulator>[0] = {},
) {
  const ic = createIdentityCenterEmulator(options);
  const server = await startAwsJsonServer(ic.services);
  const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
  const identityStore = new IdentitystoreClient(localClientConfig(server.endpoint));
  const adapter = new IdentityCenterAdapter({
    ssoAdmin,
    identityStore,
    instanceArn: ic.instanceArn,
    identityStoreId: ic.identityStoreId,
  });
  const close = async () => {
    ssoAdmin.destroy();
    identityStore.destroy();
    await server.close();
  };
  return { ic, ssoAdmin, identityStore, adapter, close };
}

/** An estate executor for plans without a Deny (no ledger, no SCP writer), with no waiting. */
export function executorWithoutDenies(identityCenter: IdentityCenterAdapter): PlanExecutor {
  return new PlanExecutor({
    identityCenter,
    ledger: {} as never,
    enforce: {} as never,
    budget: new ThrottleBudget({ callsPerSecond: 1_000 }),
    now: () => "2026-12-07T00:00:00.000Z",
    sleep: async () => {},
  });
}
