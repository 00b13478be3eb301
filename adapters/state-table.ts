import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * The product's state table (DynamoDB, `pk` + `sk` strings): the Deny ledger, the evidence chain's
 * sequencer, and (later) the System Log cursor. Idempotency records live in their own Powertools table.
 */
export interface StateTable {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/** Key schema of the state table, for infra and the local stack's table creation. */
export const STATE_TABLE_KEYS = { partitionKey: "pk", sortKey: "sk" } as const;
