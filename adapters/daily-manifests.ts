import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
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
import { addDays, dayOfInstant } from "../core/evidence/period.ts";
import type { EvidenceSigner } from "../core/ports.ts";
import { CHAIN, getChainItem, pad } from "./evidence-chain-table.ts";
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

/** The item that says which days are closed (see `DailyManifests`). */
const CLOSING = "manifests";
/** Rounds of "write, then check nothing changed underneath" before giving up (the workflow retries). */
const MAX_ROUNDS = 20;
/** The default interval between two manifests of the open day. */
export const DEFAULT_MANIFEST_INTERVAL_MS = 5_000;

/** Which days are closed, as the `manifests` item of the `chain` partition keeps it. */
interface ClosingState {
  /** Every day up to this one is over: each has, or is getting, its closing manifest. */
  closedThrough: Day;
  /** Every day up to this one has its closing manifest written. */
  closedDone: Day;
}

/** What closing the past days did. */
export interface ClosedDays {
  closedThrough: Day;
  /** The days whose closing manifest this call wrote. */
  written: Day[];
}

/**
 * Writes the signed daily manifests (v1/chain/YYYY/MM/DD.json) from the writer's own knowledge of what
 * it stored, never from reading records back: a day index in the state table (`chain` partition,
 * `day#YYYY-MM-DD#<sequence>`) that the evidence store fills before it stores each record.
 *
 * When: a manifest is a signed, Object-Locked version kept for the whole retention, so rewriting the
 * day's manifest on every append (as this did) stored a quadratic amount per day. Now:
 * - while a day is open (not before the writer's clock says today), an append refreshes its manifest
 *   only when the last refresh is `intervalMs` old: a conditional update of `manifest#<day>` elects one
 *   writer per interval across every process. Such a manifest lists what was indexed when it was built;
 *   `evidence verify` reports the open day's later records as not yet covered, not as problems;
 * - once a day is over, it gets one closing manifest that lists every record of the day. The first
 *   append of a later day (an estate run writes evidence at least hourly) or `closePastDays()` closes it.
 *
 * Closing is robust to crashes and to stragglers (a retried write of a record created before midnight)
 * without locks, through the `manifests` item (`closedThrough`, `closedDone`):
 * 1. the closer first advances `closedThrough` (conditional: it only moves forward), then writes each
 *    newly closed day's manifest with check-after-write (below), then advances `closedDone`;
 * 2. every append reads that item after indexing its record: a record of a day up to `closedThrough` is
 *    a straggler, and its writer rewrites the day's manifest itself, at once;
 * 3. any append that finds `closedDone` behind `closedThrough` (a closer crashed, or is still at it)
 *    writes the missing closing manifests too (idempotent), then moves `closedDone`.
 * DynamoDB's strongly consistent reads order these: a straggler indexed before the closer's last read of
 * the index is in the closer's manifest; one indexed after it reads `closedThrough` after the closer
 * advanced it, so it writes the manifest itself.
 *
 * Check-after-write (closing manifests and explicit `writeDailyManifest`): a writer builds the manifest
 * from the index, signs and stores it, then reads the index and the previous day's manifest again; if
 * either changed meanwhile it writes again. So the last closing manifest stored is always one whose
 * writer saw nothing change after storing it: it lists every record indexed before then, and every
 * record indexed later is followed by its own writer's manifest. The open day's refreshes only check
 * the link to the previous manifest (the index of an open day keeps growing under load). When a past
 * day's manifest changes (a straggler), the next day's manifest is rewritten to link to it.
 */
