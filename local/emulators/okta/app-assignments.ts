/**
 * Which users are assigned to which apps, as `GET /api/v1/users/{userId}/appLinks` (listAppLinks) tells
 * it: "all app links for all direct or indirect (through group membership) assigned apps". The emulator
 * keeps direct assignments only; the fields are the spec's `AssignedAppLink`.
 */
export interface EmulatedApp {
  /** The app instance id (`0oa...`), `appInstanceId` on the wire. */
  id: string;
  /** The catalog name: `amazon_aws` for the AWS Account Federation app (its `/home/amazon_aws/<id>/...` links). */
  name: string;
  label: string;
}

/** The wire shape of one app link (management spec `AssignedAppLink`). */
export interface AssignedAppLink {
  appAssignmentId: string;
  appInstanceId: string;
  appName: string;
  credentialsSetup: boolean;
  hidden: boolean;
  /** The user's id, as in the spec's ListAppLinks example. */
  id: string;
  label: string;
  linkUrl: string;
  logoUrl: string;
  sortOrder: number;
}

export class AppAssignments {
  private readonly apps = new Map<string, EmulatedApp>();
  /** app id -> user id -> assignment id */
  private readonly assigned = new Map<string, Map<string, string>>();

  assign(app: EmulatedApp, userId: string, assignmentId: string): void {
    this.apps.set(app.id, app);
    const users = this.assigned.get(app.id) ?? new Map<string, string>();
    users.set(userId, assignmentId);
    this.assigned.set(app.id, users);
  }

  unassign(appId: string, userId: string): boolean {
    return this.assigned.get(appId)?.delete(userId) ?? false;
  }

  /** A deleted user's assignments go with them. */
  removeUser(userId: string): void {
    for (const users of this.assigned.values()) users.delete(userId);
  }

  linksOf(userId: string, baseUrl: string): AssignedAppLink[] {
    const links: AssignedAppLink[] = [];
    for (const [appId, users] of this.assigned) {
      const assignmentId = users.get(userId);
      const app = this.apps.get(appId);
      if (assignmentId === undefined || app === undefined) continue;
      links.push({
        appAssignmentId: assignmentId,
        appInstanceId: app.id,
        appName: app.name,
        credentialsSetup: false,
        hidden: false,
        id: userId,
        label: app.label,
        linkUrl: `${baseUrl}/home/${app.name}/${app.id}/${links.length + 1}`,
        logoUrl: `${baseUrl}/img/logos/${app.name}.png`,
        sortOrder: links.length,
      });
    }
    return links;
  }
}
