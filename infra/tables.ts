/**
 * DynamoDB tables, on-demand, with TTL and point-in-time recovery:
 * - idempotency: Powertools Idempotency records keyed `id` (an Okta event id), expiring after 7 days;
 * - state: `pk`/`sk` partitions for the Deny ledger (`deny`), the evidence chain's sequencer (`chain`)
 *   and the System Log cursor (`cursor`). Only items that carry `ttl` expire; chain items never do.
 */
import type { ResourceNames } from "./names.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export function tables(names: ResourceNames) {
  const protect = $app.stage === "prod";
  const idempotency = new sst.aws.Dynamo("IdempotencyTable", {
    fields: { [RUNTIME_CONTRACT.idempotencyTable.partitionKey]: "string" },
    primaryIndex: { hashKey: RUNTIME_CONTRACT.idempotencyTable.partitionKey },
    ttl: RUNTIME_CONTRACT.idempotencyTable.ttlAttribute,
    deletionProtection: protect,
    transform: {
      table: (table) => {
        table.name = names.tables.idempotency;
        table.pointInTimeRecovery = { enabled: true };
      },
    },
  });
  const { partitionKey, sortKey, ttlAttribute } = RUNTIME_CONTRACT.stateTable;
  const state = new sst.aws.Dynamo("StateTable", {
    fields: { [partitionKey]: "string", [sortKey]: "string" },
    primaryIndex: { hashKey: partitionKey, rangeKey: sortKey },
    ttl: ttlAttribute,
    deletionProtection: protect,
    transform: {
      table: (table) => {
        table.name = names.tables.state;
        table.pointInTimeRecovery = { enabled: true };
      },
    },
  });
  return { idempotency, state };
}

export type Tables = ReturnType<typeof tables>;
