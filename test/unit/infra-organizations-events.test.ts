import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkOrganizationsEventsMode,
  ORGANIZATIONS_EVENTS_REGION,
  OrganizationsEventsModeError,
  organizationsForwardingPattern,
} from "../../infra/organizations-events.ts";
import { estateEventTriggers, ORGANIZATIONS_SOURCE } from "../../workflows/estate-triggers.ts";

const MANAGEMENT = "999988887777";
const DELEGATED = "111122223333";

/** What each account trigger needs forwarded: its detail types and event names. */
const needs = estateEventTriggers()
  .filter((t) => t.bus === "lifecycle" && (t.pattern.source as string[]).includes(ORGANIZATIONS_SOURCE))
  .map((t) => ({
    key: t.key,
    detailTypes: t.pattern["detail-type"] as string[],
    eventNames: (t.pattern.detail as { eventName: string[] }).eventName,
  }));

describe("infra/organizations-events: the us-east-1 forwarding rule", () => {
  it("forwards every Organizations event an account trigger matches, and only Organizations events", () => {
    // Act
    const pattern = organizationsForwardingPattern();

    // Assess
    expect(needs.map((n) => n.key).sort()).toEqual(["account-created", "account-moved", "account-tagged"]);
    expect(pattern.source).toEqual([ORGANIZATIONS_SOURCE]);
    expect(pattern.detail.eventSource).toEqual(["organizations.amazonaws.com"]);
    for (const need of needs) {
      expect(pattern["detail-type"], need.key).toEqual(expect.arrayContaining(need.detailTypes));
      expect(pattern.detail.eventName, need.key).toEqual(expect.arrayContaining(need.eventNames));
    }
    expect(pattern.detail.eventName).toEqual([
      "CreateAccountResult",
      "MoveAccount",
      "TagResource",
      "UntagResource",
    ]);
    expect(ORGANIZATIONS_EVENTS_REGION).toBe("us-east-1");
  });

  it("is the pattern docs/deploy.md tells a delegated administrator's management account to create", () => {
    // Prepare
    const deployDoc = readFileSync("docs/deploy.md", "utf8");

    // Act
    const documented = JSON.stringify(organizationsForwardingPattern());

    // Assess (a trigger with a new event name must update the documented command too)
    expect(deployDoc).toContain(`--event-pattern '${documented}'`);
  });
});

describe("infra/organizations-events: checkOrganizationsEventsMode", () => {
  it("accepts forward in the management account, and external or off anywhere", () => {
    // Act
    const accepted = [
      () =>
        checkOrganizationsEventsMode("forward", { accountId: MANAGEMENT, managementAccountId: MANAGEMENT }),
      () =>
        checkOrganizationsEventsMode("external", { accountId: DELEGATED, managementAccountId: MANAGEMENT }),
      () => checkOrganizationsEventsMode("off", { accountId: DELEGATED, managementAccountId: MANAGEMENT }),
    ];

    // Assess
    for (const check of accepted) expect(check).not.toThrow();
  });

  it("refuses forward in a delegated administrator account, naming the accounts and the fix", () => {
    // Act
    const check = () =>
      checkOrganizationsEventsMode("forward", { accountId: DELEGATED, managementAccountId: MANAGEMENT });

    // Assess
    expect(check).toThrow(OrganizationsEventsModeError);
    expect(check).toThrow(
      new RegExp(
        `management account \\(${MANAGEMENT}\\).*in ${DELEGATED}: set OAL_ORGANIZATIONS_EVENTS=external`,
      ),
    );
  });
});
