import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localClientConfig } from "../emulators/aws-json-server.ts";
import { startLocalDynamoDb } from "./dynamodb-worker.ts";
import type { ConditionalWriteGuard } from "./s3-conditional-writes.ts";
import { type S3Outage, startS3OutageProxy } from "./s3-outage-proxy.ts";
import { startLocalS3rver } from "./s3rver-worker.ts";

/** s3rver's fixed credentials, path-style addressing. */
export function s3ClientConfig(endpoint: string) {
  return {
    ...localClientConfig(endpoint),
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    forcePathStyle: true,
  };
}

export interface StorageServers {
  /** The S3 endpoint clients use: a pass-through proxy in front of s3rver that can take buckets down. */
  s3Endpoint: string;
  dynamoEndpoint: string;
  s3: S3Client;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** The 503 outage switch of a bucket (s3-outage-proxy.ts); DynamoDB stays up. */
  bucketOutage(bucket: string): S3Outage;
  /** S3's conditional writes, enforced in front of s3rver (412 / 409; s3-conditional-writes.ts). */
  conditionalWrites: ConditionalWriteGuard;
  close(): Promise<void>;
}

export interface StorageOptions {
  s3Port: number;
  dynamoPort: number;
  /** Where s3rver keeps objects; a fresh temporary folder by default (removed on close). */
  directory?: string;
  bucket: string;
  /** Further buckets (the workflows' work bucket). */
  extraBuckets?: string[];
  tables: { idempotency: string; state: string };
}

/**
 * The evidence bucket on s3rver (the real S3 protocol; no Object Lock) and the DynamoDB tables
 * (idempotency, state) on dynalite (behind a front that answers what dynalite lacks: PartiQL
 * BatchExecuteStatement INSERTs and TransactWriteItems, dynamodb-frontend.ts), on loopback, created
 * as infra/ creates them. S3 clients reach s3rver through a pass-through proxy whose per-bucket
 * `bucketOutage(bucket)` switch answers 503 SlowDown, and which enforces `If-None-Match: *` as S3
 * does (s3rver would overwrite), for every bucket. dynalite and s3rver each run on a worker thread.
 */
export async function startStorageServers(options: StorageOptions): Promise<StorageServers> {
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), "okta-aws-lifecycle-s3-")));
  // s3rver on a free port (its own thread) behind the outage proxy, which takes the clients' S3 port.
  const s3rver = await startLocalS3rver(directory);
  const s3Proxy = await startS3OutageProxy({ port: options.s3Port, upstream: s3rver.endpoint });
  // dynalite behind a front that answers what it lacks (dynamodb-frontend.ts), on its own thread.
  const dynamoFront = await startLocalDynamoDb(options.dynamoPort);

  const s3Endpoint = s3Proxy.endpoint;
  const dynamoEndpoint = dynamoFront.endpoint;
  const s3 = new S3Client({ ...s3ClientConfig(s3Endpoint), maxAttempts: 3 });
  const dynamo = new DynamoDBClient({ ...localClientConfig(dynamoEndpoint), maxAttempts: 3 });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });

  for (const Bucket of [options.bucket, ...(options.extraBuckets ?? [])])
    await s3.send(new CreateBucketCommand({ Bucket }));
  await dynamo.send(
    new CreateTableCommand({
      TableName: options.tables.idempotency,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await dynamo.send(
    new CreateTableCommand({
      TableName: options.tables.state,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return {
    s3Endpoint,
    dynamoEndpoint,
    s3,
    dynamo,
    doc,
    bucketOutage: (bucket) => s3Proxy.outage(bucket),
    conditionalWrites: s3Proxy.conditionalWrites,
    close: async () => {
      s3.destroy();
      dynamo.destroy();
      await s3Proxy.close();
      await dynamoFront.close();
      await s3rver.close();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
