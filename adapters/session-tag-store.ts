import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { StateTable } from "./state-table.ts";

const PK = "session-tags";

/**
 * The session-tag attribute values each user run last saw, so the next run can tell whether an
 * attribute that flows into session tags (ABAC) changed: the Okta event rarely says what changed.
 */
export class SessionTagStore {
  private readonly table: StateTable;
  constructor(table: StateTable) {
    this.table = table;
  }

  async get(oktaUserId: string): Promise<Record<string, string | null> | undefined> {
    const out = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: { pk: PK, sk: oktaUserId } }),
    );
    return out.Item?.tags as Record<string, string | null> | undefined;
  }

  async put(oktaUserId: string, tags: Record<string, string | null>): Promise<void> {
    await this.table.doc.send(
      new PutCommand({ TableName: this.table.tableName, Item: { pk: PK, sk: oktaUserId, tags } }),
    );
  }
}
