import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { canonicalize } from "../core/evidence/canonical-json.ts";
import { sha256Hex } from "../core/evidence/hash-chain.ts";
import { type Day, dayOfManifestKey, MANIFEST_PREFIX, manifestKey } from "../core/evidence/layout.ts";
import {
  buildDailyManifest,
  type DailyManifest,
  type ManifestRecord,
  signedManifestText,
  signManifest,
} from "../core/evidence/manifest.ts";
import type { EvidenceSigner } from "../core/ports.ts";
import { listKeys } from "./list-keys.ts";
import type { StateTable } from "./state-table.ts";

/** A stored record, as the day's index keeps it for the manifest. */
export interface DayIndexEntry extends ManifestRecord {
  /** The record's own `previousHash`: the manifest's link to the record before the day's first. */
  previousHash: string | null;
}

/** A manifest as written. */
export interface WrittenManifest {
  key: string;
  manifest: DailyManifest;
  /** SHA-256 of the stored manifest file (what the next day's manifest links to). */
  sha256: string;
}

/** Thrown when a day's manifest could not be written; the evidence write fails and is retried. */
export class ManifestWriteError extends Error {
  override name = "DependencyUnavailableError";
}

/** The evidence chain's partition of the state table (the sequencer's claims live there too). */
const CHAIN = "chain";
/** Rounds of "write, then check nothing changed underneath" before giving up (the workflow retries). */
const MAX_ROUNDS = 20;
const pad = (n: number) => String(n).padStart(10, "0");

/**
 * Writes the signed daily manifests (v1/chain/YYYY/MM/DD.json) from the writer's own knowledge of what
 * it stored, never from reading records back: a day index in the state table (`chain` partition,
 * `day#YYYY-MM-DD#<sequence>`) that the evidence store fills before it stores each record.
 *
 * Robust to concurrent writers without locks: a writer builds the manifest from the index, signs and
 * stores it, then reads the index and the previous day's manifest again; if either changed meanwhile
 * it writes again. So the last manifest stored is always one whose writer saw nothing change after
 * storing it: it lists every record indexed before then, and every record indexed later is followed by
 * its own writer's manifest. When a past day's manifest changes (a retried write that straddled
 * midnight), the next day's manifest is rewritten to link to it.
 */
export class DailyManifests {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #table: StateTable;
  readonly #signer: EvidenceSigner | undefined;
  readonly #now: () => string;
  /** Per day: the write that has not started yet (later callers join it), and the one running. */
  readonly #scheduled = new Map<Day, Promise<WrittenManifest | null>>();
  readonly #running = new Map<Day, Promise<unknown>>();

