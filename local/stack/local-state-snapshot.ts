import type { LocalDeny, LocalState } from "../estate/local-state.ts";
import type { LocalStack } from "./local-stack.ts";

type Statement = { Sid?: string; Effect?: string; Condition?: Record<string, Record<string, unknown>> };

/** The Deny statements on `identitystore:userId` a policy document holds. */
function denyStatements(
  content: string,
  where: LocalDeny["where"],
  policyName: string,
  userNames: Map<string, string>,
): LocalDeny[] {
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = JSON.parse(content);
  } catch {
    return [];
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.flatMap((s) => {
    const ids = s.Condition?.StringEquals?.["identitystore:userId"];
    if (s.Effect !== "Deny" || ids === undefined) return [];
    const arns = s.Condition?.ArnLike?.["aws:PrincipalArn"];
    const patterns = arns === undefined ? [] : Array.isArray(arns) ? arns.map(String) : [String(arns)];
    return (Array.isArray(ids) ? ids : [ids]).map(String).map((userId) => ({
      userId,
      ...(userNames.has(userId) ? { userName: userNames.get(userId) } : {}),
      where,
      policyName,
      ...(s.Sid ? { sid: s.Sid } : {}),
      principalArnPatterns: patterns,
    }));
  });
}

/** What `GET /local/state` answers: the emulated world, read from the emulators' snapshots. */
export async function localStateSnapshot(stack: LocalStack): Promise<LocalState> {
  const { okta, identityCenter, organizations } = stack.emulators;
  const ic = identityCenter.snapshot();
  const org = organizations.snapshot();
  const directory = okta.state.snapshot();
  // A user without a UserName (optional in the model) is shown by its id.
  const userNames = new Map(ic.users.map((u) => [u.userId, u.userName ?? u.userId]));
  const scps = org.policies.filter((p) => !p.awsManaged && p.id !== "p-FullAWSAccess");
  const keys = await stack.adapters.evidence.list("v1/");
  return {
    generatedAt: new Date().toISOString(),
    organization: {
      rootId: org.rootId,
      managementAccountId: org.managementAccountId,
      units: org.units.map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })),
      accounts: org.accounts.map((a) => ({
        id: a.id,
        name: a.name,
        parentId: a.parentId,
        status: a.status as "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE",
        tags: a.tags,
      })),
    },
    okta: {
      users: directory.users.map((u) => ({
        id: u.id,
        login: String(u.profile.login),
        firstName: String(u.profile.firstName ?? ""),
        lastName: String(u.profile.lastName ?? ""),
        status: u.status,
        profile: Object.fromEntries(Object.entries(u.profile).map(([k, v]) => [k, String(v)])),
      })),
      groups: directory.groups.map((g) => ({
        id: g.id,
        name: g.name,
        ...(g.description ? { description: g.description } : {}),
        type: g.type,
        ...(g.sourceAppId ? { sourceAppId: g.sourceAppId } : {}),
        memberIds: g.memberIds,
      })),
    },
    identityCenter: {
      instanceArn: ic.instanceArn,
      identityStoreId: ic.identityStoreId,
      users: ic.users.map((u) => ({ ...u, userName: u.userName ?? u.userId })),
      groups: ic.groups.map((g) => ({ groupId: g.groupId, displayName: g.displayName ?? g.groupId })),
      memberships: ic.memberships,
      permissionSets: ic.permissionSets.map((p) => ({
        arn: p.arn,
        name: p.name,
        sessionDuration: p.sessionDuration,
        managedPolicyArns: p.managedPolicyArns,
        inlinePolicy: p.inlinePolicy,
        provisionedAccountIds: ic.provisioned
          .filter((x) => x.permissionSetArn === p.arn)
          .map((x) => x.accountId),
      })),
      assignments: ic.assignments,
      pendingOperations: ic.operations.inProgress,
    },
    scps: scps.map((p) => ({ id: p.id, name: p.name, content: p.content, targetIds: p.targetIds })),
    denies: [
      ...scps.flatMap((p) => denyStatements(p.content, "scp", p.name, userNames)),
      ...ic.permissionSets.flatMap((p) =>
        p.inlinePolicy ? denyStatements(p.inlinePolicy, "inline", p.name, userNames) : [],
      ),
    ],
    evidence: {
      bucket: stack.endpoints.evidence.bucket,
      baseUrl: `${stack.endpoints.evidence.endpoint}/${stack.endpoints.evidence.bucket}`,
      keys,
      signing: stack.endpoints.evidence.signing,
    },
    hookDeliveries: okta.hooks.deliveries.flatMap((d) =>
      d.attempts.map((a, i) => ({
        at: a.startedAt,
        method: "POST" as const,
        url: d.url,
        attempt: i + 1,
        eventTypes: d.eventTypes,
        eventIds: d.eventUuids,
        status: a.status,
        durationMs: a.durationMs,
        ...(a.error ? { error: a.error } : {}),
      })),
    ),
  };
}
