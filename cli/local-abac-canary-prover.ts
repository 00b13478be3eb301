import type { AbacCanaryProver } from "../core/plan/abac-canary.ts";

/**
 * The IAM policy simulator as the ABAC canary's prover, where the development dependencies are
 * installed (the simulator is AGPL-licensed: a production install, `npm install --omit=dev`, has no
 * copy). Without it the estate plan reports the canary unproven (`abac-canary-unproven`), as it would
 * with no prover at all.
 */
export async function localAbacCanaryProver(): Promise<AbacCanaryProver | undefined> {
  try {
    return (await import("../local/runtime/abac-canary-prover.ts")).createAbacCanaryProver();
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    return undefined;
  }
}
