import { policyAtoms } from "./deny-atoms.ts";

/** Which numbered revocation SCPs to create, update and delete, in the order to write them. */
export interface ScpWritePlan {
  /** Slots that get a new policy (only add Denies, so they go first). */
  creates: number[];
  /** Slots whose content changes, ordered so that no Deny still wanted is ever missing (see below). */
  updates: number[];
  /** Slots no longer needed (only remove, so they go last, once everything they held lives elsewhere). */
  deletes: number[];
}

/**
 * Plans the writes that turn the current revocation SCPs into the next ones. Slot `i` is the tool's
 * policy number `i + 1`; `current[i]` is its content (`null`: no such policy), `next[i]` the wanted one.
 *
 * Rewriting shards moves Denies between documents. Updating a document that loses a Deny before the
 * document that gains it is written would leave that Deny out of force for a moment. So updates are
 * ordered: the next one is the first whose lost Denies (still wanted) are already held by another
 * document in force. Only when every remaining update would open such a gap (Denies swapping places)
 * is the first one taken anyway.
 */
export function orderScpWrites(current: readonly (string | null)[], next: readonly string[]): ScpWritePlan {
  const plan: ScpWritePlan = { creates: [], updates: [], deletes: [] };
  const slots = Math.max(current.length, next.length);
  for (let slot = 0; slot < slots; slot++) {
    const before = current[slot] ?? null;
    const after = next[slot] ?? null;
    if (before === after) continue;
    if (before === null) plan.creates.push(slot);
    else if (after === null) plan.deletes.push(slot);
    else plan.updates.push(slot);
  }

  const wanted = new Set(next.flatMap((doc) => [...policyAtoms(doc)]));
  const inForce = new Map<number, Set<string>>();
  // A missing policy holds nothing, as an empty document does.
  for (let slot = 0; slot < slots; slot++) inForce.set(slot, policyAtoms(current[slot] ?? "{}"));
  for (const slot of plan.creates) inForce.set(slot, policyAtoms(next[slot] as string));
  const heldElsewhere = (atom: string, slot: number) =>
    [...inForce].some(([other, atoms]) => other !== slot && atoms.has(atom));
  const safe = (slot: number) => {
    const after = policyAtoms(next[slot] as string);
    const lost = [...(inForce.get(slot) as Set<string>)].filter((a) => wanted.has(a) && !after.has(a));
    return lost.every((atom) => heldElsewhere(atom, slot));
  };

  const pending = [...plan.updates];
  plan.updates = [];
  while (pending.length > 0) {
    const index = Math.max(0, pending.findIndex(safe));
    const [slot] = pending.splice(index, 1) as [number];
    plan.updates.push(slot);
    inForce.set(slot, policyAtoms(next[slot] as string));
  }
  return plan;
}
