/**
 * How Organizations account events reach the estate triggers, as data. Organizations is a global
 * service: its CloudTrail events reach EventBridge only on the default bus of us-east-1 in the
 * management account. A rule there forwards them to the lifecycle bus, where the account triggers of
 * workflows/estate-triggers.ts match them precisely. Pure (no sst globals):
 * infra/organizations-forwarding.ts deploys it, tests and docs/deploy.md check it.
 */
import { estateEventTriggers, ORGANIZATIONS_SOURCE } from "../workflows/estate-triggers.ts";
import type { OrganizationsEventsMode } from "./parameters.ts";

/** The only region where Organizations events appear on EventBridge. */
export const ORGANIZATIONS_EVENTS_REGION = "us-east-1";

/** Thrown at deploy time when the chosen `OAL_ORGANIZATIONS_EVENTS` mode cannot work in this account. */
export class OrganizationsEventsModeError extends Error {
  override name = "OrganizationsEventsModeError";
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * The forwarding rule's pattern: every Organizations event whose detail type and event name an
 * account trigger uses. Broader than the triggers on purpose (no status or error filters): they
 * filter on the lifecycle bus, so a trigger change never needs the management account's rule changed
 * unless it adds an event name.
 */
export function organizationsForwardingPattern() {
  // The lifecycle bus also carries the ingress's own events (the okta-group-event trigger): not forwarded.
  const accountTriggers = estateEventTriggers().filter(
    (trigger) =>
      trigger.bus === "lifecycle" && strings(trigger.pattern.source).includes(ORGANIZATIONS_SOURCE),
  );
  const unique = (values: string[]) => [...new Set(values)].sort();
  return {
    source: [ORGANIZATIONS_SOURCE],
    "detail-type": unique(accountTriggers.flatMap((t) => strings(t.pattern["detail-type"]))),
    detail: {
      eventSource: ["organizations.amazonaws.com"],
      eventName: unique(
        accountTriggers.flatMap((t) => strings((t.pattern.detail as { eventName?: unknown }).eventName)),
      ),
    },
  };
}

/**
 * Refuses `forward` outside the management account: a rule there would never see an Organizations
 * event, and account changes would silently wait for the schedule.
 */
export function checkOrganizationsEventsMode(
  mode: OrganizationsEventsMode,
  account: { accountId: string; managementAccountId: string },
): void {
  if (mode === "forward" && account.accountId !== account.managementAccountId) {
    throw new OrganizationsEventsModeError(
      `OAL_ORGANIZATIONS_EVENTS=forward needs the stack in the management account (${account.managementAccountId}): ` +
        `Organizations events reach EventBridge only there, in ${ORGANIZATIONS_EVENTS_REGION}. This stack is in ` +
        `${account.accountId}: set OAL_ORGANIZATIONS_EVENTS=external and create the forwarding rule in the ` +
        'management account (docs/deploy.md, "What starts an estate run"), or off to rely on the schedule',
    );
  }
}
