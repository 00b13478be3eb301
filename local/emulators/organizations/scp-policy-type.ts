/**
 * Whether service control policies are enabled on the root, and what turning them on or off does. The
 * status is the `scpPolicyTypeEnabled` switch (aws-behaviour-switches.ts), so the emulator can start
 * with SCPs disabled and a test can flip it at runtime; EnablePolicyType / DisablePolicyType write it.
 * - ListRoots lists only the types enabled on the root (model: Root.PolicyTypes, "the types of policies
 *   that are currently enabled for the root"); structure-operations.ts.
 * - AttachPolicy of an SCP answers PolicyTypeNotEnabledException while disabled (API reference,
 *   AttachPolicy errors); policy-operations.ts.
 * - Disabling detaches every SCP from every entity without deleting it; re-enabling attaches only
 *   FullAWSAccess to every root, OU and account (user guide, "Disabling a policy type"). A status
 *   flipped through the switch gets the same effect before the next call.
 * - EnablePolicyType answers PolicyTypeAlreadyEnabledException, DisablePolicyType
 *   PolicyTypeNotEnabledException, both RootNotFoundException for another root (model errors).
 */
import type { AwsOperation } from "../aws-json-protocol.ts";
import type { OperationContext } from "./context.ts";
import { invalidInput, policyTypeAlreadyEnabled, policyTypeNotEnabled, rootNotFound } from "./errors.ts";
import { requiredString } from "./request.ts";
import { FULL_AWS_ACCESS_ID } from "./state.ts";

const SCP = "SERVICE_CONTROL_POLICY";

/** Root.PolicyTypes: the types enabled on the root (only SCPs are modelled). */
export function rootPolicyTypes(ctx: OperationContext) {
  return ctx.behaviour.scpPolicyTypeEnabled ? [{ Type: SCP, Status: "ENABLED" }] : [];
}

/** Brings the attachments in line with the status: none while disabled, FullAWSAccess everywhere once re-enabled. */
function createStatusSync(ctx: OperationContext) {
  let attachedAsEnabled = true;
  return () => {
    const { state } = ctx;
    if (!ctx.behaviour.scpPolicyTypeEnabled) {
      state.attachments.clear();
      attachedAsEnabled = false;
    } else if (!attachedAsEnabled) {
      for (const id of [state.rootId, ...state.units.keys(), ...state.accounts.keys()]) {
        state.attachments.set(id, [FULL_AWS_ACCESS_ID]);
      }
      attachedAsEnabled = true;
    }
  };
}

function policyTypeRequest(ctx: OperationContext, input: unknown) {
  const rootId = requiredString(input, "RootId", 34);
  const type = requiredString(input, "PolicyType", 40);
  if (type !== SCP) {
    throw invalidInput("INVALID_ENUM", `The emulator models ${SCP} only, not ${type}.`);
  }
  if (rootId !== ctx.state.rootId) throw rootNotFound();
}

/**
 * The operations with the status applied before each (so seeded attachments and a flipped switch take
 * effect), AttachPolicy refused while disabled, and EnablePolicyType / DisablePolicyType added.
 */
export function withScpPolicyType(
  ctx: OperationContext,
  operations: Record<string, AwsOperation>,
): Record<string, AwsOperation> {
  const sync = createStatusSync(ctx);
  const root = () => ({
    Root: { Id: ctx.state.rootId, Arn: ctx.state.rootArn(), Name: "Root", PolicyTypes: rootPolicyTypes(ctx) },
  });
  const all: Record<string, AwsOperation> = {
    ...operations,
    EnablePolicyType: (input) => {
      policyTypeRequest(ctx, input);
      if (ctx.behaviour.scpPolicyTypeEnabled) throw policyTypeAlreadyEnabled();
      ctx.behaviour.scpPolicyTypeEnabled = true;
      sync();
      return root();
    },
    DisablePolicyType: (input) => {
      policyTypeRequest(ctx, input);
      if (!ctx.behaviour.scpPolicyTypeEnabled) throw policyTypeNotEnabled();
      ctx.behaviour.scpPolicyTypeEnabled = false;
      sync();
      return root();
    },
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, operation]) => [
      name,
      ((input, request) => {
        sync();
        return operation(input, request);
      }) satisfies AwsOperation,
    ]),
  );
}
