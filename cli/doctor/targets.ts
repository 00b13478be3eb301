import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { paginateListInstances, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import { DEFAULT_HOOK_NAME, OktaEventHooks } from "../../adapters/okta-event-hooks.ts";
import { TOPOLOGIES } from "../../core/topology.ts";
import { firstItem } from "../aws-pages.ts";
import { envOktaCredentials, LocalOktaEndpoint, localOktaCredentials } from "../okta-credentials.ts";
import { revocationScpSlotSource } from "../revocation-scp-slot-source.ts";
import { parseScpQuotaFlags, type ScpQuotaFlags } from "../scp-quota-flags.ts";
import { parseS3PolicyLocation } from "./policy-events-check.ts";
import { policySource } from "./policy-source.ts";
import type { DoctorTargets } from "./run-doctor.ts";

/** Thrown when the doctor cannot tell what to check (no local stack, no deployment outputs). */
export class DoctorTargetError extends Error {
  override name = "DoctorTargetError";
}

export interface DoctorOptions extends ScpQuotaFlags {
  /** `.local/endpoints.json` of `npm start`; used when no --okta-org-url is given. */
  endpoints: string;
  oktaOrgUrl?: string;
  /** @default OKTA_API_TOKEN */
  oktaTokenEnv: string;
  /** `sst deploy`'s outputs (hookUrl, stateTable, evidenceBucket, instanceArn, identityStoreId). */
  outputs: string;
  region?: string;
  hookName: string;
  hookUrl?: string;
  stateTable?: string;
  evidenceBucket?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** The deployment's `OAL_POLICY` as `s3://bucket/key` or `file:path` (default: policyLocation from the outputs). */
  policy?: string;
  /** @default 5 */
  pollMinutes: number;
  /** The revocation SCP slots, comma-separated (default: revocationScpIds from the outputs). */
  revocationScpIds?: string;
}

export const DEFAULT_DOCTOR_OPTIONS = {
  endpoints: ".local/endpoints.json",
  oktaTokenEnv: "OKTA_API_TOKEN",
  outputs: ".sst/outputs.json",
  hookName: DEFAULT_HOOK_NAME,
  pollMinutes: 5,
} as const;

const LocalEndpoints = z.object({
  hook: z.object({ url: z.url() }),
  okta: LocalOktaEndpoint,
  aws: z.object({ endpoint: z.url(), region: z.string() }),
  evidence: z.object({
    bucket: z.string(),
    endpoint: z.url(),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
  }),
  dynamodb: z.object({ endpoint: z.url(), tables: z.object({ state: z.string() }) }),
  /** The local stack's topology (local/stack/local-topology.ts); absent: an older stack, the management account. */
  topology: z
    .object({
      topology: z.enum(TOPOLOGIES),
      credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string() }),
      managementComponent: z.object({ roleArn: z.string(), externalId: z.string() }).optional(),
    })
    .optional(),
  revocationScpIds: z.array(z.string()).optional(),
});

const SstOutputs = z
  .object({
    hookUrl: z.string(),
    stateTable: z.string(),
    evidenceBucket: z.string(),
    instanceArn: z.string(),
    identityStoreId: z.string(),
    policyLocation: z.string(),
    /** The slots the deploy created, comma-separated (infra/lifecycle-stack.ts). */
    revocationScpIds: z.string(),
    /** Where the stack runs, and its management component (infra/lifecycle-stack.ts). */
    topology: z.enum(TOPOLOGIES),
    managementComponentRoleArn: z.string(),
    managementComponentExternalId: z.string(),
    managementComponentRoleName: z.string(),
    managementComponentRolePath: z.string(),
  })
  .partial();

const now = () => new Date().toISOString();

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new DoctorTargetError(`${file} is not readable JSON: ${(error as Error).message}`);
  }
}

