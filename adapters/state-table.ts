import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

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

/**
 * Every item of one partition, following LastEvaluatedKey (a Query page holds at most 1 MB);
 * `onPage` sees each page, for callers that count their round trips. `consistent` asks for a
 * strongly consistent read (DynamoDB Query's ConsistentRead), for readers that must see every write
 * that finished before they started.
 */
export async function queryPartition(
  table: StateTable,
  pk: string,
  onPage: () => void = () => {},
  consistent = false,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ...(consistent ? { ConsistentRead: true } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    onPage();
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
