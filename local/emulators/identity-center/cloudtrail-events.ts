/**
 * What CloudTrail hands EventBridge for IAM Identity Center's admin API (a regional service: the events
 * arrive on the default bus of the instance's home region, in the account that made the call, the
 * management or delegated administrator account; source `aws.sso`, detail-type "AWS API Call via
 * CloudTrail", `eventSource` `sso.amazonaws.com`). Shapes from the Identity Center User Guide
 * ("Logging IAM Identity Center API calls with AWS CloudTrail", "Understanding CloudTrail events for
 * IAM Identity Center") and public CloudTrail samples of CreateAccountAssignment /
 * DeleteAccountAssignment / CreatePermissionSet:
 * - `requestParameters` is the request with camelCase member names (`{instanceArn, targetId, targetType,
 *   permissionSetArn, principalType, principalId}` for the assignment calls), `responseElements` the
 *   answer likewise (`{accountAssignmentCreationStatus: {...}}`, `{permissionSet: {permissionSetArn,
 *   ...}}` for CreatePermissionSet); a failed call carries `errorCode` / `errorMessage`;
 * - `userIdentity` is the caller as CloudTrail's "userIdentity element" page describes it: an
 *   `AssumedRole` carries `sessionContext.sessionIssuer.arn`, the role's ARN with its path; an `IAMUser`
 *   or `Root` carries no issuer. Who signed is given by the stack (`callerIdentity`), as the emulator
 *   only sees the access key.
 * Only the mutating calls the estate triggers listen to are recorded (`List*` / `Describe*` are read-only
 * events, which EventBridge does not receive).
 */
import { randomUUID } from "node:crypto";
import type { EventBridgeEvent } from "aws-lambda";
import { type AwsJsonService, type AwsOperation, AwsServiceError } from "../aws-json-protocol.ts";
import { camelCaseMembers } from "../organizations/cloudtrail-events.ts";
import { SSO_ADMIN_TARGET } from "./services.ts";

export const SSO_EVENT_SOURCE = "sso.amazonaws.com";

/** The sso-admin changes CloudTrail records here (the ones workflows/estate-triggers.ts listens to). */
export const RECORDED_SSO_ADMIN_CALLS = [
  "CreateAccountAssignment",
  "DeleteAccountAssignment",
  "CreatePermissionSet",
  "UpdatePermissionSet",
  "DeletePermissionSet",
  "ProvisionPermissionSet",
  "PutInlinePolicyToPermissionSet",
  "DeleteInlinePolicyFromPermissionSet",
  "AttachManagedPolicyToPermissionSet",
  "DetachManagedPolicyFromPermissionSet",
  "AttachCustomerManagedPolicyReferenceToPermissionSet",
  "DetachCustomerManagedPolicyReferenceFromPermissionSet",
  "PutPermissionsBoundaryToPermissionSet",
  "DeletePermissionsBoundaryFromPermissionSet",
] as const;

/** An Identity Center CloudTrail record as EventBridge delivers it. */
export type SsoCloudTrailEvent = EventBridgeEvent<"AWS API Call via CloudTrail", Record<string, unknown>>;

export interface SsoCloudTrailOptions {
  /** The account the calls are made in (the instance's administration account). */
  accountId: string;
  /**
   * The account a call signed with this key is made in, when it is not `accountId`: CloudTrail records
   * a call in the account of the caller (`recipientAccountId`; CloudTrail User Guide, "CloudTrail
   * record contents"), so with a delegated administrator, a change made from the management account
   * is recorded, and delivered to EventBridge, in the management account. Unset or undefined: `accountId`.
   */
  accountOf?: (accessKeyId: string | undefined) => string | undefined;
  /** The instance's home region. */
  region: string;
  /** The CloudTrail `userIdentity` of whoever signed with this access key. */
  callerIdentity: (accessKeyId: string | undefined) => Record<string, unknown>;
  listener: (event: SsoCloudTrailEvent) => void;
  now?: () => number;
}

const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The services with each recorded sso-admin call producing its CloudTrail event once answered. */
export function recordSsoInCloudTrail(
  services: AwsJsonService[],
  options: SsoCloudTrailOptions,
): AwsJsonService[] {
  const now = options.now ?? Date.now;
  const event = (
    eventName: string,
    input: unknown,
    accessKeyId: string | undefined,
    outcome: { response: unknown } | { error: AwsServiceError },
  ): SsoCloudTrailEvent => {
    const at = isoSeconds(now());
    const account = options.accountOf?.(accessKeyId) ?? options.accountId;
    const response = "response" in outcome ? outcome.response : undefined;
    const empty = response == null || (typeof response === "object" && Object.keys(response).length === 0);
    return {
      version: "0",
      id: randomUUID(),
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.sso",
      account,
      time: at,
      region: options.region,
      resources: [],
      detail: {
        eventVersion: "1.08",
        userIdentity: options.callerIdentity(accessKeyId),
        eventTime: at,
        eventSource: SSO_EVENT_SOURCE,
        eventName,
        awsRegion: options.region,
        sourceIPAddress: "127.0.0.1",
        userAgent: "aws-sdk-js/3 (okta-aws-lifecycle local Identity Center emulator)",
        ...("error" in outcome ? { errorCode: outcome.error.type, errorMessage: outcome.error.message } : {}),
        requestParameters: camelCaseMembers(input ?? {}),
        responseElements: empty ? null : camelCaseMembers(response),
        requestID: randomUUID(),
        eventID: randomUUID(),
        readOnly: false,
        eventType: "AwsApiCall",
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: "Management",
      },
    };
  };
  const recorded = new Set<string>(RECORDED_SSO_ADMIN_CALLS);
  return services.map((service) => {
    if (service.targetPrefix !== SSO_ADMIN_TARGET) return service;
    const operations: Record<string, AwsOperation> = { ...service.operations };
    for (const [name, operation] of Object.entries(service.operations)) {
      if (!recorded.has(name)) continue;
      operations[name] = async (input, request) => {
        try {
          const response = await operation(input, request);
          options.listener(event(name, input, request?.accessKeyId, { response }));
          return response;
        } catch (error) {
          if (error instanceof AwsServiceError) {
            options.listener(event(name, input, request?.accessKeyId, { error }));
          }
          throw error;
        }
      };
    }
    return { ...service, operations };
  });
}
