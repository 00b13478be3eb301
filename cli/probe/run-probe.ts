import { paginateListRoots } from "@aws-sdk/client-organizations";
import { z } from "zod";
import { firstItem } from "../aws-pages.ts";
import { sampleDirectories } from "./directory-sample.ts";
import { scanInstances } from "./identity-center-instances.ts";
import { probeIdentityCenterWrites } from "./identity-center-writes.ts";
import { type InstanceClients, observeInheritedReadOnly } from "./inherited-assignments.ts";
import { type LogEventNullsObservation, observeLogEventNulls } from "./okta-log-event-nulls.ts";
import type { ProbeClients } from "./probe-clients.ts";
import type { ProbeOptions } from "./probe-options.ts";
import { localStackWith, type ProbeReport } from "./probe-report.ts";
import { observeScimDeactivation } from "./scim-deactivation.ts";
import { readScpHeadroom } from "./scp-headroom.ts";
import { probeScpQuotas, unverifiedScpQuotas } from "./scp-quotas.ts";
import { observeErrorPrefix } from "./step-functions-error-prefix.ts";
import { judgeSwitches, observed, type SwitchObservation, unknown } from "./switch-observation.ts";
import { TemporaryResources } from "./temporary-resources.ts";
import { observeUserNameMapping } from "./user-name-mapping.ts";

export interface ProbeRunSettings {
  progress: (line: string) => void;
  now: () => Date;
  /** Status polls of assignment operations. @default 1000 ms, 5 minutes at most */
  wait?: { pollMs: number; timeoutMs: number };
  /** Groups the read-only inherited-assignment search looks at. @default 100 */
  maxGroups?: number;
  /** Past user-reconcile runs whose history is read for an identitystore error. @default 50 */
  maxExecutions?: number;
}

/** `oal-probe-<UTC yyyymmddhhmmss>`: the name of every temporary resource of one run. */
export const probePrefix = (at: Date) =>
  `oal-probe-${at
    .toISOString()
    .replace(/[^0-9]/g, "")
    .slice(0, 14)}`;

const message = (error: unknown) => {
  const e = error as Error;
  return `${e.name}: ${e.message}`;
};

/**
 * One probe run: reads what the org answers for each switch of the emulators' registry, the SCP
 * quotas, the Identity Center instance(s) and the username mapping; with --allow-writes also makes,
 * exercises and removes temporary resources. A part that fails is reported and the others still run.
 */
