import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { DenyEntry } from "../core/estate.ts";
import { queryPartition, type StateTable } from "./state-table.ts";

const PK = "deny";
/** The ledger's change counter lives outside the Deny partition, so listing Denies never sees it. */
const SEQUENCE_KEY = { pk: "revocation", sk: "ledger-sequence" };

const denyEntrySchema = z.object({
  userId: z.string().min(1),
  scope: z.union([
    z.literal("all"),
    z.object({ permissionSetName: z.string(), accountIds: z.array(z.string()) }),
  ]),
  issuedBefore: z.string().optional(),
  reason: z.enum(["leaver", "mover", "attribute-change", "compromise", "federated-sessions"]),
  createdAt: z.string(),
  expiresAt: z.string(),
  federated: z
    .object({
      sessionName: z.string().optional(),
      sourceIdentity: z.string().optional(),
      roleArns: z.array(z.string()).optional(),
    })
    .optional(),
});

/** A Deny in the ledger, with the id that lifts it. */
export interface LedgerDeny {
  denyId: string;
  deny: DenyEntry;
}

/**
 * The Deny ledger: the Denies the tool has put in force, with their expiry. SCPs and inline
 * policies are rendered from it, so the ledger (not the policy text) is the source of truth.
 * A writer that changes it then `advance`s its sequence: a rendering that read the sequence before
 * listing the ledger holds every change made up to that number (usecases/reconcile-user/enforce-denies.ts).
 */
export class DenyLedger {
  private readonly table: StateTable;
  constructor(table: StateTable) {
    this.table = table;
  }

  /** Every Deny recorded, read consistently: a rendering must hold each change made before it listed. */
  async list(): Promise<LedgerDeny[]> {
    const items = await queryPartition(this.table, PK, () => {}, true);
    return items.map((item) => ({
      denyId: String(item.sk),
      deny: denyEntrySchema.parse(item.deny) as DenyEntry,
    }));
  }

  /** Adds a Deny; the same entry added twice keeps one record (the id is derived from it). */
  async add(deny: DenyEntry): Promise<string> {
    const scope =
      deny.scope === "all" ? "all" : `${deny.scope.permissionSetName}:${deny.scope.accountIds.join(",")}`;
    const denyId = `${deny.userId}#${deny.reason}#${scope}#${deny.createdAt}`;
    await this.table.doc.send(
      new PutCommand({ TableName: this.table.tableName, Item: { pk: PK, sk: denyId, deny } }),
    );
    return denyId;
  }

  async remove(denyId: string): Promise<void> {
    await this.table.doc.send(
      new DeleteCommand({ TableName: this.table.tableName, Key: { pk: PK, sk: denyId } }),
    );
  }

  /** Marks the changes this writer made: returns the ledger's new sequence number (an atomic counter). */
  async advance(): Promise<number> {
    const { Attributes } = await this.table.doc.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: SEQUENCE_KEY,
        UpdateExpression: "ADD #seq :one",
        ExpressionAttributeNames: { "#seq": "seq" },
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return z.number().int().parse(Attributes?.seq);
  }

  /** The ledger's sequence number now (0 before any change was marked). */
  async sequence(): Promise<number> {
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: SEQUENCE_KEY, ConsistentRead: true }),
    );
    return Item === undefined ? 0 : z.number().int().parse(Item.seq);
  }
}
