import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { ChainHead } from "../core/evidence/hash-chain.ts";
import type { StateTable } from "./state-table.ts";

/**
 * The evidence chain's partition of the state table: `record#<sequence>` claims (the truth: each names
 * its record's key, hash and writer), the cached `head`, `writer#<writer key>` pointers, and the
 * manifests' day index and state (daily-manifests.ts).
 */
export const CHAIN = "chain";

/** A sequence as its sort key spells it (zero-padded, so the claims sort in chain order). */
export const pad = (n: number) => String(n).padStart(10, "0");

export async function getChainItem(table: StateTable, sk: string) {
  const result = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: { pk: CHAIN, sk }, ConsistentRead: true }),
  );
  return result.Item;
}

/**
 * The chain's end: the cached `head` item, then the `record#<sequence>` claims after it (a crashed
 * writer may have claimed without moving the head). Claims are the truth: evidence writers may add
 * them but hold no `dynamodb:DeleteItem` on the chain partition.
 */
export async function walkChainHead(table: StateTable): Promise<ChainHead | null> {
  const cached = await getChainItem(table, "head");
  let head: ChainHead | null = cached
    ? { sequence: Number(cached.sequence), hash: String(cached.hash) }
    : null;
  for (;;) {
    const next = await getChainItem(table, `record#${pad(head === null ? 0 : head.sequence + 1)}`);
    if (!next) return head;
    head = { sequence: head === null ? 0 : head.sequence + 1, hash: String(next.hash) };
  }
}
