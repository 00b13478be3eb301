import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type TriggerEvent, triggerEventSchema } from "../core/evidence/record.ts";
import type { StateTable } from "./state-table.ts";

const PK = "coalesced";
/** Kept a week: far longer than any run waits, short enough to keep the partition small. */
const TTL_SECONDS = 7 * 86_400;

/**
 * The events dispatch folded into a user's waiting (trailing) run. The run's input names only the
 * event that started it; the others are recorded here, keyed by run name, so the run's evidence names
 * every event it answered (issue 8: every accepted event is accounted for in evidence).
 */
export class CoalescedEvents {
  private readonly table: StateTable;
  private readonly now: () => number;
  constructor(table: StateTable, now: () => number = Date.now) {
    this.table = table;
    this.now = now;
  }

  /** Records that `event` was folded into the run `runName` (idempotent per event). */
  async record(runName: string, event: TriggerEvent): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          pk: PK,
          sk: `${runName}#${event.oktaEventId}`,
          event,
          ttl: Math.floor(this.now() / 1000) + TTL_SECONDS,
        },
      }),
    );
  }

  /** The events folded into `runName`, in event-id order. */
  async list(runName: string): Promise<TriggerEvent[]> {
    const events: TriggerEvent[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :run)",
          ExpressionAttributeValues: { ":pk": PK, ":run": `${runName}#` },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(triggerEventSchema.parse(item.event));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return events;
  }
}
