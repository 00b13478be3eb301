import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { fromIni } from "@aws-sdk/credential-providers";
import { z } from "zod";
import { OktaHttpClient } from "../../adapters/okta/http-client.ts";
import { OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import { OktaAdapter } from "../../adapters/okta.ts";
import { envOktaCredentials, LocalOktaEndpoint, localOktaCredentials } from "../okta-credentials.ts";
import { type ProbeOptions, ProbeOptionsError } from "./probe-options.ts";

/** The clients of one region: Identity Center lives in one region per organization, Step Functions too. */
export interface RegionClients {
  /** The region's name, or `undefined` until the SDK resolves the profile's default. */
  region: string | undefined;
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  sfn: SFNClient;
}

/** Everything the probe talks to, already configured. */
export interface ProbeClients {
  /** Where the probe runs, for the report. */
  where: string;
  regions: RegionClients[];
  organizations: OrganizationsClient;
  okta: OktaAdapter;
  /** Raw reads where the answer's exact shape is the question (the System Log's nulls). */
  oktaHttp: OktaHttpClient;
}

/** The probe reads users, groups and the System Log, and writes nothing in Okta. */
const PROBE_OKTA_SCOPES = [...OKTA_SCOPES.estate, ...OKTA_SCOPES.systemLog];

const LocalEndpoints = z.object({
  okta: LocalOktaEndpoint,
  aws: z.object({ endpoint: z.url(), region: z.string() }),
});

async function localClients(options: ProbeOptions): Promise<ProbeClients> {
  const file = options.endpoints;
  if (!existsSync(file))
    throw new ProbeOptionsError(
      `no --okta-org-url and no ${file}: start the local stack (npm start), or point the probe at a sandbox org with --okta-org-url and AWS credentials (see --help)`,
    );
  const parsed = LocalEndpoints.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success)
    throw new ProbeOptionsError(`${file} is not what npm start writes: ${parsed.error.issues[0]?.message}`);
  const e = parsed.data;
  const aws = {
    endpoint: e.aws.endpoint,
    region: e.aws.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
  return {
    where: `the local stack at ${e.aws.endpoint}`,
    regions: [
      {
        region: e.aws.region,
        ssoAdmin: new SSOAdminClient(aws),
        identityStore: new IdentitystoreClient(aws),
        sfn: new SFNClient(aws),
      },
    ],
    organizations: new OrganizationsClient(aws),
    okta: new OktaAdapter({ orgUrl: e.okta.orgUrl, ...localOktaCredentials(e.okta, PROBE_OKTA_SCOPES) }),
    oktaHttp: new OktaHttpClient({
      orgUrl: e.okta.orgUrl,
      ...localOktaCredentials(e.okta, PROBE_OKTA_SCOPES),
    }),
  };
}

async function realClients(
  options: ProbeOptions,
  env: Record<string, string | undefined>,
): Promise<ProbeClients> {
  const credentials = await envOktaCredentials(
    env,
    PROBE_OKTA_SCOPES,
    options.oktaTokenEnv,
    "a Read-only Administrator is enough for the probe",
  ).catch((error: Error) => {
    throw new ProbeOptionsError(error.message);
  });
  const base = options.profile ? { credentials: fromIni({ profile: options.profile }) } : {};
  const regions = options.regions ?? (options.region ? [options.region] : [undefined]);
  return {
    where: `Okta ${options.oktaOrgUrl} and AWS${options.profile ? ` (profile ${options.profile})` : ""}`,
    regions: regions.map((region) => {
      const config = { ...base, ...(region ? { region } : {}) };
      return {
        region,
        ssoAdmin: new SSOAdminClient(config),
        identityStore: new IdentitystoreClient(config),
        sfn: new SFNClient(config),
      };
    }),
    // Organizations is a global service homed in us-east-1.
    organizations: new OrganizationsClient({ ...base, region: "us-east-1" }),
    okta: new OktaAdapter({ orgUrl: options.oktaOrgUrl ?? "", ...credentials }),
    oktaHttp: new OktaHttpClient({ orgUrl: options.oktaOrgUrl ?? "", ...credentials }),
  };
}

/** The local stack (`npm start`) without --okta-org-url; the sandbox org and AWS credentials with it. */
export function probeClients(
  options: ProbeOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<ProbeClients> {
  return options.oktaOrgUrl ? realClients(options, env) : localClients(options);
}
