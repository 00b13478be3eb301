/**
 * What CloudTrail hands EventBridge for Organizations (a global service: the events arrive on the
 * default bus of us-east-1 in the management account, source `aws.organizations`), in the shapes the
 * Organizations User Guide ("Logging and monitoring in AWS Organizations") shows:
 * - every mutating API call (not `List*` / `Describe*`, which EventBridge does not receive by default)
 *   as detail-type "AWS API Call via CloudTrail": `requestParameters` is the request with camelCase
 *   member names (`{accountId, sourceParentId, destinationParentId}` for MoveAccount, `{resourceId,
 *   tags: [{key, value}]}` for TagResource), a failed call carries `errorCode` / `errorMessage`;
 * - the end of a CreateAccount as the service event "AWS Service Event via CloudTrail", eventName
 *   `CreateAccountResult`, with `serviceEventDetails.createAccountStatus {id, state, accountName,
 *   accountId, requestedTimestamp, completedTimestamp}` (AWS masks the name as `****`).
 * The caller is a fixed IAM user of the management account: the emulator does not see credentials.
 */
import { randomUUID } from "node:crypto";
import type { EventBridgeEvent } from "aws-lambda";
import type { AwsOperation } from "../aws-json-protocol.ts";
import { AwsServiceError } from "../aws-json-protocol.ts";
import type { OperationContext } from "./context.ts";

export const API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail";
export const SERVICE_EVENT_DETAIL_TYPE = "AWS Service Event via CloudTrail";
export const ORGANIZATIONS_EVENT_SOURCE = "organizations.amazonaws.com";

/** An Organizations CloudTrail record as EventBridge delivers it. */
export type CloudTrailEvent = EventBridgeEvent<
  typeof API_CALL_DETAIL_TYPE | typeof SERVICE_EVENT_DETAIL_TYPE,
  Record<string, unknown>
>;

/** Receives every CloudTrail event the emulator's calls produce, synchronously, in call order. */
export type CloudTrailListener = (event: CloudTrailEvent) => void;

/** What CloudTrail masks in a CreateAccount request and status. */
const MASKED = "****";

/** `Tags` -> `tags`, recursively: CloudTrail's member names for JSON-protocol requests. */
export function camelCaseMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseMembers);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key.charAt(0).toLowerCase() + key.slice(1),
      camelCaseMembers(member),
    ]),
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** CloudTrail's timestamp text in `createAccountStatus`: `May 15, 2023 8:26:54 AM` (UTC). */
export function cloudTrailTimestamp(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hours % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

/** EventBridge and CloudTrail times: ISO 8601 to the second. */
const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

const isRead = (operation: string) => /^(List|Describe)/.test(operation);

/** The CreateAccount request and response as CloudTrail records them: name and email masked. */
function maskCreateAccount(
  request: Record<string, unknown>,
  response: unknown,
): { request: unknown; response: unknown } {
  const status = (response as { CreateAccountStatus?: Record<string, unknown> } | undefined)
    ?.CreateAccountStatus;
  return {
    request: { ...request, Email: MASKED, AccountName: MASKED },
    response: status ? { CreateAccountStatus: { ...status, AccountName: MASKED } } : response,
  };
}

/**
 * Wraps the emulator's operations so each mutating call, once answered, produces its CloudTrail event
 * (and a successful CreateAccount its CreateAccountResult) for `listener`.
 */
export function recordInCloudTrail(
  operations: Record<string, AwsOperation>,
  ctx: Pick<OperationContext, "state" | "now" | "onCreateAccountCompleted">,
  listener: CloudTrailListener,
): Record<string, AwsOperation> {
  const { state, now } = ctx;
  const managementAccountId = state.managementAccountId;
  const envelope = (
    detailType: CloudTrailEvent["detail-type"],
    at: number,
    detail: Record<string, unknown>,
  ): CloudTrailEvent => ({
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source: "aws.organizations",
    account: managementAccountId,
    time: isoSeconds(at),
    region: "us-east-1",
    resources: [],
    detail: {
      eventVersion: "1.08",
      ...detail,
      eventID: randomUUID(),
      managementEvent: true,
      recipientAccountId: managementAccountId,
      eventCategory: "Management",
    },
  });

  const apiCall = (
    eventName: string,
    request: unknown,
    outcome: { response: unknown } | { error: AwsServiceError },
  ): CloudTrailEvent => {
    const at = now();
    const response = "response" in outcome ? outcome.response : undefined;
    const responseEmpty =
      response === undefined ||
      (typeof response === "object" && response !== null && Object.keys(response).length === 0);
    return envelope(API_CALL_DETAIL_TYPE, at, {
      userIdentity: {
        type: "IAMUser",
        principalId: "AIDAlocalemulator0001",
        arn: `arn:aws:iam::${managementAccountId}:user/local-admin`,
        accountId: managementAccountId,
        // The dummy key local clients sign with (aws-json-server.ts); never a key-shaped value.
        accessKeyId: "local",
        userName: "local-admin",
      },
      eventTime: isoSeconds(at),
      eventSource: ORGANIZATIONS_EVENT_SOURCE,
      eventName,
      awsRegion: "us-east-1",
      sourceIPAddress: "127.0.0.1",
      userAgent: "aws-sdk-js/3 (okta-aws-lifecycle local Organizations emulator)",
      ...("error" in outcome ? { errorCode: outcome.error.type, errorMessage: outcome.error.message } : {}),
      requestParameters: camelCaseMembers(request),
      responseElements: responseEmpty ? null : camelCaseMembers(response),
      requestID: randomUUID(),
      readOnly: false,
      eventType: "AwsApiCall",
    });
  };

  const createAccountResult = (status: Record<string, unknown>): CloudTrailEvent => {
    const at = now();
    const seconds = (value: unknown) => cloudTrailTimestamp(Number(value) * 1000);
    return envelope(SERVICE_EVENT_DETAIL_TYPE, at, {
      userIdentity: { accountId: managementAccountId, invokedBy: "AWS Internal" },
      eventTime: isoSeconds(at),
      eventSource: ORGANIZATIONS_EVENT_SOURCE,
      eventName: "CreateAccountResult",
      awsRegion: "us-east-1",
      sourceIPAddress: "AWS Internal",
      userAgent: "AWS Internal",
      requestParameters: null,
      responseElements: null,
      readOnly: false,
      eventType: "AwsServiceEvent",
      serviceEventDetails: {
        createAccountStatus: {
          id: status.Id,
          state: status.State,
          accountName: MASKED,
          accountId: status.AccountId,
          requestedTimestamp: seconds(status.RequestedTimestamp),
          completedTimestamp: seconds(status.CompletedTimestamp),
        },
      },
    });
  };

  // The CreateAccountResult service event comes when the account is created, not with the call.
  ctx.onCreateAccountCompleted = (status) => listener(createAccountResult(status));
  return Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => {
      if (isRead(name)) return [name, operation];
      const recorded: AwsOperation = async (input) => {
        const request = typeof input === "object" && input !== null ? input : {};
        let response: unknown;
        try {
          response = await operation(input);
        } catch (error) {
          if (error instanceof AwsServiceError) {
            const masked = name === "CreateAccount" ? maskCreateAccount(request, undefined).request : request;
            listener(apiCall(name, masked, { error }));
          }
          throw error;
        }
        if (name === "CreateAccount") {
          const masked = maskCreateAccount(request, response);
          listener(apiCall(name, masked.request, { response: masked.response }));
        } else {
          listener(apiCall(name, request, { response }));
        }
        return response;
      };
      return [name, recorded];
    }),
  );
}
