import {
  type AbacCanaryProver,
  type AbacCanaryResult,
  abacCanaryCases,
  canaryDocuments,
} from "../../core/plan/abac-canary.ts";
import type { PlanInput } from "../../core/plan/plan-estate.ts";

/**
 * Runs the ABAC canary proof (core/plan/abac-canary.ts) for an estate read: every case of every
 * ABAC-scoped permission set, evaluated by the prover against the set's declared policies. The plan
 * then blocks on any case answered against its expectation; a case the simulator could not evaluate
 * (or a simulator that fails: the set's remaining cases are then not asked) makes its set unproven (a
 * finding, reported once per set), never a pass and never a failed run.
 */
export async function proveAbacCanary(prover: AbacCanaryProver, input: PlanInput): Promise<AbacCanaryResult> {
  const result: AbacCanaryResult = { evaluated: [], unproven: [] };
  const documents = new Map<string, readonly string[]>();
  const failed = new Set<string>();
  for (const c of abacCanaryCases(input.policy, input.okta)) {
    if (!documents.has(c.permissionSet)) {
      const found = canaryDocuments(input.policy.permissionSets[c.permissionSet]);
      if ("unprovable" in found)
        result.unproven.push({ permissionSet: c.permissionSet, why: found.unprovable });
      documents.set(c.permissionSet, "documents" in found ? found.documents : []);
    }
    const docs = documents.get(c.permissionSet) ?? [];
    if (docs.length === 0) continue;
    if (failed.has(c.permissionSet)) continue;
    const outcome = await prover.evaluate(c, docs).catch((error: unknown) => {
      // A simulator that cannot be asked (AccessDenied, throttling) fails this set's proof, not the run.
      failed.add(c.permissionSet);
      return {
        unproven: `the policy simulator failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      };
    });
    if (typeof outcome === "string") result.evaluated.push({ case: c, outcome });
    // The set's other verdicts stand: an over-grant proven elsewhere still blocks.
    else if (!result.unproven.some((u) => u.permissionSet === c.permissionSet))
      result.unproven.push({ permissionSet: c.permissionSet, why: `${c.why}: ${outcome.unproven}` });
  }
  return result;
}
