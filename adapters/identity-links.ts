import { BatchWriteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { queryPartition, type StateTable } from "./state-table.ts";

const PK = "identity-link";

/** Which Identity Center user an Okta user id was found to be, when Okta's own answer backed it. */
export interface IdentityLink {
  oktaUserId: string;
  identityCenterUserId: string;
  /** The Okta login when the link was made (for evidence; never used to find anyone). */
  oktaLogin: string;
  linkedAt: string;
}

const BATCH_WRITE_MAX = 25;
type BatchWriteRequests = ConstructorParameters<typeof BatchWriteCommand>[0]["RequestItems"] extends
  | Record<string, infer R>
  | undefined
  ? R
  : never;

const itemOf = (link: IdentityLink) => ({
  pk: PK,
  sk: link.oktaUserId,
  identityCenterUserId: link.identityCenterUserId,
  oktaLogin: link.oktaLogin,
  linkedAt: link.linkedAt,
});

const linkSchema = z.object({
  sk: z.string().min(1),
  identityCenterUserId: z.string().min(1),
  oktaLogin: z.string(),
  linkedAt: z.string(),
});

/**
 * The pipeline's record of Okta user id -> Identity Center user id (state table, `identity-link`
 * partition). Written only by a run that read the user from Okta and found their Identity Center user,
 * so it is the one trustworthy way to find whom a deleted Okta user was: Okta answers 404 for them, and
 * an event's login must never choose whom to revoke (issue 12).
 */
export class IdentityLinks {
  private readonly table: StateTable;
  constructor(table: StateTable) {
    this.table = table;
  }

  async get(oktaUserId: string): Promise<IdentityLink | null> {
    const out = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: { pk: PK, sk: oktaUserId } }),
    );
    if (out.Item === undefined) return null;
    const item = linkSchema.parse(out.Item);
    return {
      oktaUserId: item.sk,
      identityCenterUserId: item.identityCenterUserId,
      oktaLogin: item.oktaLogin,
      linkedAt: item.linkedAt,
    };
  }

  /** Every link, one Query page per MB (estate runs compare before they write). */
  async list(): Promise<IdentityLink[]> {
    const items = await queryPartition(this.table, PK, () => this.calls.query++);
    return items.map((raw) => {
      const item = linkSchema.parse(raw);
      return {
        oktaUserId: item.sk,
        identityCenterUserId: item.identityCenterUserId,
        oktaLogin: item.oktaLogin,
        linkedAt: item.linkedAt,
      };
    });
  }

  /**
   * Writes links in BatchWriteItem requests of 25 (DynamoDB's per-request maximum), retrying what
   * DynamoDB leaves unprocessed with backoff (DynamoDB developer guide, BatchWriteItem).
   */
  async putMany(links: readonly IdentityLink[]): Promise<void> {
    for (let i = 0; i < links.length; i += BATCH_WRITE_MAX) {
      let requests: NonNullable<BatchWriteRequests> = links.slice(i, i + BATCH_WRITE_MAX).map((link) => ({
        PutRequest: { Item: itemOf(link) },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error(`identity links: ${requests.length} write(s) stayed unprocessed`);
        const out = await this.table.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.table.tableName]: requests } }),
        );
        this.calls.batchWrite++;
        requests = out.UnprocessedItems?.[this.table.tableName] ?? [];
      }
    }
  }

  /** DynamoDB requests made by list and putMany (estate runs report them). */
  readonly calls = { query: 0, batchWrite: 0 };

  async put(link: IdentityLink): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: itemOf(link),
      }),
    );
  }
}
