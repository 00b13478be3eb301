import type { AwsBehaviourSwitches } from "../../local/emulators/aws-behaviour-switches.ts";
import type { RegionScan } from "./identity-center-instances.ts";
import type { LogEventNullsObservation } from "./okta-log-event-nulls.ts";
import type { ScpHeadroom } from "./scp-headroom.ts";
import type { ScpQuotas } from "./scp-quotas.ts";
import { behaviourFlag, type SwitchVerdict } from "./switch-observation.ts";
import type { Leftover } from "./temporary-resources.ts";
import type { UserNameMappingObservation } from "./user-name-mapping.ts";

/** Everything one probe run found: written as JSON (`--out`) and printed as a table. */
export interface ProbeReport {
  probedAt: string;
  where: string;
  mode: "read-only" | "allow-writes";
  identityCenter: {
    regions: RegionScan[];
    /** The instance the probe read (the first found, or the one named). */
    probed?: { region: string; instanceArn: string; identityStoreId: string };
  };
  organization: { rootId?: string; scpsEnabled?: boolean; error?: string };
  userNames?: UserNameMappingObservation;
  scpQuotas: ScpQuotas;
  /** Leavers whose Denies fit the revocation SCP slots at those quotas (when SCPs are enabled). */
  scpHeadroom?: ScpHeadroom;
  switches: SwitchVerdict[];
  /** Okta answers the spec leaves open (docs/okta-behaviour.md), where a read can tell. */
  okta: { logEventNulls?: LogEventNullsObservation };
  /** The local stack with the org's answers, when any differs from the emulator's defaults. */
  localStack: { npmStart: string; testStack: string };
  /** With --allow-writes: what it created and removed, and what it could not remove. */
  writes?: { prefix: string; removed: string[]; leftovers: Leftover[]; error?: string };
  /** Parts that failed (an error per part); the rest of the report stands. */
  errors: { part: string; error: string }[];
}

/** The flags and the test-stack option that give the local stack this org's observed answers. */
export function localStackWith(switches: readonly SwitchVerdict[]): ProbeReport["localStack"] {
  const differing = switches.filter((s) => s.verdict === "differs");
  const behaviour: Partial<AwsBehaviourSwitches> = Object.fromEntries(
    differing.map((s) => [s.name, s.observed]),
  );
  return {
    npmStart:
      differing.length === 0
        ? "npm start"
        : `npm start -- ${differing.map((s) => behaviourFlag(s.name, s.observed)).join(" ")}`,
    testStack: `startTestStack(secret, { awsBehaviour: ${JSON.stringify(behaviour)} })`,
  };
}

const VERDICT = { matches: "ok", differs: "DIFFERS", unknown: "unknown" } as const;
const show = (value: unknown) => (value === undefined ? "?" : String(value));
const quota = (q: { value: number; verified: boolean; evidence: string }) =>
  `${q.value.toLocaleString("en-US")} (${q.verified ? "verified" : "unverified"}: ${q.evidence})`;

/** The report as people read it. */
export function formatProbeReport(report: ProbeReport, outFile: string): string {
  const lines = [`okta-aws-lifecycle probe: ${report.where} (${report.mode})`, ""];
  lines.push("IAM Identity Center");
  for (const scan of report.identityCenter.regions) {
    if (scan.error) lines.push(`  ${scan.region}  cannot list instances: ${scan.error}`);
    else if (scan.instances.length === 0) lines.push(`  ${scan.region}  no instance`);
    for (const i of scan.instances)
      lines.push(
        `  ${i.region}  ${i.instanceArn}  identity store ${i.identityStoreId}${i.ownerAccountId ? `  owner ${i.ownerAccountId}` : ""}`,
      );
  }
  if (report.userNames) lines.push(`  user names: ${report.userNames.summary}`);
  if (report.userNames?.externalIdIssuers.length)
    lines.push(
      `  external ids: ${report.userNames.externalIdIssuers.map((e) => `${e.oktaIds} user(s) carry their Okta id (issuer ${e.issuer})`).join("; ")}`,
    );
  lines.push("");
  lines.push("Organizations");
  lines.push(
    report.organization.error
      ? `  cannot read the root: ${report.organization.error}`
      : `  root ${report.organization.rootId}: SCPs ${report.organization.scpsEnabled ? "enabled" : "NOT enabled"}`,
  );
  lines.push(`  SCPs per target: ${quota(report.scpQuotas.perTarget)}`);
  lines.push(`  SCP characters:  ${quota(report.scpQuotas.characters)}`);
  const h = report.scpHeadroom;
  if (h)
    lines.push(
      `  headroom: ${h.leavers.toLocaleString("en-US")} leavers' Denies fit in ${h.usableSlots} slot(s) of ` +
        `${h.maxPolicyChars.toLocaleString("en-US")} characters (${h.attachedOnRoot} SCP(s) on the root, ` +
        `${h.toolSlotsAttached} of them the tool's, holding ${h.idsInSlots} id(s); beyond it revocation.massFallback decides)`,
    );
  lines.push("");
  const width = Math.max(...report.switches.map((s) => s.name.length));
  lines.push(`  ${"Switch".padEnd(width)}  ${"Your org".padEnd(14)}  ${"Emulator".padEnd(14)}  Verdict`);
  for (const s of report.switches) {
    lines.push(
      `  ${s.name.padEnd(width)}  ${show(s.observed).padEnd(14)}  ${show(s.emulatorDefault).padEnd(14)}  ${VERDICT[s.verdict].padEnd(7)} ${s.summary}`,
    );
    lines.push(`  ${"".padEnd(width)}  ${s.evidence}`);
  }
  lines.push("");
  lines.push("Okta (docs/okta-behaviour.md)");
  const nulls = report.okta.logEventNulls;
  lines.push(
    nulls
      ? `  logEventNulls  ${show(nulls.observed)}  emulator ${nulls.emulatorDefault}  ${VERDICT[nulls.verdict]}: ${nulls.evidence}`
      : "  logEventNulls  not read (see the errors below)",
  );
  lines.push("");
  lines.push(`Local stack with your org's answers: ${report.localStack.npmStart}`);
  lines.push(`  (tests: ${report.localStack.testStack})`);
  if (report.writes) {
    lines.push("");
    lines.push(
      `Temporary resources (${report.writes.prefix}): ${report.writes.removed.length} removed, ${report.writes.leftovers.length} left`,
    );
    for (const l of report.writes.leftovers) lines.push(`  LEFT ${l.description}: ${l.reason}`);
    if (report.writes.error) lines.push(`  the write probe stopped early: ${report.writes.error}`);
  }
  for (const e of report.errors) lines.push(`ERROR in ${e.part}: ${e.error}`);
  lines.push("");
  lines.push(`Written to ${outFile}.`);
  return `${lines.join("\n")}\n`;
}