/** The local stack (`npm start`): every emulator and store from its endpoints file. */
async function localTargets(
  options: DoctorOptions,
  env: Record<string, string | undefined>,
): Promise<DoctorTargets> {
  if (!existsSync(options.endpoints)) {
    throw new DoctorTargetError(
      `no --okta-org-url and no ${options.endpoints}: start the local stack (npm start), or point the doctor at a deployment (see --help)`,
    );
  }
  const parsed = LocalEndpoints.safeParse(await readJson(options.endpoints));
  if (!parsed.success) {
    throw new DoctorTargetError(
      `${options.endpoints} is not what npm start writes: ${parsed.error.issues[0]?.message}`,
    );
  }
  const e = parsed.data;
  const aws = {
    endpoint: e.aws.endpoint,
    region: e.aws.region,
    // As the stack's functions sign: the management account's key, or the delegated administrator's.
    credentials: e.topology?.credentials ?? { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  };
  const ssoAdmin = new SSOAdminClient(aws);
  const instance = await firstItem(paginateListInstances({ client: ssoAdmin }, {}), (p) => p.Instances);
  if (!instance?.InstanceArn || !instance.IdentityStoreId)
    throw new DoctorTargetError("the local stack has no Identity Center instance");
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: e.dynamodb.endpoint }));
  const s3 = new S3Client({
    endpoint: e.evidence.endpoint,
    region: e.aws.region,
    forcePathStyle: true,
    credentials: { accessKeyId: e.evidence.accessKeyId, secretAccessKey: e.evidence.secretAccessKey },
    maxAttempts: 1,
  });
  return {
    where: `the local stack (${e.aws.endpoint})`,
    hook: {
      hooks: new OktaEventHooks({
        orgUrl: e.okta.orgUrl,
        ...localOktaCredentials(e.okta, OKTA_SCOPES.doctor),
      }),
      name: options.hookName,
      expectedUrl: options.hookUrl ?? e.hook.url,
      fetch: globalThis.fetch,
    },
    identityCenter: {
      ssoAdmin,
      identityStore: new IdentitystoreClient(aws),
      instanceArn: instance.InstanceArn,
      identityStoreId: instance.IdentityStoreId,
    },
    scps: {
      organizations: new OrganizationsClient(aws),
      ledger: new DenyLedger({ doc, tableName: e.dynamodb.tables.state }),
      slots: revocationScpSlotSource([
        { value: options.revocationScpIds, from: "--revocation-scp-ids" },
        { value: e.revocationScpIds, from: `revocationScpIds in ${options.endpoints}` },
      ]),
      quotas: parseScpQuotaFlags(options, env),
      now,
    },
    evidence: { s3, bucket: e.evidence.bucket },
    // npm start writes its policy next to the endpoints file; without one there is nothing to compare.
    ...(options.policy !== undefined || existsSync(join(dirname(options.endpoints), "policy.yaml"))
      ? {
          abac: {
            ssoAdmin,
            instanceArn: instance.InstanceArn,
            readPolicy: policySource(options.policy ?? join(dirname(options.endpoints), "policy.yaml"), s3),
          },
        }
      : {}),
    poller: { doc, stateTable: e.dynamodb.tables.state, pollMinutes: options.pollMinutes, now },
    topology: {
      sts: new STSClient(aws),
      organizations: new OrganizationsClient(aws),
      ...(e.topology ? { deployed: e.topology.topology } : {}),
      ...(e.topology?.managementComponent ? { component: e.topology.managementComponent } : {}),
      instanceArn: instance.InstanceArn,
    },
  };
}

