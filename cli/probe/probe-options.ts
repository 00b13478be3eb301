import { z } from "zod";
import { parseScpQuotaFlags, type ScpQuotaFlags, type ScpQuotas } from "../scp-quota-flags.ts";

/** Thrown for a probe option that cannot work; the message names the option and the fix. */
export class ProbeOptionsError extends Error {
  override name = "ProbeOptionsError";
}

/** The options of `okta-aws-lifecycle probe`, as commander hands them over. */
export interface ProbeCommandOptions extends ScpQuotaFlags {
  oktaOrgUrl?: string;
  oktaTokenEnv: string;
  profile?: string;
  region?: string;
  /** Comma-separated regions to look for Identity Center instances in. */
  regions?: string;
  endpoints: string;
  out?: string;
  allowWrites?: boolean;
  account?: string;
  permissionSet?: string;
  stage?: string;
  sample: string | number;
}

export const DEFAULT_PROBE_OPTIONS = {
  endpoints: ".local/endpoints.json",
  oktaTokenEnv: "OKTA_API_TOKEN",
  sample: 1000,
} as const;

const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1");

const ProbeOptionsSchema = z
  .object({
    oktaOrgUrl: z.url("--okta-org-url must be the org's https URL").optional(),
    oktaTokenEnv: z.string().min(1),
    profile: z.string().min(1).optional(),
    region: Region.optional(),
    regions: z.array(Region).min(1).optional(),
    endpoints: z.string().min(1),
    out: z.string().min(1).optional(),
    allowWrites: z.boolean(),
    account: z
      .string()
      .regex(/^\d{12}$/, "--account must be a 12-digit AWS account id")
      .optional(),
    permissionSet: z.string().min(1).optional(),
    stage: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, "--stage is the SST stage you deployed (lower-case, digits, dashes)")
      .optional(),
    sample: z.coerce
      .number()
      .int()
      .min(1, "--sample must be at least 1")
      .max(10_000, "--sample is at most 10000"),
  })
  .superRefine((o, ctx) => {
    if (o.allowWrites && o.account === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["account"],
        message:
          "--allow-writes needs --account <12-digit id>: the sandbox account that receives the temporary assignment",
      });
  });

export type ProbeOptions = z.output<typeof ProbeOptionsSchema> & {
  /** --scp-max-chars / --scp-max-per-target (or the deploy's variables), when given. */
  scpQuotas?: Partial<ScpQuotas>;
};

/** Validates the command's options; the first problem becomes a ProbeOptionsError naming the option. */
export function parseProbeOptions(
  options: ProbeCommandOptions,
  env: Record<string, string | undefined> = process.env,
): ProbeOptions {
  const parsed = ProbeOptionsSchema.safeParse({
    ...options,
    allowWrites: options.allowWrites ?? false,
    regions: options.regions
      ?.split(",")
      .map((r) => r.trim())
      .filter(Boolean),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    const flag = `--${path.split(".")[0]?.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const message = issue?.message ?? "invalid";
    throw new ProbeOptionsError(message.startsWith("--") ? message : `${flag}: ${message}`);
  }
  let quotas: ScpQuotas;
  try {
    quotas = parseScpQuotaFlags(options, env);
  } catch (error) {
    throw new ProbeOptionsError((error as Error).message);
  }
  // Only what was given: an unset quota stays the probe's own (published default, or measured).
  const given = {
    ...(options.scpMaxChars !== undefined || env.OAL_SCP_MAX_CHARS
      ? { maxPolicyChars: quotas.maxPolicyChars }
      : {}),
    ...(options.scpMaxPerTarget !== undefined || env.OAL_SCP_MAX_PER_TARGET
      ? { maxPoliciesPerTarget: quotas.maxPoliciesPerTarget }
      : {}),
  };
  return { ...parsed.data, ...(Object.keys(given).length > 0 ? { scpQuotas: given } : {}) };
}
