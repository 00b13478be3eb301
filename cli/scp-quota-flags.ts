import type { Command } from "commander";
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "../core/revocation/shard-scps.ts";

/**
 * `--scp-max-chars` / `--scp-max-per-target`: the organization's SCP quotas for the commands that fit
 * revocation SCPs (doctor, reconcile, probe), the CLI's names for a deploy's OAL_SCP_MAX_CHARS and
 * OAL_SCP_MAX_PER_TARGET (infra/parameters.ts, same bounds). AWS's quota page says 5,120 characters
 * and 5 SCPs per target; secondary sources date a raise to 10,240 and 10 in 2026 (issue 17).
 */
export interface ScpQuotaFlags {
  scpMaxChars?: string | number;
  scpMaxPerTarget?: string | number;
}

/** What the adapters and checks take (OrganizationsAdapter, doctor's SCP check). */
export interface ScpQuotas {
  maxPolicyChars: number;
  maxPoliciesPerTarget: number;
}

/** Thrown for a quota that cannot be right; the message names the flag (or variable) and the fix. */
export class ScpQuotaFlagError extends Error {
  override name = "ScpQuotaFlagError";
}

export function addScpQuotaFlags(command: Command): Command {
  return command
    .option(
      "--scp-max-chars <n>",
      `characters per SCP, the organization's quota (default: OAL_SCP_MAX_CHARS, else ${SCP_MAX_CHARS})`,
    )
    .option(
      "--scp-max-per-target <n>",
      `SCPs per target, the organization's quota (default: OAL_SCP_MAX_PER_TARGET, else ${SCP_MAX_PER_TARGET})`,
    );
}

const BOUNDS = {
  chars: { min: 1000, max: 10_240 },
  perTarget: { min: 2, max: 10 },
} as const;

function quota(
  value: string | number | undefined,
  names: { flag: string; env: string },
  envValue: string | undefined,
  bounds: { min: number; max: number },
  fallback: number,
): number {
  const [raw, from] = value !== undefined ? [value, names.flag] : [envValue, names.env];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < bounds.min || n > bounds.max)
    throw new ScpQuotaFlagError(
      `${from}: "${raw}" is not a whole number between ${bounds.min} and ${bounds.max}: ` +
        `use the organization's quota (${from === names.flag ? "the probe's --allow-writes measures it" : "or drop the variable for the default"})`,
    );
  return n;
}

/** Flags first, then the deploy's variables, then AWS's published defaults. */
export function parseScpQuotaFlags(
  flags: ScpQuotaFlags,
  env: Record<string, string | undefined> = process.env,
): ScpQuotas {
  return {
    maxPolicyChars: quota(
      flags.scpMaxChars,
      { flag: "--scp-max-chars", env: "OAL_SCP_MAX_CHARS" },
      env.OAL_SCP_MAX_CHARS,
      BOUNDS.chars,
      SCP_MAX_CHARS,
    ),
    // At least 2: FullAWSAccess takes one place, a revocation SCP needs another.
    maxPoliciesPerTarget: quota(
      flags.scpMaxPerTarget,
      { flag: "--scp-max-per-target", env: "OAL_SCP_MAX_PER_TARGET" },
      env.OAL_SCP_MAX_PER_TARGET,
      BOUNDS.perTarget,
      SCP_MAX_PER_TARGET,
    ),
  };
}