/** A deployment: Okta from --okta-org-url and the token variable, AWS from the default credential chain. */
async function deployedTargets(
  options: DoctorOptions,
  env: Record<string, string | undefined>,
): Promise<DoctorTargets> {
  const credentials = await envOktaCredentials(
    env,
    OKTA_SCOPES.doctor,
    options.oktaTokenEnv,
    "a Read-only Administrator is enough",
  ).catch((error: Error) => {
    throw new DoctorTargetError(error.message);
  });
  const outputs = existsSync(options.outputs) ? SstOutputs.safeParse(await readJson(options.outputs)) : null;
  const fromOutputs = outputs?.success ? outputs.data : {};
  const need = (flag: string, value: string | undefined) => {
    if (value === undefined || value === "") {
      throw new DoctorTargetError(
        `pass --${flag} (or run after \`npx sst deploy\`, which writes ${options.outputs})`,
      );
    }
    return value;
  };
  const aws = { ...(options.region ? { region: options.region } : {}) };
  const stateTable = need("state-table", options.stateTable ?? fromOutputs.stateTable);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(aws));
  const hookUrl = options.hookUrl ?? fromOutputs.hookUrl;
  const s3 = new S3Client(aws);
  const policyObject = parseS3PolicyLocation(options.policy ?? fromOutputs.policyLocation ?? "");
  return {
    where: `Okta ${options.oktaOrgUrl} and AWS${options.region ? ` (${options.region})` : ""}`,
    hook: {
      hooks: new OktaEventHooks({ orgUrl: need("okta-org-url", options.oktaOrgUrl), ...credentials }),
      name: options.hookName,
      ...(hookUrl ? { expectedUrl: hookUrl } : {}),
      fetch: globalThis.fetch,
    },
    identityCenter: {
      ssoAdmin: new SSOAdminClient(aws),
      identityStore: new IdentitystoreClient(aws),
      instanceArn: need("instance-arn", options.instanceArn ?? fromOutputs.instanceArn),
      identityStoreId: need("identity-store-id", options.identityStoreId ?? fromOutputs.identityStoreId),
    },
    // Organizations is a global service; the SDK signs for its home region.
    scps: {
      organizations: new OrganizationsClient(aws),
      ledger: new DenyLedger({ doc, tableName: stateTable }),
      slots: revocationScpSlotSource([
        { value: options.revocationScpIds, from: "--revocation-scp-ids" },
        { value: fromOutputs.revocationScpIds, from: `revocationScpIds in ${options.outputs}` },
      ]),
      quotas: parseScpQuotaFlags(options, env),
      now,
    },
    evidence: {
      s3,
      bucket: need("evidence-bucket", options.evidenceBucket ?? fromOutputs.evidenceBucket),
    },
    poller: { doc, stateTable, pollMinutes: options.pollMinutes, now },
    ...(policyObject ? { policyEvents: { s3, ...policyObject } } : {}),
    ...((options.policy ?? fromOutputs.policyLocation)
      ? {
          abac: {
            ssoAdmin: new SSOAdminClient(aws),
            instanceArn: need("instance-arn", options.instanceArn ?? fromOutputs.instanceArn),
            readPolicy: policySource(options.policy ?? fromOutputs.policyLocation, s3),
          },
        }
      : {}),
    topology: {
      sts: new STSClient(aws),
      organizations: new OrganizationsClient(aws),
      ...(fromOutputs.topology ? { deployed: fromOutputs.topology } : {}),
      ...(fromOutputs.managementComponentRoleArn && fromOutputs.managementComponentExternalId
        ? {
            component: {
              roleArn: fromOutputs.managementComponentRoleArn,
              externalId: fromOutputs.managementComponentExternalId,
              ...(fromOutputs.managementComponentRoleName
                ? { roleName: fromOutputs.managementComponentRoleName }
                : {}),
              ...(fromOutputs.managementComponentRolePath
                ? { rolePath: fromOutputs.managementComponentRolePath }
                : {}),
            },
          }
        : {}),
      ...(fromOutputs.instanceArn || options.instanceArn
        ? { instanceArn: options.instanceArn ?? fromOutputs.instanceArn }
        : {}),
    },
  };
}

/** What to check: the deployment when --okta-org-url is given, otherwise the running local stack. */
export function resolveDoctorTargets(
  options: DoctorOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<DoctorTargets> {
  return options.oktaOrgUrl ? deployedTargets(options, env) : localTargets(options, env);
}
