/**
 * Which revocation SCP slots a CLI command writes or checks. The deploy knows them exactly: it creates
 * them and publishes their ids (stack output `revocationScpIds`, comma-separated, in `.sst/outputs.json`;
 * the local stack's `.local/endpoints.json` has them too). Finding them by name is only a fallback, and
 * says so: the deployed slots are named `<app>-<stage>-revocation-<n>`, which the default prefix does
 * not match, and a name can be taken by anyone with organizations:CreatePolicy.
 */
import { DEFAULT_REVOCATION_SCP_PREFIX } from "../adapters/organizations.ts";

/** Organizations' PolicyId pattern (organizations service model, shape PolicyId). */
const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;

/** Thrown when the given slot ids are not policy ids. */
export class RevocationScpIdsError extends Error {
  override name = "RevocationScpIdsError";
}

export type RevocationScpSlotSource =
  /** The deploy's slot ids, in slot order, and where they were read. */
  | { kind: "deployed"; slots: string[]; from: string }
  /** No ids given: found by name and marker; `note` says so and how to give the ids. */
  | { kind: "by-name"; note: string };

/**
 * The first of `candidates` that has a value (a flag, then the deploy's outputs, ...), parsed; else the
 * name fallback.
 * @throws RevocationScpIdsError naming the source when a value holds something other than policy ids.
 */
export function revocationScpSlotSource(
  candidates: { value: string | readonly string[] | undefined; from: string }[],
): RevocationScpSlotSource {
  const given = candidates.find((c) => c.value !== undefined);
  if (given === undefined) {
    return {
      kind: "by-name",
      note:
        `revocation SCP slots found by name (${DEFAULT_REVOCATION_SCP_PREFIX}-<n>), not from the deploy: ` +
        "pass --revocation-scp-ids with the deploy output revocationScpIds (or run where .sst/outputs.json has it)",
    };
  }
  const ids = (typeof given.value === "string" ? given.value.split(",") : [...(given.value ?? [])])
    .map((id) => id.trim())
    .filter((id) => id !== "");
  const wrong = ids.filter((id) => !POLICY_ID.test(id));
  if (ids.length === 0 || wrong.length > 0) {
    throw new RevocationScpIdsError(
      `${given.from}: ${ids.length === 0 ? "no slot ids" : `${wrong.map((w) => JSON.stringify(w)).join(", ")} is not a policy id`}; ` +
        "give the deploy output revocationScpIds, comma-separated policy ids (p-...) in slot order",
    );
  }
  return { kind: "deployed", slots: ids, from: given.from };
}

/** The adapter's slot options for a source: the ids, or nothing (the adapter then finds them by name). */
export function slotOptions(source: RevocationScpSlotSource): { slots?: readonly string[] } {
  return source.kind === "deployed" ? { slots: source.slots } : {};
}
