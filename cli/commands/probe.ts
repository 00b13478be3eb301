import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { probeClients } from "../probe/probe-clients.ts";
import {
  DEFAULT_PROBE_OPTIONS,
  type ProbeCommandOptions,
  ProbeOptionsError,
  parseProbeOptions,
} from "../probe/probe-options.ts";
import { formatProbeReport, type ProbeReport } from "../probe/probe-report.ts";
import { type ProbeRunSettings, runProbe } from "../probe/run-probe.ts";
import { addScpQuotaFlags } from "../scp-quota-flags.ts";

/** The default output file: `probe-<yyyy-mm-dd>.json` in the working directory. */
export const defaultProbeOut = (at: Date) => `probe-${at.toISOString().slice(0, 10)}.json`;

/**
 * `okta-aws-lifecycle probe`: asks a sandbox org what AWS leaves undocumented, writes the answers as
 * JSON and prints them as a table. Exit 1 on bad options or when a temporary resource was left behind.
 */
export async function probe(
  commandOptions: ProbeCommandOptions,
  settings: Partial<ProbeRunSettings> & { env?: Record<string, string | undefined> } = {},
): Promise<{ stdout: string; stderr: string; exitCode: number; report?: ProbeReport; outFile?: string }> {
  let stderr = "";
  const progress =
    settings.progress ??
    ((line: string) => {
      stderr += `${line}\n`;
    });
  const now = settings.now ?? (() => new Date());
  try {
    const options = parseProbeOptions(commandOptions, settings.env ?? process.env);
    const clients = await probeClients(options, settings.env ?? process.env);
    const report = await runProbe(clients, options, { ...settings, progress, now });
    const outFile = options.out ?? defaultProbeOut(now());
    await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
    const left = report.writes?.leftovers.filter((l) => !l.reason.startsWith("AWS refuses")).length ?? 0;
    return {
      stdout: formatProbeReport(report, outFile),
      stderr,
      exitCode: left > 0 ? 1 : 0,
      report,
      outFile,
    };
  } catch (error) {
    const e = error as Error;
    const known = e instanceof ProbeOptionsError;
    return {
      stdout: "",
      stderr: `${stderr}probe: ${known ? e.message : `${e.name}: ${e.message}`}\n`,
      exitCode: 1,
    };
  }
}

export function registerProbe(program: Command): void {
  const command = program
    .command("probe")
    .description(
      "Ask a SANDBOX AWS organization and Okta preview org what AWS leaves undocumented (each emulator behaviour switch), the SCP quotas, Identity Center instances and SCIM user names; read-only unless --allow-writes.",
    )
    .option("--okta-org-url <url>", "the Okta org to compare with; without it, the local stack (npm start)")
    .option(
      "--okta-token-env <name>",
      "environment variable holding the Okta API token",
      DEFAULT_PROBE_OPTIONS.oktaTokenEnv,
    )
    .option("--profile <name>", "AWS profile (default: the standard credential chain)")
    .option("--region <region>", "Identity Center's region (default: the profile's)")
    .option("--regions <list>", "comma-separated regions to look for Identity Center instances in")
    .option("--stage <stage>", "the SST stage deployed here (finds its user-reconcile state machine)")
    .option("--sample <n>", "identity store users to compare with Okta", String(DEFAULT_PROBE_OPTIONS.sample))
    .option(
      "--allow-writes",
      "create temporary oal-probe-<timestamp> resources (user, group, assignment, SCPs, an empty OU), observe, and remove them",
    )
    .option(
      "--account <id>",
      "with --allow-writes: the sandbox account that receives the temporary assignment",
    )
    .option(
      "--permission-set <name-or-arn>",
      "with --allow-writes: the permission set to assign (default: one already provisioned to --account)",
    )
    .option("--out <file>", "where to write the JSON report (default: probe-<date>.json)")
    .option("--endpoints <file>", "the local stack's endpoints file", DEFAULT_PROBE_OPTIONS.endpoints);
  addScpQuotaFlags(command).action(async (options: ProbeCommandOptions) => {
    const result = await probe(options, { progress: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  });
}
