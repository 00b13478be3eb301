/**
 * The events that start an estate-reconcile run besides its schedule, as EventBridge rules spell them:
 * an event pattern and an input transformer that turns the matched event into the run's input
 * (`{runId, trigger}`, usecases/reconcile-estate/run-input.ts). Pure data: infra/estate-triggers.ts
 * deploys these very rules and the local stack routes the emulators' events through them, so a
 * pattern or transformer mistake shows up on the laptop.
 *
 * Organizations is a global service: its CloudTrail events reach EventBridge only in us-east-1 of the
 * management account. The stack forwards them to its lifecycle bus (docs/deploy.md), where the
 * account rules below match them. The policy rule matches S3's own "Object Created" events for the
 * policy object on the default bus of the stack's region, as do the Identity Center rules
 * (identity-center-triggers.ts) for its CloudTrail events.
 */

import { type IdentityCenterTriggerKey, identityCenterTriggers } from "./identity-center-triggers.ts";

/** Where a trigger's events arrive. */
export type TriggerBus =
  /** The stack's lifecycle bus, which receives the forwarded Organizations events. */
  | "lifecycle"
  /** The default bus of the stack's account and region (S3 event notifications). */
  | "default";

export interface EstateEventTrigger {
  /** Short name; the deployed rule is `<app>-<stage>-estate-on-<key>`. */
  key:
    | "account-created"
    | "account-moved"
    | "account-tagged"
    | "policy-changed"
    | "okta-group-event"
    | IdentityCenterTriggerKey;
  description: string;
  bus: TriggerBus;
  pattern: Record<string, unknown>;
  /** EventBridge InputTransformer `InputPathsMap`: placeholder -> JSONPath into the event. */
  inputPathsMap: Record<string, string>;
  /** EventBridge InputTransformer `InputTemplate`: JSON with `<placeholder>` substitutions. */
  inputTemplate: string;
}

/** The Organizations calls whose CloudTrail events change which accounts a policy rule targets. */
export const ORGANIZATIONS_SOURCE = "aws.organizations";

const organizations = (detailType: string, detail: Record<string, unknown>) => ({
  source: [ORGANIZATIONS_SOURCE],
  "detail-type": [detailType],
  detail: { eventSource: ["organizations.amazonaws.com"], ...detail },
});

/** The run input, with the account id and event name taken from the event. */
const accountEventInput = (runPrefix: string) =>
  `{"runId":"${runPrefix}-<eventId>","trigger":{"type":"account-event","accountId":"<accountId>","eventName":"<eventName>"}}`;

/**
 * The account rules, the Identity Center rules (identity-center-triggers.ts; `toolRolePath` is the IAM
 * path of the tool's own roles, whose calls they ignore), plus the policy rule when the policy is an
 * S3 object.
 */
export function estateEventTriggers(
  policyObject?: { bucket: string; key: string },
  options: { toolRolePath?: string } = {},
): EstateEventTrigger[] {
  const triggers: EstateEventTrigger[] = [
    {
      key: "account-created",
      description: "A new account of the organization gets its assignments (CreateAccount finished)",
      bus: "lifecycle",
      // CreateAccount is asynchronous: the service event at its end carries the new account's id.
      pattern: organizations("AWS Service Event via CloudTrail", {
        eventName: ["CreateAccountResult"],
        serviceEventDetails: { createAccountStatus: { state: ["SUCCEEDED"] } },
      }),
      inputPathsMap: {
        eventId: "$.id",
        eventName: "$.detail.eventName",
        accountId: "$.detail.serviceEventDetails.createAccountStatus.accountId",
      },
      inputTemplate: accountEventInput("account-created"),
    },
    {
      key: "account-moved",
      description: "An account moved between OUs gains or loses the assignments of the OUs' rules",
      bus: "lifecycle",
      pattern: organizations("AWS API Call via CloudTrail", {
        eventName: ["MoveAccount"],
        errorCode: [{ exists: false }],
      }),
      inputPathsMap: {
        eventId: "$.id",
        eventName: "$.detail.eventName",
        accountId: "$.detail.requestParameters.accountId",
      },
      inputTemplate: accountEventInput("account-moved"),
    },
    {
      key: "account-tagged",
      description: "An account's tags changed, so tag-targeted rules may now match it or no longer",
      bus: "lifecycle",
      pattern: organizations("AWS API Call via CloudTrail", {
        eventName: ["TagResource", "UntagResource"],
        errorCode: [{ exists: false }],
        // Account ids are twelve digits; OU (`ou-...`), root (`r-...`) and policy ids carry a dash.
        requestParameters: { resourceId: [{ "anything-but": { wildcard: "*-*" } }] },
      }),
      inputPathsMap: {
        eventId: "$.id",
        eventName: "$.detail.eventName",
        accountId: "$.detail.requestParameters.resourceId",
      },
      inputTemplate: accountEventInput("account-tagged"),
    },
  ];
  triggers.push(oktaGroupEventTrigger(), ...identityCenterTriggers(options.toolRolePath));
  if (policyObject) {
    triggers.push({
      key: "policy-changed",
      description: "A new version of the access policy object is reconciled at once",
      bus: "default",
      // Needs EventBridge notifications on the policy bucket (docs/deploy.md); `doctor` checks them.
      pattern: {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [policyObject.bucket] }, object: { key: [policyObject.key] } },
      },
      inputPathsMap: { eventId: "$.id", etag: "$.detail.object.etag" },
      inputTemplate: `{"runId":"policy-changed-<eventId>","trigger":{"type":"policy-change","revision":"<etag>"}}`,
    });
  }
  return triggers;
}

/**
 * A lifecycle event about a whole group (`subject: "group"`: `group.lifecycle.delete`,
 * `group.profile.update`, `system.import.group.delete`, `group.application_assignment.*`, see
 * core/okta/event-types.ts) names no user, and who it touches (every member, every rule that names the
 * group) is the estate's to find: it starts an estate run, whose evidence names the Okta event as a user
 * run's does. A renamed group unbinds the rules naming its old name: that run reports each of them
 * (`okta-group-unresolved`). The source and detail-type are the ingress's (adapters/lifecycle-bus.ts,
 * kept equal by test/unit/local/estate-triggers.test.ts).
 */
function oktaGroupEventTrigger(): EstateEventTrigger {
  return {
    key: "okta-group-event",
    description:
      "An Okta group event (renamed, deleted, imported away, AWS app assigned or not) reconciles the estate",
    bus: "lifecycle",
    pattern: {
      source: ["okta-aws-lifecycle.ingress"],
      "detail-type": ["LifecycleEvent"],
      detail: { event: { subject: ["group"] } },
    },
    inputPathsMap: {
      oktaEventId: "$.detail.event.oktaEventId",
      eventType: "$.detail.event.eventType",
      published: "$.detail.event.published",
      channel: "$.detail.channel",
    },
    inputTemplate:
      '{"runId":"okta-group-<oktaEventId>","trigger":{"type":"events","events":[{"oktaEventId":"<oktaEventId>","eventType":"<eventType>","published":"<published>","kind":"mover","channel":"<channel>"}]}}',
  };
}
