/**
 * Dead-letter queues: one per asynchronous path (bus rule or schedule -> function or state machine),
 * holding what EventBridge could not deliver and what the function still failed after Lambda's async
 * retries. A queue that takes rules' dead letters (`forEventBridgeRule`) gets the queue policy
 * infra/permissions.ts lists for it, admitting exactly those rules; schedules send through their role.
 * Kept 14 days (the SQS maximum), encrypted; infra/alarms.ts alarms on any message in one.
 */
import { deadLetterQueuePolicies, type PermissionFacts, resourcePolicyDocument } from "./permissions.ts";

/** Thrown when a queue is said to take a rule's dead letters but infra/permissions.ts has no policy for it. */
export class MissingQueuePolicyError extends Error {
  override name = "MissingQueuePolicyError";
}

export function deadLetterQueue(
  id: string,
  name: string,
  facts: $util.Output<PermissionFacts>,
  options: { forEventBridgeRule: boolean },
) {
  const queue = new aws.sqs.Queue(id, {
    name,
    messageRetentionSeconds: 14 * 86_400,
    sqsManagedSseEnabled: true,
  });
  if (options.forEventBridgeRule) {
    new aws.sqs.QueuePolicy(`${id}Policy`, {
      queueUrl: queue.url,
      policy: facts.apply((f) => {
        const grant = deadLetterQueuePolicies(f)[name];
        if (grant === undefined) throw new MissingQueuePolicyError(`no queue policy for ${name}`);
        return JSON.stringify(resourcePolicyDocument(grant));
      }),
    });
  }
  return queue;
}

/**
 * Lambda's own asynchronous invocation settings: two retries, then the event goes to the DLQ (the
 * function's role may send to it, infra/permissions.ts).
 */
export function asyncFailureDestination(id: string, fn: sst.aws.Function, queue: aws.sqs.Queue) {
  return new aws.lambda.FunctionEventInvokeConfig(id, {
    functionName: fn.name,
    maximumRetryAttempts: 2,
    maximumEventAgeInSeconds: 6 * 3600,
    destinationConfig: { onFailure: { destination: queue.arn } },
  });
}
