import { gunzipSync, gzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { canonicalize } from "../core/evidence/canonical-json.ts";
import { appendToChain, type ChainHead, sha256Hex } from "../core/evidence/hash-chain.ts";
import type { EvidenceDraft, EvidenceRecord } from "../core/evidence/record.ts";
import type { StateTable } from "./state-table.ts";

/** Where a record landed in the bucket and the chain. */
export interface StoredEvidence {
  key: string;
  sequence: number;
  hash: string;
}

/** Thrown when the record could not be stored; the workflow retries it and then fails loudly. */
export class EvidenceWriteError extends Error {
  override name = "DependencyUnavailableError";
}

const CHAIN = "chain";
/** DynamoDB items hold at most 400 KB; keep the compressed body in the claim only below this. */
const MAX_CLAIMED_BODY_BYTES = 300_000;

/**
 * The gzipped record kept with its chain claim, so a retried write stores exactly the record the
 * chain already links to. A record too large for an item (a huge snapshot) is not kept: if its S3
 * write never succeeds, `evidence verify` reports the gap at its sequence.
 */
function recoverableBody(body: string): { body?: Uint8Array } {
  const zipped = gzipSync(body);
  return zipped.byteLength <= MAX_CLAIMED_BODY_BYTES ? { body: zipped } : {};
}
const pad = (n: number) => String(n).padStart(10, "0");

/** `v1/runs/YYYY/MM/DD/<HHMMSSmmm>-<recordId>.json`: by kind and date, so auditors can list a period. */
export function evidenceKey(record: Pick<EvidenceRecord, "kind" | "createdAt" | "recordId">): string {
  const [date = "", time = ""] = record.createdAt.split("T");
  const folder = record.kind === "snapshot" ? "snapshots" : "runs";
  return `v1/${folder}/${date.replaceAll("-", "/")}/${time.replace(/[:.Z]/g, "")}-${record.recordId}.json`;
}

/** Reads the evidence bucket: what auditors and the CLI need (no write access). */
export class EvidenceBucket {
  protected readonly s3: S3Client;
  protected readonly bucket: string;

  constructor(options: { s3: S3Client; bucket: string }) {
    this.s3 = options.s3;
    this.bucket = options.bucket;
  }

  async get(key: string): Promise<string> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await object.Body?.transformToString("utf8")) ?? "";
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }),
      );
      keys.push(...(page.Contents ?? []).flatMap((c) => (c.Key ? [c.Key] : [])));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return keys.sort();
  }
}

/**
 * Appends evidence records to the hash chain and stores each as canonical JSON in the evidence
 * bucket. The chain is sequenced in DynamoDB: a record claims `record#<sequence>` with a conditional
 * write, so concurrent runs never fork the chain; a retried write (same `writerKey`) stores the record
 * it already claimed instead of appending a second one.
 */
export class EvidenceStore extends EvidenceBucket {
  private readonly table: StateTable;

  constructor(options: { s3: S3Client; bucket: string; table: StateTable }) {
    super(options);
    this.table = options.table;
  }

  async append(draft: EvidenceDraft, writerKey: string): Promise<StoredEvidence> {
    try {
      const claimed = (await this.findClaim(writerKey)) ?? (await this.claim(draft, writerKey));
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: claimed.key,
          Body: claimed.body,
          ContentType: "application/json",
          Metadata: { sha256: claimed.hash, sequence: String(claimed.sequence) },
        }),
      );
      return { key: claimed.key, sequence: claimed.sequence, hash: claimed.hash };
    } catch (error) {
      throw new EvidenceWriteError(
        `evidence record for ${writerKey} was not stored: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  private async getItem(sk: string) {
    const result = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: { pk: CHAIN, sk } }),
    );
    return result.Item;
  }

  private async findClaim(writerKey: string) {
    const writer = await this.getItem(`writer#${writerKey}`);
    if (!writer) return null;
    const item = await this.getItem(`record#${pad(Number(writer.sequence))}`);
    if (!item?.body) return null; // a record too large to keep in its claim: the retry appends anew
    return {
      key: String(item.key),
      body: gunzipSync(item.body as Uint8Array).toString("utf8"),
      hash: String(item.hash),
      sequence: Number(writer.sequence),
    };
  }

  private async claim(draft: EvidenceDraft, writerKey: string) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const head = await this.head();
      const { record, head: next } = appendToChain(head, draft);
      const body = canonicalize(record);
      const key = evidenceKey(record);
      try {
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: {
              pk: CHAIN,
              sk: `record#${pad(next.sequence)}`,
              key,
              hash: sha256Hex(body),
              writerKey,
              ...recoverableBody(body),
            },
            ConditionExpression: "attribute_not_exists(sk)",
          }),
        );
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") continue; // another run took it
        throw error;
      }
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { pk: CHAIN, sk: `writer#${writerKey}`, sequence: next.sequence },
        }),
      );
      await this.table.doc
        .send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: { pk: CHAIN, sk: "head" },
            UpdateExpression: "SET #s = :s, #h = :h",
            ConditionExpression: "attribute_not_exists(#s) OR #s < :s",
            ExpressionAttributeNames: { "#s": "sequence", "#h": "hash" },
            ExpressionAttributeValues: { ":s": next.sequence, ":h": next.hash },
          }),
        )
        .catch(() => undefined); // a later record already moved the head: fine
      return { key, body, hash: next.hash, sequence: next.sequence };
    }
    throw new Error("could not claim a chain position after 50 attempts");
  }

  /** The chain's end, helping a crashed writer's claim along: the claimed records are the truth. */
  private async head(): Promise<ChainHead | null> {
    const cached = await this.getItem("head");
    let head: ChainHead | null = cached
      ? { sequence: Number(cached.sequence), hash: String(cached.hash) }
      : null;
    for (;;) {
      const next = await this.getItem(`record#${pad(head === null ? 0 : head.sequence + 1)}`);
      if (!next) return head;
      head = { sequence: head === null ? 0 : head.sequence + 1, hash: String(next.hash) };
    }
  }
}
