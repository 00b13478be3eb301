import { setTimeout as sleep } from "node:timers/promises";
import {
  type CreateAccountStatus,
  DescribeCreateAccountStatusCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";

/**
 * Polls DescribeCreateAccountStatus until a CreateAccount leaves IN_PROGRESS, as a caller of AWS must
 * (CreateAccount is asynchronous); returns the final status.
 */
export async function createdAccount(
  client: OrganizationsClient,
  requestId: string | undefined,
  timeoutMs = 5_000,
): Promise<CreateAccountStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { CreateAccountStatus: status } = await client.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: requestId }),
    );
    if (status !== undefined && status.State !== "IN_PROGRESS") return status;
    if (Date.now() > deadline) throw new Error(`CreateAccount ${requestId} stayed IN_PROGRESS`);
    await sleep(5);
  }
}
