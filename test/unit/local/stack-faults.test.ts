import { describe, expect, it } from "vitest";
import { createIdentityCenterEmulator } from "../../../local/emulators/identity-center/index.ts";
import { createOktaEmulator } from "../../../local/emulators/okta/index.ts";
import { createOrganizationsEmulator } from "../../../local/emulators/organizations/index.ts";
import { S3Outage } from "../../../local/runtime/s3-outage-proxy.ts";
import { TaskCrashFaults } from "../../../local/runtime/task-crash-faults.ts";
import { createStackFaults } from "../../../local/stack/stack-faults.ts";

function sources() {
  const okta = createOktaEmulator();
  const identityCenter = createIdentityCenterEmulator();
  const organizations = createOrganizationsEmulator();
  return {
    okta,
    identityCenter,
    organizations,
    tasks: new TaskCrashFaults(),
    evidence: new S3Outage("evidence"),
  };
}

describe("createStackFaults", () => {
  it("hands out the hook chaos, task crash and evidence outage switches themselves", () => {
    // Prepare
    const all = sources();

    // Act
    const faults = createStackFaults(all);
    faults.hooks.dropRate = 0.5;

    // Assess
    expect(all.okta.hooks.chaos.dropRate).toBe(0.5);
    expect(faults.tasks).toBe(all.tasks);
    expect(faults.evidence).toBe(all.evidence);
  });

  it("clear() switches every fault off, the emulators' own included", () => {
    // Prepare: every switch on
    const all = sources();
    const faults = createStackFaults(all);
    Object.assign(faults.hooks, { dropRate: 1, duplicateRate: 1, delayMs: { min: 5, max: 9 } });
    all.okta.hooks.dropDeliveries = true;
    all.okta.faults.force429Rate = 1;
    all.okta.faults.serverErrorRate = 1;
    all.okta.faults.failGroupMemberListing("00g1");
    Object.assign(all.identityCenter.faults, { throttleRate: 1, serverErrorRate: 1, failNextOperations: 3 });
    all.organizations.faults.throttleRate = 1;
    all.organizations.faults.serviceErrorRate = 1;
    all.organizations.faults.throttleNext = 2;
    faults.tasks.crashTasks({ count: 4, when: "after" });
    faults.evidence.outage = true;
    faults.evidence.code = "ServiceUnavailable";

    // Act
    faults.clear();

    // Assess
    const fate = faults.hooks.drawBatch();
    expect(fate).toEqual({ drop: false, delayMs: 0, duplicateAfterMs: null });
    expect(all.okta.hooks.dropDeliveries).toBe(false);
    expect([all.okta.faults.force429Rate, all.okta.faults.serverErrorRate]).toEqual([0, 0]);
    expect(all.okta.faults.failingGroupMemberListings.size).toBe(0);
    expect(all.identityCenter.faults).toEqual({ throttleRate: 0, serverErrorRate: 0, failNextOperations: 0 });
    expect(all.organizations.faults).toMatchObject({
      throttleRate: 0,
      serviceErrorRate: 0,
      throttleNext: 0,
      failNext: [],
    });
    expect(faults.tasks.pending()).toBe(0);
    expect([faults.evidence.outage, faults.evidence.code]).toEqual([false, "SlowDown"]);
  });
});
