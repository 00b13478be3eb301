import { readFile } from "node:fs/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ChainHeadReader, type ChainHeadSource, EvidenceBucket } from "../adapters/evidence-store.ts";
import { KmsEvidenceSigner } from "../adapters/kms-evidence-signer.ts";

/** Thrown when the command cannot tell where the evidence is or which public key to trust. */
export class EvidenceSourceError extends Error {
  override name = "EvidenceSourceError";
}

/** Where `evidence` commands read from: the running local stack, or a real bucket. */
export interface EvidenceSourceOptions {
  /** `.local/endpoints.json` of a running `npm start` (used when no `bucket` is given). */
  endpoints: string;
  /** A real evidence bucket (the standard AWS credential chain, or `profile`). */
  bucket?: string;
  profile?: string;
  region?: string;
  /** An S3-compatible endpoint for `bucket` (path-style addressing), such as a MinIO or s3rver. */
  s3Endpoint?: string;
  /** PEM files of the public keys to trust for manifest signatures. */
  publicKeys?: string[];
  /** A KMS signing key whose public key to trust (read with `GetPublicKey`). */
  kmsKeyId?: string;
  /** The state table whose chain head `evidence verify` checks the bucket against (with `bucket`). */
  stateTable?: string;
}

export interface EvidenceSource {
  bucket: EvidenceBucket;
  /** Where the evidence is, for people: `s3://bucket` and the endpoint when not AWS. */
  where: string;
  /** The trusted public keys (PEM); empty when none was given or found. */
  publicKeysPem: string[];
  /** Where the chain head kept in DynamoDB is read; absent without a state table. */
  chainHead?: ChainHeadSource;
}

/** The parts of `.local/endpoints.json` (written by `npm start`) the evidence commands use. */
const LocalEndpoints = z.object({
  aws: z.object({ region: z.string() }),
  evidence: z.object({
    bucket: z.string(),
    endpoint: z.url(),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    signing: z.object({ keyId: z.string(), publicKeyPem: z.string() }).optional(),
  }),
  dynamodb: z.object({ endpoint: z.url(), tables: z.object({ state: z.string() }) }).optional(),
});

function chainHeadOf(client: DynamoDBClient, tableName: string): ChainHeadSource {
  const doc = DynamoDBDocumentClient.from(client);
  return new ChainHeadReader({ doc, tableName });
}

async function readKeys(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map((file) =>
      readFile(file, "utf8").catch(() => {
        throw new EvidenceSourceError(`cannot read the public key file ${file}`);
      }),
    ),
  );
}

/** Connects to the evidence bucket the options name (see `EvidenceSourceOptions`). */
export async function openEvidenceSource(options: EvidenceSourceOptions): Promise<EvidenceSource> {
  const given = await readKeys(options.publicKeys ?? []);
  // Reads are idempotent: a long export rides out S3's occasional 500/503 with a few more retries.
  const aws = {
    maxAttempts: 6,
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  if (options.kmsKeyId) {
    const signer = new KmsEvidenceSigner({ kms: new KMSClient(aws), keyId: options.kmsKeyId });
    given.push(await signer.publicKeyPem());
  }
  if (options.bucket) {
    const s3 = new S3Client({
      ...aws,
      ...(options.s3Endpoint ? { endpoint: options.s3Endpoint, forcePathStyle: true } : {}),
    });
    return {
      bucket: new EvidenceBucket({ s3, bucket: options.bucket }),
      where: `s3://${options.bucket}${options.s3Endpoint ? ` at ${options.s3Endpoint}` : ""}`,
      publicKeysPem: given,
      ...(options.stateTable ? { chainHead: chainHeadOf(new DynamoDBClient(aws), options.stateTable) } : {}),
    };
  }
  let text: string;
  try {
    text = await readFile(options.endpoints, "utf8");
  } catch {
    throw new EvidenceSourceError(
      `no --bucket and no ${options.endpoints}: start the local stack (npm start) or name the evidence bucket with --bucket`,
    );
  }
  const parsed = LocalEndpoints.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new EvidenceSourceError(
      `${options.endpoints} is not what \`npm start\` writes: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
    );
  }
  const e = parsed.data;
  const s3 = new S3Client({
    maxAttempts: 6,
    endpoint: e.evidence.endpoint,
    region: e.aws.region,
    forcePathStyle: true,
    credentials: { accessKeyId: e.evidence.accessKeyId, secretAccessKey: e.evidence.secretAccessKey },
  });
  return {
    bucket: new EvidenceBucket({ s3, bucket: e.evidence.bucket }),
    where: `s3://${e.evidence.bucket} at ${e.evidence.endpoint} (local stack)`,
    publicKeysPem: given.length > 0 || !e.evidence.signing ? given : [e.evidence.signing.publicKeyPem],
    ...(e.dynamodb
      ? {
          chainHead: chainHeadOf(
            new DynamoDBClient({
              maxAttempts: 6,
              endpoint: e.dynamodb.endpoint,
              region: e.aws.region,
              credentials: { accessKeyId: "local", secretAccessKey: "local" },
            }),
            e.dynamodb.tables.state,
          ),
        }
      : {}),
  };
}
