/**
 * Settings of the evidence storage, read once at deploy time and validated (fail fast, no silent
 * fallback to a default when a value is given but wrong).
 */
export interface EvidenceSettings {
  /**
   * Object Lock default retention in COMPLIANCE mode, in days: nobody (root included) can delete or
   * overwrite a locked object version, or shorten its retention, until it expires.
   * @default 400 (a 12-month SOC 2 Type II window plus a margin for the audit fieldwork)
   */
  retentionDays: number;
  /**
   * How long the S3 server access logs of the evidence bucket are kept, in days.
   * @default the retention of the evidence itself
   */
  accessLogDays: number;
}

/** The default Object Lock retention, in days. */
export const DEFAULT_EVIDENCE_RETENTION_DAYS = 400;

/** Thrown at deploy time when an evidence setting is not a whole number of days in range. */
export class EvidenceSettingsError extends Error {
  override name = "EvidenceSettingsError";
}

function days(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  // S3 accepts 1 to 36,500 days (100 years) of default retention.
  if (!Number.isInteger(value) || value < 1 || value > 36_500) {
    throw new EvidenceSettingsError(`${name} must be a whole number of days from 1 to 36500, got "${raw}"`);
  }
  return value;
}

/**
 * Reads `EVIDENCE_RETENTION_DAYS` and `EVIDENCE_ACCESS_LOG_DAYS` (for example from `.env` or the CI
 * environment of `sst deploy`).
 * @throws EvidenceSettingsError for a value that is not a whole number of days from 1 to 36500.
 */
export function readEvidenceSettings(env: Record<string, string | undefined>): EvidenceSettings {
  const retentionDays = days(
    "EVIDENCE_RETENTION_DAYS",
    env.EVIDENCE_RETENTION_DAYS,
    DEFAULT_EVIDENCE_RETENTION_DAYS,
  );
  return {
    retentionDays,
    accessLogDays: days("EVIDENCE_ACCESS_LOG_DAYS", env.EVIDENCE_ACCESS_LOG_DAYS, retentionDays),
  };
}
