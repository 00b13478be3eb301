import type { IdentityCenterEmulator } from "../emulators/identity-center/index.ts";
import { DEFAULT_FAULTS } from "../emulators/identity-center/options.ts";
import type { HookChaos, OktaEmulator } from "../emulators/okta/index.ts";
import type { OrganizationsEmulator } from "../emulators/organizations/index.ts";
import { defaultFaults as organizationsDefaultFaults } from "../emulators/organizations/options.ts";
import type { S3Outage } from "../runtime/s3-outage-proxy.ts";
import type { TaskCrashFaults } from "../runtime/task-crash-faults.ts";

/** The fault switches of the local stack beyond each emulator's own `faults`. */
export interface StackFaults {
  /** Seeded hook delivery chaos: `dropRate`, `duplicateRate`, `delayMs: {min, max}`, `duplicateGapMs`. */
  hooks: HookChaos;
  /** Lambda Task crashes in both workflows: `crashTasks({ count, when, taskNames?, error? })`. */
  tasks: TaskCrashFaults;
  /** The evidence bucket answering 503 (`outage = true`, `code`); DynamoDB stays up. */
  evidence: S3Outage;
  /**
   * Switches every fault off: these three, the hook drop switch, and the Okta, Identity Center and
   * Organizations emulators' faults. What was injected stays recorded.
   */
  clear(): void;
}

export interface StackFaultSources {
  okta: OktaEmulator;
  identityCenter: IdentityCenterEmulator;
  organizations: OrganizationsEmulator;
  tasks: TaskCrashFaults;
  evidence: S3Outage;
}

/** Gathers the stack's fault switches and one `clear()` over all of them. */
export function createStackFaults(sources: StackFaultSources): StackFaults {
  const { okta, identityCenter, organizations, tasks, evidence } = sources;
  return {
    hooks: okta.hooks.chaos,
    tasks,
    evidence,
    clear() {
      okta.hooks.chaos.clear();
      okta.hooks.dropDeliveries = false;
      okta.faults.clear();
      Object.assign(identityCenter.faults, DEFAULT_FAULTS);
      Object.assign(organizations.faults, organizationsDefaultFaults());
      tasks.clear();
      evidence.clear();
    },
  };
}