  constructor(options: {
    s3: S3Client;
    bucket: string;
    table: StateTable;
    /** Without a signer, records are still indexed, but no manifest can be written. */
    signer?: EvidenceSigner;
    /** @default the system clock */
    now?: () => string;
  }) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#table = options.table;
    this.#signer = options.signer;
    this.#now = options.now ?? (() => new Date().toISOString());
  }

  /** Whether manifests can be written (a signer is configured). */
  get signs(): boolean {
    return this.#signer !== undefined;
  }

  /** Adds a stored record to its day's index (idempotent: a retried write puts the same item). */
  async index(day: Day, entry: DayIndexEntry): Promise<void> {
    await this.#table.doc.send(
      new PutCommand({
        TableName: this.#table.tableName,
        Item: { pk: CHAIN, sk: `day#${day}#${pad(entry.sequence)}`, ...entry },
      }),
    );
  }

  /**
   * Writes (or refreshes) the signed manifest of `day`, then relinks later days whose manifests no
   * longer point at the one before them. Returns the day's manifest, or `null` for a day with no record.
   * @throws ManifestWriteError when the manifest keeps changing underneath (the caller retries).
   */
  writeDailyManifest(day: Day): Promise<WrittenManifest | null> {
    // One write per day at a time in this process (concurrent appends of a day share the next one:
    // it reads the index after they indexed). Across processes the check-after-write loop converges.
    const scheduled = this.#scheduled.get(day);
    if (scheduled) return scheduled;
    const next = (this.#running.get(day) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.#scheduled.delete(day);
        const run = this.#write(day);
        this.#running.set(day, run);
        run
          .catch(() => undefined)
          .finally(() => {
            if (this.#running.get(day) === run) this.#running.delete(day);
          });
        return run;
      });
    this.#scheduled.set(day, next);
    return next;
  }

  async #write(day: Day): Promise<WrittenManifest | null> {
    const written = await this.#settle(day);
    let previous = written;
    while (previous !== null) {
      const next = await this.#successorNeedingRelink(previous);
      previous = next === null ? null : await this.#settle(next);
    }
    return written;
  }

  async #settle(day: Day): Promise<WrittenManifest | null> {
    const signer = this.#signer;
    if (signer === undefined)
      throw new ManifestWriteError(`no signer: the manifest of ${day} cannot be signed`);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const entries = await this.#entries(day);
      const first = entries[0];
      if (first === undefined) return null;
      const previousManifest = await this.#previousManifest(day);
      const manifest = buildDailyManifest({
        date: day,
        generatedAt: this.#now(),
        records: entries,
        firstPreviousHash: first.previousHash,
        previousManifest,
      });
      const text = signedManifestText(await signManifest(manifest, signer));
      const key = manifestKey(day);
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: text,
          ContentType: "application/json",
          Metadata: { sha256: sha256Hex(text), "signing-key": signer.keyId },
        }),
      );
      const [after, previousAfter] = await Promise.all([this.#entries(day), this.#previousManifest(day)]);
      if (after.length === entries.length && same(previousAfter, previousManifest)) {
        return { key, manifest, sha256: sha256Hex(text) };
      }
    }
    throw new ManifestWriteError(`the manifest of ${day} kept changing during ${MAX_ROUNDS} rounds`);
  }

  /** The day's indexed records in sequence order (strongly consistent: the check above relies on it). */
  async #entries(day: Day): Promise<DayIndexEntry[]> {
    const entries: DayIndexEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#table.doc.send(
        new QueryCommand({
          TableName: this.#table.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :day)",
          ExpressionAttributeValues: { ":pk": CHAIN, ":day": `day#${day}#` },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        entries.push({
          key: String(item.key),
          sequence: Number(item.sequence),
          sha256: String(item.sha256),
          previousHash: typeof item.previousHash === "string" ? item.previousHash : null,
        });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return entries.sort((a, b) => a.sequence - b.sequence);
  }

  async #manifestDays(): Promise<Day[]> {
    const keys = await listKeys(this.#s3, this.#bucket, MANIFEST_PREFIX);
    return keys.flatMap((key) => {
      const day = dayOfManifestKey(key);
      return day === null ? [] : [day];
    });
  }

  async #manifestText(day: Day): Promise<string> {
    const object = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: manifestKey(day) }));
    return (await object.Body?.transformToString("utf8")) ?? "";
  }

  /** The latest manifest before `day`, as the link the next manifest carries. */
  async #previousManifest(day: Day): Promise<{ date: Day; sha256: string } | null> {
    const previous = (await this.#manifestDays()).filter((d) => d < day).at(-1);
    if (previous === undefined) return null;
    return { date: previous, sha256: fileHash(await this.#manifestText(previous)) };
  }

  /** The first later day whose manifest does not link to `written`, if any. */
  async #successorNeedingRelink(written: WrittenManifest): Promise<Day | null> {
    const next = (await this.#manifestDays()).find((d) => d > written.manifest.date);
    if (next === undefined) return null;
    let link: DailyManifest["previousManifest"] | undefined;
    try {
      link = (JSON.parse(await this.#manifestText(next)) as { manifest?: DailyManifest }).manifest
        ?.previousManifest;
    } catch {
      // Unreadable: rewritten from the index like any stale successor.
    }
    return link?.date === written.manifest.date && link.sha256 === written.sha256 ? null : next;
  }
}

/** The hash of a stored manifest: of its canonical JSON (its text as written), whatever its spacing. */
function fileHash(text: string): string {
  try {
    return sha256Hex(canonicalize(JSON.parse(text)));
  } catch {
    return sha256Hex(text);
  }
}

function same(a: { date: Day; sha256: string } | null, b: { date: Day; sha256: string } | null): boolean {
  return a?.date === b?.date && a?.sha256 === b?.sha256;
}