export class DailyManifests {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #table: StateTable;
  readonly #signer: EvidenceSigner | undefined;
  readonly #now: () => string;
  readonly #intervalMs: number;
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
    /** The open day's manifest is refreshed at most this often. @default 5000 */
    manifestIntervalMs?: number;
  }) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#table = options.table;
    this.#signer = options.signer;
    this.#now = options.now ?? (() => new Date().toISOString());
    this.#intervalMs = options.manifestIntervalMs ?? DEFAULT_MANIFEST_INTERVAL_MS;
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
   * After a record of `day` was indexed and stored: closes the days that are over, then writes `day`'s
   * manifest at once if `day` is closed (a straggler), or refreshes it if the last refresh is old enough.
   * Two strongly consistent reads when nothing is due. Returns the manifest written for `day`, if any.
   * @throws ManifestWriteError when a manifest that must be written cannot be (the caller retries).
   */
  async afterAppend(day: Day): Promise<WrittenManifest | null> {
    const now = this.#now();
    const [state, refreshed] = await Promise.all([this.#closingState(now), this.#item(`manifest#${day}`)]);
    const { state: closed, written } = await this.#close(state, addDays(dayOfInstant(now), -1));
    if (day <= closed.closedThrough) {
      // Closed by this very call: its check-after-write read the index after this record was indexed.
      if (written.includes(day)) return null;
      return this.#coalesced(day, closed.closedThrough);
    }
    const due = new Date(Date.parse(now) - this.#intervalMs).toISOString();
    const last = refreshed?.writtenAt;
    if (typeof last === "string" && last > due) return null;
    try {
      await this.#table.doc.send(
        new UpdateCommand({
          TableName: this.#table.tableName,
          Key: { pk: CHAIN, sk: `manifest#${day}` },
          UpdateExpression: "SET writtenAt = :now",
          ConditionExpression: "attribute_not_exists(writtenAt) OR writtenAt <= :due",
          ExpressionAttributeValues: { ":now": now, ":due": due },
        }),
      );
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return null; // another writer's turn
      throw error;
    }
    return this.#write(day, closed.closedThrough);
  }

  /**
   * Writes the closing manifest of every day before today (by the clock) that lacks one; see the class
   * comment. Cheap when there is nothing to close (one read).
   * @throws ManifestWriteError when a closing manifest cannot be written.
   */
  async closePastDays(): Promise<ClosedDays> {
    const now = this.#now();
    const { state, written } = await this.#close(
      await this.#closingState(now),
      addDays(dayOfInstant(now), -1),
    );
    return { closedThrough: state.closedThrough, written };
  }

  /**
   * Writes (or refreshes) the complete signed manifest of `day` (check-after-write), then relinks later
   * days whose manifests no longer point at the one before them. Returns the day's manifest, or `null`
   * for a day with no record.
   * @throws ManifestWriteError when the manifest keeps changing underneath (the caller retries).
   */
  writeDailyManifest(day: Day): Promise<WrittenManifest | null> {
    return this.#coalesced(day, null);
  }

  /** The closing state, created on first use: the days before yesterday were written complete before. */
  async #closingState(now: string): Promise<ClosingState> {
    const item = await this.#item(CLOSING);
    if (item) return { closedThrough: String(item.closedThrough), closedDone: String(item.closedDone) };
    // A chain without the item was written by the writer that sealed every day after each append, or is
    // new: every day before yesterday is complete. Yesterday is closed by the first append that sees it.
    const start = addDays(dayOfInstant(now), -2);
    try {
      await this.#table.doc.send(
        new PutCommand({
          TableName: this.#table.tableName,
          Item: { pk: CHAIN, sk: CLOSING, closedThrough: start, closedDone: start },
          ConditionExpression: "attribute_not_exists(sk)",
        }),
      );
      return { closedThrough: start, closedDone: start };
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      return this.#closingState(now); // another writer created it first
    }
  }

  /** Advances `closedThrough` to `through`, then writes the closing manifests still missing (see above). */
  async #close(state: ClosingState, through: Day): Promise<{ state: ClosingState; written: Day[] }> {
    let current = state;
    if (current.closedThrough < through) {
      const advanced = await this.#advance("closedThrough", through);
      current = advanced ?? { ...current, closedThrough: through };
    }
    if (current.closedDone >= current.closedThrough) return { state: current, written: [] };
    const target = current.closedThrough;
    const days = await this.#daysWithEntries(current.closedDone, target);
    for (const day of days) await this.#coalesced(day, target);
    await this.#advance("closedDone", target);
    return { state: { closedThrough: target, closedDone: target }, written: days };
  }

  /** Moves one of the closing marks forward (never back); returns the state when another moved it further. */
  async #advance(mark: keyof ClosingState, to: Day): Promise<ClosingState | null> {
    try {
      await this.#table.doc.send(
        new UpdateCommand({
          TableName: this.#table.tableName,
          Key: { pk: CHAIN, sk: CLOSING },
          UpdateExpression: "SET #m = :to",
          ConditionExpression: "#m < :to",
          ExpressionAttributeNames: { "#m": mark },
          ExpressionAttributeValues: { ":to": to },
        }),
      );
      return null;
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      const item = await this.#item(CLOSING);
      return { closedThrough: String(item?.closedThrough), closedDone: String(item?.closedDone) };
    }
  }

  /** The days after `after` up to `through` that hold indexed records, in order. */
  async #daysWithEntries(after: Day, through: Day): Promise<Day[]> {
    const days = new Set<Day>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#table.doc.send(
        new QueryCommand({
          TableName: this.#table.tableName,
          KeyConditionExpression: "pk = :pk AND #sk BETWEEN :from AND :to",
          ExpressionAttributeNames: { "#sk": "sk" },
          ExpressionAttributeValues: { ":pk": CHAIN, ":from": `day#${after}#~`, ":to": `day#${through}#~` },
          ProjectionExpression: "#sk",
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) days.add(String(item.sk).slice(4, 14));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return [...days].sort();
  }

  #item(sk: string) {
    return getChainItem(this.#table, sk);
  }

  /**
   * One complete write per day at a time in this process (concurrent callers share the next one: it
   * reads the index after they indexed). Across processes the check-after-write loop converges.
   * `closedThrough`: days after it are open (relinked without the completeness check); `null`: none is.
   */
  #coalesced(day: Day, closedThrough: Day | null): Promise<WrittenManifest | null> {
    const scheduled = this.#scheduled.get(day);
    if (scheduled) return scheduled;
    const next = (this.#running.get(day) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.#scheduled.delete(day);
        const run = this.#write(day, closedThrough);
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

  async #write(day: Day, closedThrough: Day | null): Promise<WrittenManifest | null> {
    const complete = (d: Day) => closedThrough === null || d <= closedThrough;
    const written = await this.#settle(day, complete(day));
    let previous = written;
    while (previous !== null) {
      const next = await this.#successorNeedingRelink(previous);
      previous = next === null ? null : await this.#settle(next, complete(next));
    }
    return written;
  }

  /** Writes the day's manifest; `complete`: until the index did not change while it was written. */
  async #settle(day: Day, complete: boolean): Promise<WrittenManifest | null> {
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
      const [after, previousAfter] = await Promise.all([
        complete ? this.#entries(day) : entries,
        this.#previousManifest(day),
      ]);
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
