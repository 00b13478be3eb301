import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { paginateListInstances, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { fromIni } from "@aws-sdk/credential-providers";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { EvidenceStore } from "../adapters/evidence-store.ts";
import { PermissionSetContentAdapter } from "../adapters/identity-center/permission-set-content.ts";
import { IdentityCenterAdapter } from "../adapters/identity-center.ts";
import { LocalEvidenceSigner } from "../adapters/local-evidence-signer.ts";
import { OKTA_SCOPES } from "../adapters/okta/scopes.ts";
import { OktaAdapter } from "../adapters/okta.ts";
import { OrganizationsAdapter } from "../adapters/organizations.ts";
import type { StateTable } from "../adapters/state-table.ts";
import type { ThrottleBudget } from "../usecases/reconcile-estate/throttle-budget.ts";
import { allItems } from "./aws-pages.ts";
import { envOktaCredentials, LocalOktaEndpoint, localOktaCredentials } from "./okta-credentials.ts";
import { type RevocationScpSlotSource, revocationScpSlotSource } from "./revocation-scp-slot-source.ts";
import type { ScpQuotas } from "./scp-quota-flags.ts";

/** Thrown when the command cannot tell where Okta and AWS are, or they refuse the credentials. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
}

/** How a command reaches Okta and AWS: the running local stack, or real services. */
export interface ConnectOptions {
  /** `.local/endpoints.json` of a running `npm start` (used when no --okta-org-url is given). */
  endpoints?: string;
  oktaOrgUrl?: string;
  /** Environment variable holding the Okta API token. @default OKTA_API_TOKEN */
  oktaTokenEnv?: string;
  profile?: string;
  region?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** DynamoDB state table (Deny ledger, evidence chain); without it Denies are read as none and nothing is recorded. */
  stateTable?: string;
  evidenceBucket?: string;
  /** The revocation SCP slots, comma-separated (the deploy output revocationScpIds). */
  revocationScpIds?: string;
  /** `sst deploy`'s outputs, read for revocationScpIds when no flag gives them. @default .sst/outputs.json */
  outputs?: string;
  /** The organization's SCP quotas (--scp-max-chars, --scp-max-per-target). @default 5120 and 5 */
  scpQuotas?: ScpQuotas;
}

const LocalEndpoints = z.object({
  okta: LocalOktaEndpoint,
  aws: z.object({ endpoint: z.url(), region: z.string() }),
  evidence: z.object({
    bucket: z.string(),
    endpoint: z.url(),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    signingPrivateKeyPem: z.string().optional(),
  }),
  dynamodb: z.object({ endpoint: z.url(), tables: z.object({ state: z.string() }) }),
  managementAccountId: z.string().optional(),
  revocationScpIds: z.array(z.string()).optional(),
});

const DeployOutputs = z.object({ revocationScpIds: z.string().optional() });

export interface Connection {
  where: string;
  okta: OktaAdapter;
  organizations: OrganizationsAdapter;
  identityCenter: IdentityCenterAdapter;
  /** What permission sets are: read and written for sets the policy declares content for. */
  permissionSetContent: PermissionSetContentAdapter;
  instanceArn: string;
  identityStoreId: string;
  table: StateTable | undefined;
  evidence: EvidenceStore | undefined;
  /** The revocation SCP slots to write: the deploy's ids, or found by name (cli/revocation-scp-slot-source.ts). */
  revocationScps: RevocationScpSlotSource;
}

/** The deploy's revocationScpIds from its outputs file, when there is one. */
async function deployedScpIds(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  const parsed = DeployOutputs.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new ConnectionError(`${file}: revocationScpIds is not a string of policy ids`);
  return parsed.data.revocationScpIds;
}

async function identityCenterIds(ssoAdmin: SSOAdminClient, options: ConnectOptions) {
  if (options.instanceArn && options.identityStoreId)
    return { instanceArn: options.instanceArn, identityStoreId: options.identityStoreId };
  const instances = await allItems(paginateListInstances({ client: ssoAdmin }, {}), (p) => p.Instances);
  const instance = instances[0];
  if (!instance?.InstanceArn || !instance.IdentityStoreId || instances.length > 1) {
    throw new ConnectionError(
      instances.length > 1
        ? "several Identity Center instances: pass --instance-arn and --identity-store-id"
        : "no IAM Identity Center instance found: run in the Identity Center administration account and region, or pass --instance-arn and --identity-store-id",
    );
  }
  return { instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
}

/** Builds the adapters a command needs, validating every input first. */
export async function connect(options: ConnectOptions, budget?: ThrottleBudget): Promise<Connection> {
  const pace = (client: SSOAdminClient) => (budget ? budget.pace(client) : client);
  if (!options.oktaOrgUrl) {
    const file = options.endpoints ?? ".local/endpoints.json";
    if (!existsSync(file)) {
      throw new ConnectionError(
        `no --okta-org-url and no ${file}: start the local stack (npm start) or point at real Okta and AWS (see --help)`,
      );
    }
    const parsed = LocalEndpoints.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success)
      throw new ConnectionError(
        `${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
      );
    const e = parsed.data;
    const aws = {
      endpoint: e.aws.endpoint,
      region: e.aws.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    };
    const ssoAdmin = pace(new SSOAdminClient(aws));
    const ids = await identityCenterIds(ssoAdmin, options);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: e.dynamodb.endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const table = { doc, tableName: e.dynamodb.tables.state };
    const s3 = new S3Client({
      endpoint: e.evidence.endpoint,
      region: e.aws.region,
      forcePathStyle: true,
      credentials: { accessKeyId: e.evidence.accessKeyId, secretAccessKey: e.evidence.secretAccessKey },
    });
    return {
      where: `the local stack at ${e.aws.endpoint}`,
      revocationScps: revocationScpSlotSource([
        { value: options.revocationScpIds, from: "--revocation-scp-ids" },
        { value: e.revocationScpIds, from: `revocationScpIds in ${file}` },
      ]),
      okta: new OktaAdapter({ orgUrl: e.okta.orgUrl, ...localOktaCredentials(e.okta, OKTA_SCOPES.estate) }),
      organizations: new OrganizationsAdapter({ client: new OrganizationsClient(aws), ...options.scpQuotas }),
      identityCenter: new IdentityCenterAdapter({
        ssoAdmin,
        identityStore: new IdentitystoreClient(aws),
        ...ids,
      }),
      permissionSetContent: new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ids.instanceArn }),
      ...ids,
      table,
      evidence: new EvidenceStore({
        s3,
        bucket: e.evidence.bucket,
        table,
        // Sign the day's manifest with the stack's key, as the stack's own runs do.
        ...(e.evidence.signingPrivateKeyPem
          ? { signer: LocalEvidenceSigner.fromPrivateKeyPem(e.evidence.signingPrivateKeyPem) }
          : {}),
      }),
    };
  }
  const tokenEnv = options.oktaTokenEnv ?? "OKTA_API_TOKEN";
  const credentials = await envOktaCredentials(
    process.env,
    OKTA_SCOPES.estate,
    tokenEnv,
    "a Read-only Administrator is enough for plan",
  ).catch((error: Error) => {
    throw new ConnectionError(error.message);
  });
  const aws = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { credentials: fromIni({ profile: options.profile }) } : {}),
  };
  const ssoAdmin = pace(new SSOAdminClient(aws));
  const ids = await identityCenterIds(ssoAdmin, options);
  const table = options.stateTable
    ? {
        doc: DynamoDBDocumentClient.from(new DynamoDBClient(aws), {
          marshallOptions: { removeUndefinedValues: true },
        }),
        tableName: options.stateTable,
      }
    : undefined;
  const outputs = options.outputs ?? ".sst/outputs.json";
  return {
    where: `Okta ${options.oktaOrgUrl} and AWS${options.profile ? ` (profile ${options.profile})` : ""}`,
    revocationScps: revocationScpSlotSource([
      { value: options.revocationScpIds, from: "--revocation-scp-ids" },
      { value: await deployedScpIds(outputs), from: `revocationScpIds in ${outputs}` },
    ]),
    okta: new OktaAdapter({ orgUrl: options.oktaOrgUrl, ...credentials }),
    // Organizations is a global service homed in us-east-1.
    organizations: new OrganizationsAdapter({
      client: new OrganizationsClient({ ...aws, region: "us-east-1" }),
      ...options.scpQuotas,
    }),
    identityCenter: new IdentityCenterAdapter({
      ssoAdmin,
      identityStore: new IdentitystoreClient(aws),
      ...ids,
    }),
    permissionSetContent: new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ids.instanceArn }),
    ...ids,
    table,
    evidence:
      table && options.evidenceBucket
        ? new EvidenceStore({ s3: new S3Client(aws), bucket: options.evidenceBucket, table })
        : undefined,
  };
}
