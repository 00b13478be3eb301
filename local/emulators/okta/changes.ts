import type { OktaUserStatus } from "../../../core/estate.ts";

/**
 * What changed in the emulated org. The local stack listens to these to play Okta's SCIM provisioning
 * into the Identity Center emulator (create / deactivate users, push group memberships).
 */
export type OktaChange =
  | { kind: "user-created"; userId: string; login: string; status: OktaUserStatus }
  | { kind: "user-status"; userId: string; login: string; from: OktaUserStatus; to: OktaUserStatus }
  | { kind: "user-profile"; userId: string; login: string; changedAttributes: string[] }
  | { kind: "user-deleted"; userId: string; login: string }
  | { kind: "membership-added"; groupId: string; groupName: string; userId: string; login: string }
  | { kind: "membership-removed"; groupId: string; groupName: string; userId: string; login: string }
  | { kind: "group-created"; groupId: string; groupName: string }
  | { kind: "group-deleted"; groupId: string; groupName: string; formerMemberIds: string[] };

export type ChangeListener = (change: OktaChange) => void;

/** Fans changes out to listeners; a throwing listener never breaks the API call that caused the change. */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private readonly onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.onListenerError = onListenerError;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: OktaChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
