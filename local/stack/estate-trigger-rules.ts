/**
 * The estate-reconcile event triggers on the laptop, built from the very data the infra deploys:
 * - Organizations events go, as in AWS, to the default bus of us-east-1, where the forwarding rule
 *   (infra/organizations-events.ts `organizationsForwardingPattern`) sends them on to the lifecycle bus;
 * - on the lifecycle bus, each trigger of workflows/estate-triggers.ts (the account ones, and Okta group
 *   events published by the ingress) is a rule whose target
 *   starts the estate state machine through the Step Functions API with the trigger's transformed input
 *   (no execution name: EventBridge's Step Functions target lets Step Functions name the execution).
 * - Identity Center's CloudTrail events go to the default bus of the stack's region, where the Identity
 *   Center triggers start scoped estate runs (identityCenterEventsBus); as delegated administrator, a
 *   change made from the management account goes to that account's default bus, whose management
 *   component forwards it to the lifecycle bus (managementAccountEventsBus).
 * The policy trigger (S3 "Object Created" of the policy object) has no local counterpart: the local
 * policy is a file, and `stack.setPolicy` starts its policy-change run directly.
 */
import { type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { resourceNames } from "../../infra/names.ts";
import { organizationsForwardingPattern } from "../../infra/organizations-events.ts";
import { estateEventTriggers } from "../../workflows/estate-triggers.ts";
import { identityCenterForwardingPatterns } from "../../workflows/identity-center-triggers.ts";
import {
  type BusRule,
  createEventBusEmulator,
  type EventBusEmulator,
} from "../runtime/event-bus-emulator.ts";

/** The IAM path of the local stage's roles (as `sst deploy --stage local` names them). */
export const LOCAL_ROLE_PATH = resourceNames("okta-aws-lifecycle", "local").rolePath;

export interface EstateTriggerRuleDeps {
  sfn: SFNClient;
  estateReconcileArn: string;
  log: (line: string) => void;
}

/** The lifecycle-bus rules of the estate triggers, each starting an estate run. */
export function estateTriggerRules(deps: EstateTriggerRuleDeps): BusRule[] {
  return triggerRules(deps, "lifecycle");
}

/**
 * The default bus of the stack's region with the Identity Center triggers (workflows/
 * identity-center-triggers.ts): the Identity Center emulator's CloudTrail events, as in AWS, arrive
 * there, and each matching one starts a scoped estate run. The stack's own calls carry the local
 * stage's role path (cloudtrail-caller.ts), which the rules ignore.
 */
export function identityCenterEventsBus(deps: EstateTriggerRuleDeps): EventBusEmulator {
  return createEventBusEmulator("default", triggerRules(deps, "default"));
}

function triggerRules(deps: EstateTriggerRuleDeps, bus: "lifecycle" | "default"): BusRule[] {
  return estateEventTriggers(undefined, { toolRolePath: LOCAL_ROLE_PATH })
    .filter((trigger) => trigger.bus === bus)
    .map((trigger) => ({
      name: `estate-on-${trigger.key}`,
      pattern: trigger.pattern,
      inputTransformer: { inputPathsMap: trigger.inputPathsMap, inputTemplate: trigger.inputTemplate },
      target: async (event, input) => {
        const started = await deps.sfn.send(
          new StartExecutionCommand({ stateMachineArn: deps.estateReconcileArn, input }),
        );
        const { runId, trigger: runTrigger } = JSON.parse(input) as {
          runId?: string;
          trigger?: { accountId?: string };
        };
        const detail = event.detail as {
          eventName?: string;
          event?: { eventType?: string; group?: { id?: string } };
        };
        const ssoTrigger = runTrigger as { permissionSetArn?: string } | undefined;
        const what = detail.event
          ? `${detail.event.eventType} of group ${detail.event.group?.id}`
          : `${detail.eventName} of ${[runTrigger?.accountId, ssoTrigger?.permissionSetArn].filter(Boolean).join(" ")}`;
        deps.log(
          `estate-on-${trigger.key}: ${what} -> estate run ${runId} (execution ${started.executionArn?.split(":").pop()})`,
        );
        return started;
      },
    }));
}

/**
 * The default bus of us-east-1 with only the forwarding rule: what reaches it (the Organizations
 * emulator's CloudTrail events) and matches the forwarding pattern is published, unchanged, on
 * `lifecycleBus`.
 */
export function organizationsEventsBus(lifecycleBus: EventBusEmulator): EventBusEmulator {
  return createEventBusEmulator("default", [
    {
      name: "forward-organizations-events",
      pattern: organizationsForwardingPattern(),
      target: async (event) => lifecycleBus.publish(event),
    },
  ]);
}

/**
 * Delegated administrator: the management account's default bus of the home region, where CloudTrail
 * delivers the Identity Center changes made from the management account (cloudtrail-events.ts
 * `accountOf`). With the management component installed, its two forwarding rules
 * (infra/management-component-template.ts, identityCenterForwardingPatterns) publish them, unchanged,
 * on the stack's lifecycle bus, where the `-fwd` triggers start the scoped runs; without the component
 * (`lifecycleBus` undefined) nothing forwards them, and the daily full read is what catches them.
 */
export function managementAccountEventsBus(lifecycleBus: EventBusEmulator | undefined): EventBusEmulator {
  const patterns = identityCenterForwardingPatterns(LOCAL_ROLE_PATH);
  const forward = (name: string, pattern: BusRule["pattern"]): BusRule => ({
    name,
    pattern,
    target: async (event) => lifecycleBus?.publish(event),
  });
  return createEventBusEmulator(
    "default",
    lifecycleBus === undefined
      ? []
      : [forward("forward-sso-events", patterns.other), forward("forward-sso-events-role", patterns.role)],
  );
}
