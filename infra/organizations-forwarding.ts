/**
 * Brings Organizations account events to the lifecycle bus, per `OAL_ORGANIZATIONS_EVENTS`
 * (infra/parameters.ts, infra/organizations-events.ts):
 * - `forward` (the stack is in the management account): a rule on the default bus of us-east-1,
 *   created there through the resource's `region` (same credentials as the rest of the stack),
 *   targeting the lifecycle bus with the `org-events-forwarder` role. This works when the stack's own
 *   region is us-east-1 too (default bus -> custom bus). EventBridge retries event bus targets itself
 *   (they take no retry policy); no dead-letter queue, which would have to live in us-east-1 with its
 *   own alarm: an event lost here only delays the account's assignments to the next scheduled run.
 * - `external` (a delegated administrator account): a lifecycle bus policy that lets the management
 *   account put Organizations events, for the rule an administrator creates there (docs/deploy.md).
 * - `off`: nothing; account changes wait for the schedule.
 */
import type { ResourceNames } from "./names.ts";
import {
  checkOrganizationsEventsMode,
  ORGANIZATIONS_EVENTS_REGION,
  organizationsForwardingPattern,
} from "./organizations-events.ts";
import type { DeploymentParameters, OrganizationsEventsMode } from "./parameters.ts";
import { organizationsEventsBusPolicy, type PermissionFacts, resourcePolicyDocument } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";

export function organizationsForwarding(deps: {
  names: ResourceNames;
  /** The mode is decided by then (infra/topology.ts: from the topology when unset). */
  parameters: DeploymentParameters & { organizationsEvents: OrganizationsEventsMode };
  facts: $util.Output<PermissionFacts>;
  bus: aws.cloudwatch.EventBus;
}) {
  const { names, facts, bus } = deps;
  const mode = deps.parameters.organizationsEvents;
  if (mode === "off") return undefined;
  if (mode === "external") {
    const policy = new aws.cloudwatch.EventBusPolicy("LifecycleBusOrganizationsEvents", {
      eventBusName: bus.name,
      policy: facts.apply((f) => JSON.stringify(resourcePolicyDocument(organizationsEventsBusPolicy(f)))),
    });
    return { policy };
  }
  const rule = new aws.cloudwatch.EventRule("ForwardOrganizationsEvents", {
    region: ORGANIZATIONS_EVENTS_REGION,
    // Fails the deploy with the fix when the stack is not in the management account.
    name: facts.apply((f) => {
      checkOrganizationsEventsMode(mode, f);
      return names.rules.organizationsForwarder;
    }),
    description: "Organizations account events (us-east-1 only) -> the okta-aws-lifecycle lifecycle bus",
    eventBusName: "default",
    eventPattern: JSON.stringify(organizationsForwardingPattern()),
  });
  new aws.cloudwatch.EventTarget("ForwardOrganizationsEventsTarget", {
    region: ORGANIZATIONS_EVENTS_REGION,
    rule: rule.name,
    eventBusName: "default",
    arn: bus.arn,
    roleArn: leastPrivilegeRole("org-events-forwarder", facts).arn,
  });
  return { rule };
}
