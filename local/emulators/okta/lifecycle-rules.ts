import type { OktaUserStatus } from "../../../core/estate.ts";
import { alreadyActive, notAllowedInStatus, type OktaApiError, validationFailed } from "./errors.ts";

/** The lifecycle operations the emulator serves under `POST /api/v1/users/{id}/lifecycle/{operation}`. */
export const LIFECYCLE_OPERATIONS = ["activate", "reactivate", "deactivate", "suspend", "unsuspend"] as const;
export type LifecycleOperation = (typeof LIFECYCLE_OPERATIONS)[number];

/** What a permitted operation does: the new status and the System Log event it writes. */
export interface LifecycleTransition {
  to: OktaUserStatus;
  eventType: `user.lifecycle.${LifecycleOperation}`;
}

export function isLifecycleOperation(value: string): value is LifecycleOperation {
  return (LIFECYCLE_OPERATIONS as readonly string[]).includes(value);
}

/**
 * Okta's status rules (Users API, "Lifecycle operations"):
 * - activate: only STAGED or DEPROVISIONED; an ACTIVE user gets 403 E0000016, others 403 E0000038.
 *   The emulator completes activation at once (no welcome flow), so the user becomes ACTIVE.
 * - reactivate: only PROVISIONED or RECOVERY (403 E0000038 otherwise); restarts activation, so the
 *   status stays PROVISIONED.
 * - deactivate: any status but DEPROVISIONED. For an already DEPROVISIONED user Okta documents no
 *   specific error; the emulator answers the generic 403 E0000038.
 * - suspend: only ACTIVE, otherwise 400 E0000001. unsuspend: only SUSPENDED, otherwise 400 E0000001.
 */
export function lifecycleTransition(
  status: OktaUserStatus,
  operation: LifecycleOperation,
): LifecycleTransition | OktaApiError {
  switch (operation) {
    case "activate":
      if (status === "ACTIVE") return alreadyActive();
      if (status !== "STAGED" && status !== "DEPROVISIONED") return notAllowedInStatus();
      return { to: "ACTIVE", eventType: "user.lifecycle.activate" };
    case "reactivate":
      if (status !== "PROVISIONED" && status !== "RECOVERY") return notAllowedInStatus();
      return { to: "PROVISIONED", eventType: "user.lifecycle.reactivate" };
    case "deactivate":
      if (status === "DEPROVISIONED") return notAllowedInStatus();
      return { to: "DEPROVISIONED", eventType: "user.lifecycle.deactivate" };
    case "suspend":
      if (status !== "ACTIVE") {
        return validationFailed("Cannot suspend a user that is not active", [
          "Cannot suspend a user that is not active",
        ]);
      }
      return { to: "SUSPENDED", eventType: "user.lifecycle.suspend" };
    case "unsuspend":
      if (status !== "SUSPENDED") {
        return validationFailed("Cannot unsuspend a user that is not suspended", [
          "Cannot unsuspend a user that is not suspended",
        ]);
      }
      return { to: "ACTIVE", eventType: "user.lifecycle.unsuspend" };
  }
}