export async function runProbe(
  clients: ProbeClients,
  options: ProbeOptions,
  settings: ProbeRunSettings,
): Promise<ProbeReport> {
  const { progress } = settings;
  const errors: ProbeReport["errors"] = [];
  const observations: SwitchObservation[] = [];
  const part = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      errors.push({ part: name, error: message(error) });
      progress(`  ${name} failed: ${message(error)}`);
      return undefined;
    }
  };

  progress("Listing Identity Center instances");
  const regions = await scanInstances(clients.regions);
  // scanInstances answers in the order of clients.regions.
  const found = regions.findIndex((r) => r.instances.length > 0);
  const first = regions[found]?.instances[0];
  const regionClients = clients.regions[found] ?? clients.regions[0];
  const instance: InstanceClients | undefined =
    first && regionClients
      ? {
          ssoAdmin: regionClients.ssoAdmin,
          identityStore: regionClients.identityStore,
          instanceArn: first.instanceArn,
          identityStoreId: first.identityStoreId,
        }
      : undefined;
  if (!instance)
    errors.push({
      part: "Identity Center",
      error: `no instance in ${regions.map((r) => r.region).join(", ")}: pass --regions`,
    });

  progress("Reading the organization root");
  const organization: ProbeReport["organization"] = {};
  try {
    const root = await firstItem(paginateListRoots({ client: clients.organizations }, {}), (p) => p.Roots);
    if (root?.Id) organization.rootId = root.Id;
    organization.scpsEnabled =
      root?.PolicyTypes?.some((t) => t.Type === "SERVICE_CONTROL_POLICY" && t.Status === "ENABLED") ?? false;
    observations.push(
      observed(
        "scpPolicyTypeEnabled",
        organization.scpsEnabled,
        `ListRoots: ${root?.Id} PolicyTypes ${JSON.stringify(root?.PolicyTypes ?? [])}`,
      ),
    );
  } catch (error) {
    organization.error = message(error);
    observations.push(unknown("scpPolicyTypeEnabled", `ListRoots failed: ${message(error)}`));
  }

  let userNames: ProbeReport["userNames"];
  if (instance) {
    progress(`Sampling up to ${options.sample} identity store users and Okta's users`);
    const sample = await part("directory sample", () =>
      sampleDirectories(instance.identityStore, instance.identityStoreId, clients.okta, options.sample),
    );
    if (sample) {
      userNames = observeUserNameMapping(sample);
      observations.push(observeScimDeactivation(sample));
    }
    progress("Looking for a group member to ask ListAccountAssignmentsForPrincipal about");
    const inherited = await part("inherited assignments", () =>
      observeInheritedReadOnly(instance, settings.maxGroups ?? 100),
    );
    if (inherited) observations.push(inherited);
    progress("Reading deployed user-reconcile runs for an identitystore error");
    const prefix = await part("Step Functions", () =>
      observeErrorPrefix(regionClients?.sfn as NonNullable<typeof regionClients>["sfn"], {
        ...(options.stage ? { stage: options.stage } : {}),
        maxExecutions: settings.maxExecutions ?? 50,
      }),
    );
    if (prefix) observations.push(prefix);
  }

  progress("Reading a page of Okta's System Log as it is written");
  const logEventNulls: LogEventNullsObservation | undefined = await part("Okta System Log", async () => {
    const page = await clients.oktaHttp.read("GET", "/api/v1/logs?limit=100", z.array(z.unknown()));
    return observeLogEventNulls(page.body);
  });

  let scpQuotas = unverifiedScpQuotas(options.scpQuotas);
  let writes: ProbeReport["writes"];
  const writeOnly = "needs --allow-writes";
  if (!options.allowWrites) {
    if (!observations.some((o) => o.name === "orphanedAssignmentDeletion"))
      observations.push(
        unknown("orphanedAssignmentDeletion", `${writeOnly} (a temporary user and assignment)`),
      );
  } else {
    const prefix = probePrefix(settings.now());
    progress(`Writing: temporary resources named ${prefix} (all removed at the end)`);
    const resources = new TemporaryResources(progress);
    const stopped: string[] = [];
    const step = async (name: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (error) {
        stopped.push(`${name}: ${message(error)}`);
        progress(`  the ${name} write probe stopped: ${message(error)}`);
      }
    };
    try {
      if (instance)
        await step("Identity Center", async () => {
          const result = await probeIdentityCenterWrites({
            instance,
            resources,
            progress,
            name: prefix,
            accountId: options.account as string,
            ...(options.permissionSet ? { permissionSet: options.permissionSet } : {}),
            wait: settings.wait ?? { pollMs: 1000, timeoutMs: 300_000 },
          });
          replace(observations, result.orphaned);
          const readOnly = observations.find((o) => o.name === "listForPrincipalIncludesInherited");
          if (readOnly?.observed === undefined) replace(observations, result.inherited);
        });
      const rootId = organization.rootId;
      if (rootId)
        await step("SCP quota", async () => {
          scpQuotas = await probeScpQuotas({
            organizations: clients.organizations,
            rootId,
            scpEnabled: organization.scpsEnabled ?? false,
            resources,
            progress,
            name: prefix,
          });
        });
    } finally {
      // Runs even if a step threw something unexpected: everything created is removed or listed.
      progress(`Cleaning up ${resources.count} temporary resource(s)`);
      const cleanup = await resources.removeAll();
      writes = { prefix, ...cleanup, ...(stopped.length ? { error: stopped.join("; ") } : {}) };
    }
    if (!observations.some((o) => o.name === "orphanedAssignmentDeletion"))
      observations.push(unknown("orphanedAssignmentDeletion", "the write probe did not get that far"));
  }

  const rootId = organization.rootId;
  const scpHeadroom =
    rootId && organization.scpsEnabled
      ? await part("SCP headroom", () => {
          progress("Counting the SCP headroom in leavers");
          return readScpHeadroom(clients.organizations, rootId, {
            maxPolicyChars: scpQuotas.characters.value,
            maxPoliciesPerTarget: scpQuotas.perTarget.value,
          });
        })
      : undefined;

  const switches = judgeSwitches(observations);
  return {
    probedAt: settings.now().toISOString(),
    where: clients.where,
    mode: options.allowWrites ? "allow-writes" : "read-only",
    identityCenter: {
      regions,
      ...(first
        ? {
            probed: {
              region: first.region,
              instanceArn: first.instanceArn,
              identityStoreId: first.identityStoreId,
            },
          }
        : {}),
    },
    organization,
    ...(userNames ? { userNames } : {}),
    scpQuotas,
    ...(scpHeadroom ? { scpHeadroom } : {}),
    switches,
    okta: { ...(logEventNulls ? { logEventNulls } : {}) },
    localStack: localStackWith(switches),
    ...(writes ? { writes } : {}),
    errors,
  };
}

function replace(observations: SwitchObservation[], next: SwitchObservation): void {
  const index = observations.findIndex((o) => o.name === next.name);
  if (index >= 0) observations[index] = next;
  else observations.push(next);
}
